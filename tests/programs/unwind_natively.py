"""Exceptions that leave a compiled function with no handler of its own: native code unwinds
them itself (traceback entry, stack values released top first), so the traceback, the order in
which stack values die and what `sys._getframe`/`tb_frame` show must be the interpreter's."""
import sys
import traceback


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)


def fail(n):
    if n % 3 == 0:
        raise ValueError(f"bad {n}")
    return n


def combine(a, b, c):
    return (a, b, c)


def with_stack_values(n):
    # Noisy("a") and Noisy("b") sit on the value stack when fail() raises.
    return combine(Noisy(f"a{n}"), Noisy(f"b{n}"), fail(n))


def deep(n):
    return with_stack_values(n) if n > 0 else fail(0)


def index_protocol(seq):
    class Seq:
        def __getitem__(self, i):
            return seq[i]  # IndexError ends the iteration in the caller
    return [x * 2 for x in Seq()]


def lookup(d, k):
    return d[k]


def caught_by_caller(n):
    hits = 0
    for i in range(n):
        try:
            hits += lookup({1: 1}, i % 2)
        except KeyError as e:
            hits -= 1
            assert e.__traceback__.tb_next.tb_frame.f_code.co_name == "lookup"
    return hits


for n in range(1, 7):
    try:
        print("ok", [getattr(x, "name", x) for x in deep(n)])
    except ValueError as e:
        print("caught", e, [f.name for f in traceback.extract_tb(e.__traceback__)])
        print("lines", [f.lineno for f in traceback.extract_tb(e.__traceback__)])

print(index_protocol([1, 2, 3]))
for _ in range(300):
    r = caught_by_caller(50)
print("hits", r)

try:
    deep(0)
except ValueError as e:
    tb = e.__traceback__
    frames = []
    while tb:
        frames.append((tb.tb_frame.f_code.co_name, tb.tb_lineno, tb.tb_lasti >= 0))
        tb = tb.tb_next
    print(frames)

# Uncaught at the end: the interpreter prints the traceback through native frames.
sys.stdout.flush()
deep(3)
