"""Globals and builtins read through versioned dict slots: every way the answer can change
between two reads of one site must be seen. Rebinding a global (same keys), deleting and
adding globals (new keys), a global shadowing a builtin and then removed, a builtin replaced
in the builtins module, the same code run with a copy of its globals (a dict whose keys are a
copy, version included) and with a dict subclass whose `__missing__` supplies names."""
import builtins
import types

STEP = 1
LIMIT = 50


def read_globals(n):
    total = 0
    for i in range(n):
        total += STEP + len((i,)) + LIMIT
    return total


def phases():
    global STEP, LIMIT, len
    out = [read_globals(30000)]
    STEP = 2                                   # same keys, new value
    out.append(read_globals(30000))
    del LIMIT                                  # keys change...
    LIMIT = 7                                  # ...and the name comes back in another entry
    out.append(read_globals(30000))
    for k in range(40):                        # many new keys: the dict is resized
        globals()[f"extra_{k}"] = k
    out.append(read_globals(30000))
    len = lambda t: 100                        # a global shadows the builtin
    out.append(read_globals(30000))
    del len                                    # the builtin is visible again
    out.append(read_globals(30000))
    real_len = builtins.len
    builtins.len = lambda t: 1000              # the builtin itself replaced
    try:
        out.append(read_globals(30000))
    finally:
        builtins.len = real_len
    out.append(read_globals(30000))
    return out


print(phases())

# The same code with a copy of the module's globals: the copy's keys carry the same version
# and layout, and its values are its own.
copied = dict(globals())
copied["STEP"] = 10
in_copy = types.FunctionType(read_globals.__code__, copied)
print(in_copy(30000), read_globals(30000))
copied["LIMIT"] = -5
print(in_copy(30000), read_globals(30000))


class Fallback(dict):
    def __missing__(self, key):
        if key == "len":
            return lambda t: 3
        if key in ("STEP", "LIMIT"):
            return {"STEP": 1000, "LIMIT": 2000}[key]
        raise KeyError(key)                    # then 3.11 looks in the builtins


sub = Fallback(globals())
sub.pop("STEP")
sub.pop("LIMIT")
sub["__builtins__"] = builtins.__dict__
in_sub = types.FunctionType(read_globals.__code__, sub)
try:
    print(in_sub(30000))
except Exception as e:                         # 3.11 looks names up in a dict subclass with
    print(type(e).__name__, e)                 # PyObject_GetItem: whatever it does, the same
print(read_globals(30000))
