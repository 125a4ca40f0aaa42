# Calls that bind keywords and defaults (the runtime binds them itself for plain functions):
# every way binding can go, hot enough to be compiled, with the errors the interpreter raises.
import sys


def area(w, h=2, scale=1.0):
    return w * h * scale


def pos_only(a, b, /, c=3):
    return a - b + c


def keeps(x, seen=[]):
    seen.append(x)
    return len(seen)


def cells(a, b=10):
    def inner():
        return a + b
    return inner()


def frame_locals(p, q=5):
    return sorted(sys._getframe().f_locals.items())


def countdown(n, step=1, acc=0):
    if n <= 0:
        return acc
    return countdown(n - step, step=step, acc=acc + n)


class Box:
    def __init__(self, v):
        self.v = v

    def grow(self, by=1, times=1):
        for _ in range(times):
            self.v += by
        return self.v


def many(a0, a1=1, a2=2, a3=3, a4=4, a5=5, a6=6, a7=7, a8=8, a9=9):
    return a0 + a1 * 2 + a2 * 3 + a3 * 4 + a4 * 5 + a5 * 6 + a6 * 7 + a7 * 8 + a8 * 9 + a9 * 10


def try_many(i):
    # The exception is caught here, so that only this frame goes to the interpreter.
    try:
        return many(i, a9=0, a3=i) + many(a0=1)
    except TypeError as e:
        return len(str(e))


def errors(i):
    out = []
    for bad in (
        lambda: area(),
        lambda: area(1, w=2),
        lambda: area(1, 2, 3, 4),
        lambda: area(1, nope=3),
        lambda: pos_only(1, b=2),
        lambda: pos_only(a=1, b=2),
        lambda: many(1, a1=1, a1_=2),
    ):
        try:
            bad()
        except TypeError as e:
            out.append(str(e))
    return out


def run():
    total = 0.0
    box = Box(0)
    for i in range(3000):
        total += area(i)
        total += area(i, scale=0.5)
        total += area(w=i, h=3)
        total += area(i, scale=2.0, h=1)
        total += pos_only(i, 1)
        total += pos_only(i, 2, c=i)
        total += cells(i) + cells(b=i, a=1)
        total += countdown(20, step=3)
        total += box.grow() + box.grow(times=2, by=i % 3)
        total += try_many(i)
        if i == 1500:
            # Replaced mid-run: later calls must see the new defaults.
            area.__defaults__ = (5, 3.0)
            many.__defaults__ = None
        if i > 1500:
            total += many(*range(9), a9=1) if i % 7 == 0 else 0
    return total


print(run())
print(keeps(1), keeps(x=2), keeps(3, seen=[]), keeps(4))
print(frame_locals(1), frame_locals(q=2, p=3))
for line in errors(0):
    print(line)
print(Box(1).grow(by=2, times=3))
