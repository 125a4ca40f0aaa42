"""Making generators and coroutines (what runs before their first resumption): cells made from
arguments and locals, free variables copied from closures, keyword and default arguments,
generator expressions over closures, the new generator inspected before it starts (frame,
locals, line, names, size, weak references, referents), creation at the recursion limit,
coroutines made with origin tracking on and off, a coroutine never awaited, and a generator
function whose code is replaced mid-run."""

import asyncio
import gc
import sys
import warnings
import weakref


def plain(a, b=2, *, c=None):
    yield a + b
    yield c


def cell_arg(a, b=10):
    # `a` is an argument and a cell (MAKE_CELL of a bound local).
    get = lambda: a  # noqa: E731
    yield get()
    a += b
    yield get()


def cell_local(n):
    # `total` is a cell that starts unbound.
    def add(x):
        nonlocal total
        total += x
        return total

    total = 0
    for i in range(n):
        yield add(i)


def outer(k):
    scale = k * 2

    def inner(xs, offset=1):
        # free variables copied from the closure (COPY_FREE_VARS), and a cell of its own.
        base = offset

        def peek():
            return base + scale

        for x in xs:
            yield x * scale + peek()

    return inner


def genexprs(rows):
    limit = len(rows)
    out = []
    for row in rows:
        out.append(sum(v for v in row if v < limit))
        out.append(tuple(v * limit for v in row))
        out.append(max((v - limit for v in row), default=None))
    return out


def describe(g):
    f = g.gi_frame
    return (
        g.__name__,
        g.__qualname__,
        g.gi_running,
        g.gi_code.co_name,
        f.f_lasti,
        f.f_lineno,
        f.f_back,
        sorted(
            (k, v if not callable(v) else "fn")
            for k, v in f.f_locals.items()
            if not k.startswith(".")
        ),
        sys.getsizeof(g),
        len(gc.get_referents(g)),
        gc.is_tracked(g),
        type(g).__name__,
    )


def at_depth(n):
    if n == 0:
        return plain(1)
    return at_depth(n - 1)


async def coro(x, y=3):
    await asyncio.sleep(0)
    return x * y


async def gather(n):
    return sum(await asyncio.gather(*(coro(i) for i in range(n))))


def swap_target():
    yield "old"


def replacement():
    yield "new"


def use_swap(rounds):
    got = []
    for r in range(rounds):
        if r == rounds // 2:
            swap_target.__code__ = replacement.__code__
        got.append(next(swap_target()))
    return got[:: rounds // 4]


def main():
    total = 0
    firsts = []
    for i in range(3000):
        total += sum(plain(i, b=i % 3, c=0))
        total += sum(cell_arg(i))
        total += sum(cell_local(i % 5))
        total += sum(outer(i % 7)(range(3), offset=i % 2))
        if i % 500 == 0:
            firsts.append(describe(plain(i)))
            firsts.append(describe(cell_arg(i)))
            firsts.append(describe(cell_local(2)))
            firsts.append(describe(outer(i)(range(2))))
            firsts.append(describe(v for v in range(i)))
    print(total)
    for d in firsts:
        print(d)
    print(genexprs([[1, 2, 3], [4, 5, 6, 7], [0]]) * 2)

    # A generator can be weakly referenced and collected.
    g = cell_local(3)
    r = weakref.ref(g)
    del g
    print("collected", r() is None)

    # Wrong arguments raise where the interpreter raises them.
    for bad in (lambda: plain(), lambda: plain(1, 2, 3), lambda: plain(1, d=4)):
        try:
            bad()
        except TypeError as e:
            print("TypeError", e)

    # At the recursion limit making a generator raises RecursionError, as in the interpreter.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    depth = 0
    try:
        while True:
            depth += 10
            at_depth(depth)
    except RecursionError as e:
        print("RecursionError", e, depth > 100)
    finally:
        sys.setrecursionlimit(limit)

    # Coroutines: awaited, gathered, tracked for their origin, never awaited.
    print(asyncio.run(gather(50)))
    sys.set_coroutine_origin_tracking_depth(2)
    c = coro(2)
    print("origin", [(fn.rsplit("/", 1)[-1], line, name) for fn, line, name in c.cr_origin])
    c.close()
    sys.set_coroutine_origin_tracking_depth(0)
    c = coro(3)
    print("origin off", c.cr_origin)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del c
        gc.collect()
    print("never awaited", [str(w.message) for w in caught])
    for _ in range(2000):
        asyncio.run(coro(1)) if _ % 500 == 0 else coro(1).close()

    print(use_swap(4000))


main()
