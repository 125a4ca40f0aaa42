"""Attribute, method and global loads and attribute stores whose answer changes under the
caches that remember them: every way the place a name is found in can change mid-loop (class
attributes and descriptors added, instance dicts materialized, `__class__` reassigned, methods
replaced or shadowed, module attributes, globals and builtins rebound or deleted, new attribute
names added to shared keys, `__getattr__`/`__setattr__` added later), with more receiver types
at one site than a cache has entries, and the attribute order `vars()` reports after stores."""
import builtins
import math
import sys


class Base:
    def __init__(self, i):
        self.x = i
        self.y = i * 2

    def meth(self):
        return self.x


KINDS = [type(f"K{i}", (Base,), {}) for i in range(10)]


def load_x(objs):
    total = 0
    for o in objs:
        total += o.x
    return total


def store_x(objs, v):
    for o in objs:
        o.x = v


def call_meth(objs):
    total = 0
    for o in objs:
        total += o.meth()
    return total


def attempt(f, *args):
    try:
        return f(*args)
    except Exception as e:
        return f"{type(e).__name__}: {e}"


def polymorphic():
    objs = [k(i) for i, k in enumerate(KINDS * 3)]
    print("poly load", [load_x(objs) for _ in range(50)][-1])
    store_x(objs, 5)
    print("poly store", load_x(objs), call_meth(objs))


def descriptors_added_later():
    class C:
        def __init__(self):
            self.a = 1

        def m(self):
            return "method"

    objs = [C() for _ in range(5)]
    print("before", [sum(o.a for o in objs) for _ in range(30)][-1], call_m(objs))
    C.a = property(lambda self: 100)             # a data descriptor now wins over the instance
    print("property", sum(o.a for o in objs))
    del C.a
    print("deleted", sum(o.a for o in objs))
    C.m = lambda self: "replaced"
    print("replaced", call_m(objs))
    objs[2].m = lambda: "shadowed"               # an instance attribute shadows the method
    print("shadowed", call_m(objs))
    C.__getattr__ = lambda self, name: f"getattr {name}"
    print("getattr", [o.missing if i == 0 else o.a for i, o in enumerate(objs)])
    C.__getattribute__ = lambda self, name: f"getattribute {name}"
    print("getattribute", [o.a for o in objs][:2])


def call_m(objs):
    return [o.m() for o in objs]


def instance_layouts():
    class P:
        pass

    ps = []
    for i in range(60):                          # more instances than shared keys stay usable
        p = P()
        p.a = i
        p.b = -i
        if i % 3 == 0:
            p.__dict__["late"] = i               # materializes the dict
        if i % 5 == 0:
            p.c = i                              # a new name after many instances
        ps.append(p)
    total = 0
    for _ in range(20):
        for p in ps:
            total += p.a + p.b
            p.a = p.a + 1
    print("layouts", total, vars(ps[0]), vars(ps[1]), vars(ps[5]))
    del ps[4].a
    print("deleted attr", attempt(lambda: ps[4].a))
    ps[4].a = 7                                  # back in, at the end of vars()
    print("re-added", vars(ps[4]))
    fresh = P()
    for name in ["b", "a", "c"]:                 # stores into empty slots keep insertion order
        setattr(fresh, "".join(name), 1)
    print("order", list(vars(fresh)))


def class_changes():
    class A:
        def __init__(self):
            self.v = "a"

        def who(self):
            return "A"

    class B:
        def __init__(self):
            self.v = "b"

        def who(self):
            return "B"

    objs = [A() for _ in range(4)]
    print("before", [(o.v, o.who()) for o in objs])
    objs[1].__class__ = B
    print("after __class__", [(o.v, o.who()) for o in objs])
    A.__setattr__ = lambda self, name, value: object.__setattr__(self, name, value * 2)
    for o in objs:
        o.v = "z"
    print("setattr hook", [o.v for o in objs])


class Slotted:
    __slots__ = ("p", "q")

    def __init__(self, p):
        self.p = p
        self.q = None

    def get(self):
        return self.p


def slots():
    objs = [Slotted(i) for i in range(10)]
    total = 0
    for _ in range(20):
        for o in objs:
            total += o.get() + o.p
            o.q = total
    print("slots", total, objs[3].q)
    del objs[0].p
    print("slot deleted", attempt(objs[0].get))

    def set_q(objs, v):
        for o in objs:
            o.q = v

    def sum_q(objs):
        return sum(o.q for o in objs)

    class Sub(Slotted):                          # same slots, another type at the same sites
        __slots__ = ("r",)

    class WithDict(Slotted):                     # a __dict__ too: the slot still wins
        pass

    mixed = [Slotted(1), Sub(2), WithDict(3)] * 4
    for _ in range(30):
        set_q(mixed, 2)
    print("slot sites", sum_q(mixed), [o.get() for o in mixed][:3])
    mixed[2].__dict__["q"] = "dict"              # shadowed by the member descriptor
    print("slot over dict", sum_q(mixed), mixed[2].__dict__)
    del mixed[1].q
    print("slot emptied", attempt(sum_q, mixed))
    set_q(mixed, 4)
    Slotted.q = property(lambda self: -1, lambda self, v: None)   # the member is replaced
    set_q(mixed, 9)
    print("slot replaced", sum_q(mixed))
    del Slotted.q                                # no attribute q at all now
    print("slot removed", attempt(sum_q, mixed), attempt(set_q, mixed, 1))
    c = complex(1, 2)                            # read-only C members are never cached
    print("readonly", [c.real + c.imag for _ in range(20)][-1], attempt(setattr, c, "real", 3))


