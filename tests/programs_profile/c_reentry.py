"""Enters the interpreter from C as often as it can (generators resumed by set(), sum(),
sorted(), map and filter callbacks), so that SIGPROF often lands in ceval's prologue, where
3.11 has published the new _PyCFrame but not yet filled it. Runs for argv[1] CPU seconds."""
import sys
import time


def g(n):
    for i in range(n):
        yield (i, str(i), [i])


def key(x):
    return -x[0]


deadline = time.process_time() + float(sys.argv[1] if len(sys.argv) > 1 else 3)
rounds = 0
while time.process_time() < deadline:
    for n in (1, 2, 3, 5, 8):
        s = set(x[1] for x in g(n))
        t = sum(x[0] for x in g(n))
        u = sorted(g(n), key=key)
        v = list(map(key, g(n)))
        w = list(filter(None, (x[1] for x in g(n))))
        d = {x[0]: y for x, y in zip(g(n), g(n))}
    rounds += 1
print("rounds", rounds > 0, len(s), t, len(u), v[-1], len(w), len(d))
