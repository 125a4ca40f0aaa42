"""A program that registers its own code-extra slot (PEP 523 tools, debuggers and test_code do):
its free function is called only for code objects that it gave a value, exactly as in CPython.
Plain CPython never calls `on_free` for code objects this program did not touch."""
import ctypes

py = ctypes.pythonapi
freefunc = ctypes.CFUNCTYPE(None, ctypes.c_voidp)
request_index = py._PyEval_RequestCodeExtraIndex
request_index.argtypes = (freefunc,)
request_index.restype = ctypes.c_ssize_t
set_extra = py._PyCode_SetExtra
set_extra.argtypes = (ctypes.py_object, ctypes.c_ssize_t, ctypes.c_voidp)
set_extra.restype = ctypes.c_int

FREED = []


def on_free(ptr):
    FREED.append(ptr)


FREE_FUNC = freefunc(on_free)
INDEX = request_index(FREE_FUNC)


def work(f, n):
    total = 0
    for i in range(n):
        total += f(i)
    return total


def main():
    total = 0
    for round_ in range(300):
        f = eval(f"lambda x: x + {round_}")     # a fresh code object each round
        total += work(f, 20)
        if round_ % 100 == 0:
            set_extra(f.__code__, INDEX, ctypes.c_voidp(round_ + 1))
        del f
    print("total", total)
    print("freed", FREED)


main()
