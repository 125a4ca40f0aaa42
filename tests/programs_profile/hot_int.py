"""Hot int loop plus a cold helper: `hot` must top the profile; `a + b` must say int; the
globals `math` and `sqrt` must be named as the module and the builtin they hold."""
import math
import sys
from math import sqrt


class Foo:
    def __init__(self, x):
        self.x = x


def add(a, b):
    return a + b


def cold():
    return sum(range(10))


def hot(n):
    total = 0
    foo = Foo(3)
    for i in range(n):
        total = add(total, i) + foo.x
    return total


def floats(n):
    acc = 0.0
    x = 1.5
    for _ in range(n):
        acc = acc + x * 0.5 + math.fabs(x) - sqrt(x)
    return acc


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    cold()
    print(hot(n))
    print(floats(n // 4))
