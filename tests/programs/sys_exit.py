import sys


def work(n):
    s = 0
    for i in range(n):
        s += i % 7
    if s > 100:
        print("exiting with", s % 5)
        sys.exit(s % 5 + 1)
    return s


for _ in range(50):
    work(10)
work(1000)
print("never printed")
