"""Calls to functions with keyword-only parameters, *args and **kwargs, and star calls of
functions and bound methods: bound as the interpreter binds them (defaults, __kwdefaults__
replaced or removed mid-run, positional-only names in **kwargs), and the same errors when the
binding fails."""
import sys
import types


def kwonly(a, b=2, *, key, flag=False):
    return (a, b, key, flag)


def star(first, *rest):
    return first, rest, len(rest)


def starkw(a, /, b=5, *args, c, d=7, **kw):
    return a, b, args, c, d, sorted(kw.items())


def anykw(**kw):
    return sorted(kw)


def gen(*xs, scale=1):
    for x in xs:
        yield x * scale


def where(*args, **kwargs):
    f = sys._getframe()
    return sorted(f.f_locals), f.f_code.co_name, f.f_back.f_code.co_name


def depth(n, *pad):
    return 0 if n == 0 else 1 + depth(n - 1, *pad)


class P:
    def __init__(self, base):
        self.base = base

    def at(self, *values):
        return self.base in values

    def pick(self, *, default=None, **named):
        return named.get(self.base, default)


class Rec:
    def __init__(self, name, size=1, *tags, owner=None, **extra):
        self.name, self.size, self.tags, self.owner = name, size, tags, owner
        self.extra = sorted(extra.items())

    def __repr__(self):
        return f"Rec({self.name!r}, {self.size}, {self.tags}, {self.owner!r}, {self.extra})"


class Pt:
    def __init__(self, x, y=0, *, z=0):
        self.x, self.y, self.z = x, y, z


class Bad:
    def __init__(self, v, *, ret=None):
        self.v = v
        if ret is not None:
            return ret


class Sink:
    def __init__(self):
        self.parts = []
        self.write = self.parts.append  # a builtin method kept on the instance

    def put(self, x, sep="|"):
        self.parts.append(f"{x}{sep}")


class Writer:
    def __init__(self, sink):
        self.write = sink.put  # a bound method kept on the instance
        self.raw = types.MethodType(len, "abc")  # a bound method of a builtin

    def emit(self, n):
        for i in range(n):
            self.write(i)
            self.write(i, sep=";")
            if i == n // 2:
                self.write = lambda x, sep="!": sink_b.put(x * 10, sep)
        return self.raw()


sink_b = Sink()


def make(n):
    out = []
    for i in range(n):
        out.append(Rec(f"r{i}", owner="me"))
        out.append(Rec("t", i, "a", "b", colour=i % 2))
        out.append(Pt(i, y=2).y + Pt(x=i, z=3).z + Pt(i).x)
    return out


def main():
    sink = Sink()
    w = Writer(sink)
    print(w.emit(200), len(sink.parts), sink.parts[:4], sink_b.parts[-3:])
    sink.write("direct")
    print(sink.parts[-1])
    made = make(300)
    print(len(made), made[:3], made[-3:])
    def swapped(self, x, y=9, *, z=9):
        self.x, self.y, self.z = -x, y, z
    Pt.__init__ = swapped
    print(vars(Pt(1)), vars(Pt(1, z=2)))
    for bad in (lambda: Rec(), lambda: Rec("n", owner=1, name=2), lambda: Pt(1, 2, 3),
                lambda: Bad(1, ret=5), lambda: Bad(v=1, extra=2), lambda: Pt(q=1)):
        try:
            bad()
        except TypeError as e:
            print("TypeError:", e)
    acc = []
    p = P("b")
    ops = ("a", "b", "c")
    for i in range(300):
        acc.append(kwonly(i, key=i % 3))
        acc.append(kwonly(i, i, key="k", flag=True))
        acc.append(star(i))
        acc.append(star(i, 1, 2))
        acc.append(starkw(i, c=1))
        acc.append(starkw(i, 2, 3, 4, c=5, d=6, a="posonly name", z=9))
        acc.append(anykw(x=1, y=2))
        acc.append(p.at(*ops))
        acc.append(p.at("x"))
        acc.append(star(*ops))
        acc.append(p.pick(b=i, default=0))
        acc.append(sum(gen(1, 2, i, scale=2)))
    print(len(acc), acc[:12], acc[-12:])
    print(where(1, 2, k=3))
    print(depth(50, 1, 2))
    kwonly.__kwdefaults__ = {"key": "new", "flag": "set"}
    print(kwonly(1), kwonly(1, key=0))
    kwonly.__kwdefaults__ = None
    for bad in (lambda: kwonly(1), lambda: kwonly(1, 2, 3, key=1), lambda: kwonly(1, a=1, key=2),
                lambda: star(), lambda: starkw(1), lambda: starkw(1, c=1, b=2, **{"b": 3}),
                lambda: p.at(*ops, x=1), lambda: P.at(*()), lambda: kwonly(1, bogus=2, key=1)):
        try:
            bad()
        except TypeError as e:
            print("TypeError:", e)
    sys.setrecursionlimit(120)
    try:
        depth(500, "x")
    except RecursionError as e:
        print("RecursionError:", e)


main()
