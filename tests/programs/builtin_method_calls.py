"""Builtin methods of builtin types called through `LOAD_METHOD` (`d.get(k)`, `s.upper()`,
`sep.join(xs)`, `s.startswith(p)`, `l.pop()`...): natively their C functions are called through
the method descriptor, as CPython's `PRECALL_NO_KW_METHOD_DESCRIPTOR_*` do. Also: the same site
reached by subclass instances, by a user class that borrowed a descriptor (`get = dict.get`,
which must raise CPython's TypeError), by instances whose class overrides the method in Python,
errors raised inside the C function (unhashable keys, a non-str in `join`, popping an empty
list), `__eq__`/`__hash__` running Python code inside `dict.get`, and deep recursion through a
METH_O method."""
import functools
import sys


class Key:
    def __init__(self, k):
        self.k = k

    def __hash__(self):
        return hash(self.k)

    def __eq__(self, other):
        return isinstance(other, Key) and self.k == other.k


class MyDict(dict):
    pass


class OverridingDict(dict):
    def get(self, k, default=None):
        return ("override", k, default)


class Borrower:
    get = dict.get      # a method descriptor of dict on a class that is not a dict


def lookups(d, keys):
    out = []
    for k in keys:
        out.append(d.get(k))
        out.append(d.get(k, -1))
    return out


def strings(words):
    out = []
    for w in words:
        u = w.upper()
        if u.startswith("A"):
            out.append(u.lower())
        out.append("-".join([w, u]))
        out.append(w.replace("a", "4").split("4"))
    return out


def pops(n):
    stack = list(range(n))
    got = []
    while True:
        try:
            got.append(stack.pop())
        except IndexError as e:
            got.append(str(e))
            break
    return got[-3:]


def errors(d, seps):
    out = []
    for bad in ([1], {}, "ok"):
        try:
            out.append(d.get(bad))
        except TypeError as e:
            out.append(("TypeError", str(e)))
    for sep in seps:
        try:
            out.append(sep.join(["a", 1]))
        except TypeError as e:
            out.append(("TypeError", str(e)))
    return out


def recurse(n, lst):
    # list.index with an element whose __eq__ recurses back through the same site.
    class Deep:
        def __eq__(self, other):
            if n > 0:
                recurse(n - 1, lst)
            return True
    return [Deep()].index(lst) + n


def cache_infos(fs):
    # One LOAD_METHOD site that sees a method of a C type the runtime does not bind (the C
    # lru_cache wrapper, a heap type) and a plain function attribute (no method: NULL below).
    return [f.cache_info().currsize for f in fs]


def _orig(x):
    return x


for round_ in range(4):
    c_cached = functools.lru_cache(maxsize=4)(_orig)
    fake = lambda: None  # noqa: E731
    fake.cache_info = lambda: functools._CacheInfo(0, 0, 0, round_)
    for k in range(12):
        c_cached(k % 5)
        print(cache_infos([c_cached, fake, c_cached]), end=" ")
    print()
    d = {i: i * i for i in range(20)}
    d.update({Key("a"): "A", "s": "S"})
    print(lookups(d, [1, 5, 99, Key("a"), Key("b"), "s"]))
    print(lookups(MyDict(d), [2, 98]))
    print(lookups(OverridingDict(d), [3]))
    try:
        print(lookups(Borrower(), [1]))
    except TypeError as e:
        print("TypeError:", e)
    print(strings(["apple", "banana", "avocado", "kiwi"]))
    print(pops(5))
    print(errors(d, ["-", ", "]))
    print(recurse(5, 0))
limit = sys.getrecursionlimit()
sys.setrecursionlimit(120)
try:
    recurse(500, 0)
except RecursionError as e:
    print("RecursionError:", str(e)[:40])
sys.setrecursionlimit(limit)


# Builtin functions called with their PRECALL_NO_KW_BUILTIN_O/_FAST, TYPE_1, STR_1 and
# TUPLE_1 forms: natively their C functions (or Py_TYPE, PyObject_Str, PySequence_Tuple)
# directly, while the global is still the builtin.
import builtins

REAL_MIN = builtins.min


class Rec:
    def __init__(self, depth):
        self.depth = depth

    def __repr__(self):
        return "R" + (repr(Rec(self.depth - 1)) if self.depth else "")


def functions(xs):
    out = []
    for x in xs:
        out.append((id(x) == id(x), ord(x[0]), repr(x), getattr(x, "upper", None) is not None,
                    getattr(x, "nope", "dflt"), min(x, "m"), max(x, "b", "c"), divmod(len(x), 3),
                    hash(x) == hash(x), type(x).__name__, str(x), tuple(x)))
    return out


def function_errors(xs):
    out = []
    for x in xs:
        try:
            out.append(ord(x))
        except TypeError as e:
            out.append(("TypeError", str(e)))
        try:
            out.append(getattr(x, "missing"))
        except AttributeError as e:
            out.append(("AttributeError", str(e)))
        try:
            out.append(tuple(x))
        except TypeError as e:
            out.append(("TypeError", str(e)))
    return out


for round_ in range(6):
    print(functions(["apple", "kiwi", "zz"]))
    print(function_errors(["a", "ab", 5]))
    print(repr(Rec(3)))
    if round_ == 2:
        ord = lambda c: -1          # noqa: E731  a global shadows the builtin
        builtins.min = lambda *a: "patched min"
    if round_ == 4:
        del ord
        builtins.min = REAL_MIN    # back to the C function
limit = sys.getrecursionlimit()
sys.setrecursionlimit(80)
try:
    repr(Rec(200))
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(limit)


# len() of exact lists, tuples, strs and dicts is read from the object natively; anything else
# (a subclass overriding __len__, bytes, sets, a __len__ that raises or is too large) is len's.
class LyingList(list):
    def __len__(self):
        return 42


class BadLen:
    def __len__(self):
        raise ValueError("no length")


class HugeLen:
    def __len__(self):
        return 2 ** 70


def lengths(xs):
    out = []
    for x in xs:
        try:
            out.append(len(x))
        except (ValueError, OverflowError, TypeError) as e:
            out.append((type(e).__name__, str(e)))
    return out


d = {i: i for i in range(300)}
for k in range(0, 300, 3):
    del d[k]
samples = [[], [1, 2, 3], list(range(1000)), (), (1,), "", "ascii", "ünïcödé", "\U0001F600x",
           "x" * 5000, {}, d, LyingList([1, 2]), b"bytes", {1, 2}, BadLen(), HugeLen(), 5]
for _ in range(6):
    print(lengths(samples))


# isinstance(o, t) where o's type is t itself is True without asking t's metaclass, in
# PyObject_IsInstance and natively; otherwise the metaclass's __instancecheck__ decides.
class Denier(type):
    calls = 0

    def __instancecheck__(cls, inst):
        Denier.calls += 1
        return False


class Denied(metaclass=Denier):
    pass


class DeniedChild(Denied):
    pass


def instance_checks(objs, t):
    out = []
    for o in objs:
        out.append(isinstance(o, t))
        out.append(isinstance(o, (int, t)))
    return out


objs = [Denied(), DeniedChild(), 3, "s", Denied]
for _ in range(400):
    checks = (instance_checks(objs, Denied), instance_checks(objs, int), instance_checks(objs, type))
print(checks)
print("metaclass consulted", Denier.calls, "times")
