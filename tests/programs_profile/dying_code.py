"""Code objects and classes that die during the run, and a module unloaded before exit: under
the profiler they must die exactly when they do without it (weakref callbacks fire at the same
point), and the profile must still hold what they did, under their module's name."""
import gc
import sys
import time
import weakref

DIED = []


def spin(f, arg, seconds):
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        for i in range(500):
            total = f(total, arg, i)
    return total


def code_that_dies():
    ns = {}
    exec(compile("def transient(a, b, c):\n    return a + c\n", __file__, "exec"), ns)
    f = ns.pop("transient")
    ref = weakref.ref(f.__code__, lambda r: DIED.append("code"))
    spin(f, None, 0.3)
    del f
    return ref


def class_that_dies():
    class Box:
        def __init__(self):
            self.x = 1

    def get_x(a, box, c):
        return a + box.x

    ref = weakref.ref(Box, lambda r: DIED.append("class"))
    spin(get_x, Box(), 0.3)
    return ref


def module_that_unloads(directory):
    with open(f"{directory}/s6_dying_mod.py", "w") as f:
        f.write("def work(a, b, c):\n    return a + c * 2\n")
    sys.path.insert(0, directory)
    import s6_dying_mod
    ref = weakref.ref(s6_dying_mod.work.__code__, lambda r: DIED.append("module code"))
    spin(s6_dying_mod.work, None, 0.3)
    del sys.modules["s6_dying_mod"], s6_dying_mod
    sys.path.pop(0)
    return ref


refs = [code_that_dies(), class_that_dies(), module_that_unloads(sys.argv[1])]
gc.collect()
print("died:", sorted(DIED))
print("alive:", [r() is not None for r in refs])
