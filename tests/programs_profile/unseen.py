"""What a profiler snapshot does must stay out of the program's sight (see
runtime-ext/src/profiler/unseen.rs). CPython's test_descr.test_slots failed about once in 30
profiled regrtest runs: `len(gc.get_objects())` grew by two across a loop that allocates
nothing, because a snapshot landed in it and made weak references to code objects it had not
seen before: reading `function.__code__` raises an audit event, and regrtest's audit hook, Python
code, ran on the profiler's thread and let the GIL go in the middle of a snapshot, whose
temporary objects the test then counted. Here, many times over, while snapshots come and go:

* a loop that allocates nothing runs inside a function whose code object no snapshot has seen
  (compiled, never `exec`uted, so only a snapshot's stack walk can find it): no object may
  appear in `gc.get_objects()` meanwhile;
* the program's own weak reference to that code object afterwards is its own, as plain;
* the program has an audit hook, classes with a metaclass that has a `__getattribute__` whose
  attributes get specialized, and its own `builtins.__import__`: none of them may run on
  another thread (snapshots once did all three; whenever bytecode ran on the profiler's thread
  it could hand the GIL back to the program in the middle of a snapshot);
* cyclic garbage with a `__del__` is pending while the snapshot allocates (collection threshold
  1): it may never be collected, finalizer and all, on another thread.

Prints one fixed report, compared byte for byte with the plain run's."""
import builtins
import gc
import sys
import threading
import time
import types
import weakref

MAIN = threading.get_ident()
foreign = set()  # program code seen running on a thread other than the main one


class Meta(type):
    def __getattribute__(cls, name):
        if threading.get_ident() != MAIN:
            foreign.add(f"metaclass __getattribute__({name!r})")
        return super().__getattribute__(name)


def audit(event, args):
    if threading.get_ident() != MAIN:
        foreign.add(f"audit hook: {event}")


sys.addaudithook(audit)

real_import = builtins.__import__


def watched_import(name, *args, **kwargs):
    if threading.get_ident() != MAIN:
        foreign.add(f"__import__({name!r})")
    return real_import(name, *args, **kwargs)


builtins.__import__ = watched_import


class Watched(metaclass=Meta):
    def __init__(self, x):
        self.x = x

    def get(self):
        return self.x


class Pending:
    """Cyclic garbage: only the collector frees it."""

    def __init__(self):
        self.me = self

    def __del__(self):
        if threading.get_ident() != MAIN:
            foreign.add("__del__ of cyclic garbage")


SPIN = """
def spin(seconds, clock, begin, end):
    token = begin()
    until = clock() + seconds
    while clock() < until:
        pass
    return end(token)
"""


def fresh_spin():
    # A new code object each time, compiled but never executed as a module: no `exec` audit
    # event registers it, only a snapshot's walk of the stack finds it (and then, before the
    # fix, made a GC-tracked weak reference to it, and collected garbage while doing so).
    module = compile(SPIN, __file__, "exec")
    code = next(c for c in module.co_consts if isinstance(c, types.CodeType))
    return types.FunctionType(code, {})


def count_objects():
    return len(gc.get_objects())


def objects_grew(before):
    return count_objects() - before


def pending_garbage():
    """Leaves one cycle with a finalizer for the collector, which runs at the next allocation
    of a GC-tracked object by anyone: threshold 1, and the one allocation here was the first."""
    gc.collect()
    gc.set_threshold(1)
    Pending()


def collect_now(_):
    gc.set_threshold(700, 10, 10)
    gc.collect()


appeared = 0
refcounts = set()
total = 0
rounds = 0
deadline = time.process_time() + 2.0
while time.process_time() < deadline or rounds < 20:
    rounds += 1
    w = Watched(rounds)
    for _ in range(50):
        total += w.get() + w.x
    gc.collect()
    spin = fresh_spin()
    if spin(0.03, time.perf_counter, count_objects, objects_grew):
        appeared += 1
    r = weakref.ref(spin.__code__)
    refcounts.add((sys.getrefcount(r), gc.is_tracked(r)))
    del r
    fresh_spin()(0.03, time.perf_counter, pending_garbage, collect_now)

print("rounds >= 20:", rounds >= 20)
print("rounds in which gc-tracked objects appeared in an allocation-free loop:", appeared)
print("the program's weak reference to a code object (refcount, tracked):", sorted(refcounts))
print("program code run on another thread:", sorted(foreign))
print("total", total > 0)
