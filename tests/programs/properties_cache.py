import functools


class Temperature:
    def __init__(self, c):
        self._c = c

    @property
    def celsius(self):
        return self._c

    @celsius.setter
    def celsius(self, v):
        if v < -273.15:
            raise ValueError(f"below absolute zero: {v}")
        self._c = v

    @celsius.deleter
    def celsius(self):
        del self._c

    @functools.cached_property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def run(n):
    acc = 0.0
    for i in range(n):
        t = Temperature(i % 50)
        t.celsius = t.celsius + 1
        acc += t.fahrenheit
    return acc


for _ in range(100):
    r = run(100)
print(r, fib(80), fib.cache_info().hits > 0)
t = Temperature(1)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
del t.celsius
try:
    t.celsius
except AttributeError as e:
    print("AttributeError:", e)
