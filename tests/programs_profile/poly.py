"""One `a + b` site, hot with ints for a while, then hot with floats: the profile must keep both."""
import time


def add(a, b):
    return a + b


def phase(x, y, seconds):
    end = time.process_time() + seconds
    n = 0
    while time.process_time() < end:
        for _ in range(2000):
            add(x, y)
        n += 1
    return n


phase(1, 2, 0.4)
phase(1.0, 2.0, 0.4)
print("done")
