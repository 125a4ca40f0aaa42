"""Global stores (STORE_GLOBAL) into the module dict: rebinding in a hot loop, the old value's
finalizer at each store, a module attribute read of the same global from another function
(which caches on the dict's PEP 509 tag), new globals added and deleted between stores, a
global that is deleted and the store that brings it back, and a function run with a copy of
its globals and with a dict subclass as globals."""
import sys
import types

COUNTER = 0
LAST = None
MOD = sys.modules[__name__]


class Noisy:
    log = []

    def __init__(self, n):
        self.n = n

    def __del__(self):
        Noisy.log.append(self.n)


def bump(n):
    global COUNTER
    for i in range(n):
        COUNTER = COUNTER + 1
    return COUNTER


def replace(n):
    global LAST
    for i in range(n):
        LAST = Noisy(i)            # the previous one dies at this store
    return len(Noisy.log)


def read_through_module(n):
    total = 0
    for i in range(n):
        total += MOD.COUNTER       # a module attribute load, cached on the dict's tag
        bump(1)
    return total


def churn_keys(n):
    global COUNTER
    for i in range(n):
        COUNTER += 1
        if i % 100 == 0:
            globals()[f"tmp_{i}"] = i
        if i % 100 == 50:
            del globals()[f"tmp_{i - 50}"]
    return COUNTER


def delete_and_store(n):
    global COUNTER
    for i in range(n):
        if i % 1000 == 999:
            del COUNTER
            try:
                COUNTER
            except NameError as e:
                print("gone:", e)
        COUNTER = i
    return COUNTER


print(bump(200000))
print(replace(100000), Noisy.log[:3], Noisy.log[-2:])
print(read_through_module(50000))
print(churn_keys(50000))
print(delete_and_store(20000))

copied = dict(globals())
in_copy = types.FunctionType(bump.__code__, copied)
print(in_copy(30000), copied["COUNTER"], COUNTER)


class Watching(dict):
    pass


sub = Watching(globals())
in_sub = types.FunctionType(bump.__code__, sub)
print(in_sub(30000), sub["COUNTER"], COUNTER)
