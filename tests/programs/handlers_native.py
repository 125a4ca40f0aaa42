"""Exceptions caught by the function that raised them, whose handlers run natively: what the
handler sees (the exception, sys.exc_info, __context__, the traceback and its line numbers,
frame line numbers after a re-raise), what unwinding releases and in which order, and every
handler shape of 3.11 (except/as, finally, with, nested, re-raise, return/break/continue out of
handlers, errors inside handlers)."""
import sys
import traceback


class Loud:
    """Says when it is released: unwinding to a handler releases the stack above it."""
    def __init__(self, name, log):
        self.name, self.log = name, log

    def __del__(self):
        frame = sys._getframe(1)
        self.log.append(f"del {self.name} in {frame.f_code.co_name}:{frame.f_lineno}")

    def __iter__(self):
        return iter([1, 2, 3])


def parse_all(items):
    out = []
    for s in items:
        try:
            out.append(int(s))
        except ValueError as e:
            out.append(("bad", str(e)))
        except TypeError:
            out.append("type")
    return out


def after_as():
    try:
        raise KeyError("k")
    except KeyError as e:
        kept = e
    try:
        return e
    except UnboundLocalError as u:
        return "unbound: " + str(u), repr(kept)


def exc_info_nesting():
    seen = []
    try:
        raise ValueError("outer")
    except ValueError:
        seen.append(repr(sys.exc_info()[1]))
        try:
            raise KeyError("inner")
        except KeyError:
            seen.append(repr(sys.exc_info()[1]))
        seen.append(repr(sys.exc_info()[1]))
    seen.append(repr(sys.exc_info()[1]))
    return seen


def chained(n):
    try:
        try:
            1 / n
        except ZeroDivisionError:
            {}["missing"]
    except KeyError as e:
        return repr(e), repr(e.__context__), e.__suppress_context__


def finally_paths(n):
    log = []
    for i in range(n):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            if i == 2:
                raise RuntimeError(i)
            log.append(("body", i))
        except RuntimeError as e:
            log.append(("caught", e.args))
        finally:
            log.append(("finally", i))
    return log


def finally_overrides():
    try:
        raise ValueError("lost")
    finally:
        return "finally wins"


def returns_from_handler(d, k):
    try:
        return d[k]
    except KeyError:
        return None
    finally:
        d.setdefault("calls", 0)
        d["calls"] += 1


class Ctx:
    def __init__(self, log, swallow):
        self.log, self.swallow = log, swallow

    def __enter__(self):
        self.log.append("enter")
        return self

    def __exit__(self, t, v, tb):
        self.log.append(("exit", t and t.__name__, str(v) if v else None, tb is not None))
        if self.swallow == "raise" and t is not None:
            raise OSError("from exit")
        return self.swallow is True


def with_shapes():
    log = []
    for swallow in (True, False, "raise"):
        try:
            with Ctx(log, swallow):
                raise LookupError(swallow)
        except Exception as e:
            log.append(("outside", type(e).__name__, str(e), type(e.__context__).__name__))
    return log


def unwinds_iterators(log):
    try:
        for x in Loud("iter", log):
            for y in Loud("inner", log):
                if y == 2:
                    raise StopIteration("stop")
    except StopIteration as e:
        log.append(("caught", str(e)))
    return log


def deep(n):
    if n == 0:
        raise IndexError("deep")
    return deep(n - 1)


def traceback_from_deep():
    try:
        deep(3)
    except IndexError:
        return traceback.format_exc()


def reraised_line():
    try:
        try:
            x = 1
            raise ValueError("first line")
        finally:
            x = 2
    except ValueError as e:
        tb = e.__traceback__
        lines = []
        while tb is not None:
            lines.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
            tb = tb.tb_next
        return lines, x


def mismatch_propagates(n):
    try:
        [][n]
    except KeyError:
        return "wrong"


def propagated():
    try:
        mismatch_propagates(5)
    except IndexError as e:
        tb = e.__traceback__
        out = []
        while tb is not None:
            out.append((tb.tb_frame.f_code.co_name, tb.tb_lineno, tb.tb_frame.f_lineno))
            tb = tb.tb_next
        return out


def bare_raise(n):
    try:
        try:
            raise ValueError(n)
        except ValueError:
            if n % 2:
                raise
            return "kept"
    except ValueError as e:
        return "re-raised " + str(e)


def reraise_helper():
    raise  # the caller's handled exception, without a traceback entry for this frame


def uses_helper():
    try:
        raise KeyError("h")
    except KeyError:
        try:
            reraise_helper()
        except KeyError as e:
            tb = e.__traceback__
            names = []
            while tb is not None:
                names.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
                tb = tb.tb_next
            return names


def nothing_to_reraise():
    try:
        raise
    except RuntimeError as e:
        return str(e), e.__traceback__.tb_lineno, e.__traceback__.tb_next


def bad_except_clause():
    try:
        try:
            raise ValueError("v")
        except 42:
            return "no"
    except TypeError as e:
        return str(e), type(e.__context__).__name__


def error_in_handler_code(n):
    try:
        try:
            raise ValueError(n)
        except ValueError:
            return n / 0
    except ZeroDivisionError as e:
        return repr(e), repr(e.__context__)


def counting_loop(n):
    total = 0
    misses = 0
    table = {i: i * i for i in range(0, n, 3)}
    for i in range(n):
        try:
            total += table[i]
        except KeyError:
            misses += 1
            continue
        total += 1
    return total, misses


def generator_with_handler(n):
    for i in range(n):
        try:
            if i % 2:
                raise ValueError(i)
            yield i
        except ValueError as e:
            yield -int(str(e))


def main():
    print(parse_all(["1", "x", None, "42", "", "7"]))
    print(after_as())
    print(exc_info_nesting(), sys.exc_info())
    print(chained(0))
    print(finally_paths(5))
    print(finally_overrides())
    d = {"a": 1}
    print(returns_from_handler(d, "a"), returns_from_handler(d, "b"), d)
    print(with_shapes())
    log = []
    unwinds_iterators(log)
    print(log)
    print(traceback_from_deep())
    print(reraised_line())
    print(propagated())
    print([bare_raise(n) for n in range(4)])
    print(uses_helper(), nothing_to_reraise())
    print(bad_except_clause())
    print(error_in_handler_code(3))
    print(counting_loop(30))
    print(list(generator_with_handler(6)))
    try:
        mismatch_propagates(1)
    except IndexError:
        traceback.print_exc(file=sys.stdout)


for _ in range(60):
    main() if _ == 59 else None
    parse_all(["1", "x", None])
    counting_loop(20)
    with_shapes()
    chained(0)
    finally_paths(5)
    propagated()
    bare_raise(_)
    uses_helper()
    nothing_to_reraise()
