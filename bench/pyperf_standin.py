"""A stand-in for `pyperf`, copied as `pyperf.py` beside each pyperformance benchmark so that the
benchmark file runs unmodified as a plain script in ONE process (pyperf's real Runner spawns
worker processes and scrubs the environment, which would hide S6_CACHE from them).

Timing mode (default): runs each benchmark function for at least S6BENCH_SECONDS (default 1.0)
and prints one line per benchmark: `BENCH <name> loops=<n> elapsed=<seconds>`; bench/run.py
compares per-loop times.

Check mode (S6BENCH_CHECK=1, used by tests/test_real_workloads.py): runs each benchmark function
exactly S6BENCH_LOOPS times (default 1) and prints `CHECK <name> loops=<n> digest=<hex>` instead:
a digest of the values the benchmark function returned (for `bench_func`; structural, so object
addresses never enter it) and one of the data in the script's globals afterwards (`state`).
`bench_time_func` functions return their own timing, which is not deterministic, so their digest
covers only the call count; those benchmarks are checked through `state`, their output,
exceptions and self-checks. Output is deterministic, so plain and native runs can
be compared byte for byte.
"""
import argparse
import hashlib
import os
import time

perf_counter = time.perf_counter


def python_implementation():
    """As pyperf's: the implementation name in lower case (the pickle benchmarks ask)."""
    import sys

    return sys.implementation.name.lower()

_SECONDS = float(os.environ.get("S6BENCH_SECONDS", "1.0"))
_MIN_LOOPS = int(os.environ.get("S6BENCH_MIN_LOOPS", "1"))
_CHECK = os.environ.get("S6BENCH_CHECK", "") not in ("", "0")
_CHECK_LOOPS = int(os.environ.get("S6BENCH_LOOPS", "1"))


def _describe(obj, out, seen, depth):
    """Append a deterministic structural description of `obj` to `out` (no ids, no addresses)."""
    if obj is None or isinstance(obj, (bool, int, float, complex, str, bytes)):
        out.append(f"{type(obj).__name__}:{obj!r}")
        return
    if id(obj) in seen:
        out.append("<cycle>")
        return
    if depth > 20:
        out.append(f"<deep {type(obj).__qualname__}>")
        return
    seen.add(id(obj))
    try:
        out.append(f"{type(obj).__qualname__}(")
        if isinstance(obj, (list, tuple)):
            for item in obj:
                _describe(item, out, seen, depth + 1)
        elif isinstance(obj, dict):
            for key, value in obj.items():
                _describe(key, out, seen, depth + 1)
                _describe(value, out, seen, depth + 1)
        elif isinstance(obj, (set, frozenset)):
            parts = []
            for item in obj:
                sub = []
                _describe(item, sub, set(seen), depth + 1)
                parts.append("".join(sub))
            out.extend(sorted(parts))
        elif hasattr(obj, "__dict__") and isinstance(vars(obj), dict):
            _describe(vars(obj), out, seen, depth + 1)
        out.append(")")
    finally:
        seen.discard(id(obj))


def digest(values):
    """Short hex digest of a structural description of `values`."""
    out = []
    _describe(values, out, set(), 0)
    return hashlib.sha256("\x00".join(out).encode("utf-8", "backslashreplace")).hexdigest()[:16]


def _main_state():
    """The data the benchmark script keeps in its globals (nbody advances its bodies there, for
    example): everything but modules, functions, classes and this runner."""
    import sys
    import types

    skip = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type, Runner,
            argparse.ArgumentParser)
    main = vars(sys.modules["__main__"])
    return {k: v for k, v in main.items() if not k.startswith("__") and not isinstance(v, skip)}


class Runner:
    def __init__(self, *args, add_cmdline_args=None, **kwargs):
        self.metadata = {}
        self.argparser = argparse.ArgumentParser()

    def parse_args(self, args=None):
        return self.argparser.parse_args(args)

    def _run(self, name, timed_loops):
        loops, elapsed = 0, 0.0
        while elapsed < _SECONDS or loops < _MIN_LOOPS:
            elapsed += timed_loops(1)
            loops += 1
        print(f"BENCH {name} loops={loops} elapsed={elapsed:.6f}", flush=True)

    def _check(self, name, call):
        results = [call() for _ in range(_CHECK_LOOPS)]
        print(f"CHECK {name} loops={_CHECK_LOOPS} digest={digest(results)} "
              f"state={digest(_main_state())}", flush=True)

    def bench_time_func(self, name, func, *args, inner_loops=None, **kwargs):
        if _CHECK:
            # The return value is a duration: keep only that it is a number.
            return self._check(name, lambda: type(func(1, *args)).__name__)
        self._run(name, lambda n: func(n, *args))

    def bench_func(self, name, func, *args, inner_loops=None, **kwargs):
        if _CHECK:
            return self._check(name, lambda: func(*args))

        def timed(n):
            t0 = perf_counter()
            for _ in range(n):
                func(*args)
            return perf_counter() - t0

        self._run(name, timed)

    def bench_async_func(self, name, func, *args, inner_loops=None, **kwargs):
        import asyncio

        if _CHECK:
            return self._check(name, lambda: asyncio.run(func(*args)))

        def timed(n):
            t0 = perf_counter()
            for _ in range(n):
                asyncio.run(func(*args))
            return perf_counter() - t0

        self._run(name, timed)
