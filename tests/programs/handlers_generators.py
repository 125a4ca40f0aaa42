"""Handlers inside generators and coroutines run natively too: yields inside `except` and
`finally` blocks (resumed natively with the handled exception on the frame's stack),
sys.exc_info() across a yield in a handler, throw() and close() into a try (run by the
interpreter from the frame native code left), and exceptions caught around `await`."""
import asyncio
import sys


def gen(n):
    for i in range(n):
        try:
            if i % 3 == 0:
                raise ValueError(i)
            yield i
        except ValueError as e:
            yield ("caught", e.args[0], repr(sys.exc_info()[1]))
            try:
                yield ("in handler", repr(sys.exc_info()[1]))
            finally:
                yield "finally in handler"
        finally:
            yield ("finally", i)


def closer(log):
    try:
        yield 1
        yield 2
    finally:
        log.append("closed")


def thrower():
    got = []
    while True:
        try:
            x = yield got
            got.append(x)
        except KeyError as e:
            got.append(("thrown", e.args))
        except GeneratorExit:
            got.append("exit")
            raise


def outer_exc_info():
    try:
        raise IndexError("outer")
    except IndexError:
        g = gen(2)
        first = next(g)
        return first, repr(sys.exc_info()[1]), list(g)


async def sub(i):
    await asyncio.sleep(0)
    if i % 2:
        raise LookupError(i)
    return i


async def co(n):
    out = []
    for i in range(n):
        try:
            out.append(await sub(i))
        except LookupError as e:
            out.append(-e.args[0])
        finally:
            out.append("f")
    return out


async def cancelled():
    task = asyncio.ensure_future(asyncio.sleep(10))
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        return "cancelled"


def main(show):
    a = list(gen(7))
    log = []
    c = closer(log)
    next(c)
    c.close()
    t = thrower()
    next(t)
    t.send(1)
    b = t.throw(KeyError("k"))
    t.close()
    o = outer_exc_info()
    d = asyncio.run(co(4))
    e = asyncio.run(cancelled())
    if show:
        print(a)
        print(log, b, o)
        print(d, e)


for r in range(150):
    main(r == 149)