class Consts:
    LIMIT = 5

    def double(x):
        return 2 * x

    @staticmethod
    def triple(x):
        return 3 * x

    @classmethod
    def name(cls):
        return cls.__name__


class MoreConsts(Consts):
    pass


class Meta(type):
    @property
    def LIMIT(cls):
        return "from the metaclass"


class WithMeta(metaclass=Meta):
    LIMIT = "shadowed by the metaclass property"


def class_loop(cls, n):
    total = []
    for i in range(n):
        total.append((cls.LIMIT, cls.double(i), cls.triple(i), cls.name()))
    return total[-1]


def class_attributes():
    print("class", class_loop(Consts, 30), class_loop(MoreConsts, 30))
    Consts.LIMIT = 6                              # the class's own dict changes
    print("class rebound", class_loop(Consts, 3), class_loop(MoreConsts, 3))
    MoreConsts.LIMIT = 7                          # a subclass shadows it
    print("subclass", class_loop(Consts, 3), class_loop(MoreConsts, 3))
    Consts.double = staticmethod(lambda x: -x)    # function replaced by a staticmethod
    print("replaced", class_loop(MoreConsts, 3))
    del MoreConsts.LIMIT, Consts.LIMIT
    print("deleted", attempt(class_loop, MoreConsts, 3))
    Consts.LIMIT = 8
    print("metaclass", [WithMeta.LIMIT for _ in range(20)][-1], class_loop(MoreConsts, 2))
    print("type attrs", [Consts.__name__ + MoreConsts.__qualname__ for _ in range(20)][-1])

    class Val:
        pass

    class WithGet:
        def __get__(self, inst, owner):
            return "get"

    class Holder:
        v = Val()

    def load(c):
        return c.v

    res = []
    for i in range(6):
        res.append(type(load(Holder)).__name__)
        if i == 1:
            Val.__get__ = lambda self, inst, owner: "get"   # the value's type becomes a descriptor
        if i == 3:
            del Val.__get__
            Holder.__dict__["v"].__class__ = WithGet      # the value changes class
    print("value descriptors", res)


LIMIT = 3


def uses_globals(n):
    out = []
    for i in range(n):
        out.append(min(i, LIMIT) + len(out))
    return sum(out)


COUNTER = 0


def bump_and_read(n):
    global COUNTER
    out = 0
    for i in range(n):
        COUNTER += 1                              # a global stored on every iteration
        out += len(str(LIMIT)) + COUNTER + abs(-i)
        if i == n // 2:
            for k in range(200):                  # the globals dict grows (and is resized)
                globals()[f"_filler_{n}_{k}"] = k
    return out


def shadow_mid_loop(n):
    out = []
    for i in range(n):
        if i == n // 3:
            globals()["abs"] = lambda x: 1000     # a builtin shadowed while the loop runs
        if i == 2 * n // 3:
            del globals()["abs"]                  # and unshadowed again
        out.append(abs(-i) + len(out))
    return out[n // 3 - 1 : n // 3 + 2], out[2 * n // 3 - 1 : 2 * n // 3 + 2], sum(out)


def globals_and_builtins():
    global LIMIT
    print("shadow mid-loop", shadow_mid_loop(90), shadow_mid_loop(90))
    clone = dict(globals())                       # a copy shares the keys' contents
    exec("def in_clone(n):\n    return [len(str(i)) + abs(-i) for i in range(n)]", clone)
    print("clone", sum(clone["in_clone"](50)))
    clone["len"] = lambda x: 7                    # shadowed in the copy only
    print("clone shadowed", sum(clone["in_clone"](50)), sum(uses_globals(5) for _ in range(3)))
    print("rebinding loop", bump_and_read(100), bump_and_read(100), COUNTER)
    print("globals", uses_globals(50))
    LIMIT = 10
    print("rebound", uses_globals(50))
    real_len = builtins.len
    builtins.len = lambda x: 1000
    print("builtin rebound", uses_globals(50))
    builtins.len = real_len
    globals()["min"] = lambda a, b: -1           # a global now shadows the builtin
    print("global shadows builtin", uses_globals(50))
    del globals()["min"]
    print("shadow removed", uses_globals(50))
    del LIMIT
    print("deleted", attempt(uses_globals, 5))
    LIMIT = 3
    print("re-added", uses_globals(50))          # the name now has another entry
    globals()["abs"] = lambda x: 0                # a global shadows a builtin mid-program
    print("abs shadowed", bump_and_read(20))
    del globals()["abs"]
    print("abs back", bump_and_read(20))


def module_attributes():
    def roots(n):
        return [math.sqrt(i) for i in range(n)] + [math.pi] * 2

    print("module", sum(roots(100)))
    real = math.sqrt
    math.sqrt = lambda x: -1.0
    print("module rebound", sum(roots(100)))
    math.sqrt = real
    del math.pi
    print("module attr deleted", attempt(roots, 3))
    math.pi = 3.141592653589793
    print("module restored", sum(roots(100)))
    sys.modules[__name__].EXTRA = 1
    print("own module", sum(getattr(sys.modules[__name__], "EXTRA") for _ in range(10)))


polymorphic()
descriptors_added_later()
instance_layouts()
class_changes()
slots()
class_attributes()
globals_and_builtins()
module_attributes()
