"""The hot loop runs in a worker thread while the main thread waits in join(); then a generator
runs on the main thread until the profiler has sampled it.

One round of the generator takes about 12 ms of CPU, and the kernel's CPU timer fires on the
scheduler tick (4 ms at HZ=250), a third of which land in `sum`'s C code rather than the
generator's frame: a single round went unsampled now and then (tests/test_profile.py's
test_worker_thread_and_generator_are_sampled failed that way). So, under the profiler, rounds
repeat until the profiler has counted a sample in the generator, for at most 10 s of CPU; a
profiler that never samples generator frames still fails the test. The output is the same
however many rounds ran.
"""
import threading
import time


def spin(n, out):
    acc = 0
    for i in range(n):
        acc += i * 2
    out.append(acc)


def gen_squares(n):
    for i in range(n):
        yield i * i


def samples(code):
    """(self, inclusive) samples the running profiler has counted for `code`, or None when
    this process is not being profiled."""
    try:
        from s6 import _s6
    except ImportError:
        return None
    return _s6._profiler_samples(code)


out = []
t = threading.Thread(target=spin, args=(4_000_000, out))
t.start()
t.join()
total = sum(gen_squares(300_000))
deadline = time.process_time() + 10
while (s := samples(gen_squares.__code__)) is not None and s[1] == 0 \
        and time.process_time() < deadline:
    assert sum(gen_squares(300_000)) == total
print(out[0], total)
