counter = 0


def bump(k):
    global counter
    counter += k
    return counter


def use_imports(x):
    import math
    from collections import OrderedDict
    from os import path as p
    return math.sqrt(x) + len(OrderedDict(a=1)) + len(p.sep)


def make_global(name, value):
    globals()[name] = value


for i in range(800):
    bump(1)
    v = use_imports(i)
print(counter, v)
make_global("dyn", 5)
print(dyn)  # noqa: F821
try:
    from math import does_not_exist  # noqa: F401
except ImportError as e:
    print("ImportError:", e)
try:
    import no_such_module_s6  # noqa: F401
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e)


def killer():
    global counter
    del counter


killer()
try:
    bump(1)
except NameError as e:
    print("NameError:", e)
