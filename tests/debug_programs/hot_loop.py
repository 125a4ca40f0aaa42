"""Profiling test program: a hot loop that stays in native code (small ints only, so no
allocation on the fast paths) for a few hundred milliseconds. `# @name` markers as in
calls_c.py."""


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


main()
