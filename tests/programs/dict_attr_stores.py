"""Stores into instance attributes that live in a materialized `__dict__` (3.11's
STORE_ATTR_WITH_HINT): the replaced value is released (its finalizer runs at the store), a
deleted attribute comes back, a dict the collector stopped tracking gets a container stored
into it (cycles through it must still be collected), and `vars()` sees every store."""
import gc


class Noisy:
    log = []

    def __init__(self, name):
        self.name = name

    def __del__(self):
        Noisy.log.append(self.name)


class Cell:
    def __init__(self, i):
        self.value = i
        self.other = None
        self.tag = "t"
        self.__dict__          # materialized: later stores go into the dict


def churn(cells, n):
    for k in range(n):
        for c in cells:
            c.value = c.value + k
            c.tag = "x" if k % 2 else "y"
    return sum(c.value for c in cells)


def replace_noisy(cell, n):
    for i in range(n):
        cell.other = Noisy(i)          # the previous Noisy dies at this store
    return len(Noisy.log)


def delete_and_restore(cells, n):
    total = 0
    for i in range(n):
        for c in cells:
            if i % 50 == 0:
                del c.tag
                c.tag = i              # a new entry: the hint no longer matches
            c.value = i
            total += c.value
    return total


def make_cycles(n):
    made = []
    for i in range(n):
        c = Cell(i)
        gc.collect(0) if i % 1000 == 0 else None
        c.other = [c]                  # a cycle through the dict
        made.append(c)
    return len(made)


cells = [Cell(i) for i in range(20)]
print(churn(cells, 15000))
print(replace_noisy(cells[0], 100000), Noisy.log[:5], Noisy.log[-3:])
print(delete_and_restore(cells, 8000), sorted(vars(cells[3]).items(), key=str)[:4])
print(make_cycles(20000))
gc.collect()
print(gc.collect(), len(gc.garbage))
print(sorted(vars(cells[0])), cells[0].value, cells[0].tag)
