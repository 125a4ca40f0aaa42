"""Small callees inlined into their hot callers (`passes::inline`), and everything that must
make the inlined body give way to the real call: the attribute it reads turned into a property,
deleted, or read through `__getattr__`; the method rebound on the class or set on the instance;
its `__code__` replaced; a float subclass or a big int where the body expected exact floats and
small ints; tracing switched on; the recursion limit reached at the call; an error raised
inside the callee (the traceback shows the callee's frame and line). Then a callee with its own
inlined method call (`checked_dot` calls `o.must_be_vec()`): the inner method shadowed on an
instance, rebound on the class to one that prints, turned into a property, or missing behind
`__getattr__`, each giving the whole inlined body up to the real call. Then callees reading
globals and builtins (rebound, deleted: NameError from inside the callee, a builtin shadowed
by a global, and the same code run with other globals)."""
import sys
import traceback


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def must_be_vec(self):
        return self

    def is_point(self):
        return False

    def getx(self):
        return self.x

    def dot(self, o):
        return self.x * o.x + self.y * o.y

    def weight(self):
        return self.x + 2 * self.y

    def label(self):
        return "vec"


def smaller(a, b):
    return a.x < b.x


def hot(vs, n):
    total = 0.0
    count = 0
    for i in range(n):
        v = vs[i % len(vs)]
        w = v.must_be_vec()
        if not w.is_point():
            total += v.dot(w)
        total += v.getx()
        if smaller(v, vs[0]):
            count += 1
        count += v.weight()
        if v.label() != "vec":
            count += 1000
    return round(total, 6), count


def int_weights(vs, n):
    s = 0
    for i in range(n):
        s += vs[i % len(vs)].weight()
    return s


vs = [Vec(float(i) * 0.5, float(i) - 3.0) for i in range(7)]
print("warm", hot(vs, 20000))
ivs = [Vec(i, i * 3) for i in range(5)]
print("int weights", int_weights(ivs, 20000))

# A big int where the body expected small ones (its int arithmetic gives way).
big = [Vec(2 ** 62, 2 ** 62), Vec(1, 2)]
print("big weights", int_weights(big, 10))


# A float subclass: the same values, the body's float guards give way.
class F(float):
    def __mul__(self, o):
        return F(float(self) * float(o) + 0.25)


print("float subclass", hot([Vec(F(1.5), F(2.0)), Vec(1.0, 2.0)], 10))

# The attribute becomes a property mid-run, then goes back.
Vec.x = property(lambda self: self.__dict__.get("_x", 7.0) + 100.0,
                 lambda self, v: self.__dict__.__setitem__("_x", v))
print("property", hot([Vec(1.0, 2.0)], 5))
del Vec.x
print("property gone", hot(vs, 2000))

# Deleted from one instance: AttributeError from inside the callee.
gone = Vec(1.0, 2.0)
del gone.x
try:
    hot([gone], 3)
except AttributeError:
    print("traceback:", "".join(traceback.format_exc().splitlines(True)[-4:]).replace(__file__, "F"))


# Read through __getattr__ on a subclass.
class Lazy(Vec):
    def __getattr__(self, name):
        print("  __getattr__", name)
        return 0.5


lazy = Lazy(1.0, 2.0)
del lazy.x
print("getattr", hot([lazy, Vec(1.0, 1.0)], 4))

# Method rebound on the class, and set on one instance, then restored.
orig = Vec.getx
Vec.getx = lambda self: -1.0
print("rebound", hot(vs, 10))
Vec.getx = orig
inst = Vec(3.0, 4.0)
inst.getx = lambda: 1000.0
print("instance attr", hot([inst, vs[1]], 6))
print("restored", hot(vs, 2000))


# `__code__` replaced, then restored.
def other_label(self):
    return "other"


saved = Vec.label.__code__
Vec.label.__code__ = other_label.__code__
print("code replaced", hot(vs, 5))
Vec.label.__code__ = saved
print("code restored", hot(vs, 2000))

# Tracing switched on mid-loop: the callees' calls are traced as in plain CPython.
events = []


def tracer(frame, event, arg):
    if event == "call":
        events.append(frame.f_code.co_name)
    return None


sys.settrace(tracer)
hot(vs[:2], 3)
sys.settrace(None)
print("traced calls", events)


# The recursion limit reached at an inlinable call.
def deep(v, n):
    if n == 0:
        return 0
    return v.getx() + deep(v, n - 1)


