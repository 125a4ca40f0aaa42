"""Writes to both streams, then dies with an uncaught exception."""
import sys


def fail(n):
    if n == 0:
        raise ValueError("boom from the program")
    return fail(n - 1)


print("to stdout")
print("to stderr", file=sys.stderr)
fail(3)
