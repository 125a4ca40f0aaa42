"""The runtime's native calling protocol, exercised with hand-written native bodies that follow
the ABI (runtime-ext/src/evaluator/testfns.rs): every program must print exactly what the plain
interpreter prints, and the statistics must show that native code ran and left where expected."""
import pytest

from test_runtime_support import assert_same, run_both, write_program

ARITH = r'''
def add(a, b):
    return a + b

def safe_add(a, b):
    try:
        return a + b
    except TypeError as e:
        return "caught " + type(e).__name__

def scaled(a, b):
    return (a + 1) * b

def total(n):
    t = 0
    for i in range(n):
        t += i
    return t

def caller(cb, x):
    return cb(x)

native(add, "add"); native(safe_add, "add"); native(scaled, "deopt")
native(total, "loop"); native(caller, "call")
'''


def test_results_and_handled_errors(tmp_path):
    prog = write_program(tmp_path, ARITH + r'''
print(add(1, 2), add("a", "b"), add(2**62, 2**62), add(1.5, 2))
print(safe_add(1, 2), safe_add(1, "x"), safe_add([1], [2]))
print(scaled(2, 3), scaled(2.5, 2), scaled(10**20, 2), scaled("a", 2) if False else "-")
print(total(0), total(10), total(100000))
print(caller(len, "abc"), caller(lambda x: x * 2, 21))
for bad in [(1, None), ("a", 1)]:
    try:
        add(*bad)
    except TypeError as e:
        print("TypeError", e)
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    assert plain[0] == 0
    assert stats["native_entries"] >= 14
    # add(1, None) and add("a", 1) raise where add has no handler: unwound natively;
    # safe_add(1, "x") raises inside its own try: the interpreter runs the handler.
    assert stats["errors_to_interpreter"] == 1
    f = stats["functions"]
    assert f["__main__.safe_add"]["errors_to_interpreter"] == 1
    assert f["__main__.add"]["exceptions_unwound"] == 2
    assert f["__main__.add"]["errors_to_interpreter"] == 0
    # scaled: int -> mid-function deopt with [a + 1] on the stack; float -> guard deopt at 0.
    exits = {(e["index"], e["kind"]): e["count"] for e in f["__main__.scaled"]["exits"]}
    assert exits[(0, "deopt")] == 1
    assert sum(c for (i, k), c in exits.items() if k == "deopt" and i > 0) == 2


def test_uncaught_error_traceback_identical(tmp_path):
    prog = write_program(tmp_path, ARITH + r'''
def outer(x):
    return caller(lambda y: add(y, "s"), x)
outer(1)
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    assert plain[0] == 1 and "TypeError" in plain[2] and "in caller" in plain[2]
    # No handler in caller: the exception is unwound natively, traceback entry included.
    assert stats["functions"]["__main__.caller"]["exceptions_unwound"] == 1
    assert stats["functions"]["__main__.caller"]["errors_to_interpreter"] == 0


def test_error_in_try_in_loop_runs_handler(tmp_path):
    prog = write_program(tmp_path, ARITH + r'''
out = []
for v in [1, "x", 2.5, None, [3]]:
    out.append(safe_add(v, v))
print(out)
def deep(n):
    try:
        return caller(lambda x: 1 / x, n)
    except ZeroDivisionError:
        import traceback
        return [(f.name, f.lineno) for f in traceback.extract_tb(__import__("sys").exc_info()[2])]
    finally:
        print("finally", n)
print(deep(0), deep(4))
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    # caller has no handler (unwound natively); deep's handler runs in the interpreter.
    assert stats["functions"]["__main__.caller"]["exceptions_unwound"] == 1


def test_recursion_error_identical(tmp_path):
    prog = write_program(tmp_path, ARITH + r'''
import sys, traceback
def down(x):
    return caller(down, x + 1)
try:
    down(0)
except RecursionError:
    tb = traceback.format_exc()
    print(len(tb.splitlines()), tb.splitlines()[-1])
    print(tb[-2000:])
# The recursion count is balanced afterwards: the same depth is reachable again.
def depth(n):
    try:
        return caller(depth, n + 1)
    except RecursionError:
        return n
print(depth(0), depth(0))
sys.setrecursionlimit(200)
print(depth(0))
down(0)
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    assert plain[0] == 1 and "RecursionError" in plain[2]
    assert stats["functions"]["__main__.caller"]["native_entries"] > 1000


def test_frames_visible_in_callees(tmp_path):
    prog = write_program(tmp_path, ARITH + r'''
import sys, traceback, inspect
def look(x):
    f = sys._getframe(1)
    stack = [(s.name, s.lineno) for s in traceback.extract_stack()][-4:]
    return (f.f_code.co_name, f.f_lineno, f.f_back.f_code.co_name, sorted(f.f_locals), stack,
            inspect.stack()[1].function)
def main():
    print(caller(look, 5))
    kept = caller(lambda x: sys._getframe(1), 7)
    # The frame object escaped a natively run frame: it must stay correct after the return.
    print(kept.f_code.co_name, kept.f_lineno, kept.f_back.f_code.co_name, sorted(kept.f_locals), kept.f_locals["x"])
main()
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    assert stats["functions"]["__main__.caller"]["native_entries"] == 2


@pytest.mark.parametrize("every", ["1", "2", "7"])
def test_deopt_stress_same_output(tmp_path, every):
    prog = write_program(tmp_path, ARITH + r'''
print([total(n) for n in range(0, 60, 7)])
print([scaled(i, 3) for i in range(12)])
print(sum(add(i, i) for i in range(50)))
''')
    plain, native, stats = run_both(prog, S6_DEOPT_STRESS=every)
    assert_same(plain, native)
    f = stats["functions"]
    # Every stress point in the loop becomes a back-edge deopt with the iterator on the stack.
    loop_exits = {e["reason"]: e["count"] for e in f["__main__.total"]["exits"]}
    assert loop_exits.get("eval breaker", 0) > 0
    assert f["__main__.scaled"]["deopts"] >= 12
    # Every (N+1)th entry of each function deopts at entry, so even straight-line code deopts.
    entry = {e["reason"]: e["count"] for e in f["__main__.add"]["exits"]}
    assert entry["stress: entry"] == 50 // (int(every) + 1)
    assert f["__main__.add"]["native_entries"] == 50 - 50 // (int(every) + 1)
    if every == "1":
        # every guard fails: scaled never gets past its entry guard
        assert sum(e["count"] for e in f["__main__.scaled"]["exits"] if e["index"] == 0) == 12


def test_threads(tmp_path):
    prog = write_program(tmp_path, ARITH + r'''
import sys, threading
sys.setswitchinterval(1e-6)
results = {}
def work(k):
    results[k] = (total(200000 + k), sum(add(i, k) for i in range(2000)), caller(str, k))
ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(results.items()))
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    # GIL drop requests set the eval breaker: the native loop hands over at its back-edge.
    assert stats["functions"]["__main__.total"]["native_entries"] == 4
    assert stats["functions"]["__main__.total"]["deopts"] >= 1


def test_signal_interrupts_native_loop(tmp_path):
    prog = write_program(tmp_path, ARITH + r'''
import os, signal, threading, traceback
threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
try:
    total(10**12)
except KeyboardInterrupt:
    print([(f.name, f.line) for f in traceback.extract_tb(__import__("sys").exc_info()[2])])
print("after")
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    assert "total" in plain[1]
    assert stats["functions"]["__main__.total"]["deopts"] == 1


def test_tracing_runs_interpreter(tmp_path):
    prog = write_program(tmp_path, ARITH + r'''
import sys
events = []
def tracer(frame, event, arg):
    if frame.f_code.co_name in ("add", "total"):
        events.append((frame.f_code.co_name, event, frame.f_lineno))
    return tracer
print(add(1, 2))
sys.settrace(tracer)
print(add(3, 4), total(3))
sys.settrace(None)
print(events)
print(add(5, 6))
calls = []
sys.setprofile(lambda frame, event, arg: calls.append((frame.f_code.co_name, event)))
add(7, 8)
sys.setprofile(None)
print([c for c in calls if c[0] == "add"])
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    assert stats["functions"]["__main__.add"]["native_entries"] == 2   # not while tracing/profiling
    assert stats["functions"]["__main__.total"]["native_entries"] == 0


def test_disable_removes_hook(tmp_path):
    prog = write_program(tmp_path, ARITH + r'''
print(add(1, 2))
if _ATTACH:
    import s6
    assert _s6._hook_installed()
    s6.disable()
    assert not _s6._hook_installed()
print(add(3, 4), total(10))
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    assert stats["functions"]["__main__.add"]["native_entries"] == 1


COUNT_HOOK_C = r'''
#define PY_SSIZE_T_CLEAN
#include <Python.h>
static long n;
static PyObject *hook(PyThreadState *ts, struct _PyInterpreterFrame *f, int throwflag) {
    n++;
    return _PyEval_EvalFrameDefault(ts, f, throwflag);
}
static PyObject *install(PyObject *m, PyObject *a) {
    _PyInterpreterState_SetEvalFrameFunc(PyThreadState_Get()->interp, hook); Py_RETURN_NONE; }
static PyObject *active(PyObject *m, PyObject *a) {
    return PyBool_FromLong(_PyInterpreterState_GetEvalFrameFunc(PyThreadState_Get()->interp) == hook); }
static PyObject *count(PyObject *m, PyObject *a) { return PyLong_FromLong(n); }
static PyMethodDef M[] = {{"install", install, METH_NOARGS}, {"active", active, METH_NOARGS},
                          {"count", count, METH_NOARGS}, {0}};
static struct PyModuleDef D = {PyModuleDef_HEAD_INIT, "counthook", 0, -1, M};
PyMODINIT_FUNC PyInit_counthook(void) { return PyModule_Create(&D); }
'''


def test_chains_existing_hook(tmp_path):
    """A PEP 523 hook installed before s6 keeps seeing every frame s6 does not run natively,
    and is the active hook again after s6.disable()."""
    import shutil
    import subprocess
    import sysconfig

    from conftest import PYTHON

    if shutil.which("gcc") is None:
        pytest.skip("needs gcc")
    inc = subprocess.run([str(PYTHON), "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    suffix = subprocess.run([str(PYTHON), "-c", "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    (tmp_path / "counthook.c").write_text(COUNT_HOOK_C)
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", f"-I{inc}", str(tmp_path / "counthook.c"),
                    "-o", str(tmp_path / f"counthook{suffix}")], check=True)
    prog = write_program(tmp_path, r'''
import counthook
def add(a, b):
    return a + b
def plain(x):
    return x + 1
counthook.install()
native(add, "add")
c0 = counthook.count()
for i in range(10):
    plain(i)
c1 = counthook.count()
for i in range(10):
    add(i, i)
c2 = counthook.count()
print("plain frames reach the old hook:", c1 - c0 >= 10)
print("native frames bypass it:", (c2 - c1 < 10) == _ATTACH)
if _ATTACH:
    import s6
    s6.disable()
print("old hook active:", counthook.active())
''')
    plain, native, stats = run_both(prog)
    assert "True" in plain[1]
    assert_same(plain, native)
    assert stats["functions"]["__main__.add"]["native_entries"] == 10


def test_deep_recursion_does_not_overflow_c_stack(tmp_path):
    """With a hook installed every Python call nests C frames; near the end of the C stack the
    hook steps aside (calls are inlined again) and comes back when the recursion unwinds."""
    prog = write_program(tmp_path, ARITH + r'''
import sys
sys.setrecursionlimit(10**6)
def down(x):
    return x if x >= 60000 else caller(down, x + 1)
print(down(0))
if _ATTACH:
    assert _s6._hook_installed()
print(caller(len, "back to native"))
''')
    plain, native, stats = run_both(prog)
    assert_same(plain, native)
    assert plain[1].startswith("60000")
    # the shallow part ran natively, and native code runs again after the deep part
    assert stats["functions"]["__main__.caller"]["native_entries"] > 1000


def test_construct_fast_path_is_available_and_invisible():
    """The direct instantiation path finds `slot_tp_init` at start-up without creating or
    importing anything the program could see."""
    import subprocess
    from conftest import PYTHON, clean_env
    code = ("import sys; before = set(sys.modules); n = len(object.__subclasses__())\n"
            "from s6 import _s6\n"
            "print(_s6._construct_available(), set(sys.modules) - before - {'s6', 's6._s6'},\n"
            "      len(object.__subclasses__()) - n)\n")
    out = subprocess.run([str(PYTHON), "-c", code], env=clean_env(), capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["True", "set()", "0"], out
