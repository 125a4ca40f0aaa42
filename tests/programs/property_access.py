"""Attribute loads that find a `property` on the class: natively the getter is called directly
(its frame pushed by the runtime) instead of through `property.__get__`. Covered: plain and
`__slots__` classes, an inherited property, a getter that raises (AttributeError included, on
a class with and without `__getattr__`), a property without a getter, a property replaced on
the class mid-loop, a property object re-initialised in place with another getter, a
subclass of `property`, a getter that reads its caller's frame, and deep recursion through a
getter."""
import sys


class Point:
    def __init__(self, x, y):
        self._x = x
        self._y = y

    @property
    def x(self):
        return self._x

    @property
    def norm1(self):
        return abs(self._x) + abs(self._y)


class Slotted:
    __slots__ = ("_v",)

    def __init__(self, v):
        self._v = v

    @property
    def v(self):
        return self._v * 2


class Child(Point):
    pass


class Raising:
    @property
    def bad(self):
        raise AttributeError("no bad here")

    @property
    def worse(self):
        return 1 // 0


class Fallback(Raising):
    def __getattr__(self, name):
        return "fallback for " + name


class NoGetter:
    x = property(None, lambda self, v: None)


class MyProperty(property):
    pass


class Custom:
    @MyProperty
    def c(self):
        return "custom"


class Caller:
    @property
    def where(self):
        f = sys._getframe(1)
        return f.f_code.co_name, f.f_lineno


class Deep:
    def __init__(self, n):
        self.n = n

    @property
    def depth(self):
        return 0 if self.n == 0 else 1 + Deep(self.n - 1).depth


def total(points):
    s = 0
    for p in points:
        s += p.x + p.norm1
    return s


def slotted(items):
    return [it.v for it in items]


def errors(objs):
    out = []
    for o in objs:
        for name in ("bad", "worse"):
            try:
                out.append(getattr(o, name) if name == "worse" else o.bad)
            except (AttributeError, ZeroDivisionError) as e:
                out.append((type(e).__name__, str(e)))
    return out


def no_getter(o):
    try:
        return o.x
    except AttributeError as e:
        return str(e)


def custom(objs):
    return [o.c for o in objs]


def where(o):
    return o.where


def depth(d):
    return d.depth


pts = [Point(i, -i) for i in range(10)] + [Child(3, 4)]
for round_ in range(5):
    print(total(pts), slotted([Slotted(i) for i in range(5)]))
    print(errors([Raising(), Fallback()]))
    print(no_getter(NoGetter()), custom([Custom(), Custom()]), where(Caller()), depth(Deep(5)))
    if round_ == 2:
        Point.x = property(lambda self: self._x * 100)       # replaced on the class
    if round_ == 3:
        Point.norm1.__init__(lambda self: -1)                 # re-initialised in place
limit = sys.getrecursionlimit()
sys.setrecursionlimit(100)
try:
    depth(Deep(1000))
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(limit)
