"""Calls of len, isinstance and list.append, which compiled code calls directly once it has
checked the callee: every way the callee or its argument can be something else."""
import abc
import builtins


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        if self.n < 0:
            raise ValueError("negative size")
        return self.n


class MyList(list):
    pass


class Appender:
    def __init__(self):
        self.got = []

    def append(self, x):
        self.got.append(x * 2)


class Meta(abc.ABCMeta):
    def __instancecheck__(cls, inst):
        return isinstance(inst, int) and inst % 2 == 0


class Even(metaclass=Meta):
    pass


def lengths(items):
    total = 0
    for x in items:
        total += len(x)
    return total


def kinds(items):
    out = []
    for x in items:
        out.append((isinstance(x, int), isinstance(x, (str, float)), isinstance(x, Even)))
    return out


def appends(targets, n):
    for t in targets:
        for i in range(n):
            t.append(i)
    return targets


def main():
    data = [[1, 2], (3,), "abcd", {1: 2}, Sized(5), range(7), b"xy"]
    for _ in range(300):
        r = lengths(data)
    print("lengths", r)
    try:
        lengths([[1], Sized(-1)])
    except ValueError as e:
        print("ValueError", e)
    try:
        lengths([[1], 3])
    except TypeError as e:
        print("TypeError", e)
    # len rebound in the module, then in builtins, then restored.
    global len
    len = lambda x: 100
    print("global len", lengths(data))
    del len
    builtins.len, saved = (lambda x: -1), builtins.len
    try:
        print("builtins len", lengths(data))
    finally:
        builtins.len = saved
    print("restored", lengths(data))
    for _ in range(200):
        k = kinds([1, 2.5, "s", 4, None, True])
    print("kinds", k)
    lists = appends([[], MyList(), Appender()], 5)
    print("appends", lists[0], lists[1], type(lists[1]).__name__, lists[2].got)
    for _ in range(100):
        appends([[]], 50)
    # The method taken from another list type.
    class Odd(list):
        def append(self, x):
            list.append(self, -x)
    print("odd", appends([Odd()], 4)[0])


main()
