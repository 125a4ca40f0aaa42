"""Stores to a local that may or may not hold an object there: native code releases the old
value without a NULL test only where every path has bound the local (lowering's `bound`). Paths
here delete the local on some iterations or branches, bind it only in a handler or only in a
loop, or leave it unbound at a loop's first pass (`except ... as e` deletes `e` at the end of
the handler). Finalizers and `sys.getrefcount` show that every old value is released once."""
import sys

LOG = []


class Tracked:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        LOG.append(self.tag)


def deleted_on_some_paths(n):
    out = 0
    x = Tracked("x0")
    for i in range(n):
        if i % 3 == 0:
            del x
        else:
            x = Tracked(("x", i))
            out += 1
        x = Tracked(("y", i))   # bound on one path only before this store
        x = Tracked(("z", i))   # bound on every path
    return out


def bound_in_loop_only(n):
    total = 0
    for i in range(n):
        y = i * 2        # unbound at the first pass, bound at the next ones
        y = y + 1        # bound
        total += y
    return total


def handler_binds(n):
    caught = 0
    for i in range(n):
        try:
            if i % 2:
                raise ValueError(i)
            v = Tracked(("ok", i))
        except ValueError as e:
            v = Tracked(("err", i))
            caught += e.args[0]
        v = Tracked(("after", i))   # bound on both paths
    return caught


def except_as_deletes(n):
    seen = []
    for i in range(n):
        try:
            raise KeyError(i)
        except KeyError as e:
            seen.append(e.args[0])
        e = "rebound"             # `e` was deleted at the end of the handler
        e = e.upper()
    return seen[-1], e


def unbound_read(flag):
    if flag:
        z = Tracked("z")
    try:
        z = z                     # noqa: PLW0127  (UnboundLocalError when not flag)
        return "bound"
    except UnboundLocalError:
        z = "now bound"
        return z


def refcounts(n):
    obj = object()
    before = sys.getrefcount(obj)
    for _ in range(n):
        a = obj
        a = obj
        b = a
        del a
        a = b
    del a, b
    return sys.getrefcount(obj) - before


for _ in range(3):
    print(deleted_on_some_paths(12))
    print(bound_in_loop_only(50))
    print(handler_binds(10))
    print(except_as_deletes(7))
    print(unbound_read(True), unbound_read(False))
    print(refcounts(200))
print(len(LOG), LOG[:12], LOG[-6:])
