import math


def poly(x):
    return 3.0 * x * x - 2.5 * x + 0.125


def integrate(f, a, b, n):
    h = (b - a) / n
    s = 0.5 * (f(a) + f(b))
    for i in range(1, n):
        s += f(a + i * h)
    return s * h


for n in (10, 100, 1000, 5000):
    print(f"{integrate(poly, 0.0, 2.0, n):.12f}")
print(repr(0.1 + 0.2), 1e308 * 10, -1e308 * 10, math.isnan(float("nan")))
print(7.5 // 2, 7.5 % -2, divmod(-7.5, 2), round(2.675, 2), 2 ** 0.5, (-8) ** (1 / 3))
try:
    print(1.0 / 0)
except ZeroDivisionError as e:
    print("caught", e)
print(float("inf") - float("inf"), 1 / 3 == 0.3333333333333333, int(1e20), 3 * 1.1)
