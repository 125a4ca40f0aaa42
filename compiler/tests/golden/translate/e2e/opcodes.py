import os
from os import path as P

G = 10

def arith(a, b):
    return (a + b) * 2 - a // 3 + (a ** 2) % 7, a / 4, -a, ~b, not a, a < b, a is b, a in [1, 2]

def strings(x):
    return f"<{x!r:>8}|{x}>", "-".join(str(i) for i in range(3)), "%s=%d" % ("k", x)

def containers(n):
    t = (1, n, 3)
    l = [n, *t, 5]
    s = {n, 1, *l}
    d = {"a": n, **{"b": 2}}
    d2 = {1: 2, 3: 4}
    a, *rest, z = l
    a2, b2 = t[:2]
    l[0] = 99
    del d2[1]
    return t, l, sorted(s), d, rest, z, a2, b2, d2, l[1:3], {k: v for k, v in d.items()}, [i * i for i in range(n)]

def calls(f, *args, **kw):
    def inner(x, y=2, *, z=3):
        return x + y + z + G
    return inner(1), inner(1, z=5), inner(*args), inner(**kw, x=0), f(*args, **kw), max(1, 5, key=lambda v: -v)

def loops(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        total += i
        if total > 10000:
            break
    while n > 0:
        n -= 7
    return total, n

def closures(x):
    y = x + 1
    def get():
        return x + y
    def setx(v):
        nonlocal x
        x = v
    setx(5)
    return get()

def exceptions(v):
    try:
        return 10 // v
    except ZeroDivisionError as e:
        return "zde " + str(e)
    finally:
        pass

def raiser(v):
    if v:
        raise ValueError("bad %r" % v) from None
    return v

class C:
    k = 3
    def __init__(self, v):
        self.v = v
    def m(self, w):
        return self.v + w + self.k
    @property
    def p(self):
        return self.v * 2

def methods(n):
    c = C(n)
    c.extra = 1
    r = c.m(2) + c.p + c.extra
    del c.extra
    return r, hasattr(c, "extra")

def imports():
    import json
    from collections import OrderedDict as OD
    return json.dumps(OD(a=1)), P.basename("/x/y"), os.sep

def withs(tmp):
    import contextlib
    out = []
    @contextlib.contextmanager
    def cm(tag):
        out.append("enter " + tag)
        yield tag.upper()
        out.append("exit " + tag)
    with cm("a") as a, cm("b") as b:
        out.append(a + b)
    return out

def unbound(flag):
    if flag:
        q = 1
    return q

def glob_missing():
    return undefined_name_xyz

def match(v):
    match v:
        case [a, b]:
            return ("seq", a, b)
        case {"k": w}:
            return ("map", w)
        case C(v=vv):
            return ("cls", vv)
        case _:
            return "other"

def gen(n):
    yield from range(n)

def deletes(a):
    b = a
    del b
    global G
    G = G + 1
    return a

TMP = 0

def misc(v):
    global TMP
    TMP = v
    del TMP
    class Local:
        z = v
        def get(self):
            return self.z
    cell = v
    def reader():
        return cell
    first = reader()
    del cell
    try:
        reader()
    except NameError as e:
        msg = str(e)
    assert v >= 0, "negative"
    a, (b, *c) = v, [1, 2, 3]
    s = slice(1, None, 2)
    return Local().get(), first, msg, b, c, [0, 1, 2, 3][s], {**{"x": 1}, "y": v}, f"{v:04d}|{v!s}"

def main():
    for i in range(30):
        arith(7, 3); strings(i); containers(4); calls(max, 3, 4); loops(100); closures(2)
        exceptions(i % 2); methods(i); imports(); withs(0); match([1, 2]); match({"k": 1}); match(C(3)); match(5)
        sum(gen(5)); deletes(i); misc(i)
    print(arith(7, 3)); print(arith(2.5, 1))
    print(strings(42)); print(containers(4)); print(calls(max, 3, 4)); print(loops(100)); print(closures(2))
    print(exceptions(0), exceptions(3)); print(methods(4)); print(imports()); print(withs(0))
    print(misc(3))
    print(match([1, 2]), match({"k": 1}), match(C(3)), match(5)); print(list(gen(3))); print(deletes(1), G)
    for f, args in [(raiser, (3,)), (unbound, (0,)), (glob_missing, ()), (arith, ("a", 1)), (containers, (None,)), (misc, (-1,))]:
        try:
            f(*args)
        except Exception as e:
            import traceback
            print("".join(traceback.format_exception(e)))

main()
