"""math's one-argument functions (and abs) called on floats and ints, which specialized code computes
with the C library itself when the callable is the real builtin: the same bits for every
input (signed zeros, NaN payloads, infinities, subnormals), the same errors where math_1
raises (domain, range, conversion, type), other argument types and rebound names going
the generic way, and a Python function posing as math.sqrt never taken for the builtin."""
import math
import struct
import sys
import types
from math import sin, sqrt
from math import cos as cosine


def bits(x):
    return struct.pack("<d", x).hex() if isinstance(x, float) else repr(x)


def module_form(xs):
    out = []
    for x in xs:
        out.append(math.sqrt(x) + math.sin(x) + math.cos(x) + math.atan(x) + math.fabs(x))
    return out


def global_form(xs):
    t = 0.0
    for x in xs:
        t += sin(x) * 0.5 + sqrt(x) + cosine(x)
    return t


def one(fn, x):
    try:
        return bits(fn(x))
    except (ValueError, OverflowError, TypeError) as e:
        return f"{type(e).__name__}: {e}"


def apply_all(x):
    out = []
    for k in range(7):
        try:
            if k == 0:
                r = math.sin(x)
            elif k == 1:
                r = math.cos(x)
            elif k == 2:
                r = math.tan(x)
            elif k == 3:
                r = math.atan(x)
            elif k == 4:
                r = math.exp(x)
            elif k == 5:
                r = math.sqrt(x)
            else:
                r = math.fabs(x)
            out.append(bits(r))
        except (ValueError, OverflowError, TypeError) as e:
            out.append(f"{type(e).__name__}: {e}")
    return out


def through_global(xs):
    out = []
    for x in xs:
        try:
            out.append(bits(sqrt(x)))
        except (ValueError, TypeError, OverflowError) as e:
            out.append(type(e).__name__)
    return out


def trig_of_ints(n):
    s = 0.0
    for i in range(n):
        s += sin(i) - cosine(i) + math.tan(i) + math.exp(-i)
    return s


def exps(xs):
    out = []
    for x in xs:
        try:
            out.append(bits(math.exp(x)))
        except OverflowError as e:
            out.append(f"OverflowError: {e}")
    return out


class F(float):
    pass


def absolutes(xs):
    out = []
    for x in xs:
        try:
            out.append(bits(abs(x)))
        except TypeError as e:
            out.append(f"TypeError: {e}")
    return out


def abs_sum(xs):
    t = 0.0
    for x in xs:
        t += abs(x - 1.0)
    return t


class HasFloat:
    def __float__(self):
        return 2.25


def late_sqrt(xs):
    t = 0.0
    for x in xs:
        t += math.sqrt(x)
    return t


# A module made in Python posing as `math` in sys.modules, with a Python sqrt, while
# late_sqrt runs for the first time: the guard of its compiled code (whose callee the profile
# saw as the C sqrt on later calls) must never take that function for the C one.
fake = types.ModuleType("math")
fake.sqrt = lambda x: 1234.5
real_math = sys.modules["math"]
sys.modules["math"] = math = fake
print(late_sqrt([4.0, 9.0]))
sys.modules["math"] = math = real_math
for _ in range(300):
    late = late_sqrt([4.0, 9.0, 2.0])
print(bits(late))

warm = [0.5 + i / 7 for i in range(3000)]
for _ in range(4):
    res = module_form(warm)
print(bits(sum(res)), bits(global_form(warm)), bits(trig_of_ints(3000)))

specials = [0.0, -0.0, 1.0, -1.0, 2.0, 1e-310, -1e-310, 5e-324, 1e308, -1e308,
            float("inf"), float("-inf"), float("nan"), -float("nan"),
            struct.unpack("<d", bytes.fromhex("0100000000fcff7f"))[0],
            0, 1, -3, 7, 2 ** 30, -(2 ** 30) - 5, 2 ** 53 + 1, 2 ** 62, 2 ** 1100, -(2 ** 1100),
            True, False, F(2.5), HasFloat(), "4", None, 3 + 0j]
for _ in range(3):
    for x in specials:
        print(apply_all(x))
    print(through_global(specials))
    print(exps([0.0, -1000.0, -745.5, 709.0, 710.0, float("inf"), float("-inf"), -1e-320, 1e-320]))

for _ in range(3):
    print(absolutes(specials))
print(bits(abs_sum(warm)))

# A module-level function rebound mid-run: the new callee runs, then the builtin again.
saved = math.sqrt
math.sqrt = lambda x: "patched"
print(module_form.__name__, [one(lambda v: math.sqrt(v), x) for x in (4.0, 9)])
try:
    print(module_form([4.0]))
except TypeError as e:
    print("TypeError", e)
math.sqrt = saved
print(bits(sum(module_form(warm))))

# A global rebound to a Python function, and back.
real_sqrt = sqrt
sqrt = lambda x: -1.0
print(bits(global_form(warm)), through_global([4.0, -4.0]))
sqrt = real_sqrt
print(bits(global_form(warm)), through_global([4.0, -4.0]))

# A global `abs` of this module shadows the builtin, then goes away again.
abs = lambda v: "shadowed"
print(absolutes([-1.5, 2]))
del abs
print(absolutes([-1.5, 2]), bits(abs_sum(warm)))
