"""Method calls on instances whose `__dict__` is materialized: the method is found on the class
as long as the instance dict lacks its name. An instance attribute of that name set midway
(and deleted again), a non-str key in the dict, and a dict subclass as `__dict__` must all be
seen exactly as by the interpreter."""


class Shape:
    def __init__(self, k):
        self.k = k
        self.__dict__          # materialized

    def area(self):
        return self.k * 2

    def name(self):
        return "shape"


class Tracked(dict):
    lookups = 0

    def __getitem__(self, key):            # not used by attribute lookup (dict's own is)
        Tracked.lookups += 1
        return super().__getitem__(key)


def total(shapes, n):
    t = 0
    for i in range(n):
        for s in shapes:
            t += s.area()
    return t


def names(shapes, n):
    out = {}
    for i in range(n):
        for s in shapes:
            v = s.name()
            out[v] = out.get(v, 0) + 1
    return sorted(out.items())


shapes = [Shape(k) for k in range(10)]
print(total(shapes, 30000))
shapes[3].area = lambda: 1000              # the instance now shadows the method
print(total(shapes, 30000))
del shapes[3].area                         # and no longer does
print(total(shapes, 30000))
shapes[4].__dict__[7] = "seven"            # a non-str key: a lookup may run key code
print(total(shapes, 30000), shapes[4].__dict__[7])
shapes[5].__dict__ = Tracked(k=50)         # a dict subclass as the instance dict
print(total(shapes, 30000), names(shapes, 10000), Tracked.lookups)
shapes[5].__dict__["name"] = lambda: "own"
print(names(shapes, 10000))
