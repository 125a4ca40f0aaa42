"""Debugging test program: `hot` loops over a C function (math.floor: a builtin native code
calls, unlike math.sqrt, which it computes itself), so a breakpoint in C code stops with the
native frame of `hot` on the stack. `# @name` markers tag the lines the tests
check (tests/test_debugging.py finds them by marker, not by number)."""
import math


def hot(n):
    total = 0.0  # @first-body
    for i in range(n):
        total += math.floor(i / 3)  # @call
    return total


def main():
    s = 0.0
    for _ in range(300):
        s += hot(2000)  # @call-hot
    print(round(s))


main()
