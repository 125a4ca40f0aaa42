"""A finalizer run by the release of a local's old value at a store (`STORE_FAST`, a tuple
unpacking's stores, `del`, an augmented assignment, a `for` target) sees the storing frame's
line and `f_lasti`, including when several stores follow each other on one line or on
consecutive lines. (Every value dies inside its function: one released by the frame's pop
would show the caller's `f_lasti`, which differs by a documented 8 bytes when the caller is
interpreted; and a pair of adjacent `STORE_FAST`s is one superinstruction once CPython has
quickened the function, whose second half shows the first's `f_lasti`: there only the line is
read, see docs/ARCHITECTURE.md, "Known differences".)"""
import sys

LOG = []


class Noisy:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        f = sys._getframe(1)
        lasti = None if isinstance(self.tag, tuple) and self.tag[0] == "a" else f.f_lasti
        LOG.append((self.tag, f.f_code.co_name, f.f_lineno, lasti))


class Num(Noisy):
    def __iadd__(self, other):
        return Num(self.tag + other)


def stores(n):
    total = 0
    a = Noisy("a0")
    b = Noisy("b0")
    for i in range(n):
        a = Noisy(("a", i))
        b = Noisy(("b", i)); c = i
        a, b = Noisy(("ua", i)), Noisy(("ub", i))
        total += c
    del a
    b = None
    return total


def loop_target(n):
    x = Noisy("start")
    for x in [Noisy(("t", i)) for i in range(n)]:
        pass
    tag = x.tag
    x = 0
    return tag


def augmented(n):
    v = Num(0)
    for i in range(n):
        v += 1
    tag = v.tag
    del v
    return tag


for k in range(40):
    stores(5)
    loop_target(3)
    augmented(4)
    if k in (0, 39):
        print(len(LOG))
        for entry in LOG:
            print(entry)
    LOG.clear()
