"""Locals updated with computed floats and ints: native code may store the new value into the
local's own object when only the frame holds it. Aliases, containers, closures, `locals()`,
small ints and digit-count changes must all see exactly what the interpreter shows."""
import sys


def float_sum(xs):
    t = 0.0
    for x in xs:
        t = t + x * 1.5
    return t


def float_alias(n):
    t = 1.0
    seen = []
    for i in range(n):
        a = t                 # `a` holds the old object: it must keep its value
        t = t * 1.5 + i
        seen.append(a)
    return t, seen[:3], seen[-1]


def float_in_list(n):
    t = 0.5
    keep = []
    for i in range(n):
        t = t + 0.25
        if i % 3 == 0:
            keep.append(t)    # the list holds the object the local holds
    return keep


def int_walk(n):
    x = 1000
    out = []
    for i in range(n):
        x = x * 3 - 2000 + i  # crosses one digit, goes negative, passes near small ints
        if x > 10**12 or x < -(10**12):
            x = x // 10**9
        out.append(x)
    return out[:5], out[-5:], sum(out)


def small_int_identity(n):
    x = 300
    hits = 0
    for _ in range(n):
        x = x - 1
        if x == 256:
            hits += x is 256  # noqa: F632 (small ints are shared objects)
        if x < 250:
            x = 300
    return hits, x


def closure_sees_updates():
    t = 0.0
    def peek():
        return t
    out = []
    for i in range(5):
        t = t + 1.0
        out.append(peek())
    return out


def locals_snapshot(n):
    t = 2.0
    snaps = []
    for i in range(n):
        t = t / 2 + i
        if i == 2:
            snaps.append(dict(locals()))  # the snapshot holds the object
    return t, snaps[0]["t"]


def refcounts(n):
    t = 10.0
    for i in range(n):
        t = t + 1.0
    return sys.getrefcount(t) > 0, t


def mixed_types(n):
    v = 0.0
    for i in range(n):
        v = v + 0.5
        if i == 5:
            v = "now a str"
            break
    return v


for _ in range(3):
    print(float_sum([float(k) for k in range(200)]))
    print(float_alias(50))
    print(float_in_list(10))
    print(int_walk(200))
    print(small_int_identity(200))
    print(closure_sees_updates())
    print(locals_snapshot(5))
    print(refcounts(100))
    print(mixed_types(10))
