"""Subscripts through a class's Python `__getitem__`/`__setitem__`, which native code calls
directly (`s6_rt_getitem_py`/`s6_rt_setitem_py`) when the type's slot is the one that would
call them: plain classes, a dict subclass overriding both, a slotted grid with tuple keys,
the methods replaced mid-run (by other functions, a callable object, a staticmethod), an
exception raised inside (traceback with the method's frame and line), a `__setitem__` whose
return value is ignored, `__delitem__` beside them, and the recursion limit hit through them."""
import sys
import traceback


class Grid:
    __slots__ = ("w", "cells")

    def __init__(self, w, h):
        self.w = w
        self.cells = [0.0] * (w * h)

    def __getitem__(self, key):
        x, y = key
        return self.cells[y * self.w + x]

    def __setitem__(self, key, value):
        x, y = key
        self.cells[y * self.w + x] = value
        return "ignored"


class Rows:
    def __init__(self, rows):
        self.data = rows

    def __getitem__(self, i):
        if isinstance(i, tuple):
            return self.data[i[1]][i[0]]
        return self.data[i]

    def __delitem__(self, i):
        print("  del", i)


class Counting(dict):
    def __getitem__(self, k):
        return dict.get(self, k, 0) + 1

    def __setitem__(self, k, v):
        dict.__setitem__(self, k, v * 2)


def relax(g, n, rounds):
    for _ in range(rounds):
        for y in range(1, n - 1):
            for x in range(1, n - 1):
                g[x, y] = 0.25 * (g[x - 1, y] + g[x + 1, y] + g[x, y - 1] + g[x, y + 1]) + 1.0
    return round(g[n // 2, n // 2], 6)


def row_sums(r, n):
    t = 0
    for i in range(n):
        row = r[i % 3]
        t += row[i % 4] + r[i % 4, i % 3]
    return t


def counts(c, words):
    for w in words:
        c[w] = c[w]
    return sorted(c.items())


g = Grid(12, 12)
print("relax", relax(g, 12, 30))
r = Rows([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
print("rows", row_sums(r, 30000))
print("counts", counts(Counting(), "a b a c b a".split() * 4)[:3])
del r[5]

# Replaced mid-run: another function, a callable object, a staticmethod, then restored.
saved_get = Rows.__getitem__
Rows.__getitem__ = lambda self, i: 100 if isinstance(i, tuple) else [100] * 4
print("replaced", row_sums(r, 9))


class Picker:
    def __call__(self, inst, i):
        return 7 if isinstance(i, tuple) else [7] * 4


Rows.__getitem__ = Picker()
try:
    print("callable object", row_sums(r, 9))
except TypeError as e:
    print("callable object TypeError", e)
Rows.__getitem__ = staticmethod(lambda i: 3 if isinstance(i, tuple) else [3] * 4)
print("staticmethod", row_sums(r, 9))
Rows.__getitem__ = saved_get
print("restored", row_sums(r, 30000))

# Raised inside: the traceback shows the method's frame.
try:
    row_sums(Rows([[1]]), 5)
except IndexError:
    tb = traceback.format_exc().replace(__file__, "F")
    print("traceback:", "".join(tb.splitlines(True)[-5:]))

saved_set = Grid.__setitem__


def loud_set(self, key, value):
    if key == (5, 5):
        print("  set", key, round(value, 3))
    saved_set(self, key, value)


Grid.__setitem__ = loud_set
print("loud", relax(g, 12, 1))
Grid.__setitem__ = saved_set
print("relax again", relax(g, 12, 30))


# The recursion limit reached inside a `__getitem__`.
class Deep:
    def __getitem__(self, n):
        return 0 if n == 0 else 1 + self[n - 1]


limit = sys.getrecursionlimit()
sys.setrecursionlimit(150)
for n in (50, 140, 160):
    try:
        print("deep", n, Deep()[n])
    except RecursionError as e:
        print("deep", n, "RecursionError", e)
sys.setrecursionlimit(limit)
