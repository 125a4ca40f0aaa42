"""The line (and `f_lasti`) a frame shows while code it calls runs, next to attribute, method and global loads
whose cache hits are in machine code: a property or `__getattr__` reached at a site that also
hits, a `__del__` run by the release of a temporary right after a load, a callee that reads its
caller's line on the line after a load, a multi-line expression."""
import sys


def caller_line():
    return sys._getframe(2).f_lineno


class Plain:
    def __init__(self, v):
        self.v = v
        self.other = v + 1

    def where(self):
        # Not f_lasti: a Python callee sees its caller's at the CALL under any PEP 523 hook,
        # and at the CALL's last cache entry without one (docs/ARCHITECTURE.md, "Known
        # differences").
        return sys._getframe(1).f_lineno


class Computed:
    @property
    def v(self):
        f = sys._getframe(1)
        return ("property", f.f_lineno, f.f_lasti)

    other = 0

    def where(self):
        return ("method", sys._getframe(1).f_lineno)


class Dynamic:
    other = 1

    def __getattr__(self, name):
        f = sys._getframe(1)
        return ("getattr", name, f.f_lineno, f.f_lasti)

    def where(self):
        return ("dynamic", sys._getframe(1).f_lineno)


class Noisy:
    def __init__(self, log, v):
        self.log = log
        self.v = v

    def __del__(self):
        f = sys._getframe(1)
        self.log.append(("del", f.f_lineno, f.f_lasti))


def mixed(objs):
    out = []
    for o in objs:
        a = o.other
        b = o.v
        out.append((a, b))
        c = o.where()
        out.append(c)
    return out


def temporaries(n):
    log = []
    total = 0
    for i in range(n):
        total += Noisy(log, i).v
        log.append(("after", i))
    return total, log[-6:]


def multiline(objs):
    out = []
    for o in objs:
        x = (o.other,
             o.where(),
             o.other)
        out.append(x)
    return out


PLAIN = [Plain(i) for i in range(5)]
for _ in range(6000):
    mixed(PLAIN)
    temporaries(20)
    multiline(PLAIN)
mix = PLAIN[:3] + [Computed(), Dynamic(), Plain(9)]
print(mixed(mix))
print(temporaries(5))
print(multiline(mix))
