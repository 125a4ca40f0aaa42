"""Frames of direct calls are cleared in the interpreter's order when they are popped: locals
first to last, then the function, then the code. Objects that die there (arguments passed as
temporaries, locals, a function dropped while it runs, a code object replaced while it runs)
run their finalizers in that order, also when one dies before others still to be released."""
import sys


class Noisy:
    log = []

    def __init__(self, name):
        self.name = name

    def __del__(self):
        Noisy.log.append(self.name)


def three(a, b, c):
    x = a.name + b.name
    return len(x) + len(c.name)


def keeps_first(a, b, c):
    # `a` survives (the caller holds it), `b` and `c` die at the pop.
    return len(b.name) + len(c.name)


def with_locals(n):
    first = Noisy(f"first{n}")
    unbound_later = None
    if n < 0:
        never = 1  # noqa: F841 (stays unbound: a NULL slot between live ones)
    last = Noisy(f"last{n}")
    del unbound_later
    return len(first.name) + len(last.name)


def make_temporary_function(i):
    def inner(a, b):
        return a.name + b.name
    return inner


def run(n):
    total = 0
    held = Noisy("held")
    for i in range(n):
        total += three(Noisy(f"a{i}"), Noisy(f"b{i}"), Noisy(f"c{i}"))
        total += keeps_first(held, Noisy(f"y{i}"), Noisy(f"z{i}"))
        total += with_locals(i)
        # The function object's last reference is the frame's f_func: it dies at the pop.
        total += len(make_temporary_function(i)(Noisy(f"p{i}"), Noisy(f"q{i}")))
    return total


def replaced_code(n):
    return n + 1


def swap_code_while_running(n):
    # The frame keeps the old code object alive until it is popped.
    replaced_code.__code__ = (lambda n: n + 2).__code__
    return n


def code_swaps(n):
    out = []
    for i in range(n):
        replaced_code.__code__ = (lambda n: n + 1).__code__
        out.append(replaced_code(i))
        out.append(swap_code_while_running(i))
        out.append(replaced_code(i))
    return sum(out)


for rounds in (2000, 20000):
    Noisy.log.clear()
    print(run(rounds))
    print(len(Noisy.log), Noisy.log[:24], Noisy.log[-12:])
    print(code_swaps(rounds))
