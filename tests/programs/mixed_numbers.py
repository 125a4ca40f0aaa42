"""Arithmetic and comparisons at sites CPython 3.11 does not specialize: `/` on any numbers, `+ - *` on an int
and a float. Native code computes one-digit ints and exact floats on doubles and leaves
everything else (wide ints, bools, float subclasses, zero divisors, strings) to the generic
operation: results, signs of zero, NaN/inf, exceptions and their tracebacks must not change."""
import math


class F(float):
    def __radd__(self, other):
        return ("F.__radd__", other)

    def __truediv__(self, other):
        return ("F.__truediv__", other)


def ratios(pairs):
    out = []
    for a, b in pairs:
        try:
            q = a / b
        except ZeroDivisionError as e:
            q = ("ZeroDivisionError", str(e))
        except OverflowError as e:
            q = ("OverflowError", str(e))
        out.append(repr(q))
    return out


def mixed(pairs):
    out = []
    for a, b in pairs:
        try:
            out.append(repr((a + b, a - b, a * b, b - a)))
        except (TypeError, OverflowError) as e:
            out.append(type(e).__name__ + ": " + str(e))
    return out


def compares(pairs):
    out = []
    for a, b in pairs:
        try:
            out.append((a < b, a <= b, a == b, a != b, a > b, a >= b))
        except TypeError as e:
            out.append(("TypeError", str(e)))
    return out


def below(xs, limit):
    # Mostly ints, now and then a float (a NaN too): CPython's int forms miss here.
    n = 0
    total = 0
    for x in xs:
        if x < limit:
            n += 1
        total = total + x * 3 - 1
    return n, total


def spline(knots, u):
    # chaos's de Boor step: int knots meet a float parameter.
    total = 0.0
    for i in range(1, len(knots)):
        ua, ub = knots[i], knots[i - 1]
        if ua != ub:
            total += (ua - u) / (ua - ub) + (u - ub) / (ua - ub)
    return total


def accumulate(n):
    x = 0
    for i in range(n):
        x += i / 7
        x = x - i * 0.5
    x /= 3
    return x


VALUES = [0, 1, -1, 7, -7, 2**29, -(2**30) + 1, 2**30, 2**31, 2**53 + 1, 10**400,
          0.0, -0.0, 1.5, -2.25, 1e308, -1e-308, float("inf"), float("-inf"), float("nan"),
          True, False, F(2.5)]
PAIRS = [(a, b) for a in VALUES for b in VALUES]
KNOTS = [0, 0, 0, 1, 2, 3, 3, 3]
XS = [i % 13 for i in range(200)] + [2.5, -0.0, float("nan"), 7, 2**40, -3.75] * 3

for _ in range(150):
    r = ratios(PAIRS)
    c = compares(PAIRS)
    m = mixed(PAIRS)
    s = sum(spline(KNOTS, u / 100) for u in range(1, 300))
    acc = accumulate(2000)
    bl = [below(XS, lim) for lim in (0, 5, 6.5, 2**41, float("inf"))]

print("\n".join(r))
print("\n".join(m))
print("\n".join(map(repr, c)))
print(compares([("a", 1.5), (1.5, "a"), (None, 0.0), (0, None), ("a", "b")]))
print(bl)
print(repr(s), repr(acc), math.copysign(1.0, 0 / -5), math.copysign(1.0, -0.0 / 3))
print(mixed([("a", 1.5), (1.5, "a"), ([1], 2.0)]))
try:
    ratios([("a", 2.0)])
except TypeError as e:
    print("TypeError", e)
