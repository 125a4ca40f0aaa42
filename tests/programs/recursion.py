import sys


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)


print(fib(22))
print(depth(500))
try:
    depth(10**6)
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(200)
try:
    fib(300)
except RecursionError as e:
    print("again:", e)
print(fib(15))
