"""Profiling test program: a hot loop that stays in native code (small ints only, so no
allocation on the fast paths) for at least 0.6 s of this process's CPU time, so that start-up
(some tens of milliseconds, more on a busy machine) stays a small share of any CPU profile
however fast the native loop gets. `# @name` markers as in calls_c.py."""
import time


def hot(n):
    x = 0
    j = 0
    while j < n:
        i = 0
        while i < 100:
            x = x + i - 50  # @body
            if x > 200:
                x = x - 150
            if x < 0:
                x = x + 100
            i = i + 1
        j = j + 1
    return x


def main():
    s = 0
    for _ in range(100):
        s += hot(1000)
    print(s)
    while time.process_time() < 0.6:
        hot(1000)


main()
