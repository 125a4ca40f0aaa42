"""Classmethods and staticmethods looked up on classes in hot loops (deltablue's
`Strength.stronger(a, b)`, alternative constructors): called and taken as values, through
subclasses, wrapping other callables, rebound on the class mid-loop, re-initialized in place
(`classmethod.__init__` again: the class's version does not change), and behind a metaclass."""
import functools


class Strength:
    def __init__(self, v):
        self.v = v

    @classmethod
    def stronger(cls, a, b):
        return (cls.__name__, a.v < b.v)

    @classmethod
    def make(cls, v):
        return cls(v)

    @staticmethod
    def weakest(a, b):
        return a if a.v < b.v else b

    sized = staticmethod(len)
    partial_cm = classmethod(functools.partial(lambda cls, x: (cls.__name__, x), ))


class Sub(Strength):
    pass


class Meta(type):
    def stronger(cls, a, b):
        return ("Meta.stronger", a.v, b.v)


class WithMeta(metaclass=Meta):
    v = 0


def first(cls, a, b):
    return ("first", cls.__name__, a.v + b.v)


def second(cls, a, b):
    return ("second", cls.__name__, a.v * b.v)


def loop(cls, n):
    out = []
    a, b = cls.make(1), cls.make(2)
    for i in range(n):
        out.append(cls.stronger(a, b))
        out.append(Strength.weakest(a, b).v)
        out.append(cls.sized("abc" * (i % 3)))
        m = cls.stronger
        out.append((m.__self__ is cls, m.__func__ is Strength.__dict__["stronger"].__func__))
        out.append(Strength.weakest is Strength.__dict__["weakest"].__func__)
        if i == n // 2 and cls is Sub:
            # Same descriptor object, another function: no class version change.
            Strength.__dict__["stronger"].__init__(first)
        if i == 3 * n // 4 and cls is Sub:
            Strength.stronger = classmethod(second)
    return out


def meta_loop(n):
    return [WithMeta.stronger(Strength(i), Strength(1)) for i in range(n)]


def partial_loop(n):
    return [Strength.partial_cm(i) for i in range(n)]


ORIGINAL = Strength.__dict__["stronger"].__func__
for _ in range(300):
    Strength.stronger = classmethod(ORIGINAL)
    a = loop(Strength, 40)
    b = loop(Sub, 40)
    c = meta_loop(10)
    d = partial_loop(5)
print(a[-12:])
print(b[-12:])
print(b[95:110])
print(b[145:160])
print(c[:3], d)
