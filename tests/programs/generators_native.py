"""Generators whose bodies run natively: resumed at each yield with values on the stack, sent
into, thrown into, closed early, delegated to with `yield from`, inspected through `gi_frame`,
collected while suspended, resumed after the interpreter ran part of them (a deopt, a handler,
a throw), and failing with tracebacks."""

import gc
import inspect
import sys
import traceback

try:
    import _testcapi
except ImportError:
    _testcapi = None


def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return "counted"


def stacked(xs):
    # Values on the stack at the yield: the for-iterator, a list being built, call operands.
    for x in xs:
        parts = [x, (yield x * 2), x + 1]
        yield len(parts), max(x, (yield "mid"))


def in_with(log):
    class Ctx:
        def __enter__(self):
            log.append("enter")
            return self

        def __exit__(self, *exc):
            log.append(("exit", exc[0].__name__ if exc[0] else None))
            return False

    with Ctx():
        yield 1
        yield 2
    yield "after"


def with_finally(log):
    try:
        yield "a"
        yield "b"
    finally:
        log.append("finally ran")


def catches_thrown():
    n = 0
    while True:
        try:
            v = yield n
            n += v if v is not None else 1
        except ValueError as e:
            n = -100
            yield ("caught", str(e))  # a yield in handler code: resumed by the interpreter


def handler_unbinds():
    e = 1
    try:
        raise KeyError("k")
    except KeyError as e:
        pass
    yield "before"
    try:
        yield e
    except UnboundLocalError as u:
        yield ("unbound", str(u))


def typed(values):
    # Guards specialised on ints; a float later fails them mid-generator.
    total = 0
    for v in values:
        total = total + v * 2
        yield total


def deleg(n):
    r = yield from count(n)
    got = yield from [r, "list"]
    yield got


def tree(depth):
    if depth == 0:
        yield depth
        return
    yield from tree(depth - 1)
    yield depth
    yield from tree(depth - 1)


def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            return received
        received.append(x)


def raises_stop():
    yield 1
    raise StopIteration("inside")


def fails_later(n):
    for i in range(n):
        yield 10 // (n - 1 - i)


def inspector():
    f = sys._getframe()
    yield f.f_code.co_name, f.f_back.f_code.co_name
    yield f.f_lineno


def genexprs(n):
    squares = sum(x * x for x in range(n) if x % 3)
    nested = list((a, b) for a in range(3) for b in (a * y for y in range(2)))
    k = 5
    closure = max(x + k for x in range(n))
    return squares, nested, closure


def sig_outer():
    return (yield from sig_inner())


def sig_inner():
    try:
        yield
    except KeyboardInterrupt:
        return "interrupted at the yield"
    return "not interrupted"


def main():
    out = []
    for _ in range(400):
        out.append(sum(count(30)))
        g = stacked([1, 2])
        seq = [next(g), g.send(10), g.send(3), next(g), g.send(7), g.send(0)]
        out.append(seq[-1])
        out.append(list(deleg(4)))
        out.append(sum(tree(4)))
        out.append(genexprs(20))
        out.append(list(typed([1, 2, 3])))
    print(out[:8], len(out))

    # Type feedback fails mid-generator (ints were profiled).
    print(list(typed([1, 2, 2.5, 3, 4])))
    g = typed([1, 2, 3])
    print(next(g), g.send(None))
    try:
        list(typed([1, None]))
    except TypeError:
        traceback.print_exc(file=sys.stdout)

    log = []
    g = in_with(log)
    print(next(g), next(g), next(g), log)
    g = in_with(log)
    next(g)
    g.close()
    print(log)
    g = in_with(log)
    next(g)
    try:
        g.throw(RuntimeError("into with"))
    except RuntimeError as e:
        print("propagated", e, log[-1])

    log = []
    g = with_finally(log)
    print(next(g), log)
    del g
    gc.collect()
    print(log)

    g = catches_thrown()
    print(next(g), g.send(5), g.send(2))
    print(g.throw(ValueError("bad")))
    print(next(g), g.send(4), g.send(1))
    g.close()
    print(inspect.getgeneratorstate(g))

    g = handler_unbinds()
    print(next(g), next(g))

    e = echo()
    next(e)
    print([e.send(c) for c in "xyz"])
    try:
        e.send(None)
    except StopIteration as s:
        print("returned", s.value)

    g = raises_stop()
    print(next(g))
    try:
        next(g)
    except RuntimeError as r:
        print("RuntimeError", r, repr(r.__cause__))

    try:
        print(list(fails_later(4)))
    except ZeroDivisionError:
        traceback.print_exc(file=sys.stdout)

    g = count(5)
    print(inspect.getgeneratorstate(g), g.gi_frame.f_lasti, g.gi_running)
    print(next(g), next(g), inspect.getgeneratorstate(g))
    fr = g.gi_frame
    print(fr.f_lineno, fr.f_locals, g.gi_suspended, g.gi_yieldfrom)
    d = deleg(3)
    next(d)
    print(type(d.gi_yieldfrom).__name__, d.gi_frame.f_lineno, d.gi_yieldfrom.gi_frame.f_locals)
    print(list(d))
    print(list(inspector()))

    # Suspended generators in a reference cycle, with values on their stacks.
    holders = []
    for i in range(50):
        h = [i]
        g = stacked([h, h])
        next(g)
        h.append(g)
        holders.append(g)
    del holders, h, g
    print("collected", gc.collect() > 0)

    # Not started, then thrown into; sent a non-None value first.
    g = count(3)
    try:
        g.send(1)
    except TypeError as t:
        print("TypeError", t)
    try:
        g.throw(KeyError("early"))
    except KeyError as k:
        print("KeyError", k, inspect.getgeneratorstate(g))

    # Tracing turned on while a generator is suspended.
    g = count(6)
    next(g)
    events = []

    def tracer(frame, event, arg):
        if frame.f_code.co_name == "count":
            events.append((event, frame.f_lineno))
        return tracer

    sys.settrace(tracer)
    try:
        print(next(g), next(g))
    finally:
        sys.settrace(None)
    print(events)
    print(list(g))

    # A signal that arrives while a generator is suspended is raised inside it when resumed.
    if _testcapi is not None:
        for _ in range(3):
            g = sig_outer()
            g.send(None)
            try:
                _testcapi.raise_SIGINT_then_send_None(g)
            except BaseException as exc:
                print(type(exc).__name__, getattr(exc, "value", None))


main()
