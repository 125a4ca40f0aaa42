"""A stand-in for `pyperf`, copied as `pyperf.py` beside each pyperformance benchmark so that the
benchmark file runs unmodified as a plain script in ONE process (pyperf's real Runner spawns
worker processes and scrubs the environment, which would hide S6_CACHE from them).

It runs each benchmark function for at least S6BENCH_SECONDS (default 1.0) and prints one line
per benchmark: `BENCH <name> loops=<n> elapsed=<seconds>`; bench/run.py compares per-loop times.
"""
import argparse
import os
import time

perf_counter = time.perf_counter
_SECONDS = float(os.environ.get("S6BENCH_SECONDS", "1.0"))
_MIN_LOOPS = int(os.environ.get("S6BENCH_MIN_LOOPS", "1"))


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

    def bench_time_func(self, name, func, *args, inner_loops=None, **kwargs):
        self._run(name, lambda n: func(n, *args))

    def bench_func(self, name, func, *args, inner_loops=None, **kwargs):
        def timed(n):
            t0 = perf_counter()
            for _ in range(n):
                func(*args)
            return perf_counter() - t0

        self._run(name, timed)

    def bench_async_func(self, name, func, *args, inner_loops=None, **kwargs):
        import asyncio

        def timed(n):
            t0 = perf_counter()
            for _ in range(n):
                asyncio.run(func(*args))
            return perf_counter() - t0

        self._run(name, timed)
