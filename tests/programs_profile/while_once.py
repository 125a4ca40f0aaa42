# A hot `while` loop in a function called once: CPython 3.11 would never quicken it (its
# loop ends in POP_JUMP_BACKWARD_IF_TRUE, which does not warm code up, and one call is fewer
# than the eight warm-ups quickening waits for), so without the profiler hastening its warm-up
# it would have no feedback at all.
import sys


def spin(n):
    total = 0
    while n > 0:
        total += n & 7
        n -= 1
    return total


print(spin(int(sys.argv[1])))
