"""Calls between compiled functions, which native code makes by pushing the callee's frame
itself: frames that outlive their call (kept by tracebacks, `sys._getframe`, generators of the
caller), their `f_back` chains after the callee returned, exceptions crossing several such
calls, recursion to the limit, closures, methods, and every shape that must take the generic
path (defaults, keywords, `*args`, keyword-only parameters, generator functions, `__code__`
replaced mid-run, builtins and classes as callees), and classes instantiated without the
generic path (object.__new__ and a Python __init__) beside every kind that must keep it."""
import abc
import dataclasses
import gc
import sys
import traceback


def leaf(x):
    return x * 2 + 1


def middle(x):
    return leaf(x) + leaf(x + 1)


def keep_frame(x):
    f = sys._getframe()
    return f, x + 1


def fail(x):
    if x % 3 == 0:
        raise ValueError(f"bad {x}")
    return x


def through(x):
    return fail(x) + 1


def catcher(n):
    caught = []
    for i in range(n):
        try:
            through(i)
        except ValueError as e:
            caught.append(e)
    return caught


def plain_calls():
    total = 0
    for i in range(2000):
        total += middle(i)
    print("plain", total)


def frames_that_outlive_calls():
    kept = [keep_frame(i) for i in range(300)]
    f, v = kept[-1]
    print("kept", v, f.f_code.co_name, f.f_back.f_code.co_name, f.f_lineno)
    print("kept back chain", [fr.f_code.co_name for fr in [f, f.f_back] if fr is not None])
    print("locals of a finished frame", sorted(f.f_locals), f.f_locals["x"])
    del kept, f
    gc.collect()


def tracebacks_of_returned_frames():
    caught = catcher(60)
    e = caught[-1]
    print("caught", len(caught), e)
    names = [fs.name for fs in traceback.extract_tb(e.__traceback__)]
    print("tb", names)
    tb = e.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    fr = tb.tb_frame
    print("tb frame", fr.f_code.co_name, fr.f_locals, fr.f_back.f_code.co_name if fr.f_back else None)
    print("formatted", traceback.format_exception(e)[-2].strip().splitlines()[0])


def recurse(n):
    return 0 if n == 0 else 1 + recurse(n - 1)


def recursion():
    print("recursion", recurse(300))
    try:
        recurse(100000)
    except RecursionError as e:
        print("RecursionError", e)
    print("after", recurse(50))


def make_adder(k):
    def add(x):
        return x + k
    return add


class Box:
    def __init__(self, v):
        self.v = v

    def get(self):
        return self.v

    def bump(self, d):
        self.v += d
        return self


def closures_and_methods():
    add = make_adder(7)
    b = Box(1)
    total = 0
    for i in range(1000):
        total += add(i) + b.bump(1).get()
    print("closures/methods", total, b.v)


def with_default(x, y=10):
    return x + y


def with_kwonly(x, *, k=3):
    return x * k


def with_star(*args):
    return len(args)


def gen(n):
    yield from range(n)


def generic_shapes():
    total = 0
    for i in range(500):
        total += with_default(i) + with_default(i, 2) + with_default(x=i, y=1)
        total += with_kwonly(i) + with_kwonly(i, k=2) + with_star(i, i) + sum(gen(3))
        total += len(str(i)) + Box(i).get()
    print("generic shapes", total)


def swapped(x):
    return x + 1


def code_replaced():
    out = []
    for i in range(300):
        out.append(swapped(i))
        if i == 150:
            swapped.__code__ = (lambda x: x - 1000).__code__
    print("code replaced", out[149:153])


def arity_errors():
    for args in [(), (1, 2)]:
        try:
            leaf(*args)
        except TypeError as e:
            print("TypeError", e)
    try:
        leaf()
    except TypeError as e:
        print("TypeError direct", e)


def deleted_while_running():
    def victim(x):
        del holder[0]
        gc.collect()
        return x + 1

    holder = [victim]
    total = 0
    for i in range(200):
        holder = [victim]
        total += holder[0](i)
    print("deleted while running", total)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Point3(Point):
    pass


class BadInit:
    def __init__(self, x):
        return x


class RaisingInit:
    def __init__(self, x):
        if x > 5:
            raise KeyError(x)
        self.x = x


class WithNew:
    def __new__(cls, x):
        obj = super().__new__(cls)
        obj.made_by = "new"
        return obj

    def __init__(self, x):
        self.x = x


class Meta(type):
    def __call__(cls, *args):
        return ("metaclass call", args)


class ViaMeta(metaclass=Meta):
    def __init__(self, x):
        self.x = x


class Abstract(abc.ABC):
    def __init__(self, x):
        self.x = x

    @abc.abstractmethod
    def m(self):
        pass


class Defaults:
    def __init__(self, x, y=2):
        self.s = x + y


@dataclasses.dataclass
class DC:
    a: int
    b: int


class Slots:
    __slots__ = ("a",)

    def __init__(self, a):
        self.a = a


class NoInit:
    pass


def constructors():
    pts = [Point(i, i + 1) for i in range(500)] + [Point3(i, 0) for i in range(500)]
    print("points", sum(p.x + p.y for p in pts), type(pts[-1]).__name__, vars(pts[0]))
    for cls, args in [(BadInit, (1,)), (RaisingInit, (9,)), (Point, (1,)), (Point, (1, 2, 3)),
                      (Abstract, (1,)), (NoInit, (1,))]:
        try:
            print("made", cls(*args))
        except Exception as e:
            print(type(e).__name__, e)
    made = [RaisingInit(i).x for i in range(5)] + [WithNew(i).made_by for i in range(2)]
    made += [ViaMeta(1), Defaults(1).s, Defaults(1, 1).s, DC(1, 2), Slots(3).a, type(NoInit())]
    print("made", made)
    Point.__init__ = lambda self, x, y: setattr(self, "x", -x)
    print("replaced __init__", [Point(i, 0).x for i in range(3)], Point3(5, 5).x)
    try:
        RaisingInit(7)
    except KeyError:
        print("tb", [fs.name for fs in traceback.extract_tb(sys.exc_info()[2])])


class R:
    depth = 0

    def __init__(self):
        R.depth += 1
        R()


def constructor_recursion():
    # The interpreter counts the call of a class as a recursion level of its own.
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        R()
    except RecursionError as e:
        print("constructor recursion", R.depth, e)
    finally:
        sys.setrecursionlimit(old)


def getframe_leaf():
    return sys._getframe()


def getframe_mid():
    y = 1
    fr = getframe_leaf()
    return fr


def getframe_leaf_kw(k=0):
    return sys._getframe()


def getframe_mid_kw():
    y = 1
    fr = getframe_leaf_kw(k=1)
    return fr


def finished_frames():
    # A finished frame reports the line of its return, however it was called.
    for _ in range(3):
        a, b = getframe_mid().f_back, getframe_mid_kw().f_back
        print("finished", a.f_code.co_name, a.f_lineno, b.f_code.co_name, b.f_lineno, a.f_lasti > 0)


plain_calls()
constructors()
constructor_recursion()
finished_frames()
frames_that_outlive_calls()
tracebacks_of_returned_frames()
recursion()
closures_and_methods()
generic_shapes()
code_replaced()
arity_errors()
deleted_while_running()
through(3)
