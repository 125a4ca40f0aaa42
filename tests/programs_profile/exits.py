"""Writes to both streams, then leaves with sys.exit(3) from inside a function."""
import atexit
import sys


def bye():
    print("program atexit handler")


atexit.register(bye)


def main():
    total = sum(i * i for i in range(100000))
    print("total", total)
    print("warning-ish", file=sys.stderr)
    sys.exit(3)


main()