limit = sys.getrecursionlimit()
sys.setrecursionlimit(120)
for depth in (50, 115, 118, 119, 125):
    try:
        print("deep", depth, deep(vs[3], depth))
    except RecursionError as e:
        print("deep", depth, "RecursionError", e)
sys.setrecursionlimit(limit)
print("final", hot(vs, 20000))


# A callee whose body has an inlined method call of its own.
class Vec2(Vec):
    def checked_dot(self, o):
        o.must_be_vec()
        return self.x * o.x + self.y * o.y


def hot2(vs, n):
    total = 0.0
    for i in range(n):
        v = vs[i % len(vs)]
        total += v.checked_dot(vs[(i + 1) % len(vs)])
    return round(total, 6)


v2s = [Vec2(float(i), float(i) * 0.25 - 1.0) for i in range(5)]
print("nested warm", hot2(v2s, 20000))
shadow = Vec2(1.0, 2.0)
shadow.must_be_vec = lambda: print("  instance must_be_vec")
print("nested shadowed", hot2([v2s[0], shadow], 4))
saved_mbv = Vec.must_be_vec
Vec.must_be_vec = lambda self: print("  rebound must_be_vec", self.x)
print("nested rebound", hot2(v2s[:2], 3))
Vec.must_be_vec = property(lambda self: (lambda: print("  property must_be_vec")))
print("nested property", hot2(v2s[:2], 3))
Vec.must_be_vec = saved_mbv


class Odd(Vec2):
    def __getattr__(self, name):
        print("  __getattr__", name)
        return lambda: None


odd = Odd(2.0, 3.0)
del Vec.must_be_vec
try:
    print("nested getattr", hot2([v2s[1], odd], 4))
except AttributeError as e:
    print("nested getattr AttributeError", e)
Vec.must_be_vec = saved_mbv
print("nested final", hot2(v2s, 20000))


# Callees that read globals and builtins.
SCALE = 2.0


class Scaled:
    def __init__(self, v):
        self.v = v

    def scaled(self):
        return self.v * SCALE

    def clipped(self):
        return min(self.v, LIMIT)


LIMIT = 3


def hot3(ss, n):
    t = 0.0
    for i in range(n):
        s = ss[i % len(ss)]
        t += s.scaled() + s.clipped()
    return round(t, 6)


ss = [Scaled(float(i)) for i in range(6)]
print("globals warm", hot3(ss, 20000))
SCALE = 0.5
print("global rebound", hot3(ss, 6))
del SCALE
try:
    hot3(ss, 2)
except NameError:
    print("traceback:", "".join(traceback.format_exc().splitlines(True)[-4:]).replace(__file__, "F"))
SCALE = 2.0
min = lambda a, b: -1  # noqa: E731 (a global shadowing the builtin)
print("builtin shadowed", hot3(ss, 6))
del min
import types  # noqa: E402

Scaled.scaled = types.FunctionType(Scaled.scaled.__code__, {"SCALE": 100.0}, "scaled")
print("other globals", hot3(ss, 6))
print("globals final", hot3(ss[:3], 20000))


# Callees that read a class attribute through the class (`Mode.ON`): rebound, replaced by a
# descriptor (read through the class it is the descriptor object), deleted (AttributeError from
# inside the callee), and a class whose metatype has a property of that name.
class Mode:
    ON = 1


class Switch:
    def __init__(self, mode):
        self.mode = mode

    def is_on(self):
        return self.mode == Mode.ON


def hot4(sws, n):
    c = 0
    for i in range(n):
        if sws[i % len(sws)].is_on():
            c += 1
    return c


sws = [Switch(i % 2) for i in range(4)]
print("class attr warm", hot4(sws, 20000))
Mode.ON = 0
print("class attr rebound", hot4(sws, 8))
Mode.ON = property(lambda self: 1)
print("class attr descriptor", hot4(sws, 8))
del Mode.ON
try:
    hot4(sws, 2)
except AttributeError:
    print("traceback:", "".join(traceback.format_exc().splitlines(True)[-4:]).replace(__file__, "F"))
Mode.ON = 1


class ModeMeta(type):
    @property
    def ON(cls):
        return 0


PlainMode = Mode
Mode = ModeMeta("Mode", (), {"ON": 1})
print("metatype property", hot4(sws, 8))
Mode = PlainMode
print("class attr final", hot4(sws, 20000))
