"""Caches on disk: a real cache (an object compiled from C that follows the native ABI, and a
manifest) runs natively through s6-loader with identical output; every kind of bad cache gives
exactly one warning line and otherwise identical behaviour. Activation reads only the cache
index (index.s6i): a bad, foreign or unsafe index or directory refuses the cache at start; objects
load on first need, so a missing, unsafe, altered or unloadable object is found when one of its
functions first binds and costs only that object's functions."""
import json
import re
import os
import shutil
import subprocess
import sysconfig

import pytest

from conftest import PYTHON, clean_env
from differential import assert_same, assert_same_text

PROGRAM = r'''import sys

def add(a, b):
    return a + b

if "--idle" in sys.argv:
    print("idle")
    sys.exit(0)

if "--describe" in sys.argv:
    import dis, json, s6
    from s6 import _s6
    code = add.__code__
    binop = [i for i in dis.get_instructions(add) if i.opname == "BINARY_OP"][0].offset // 2
    print(json.dumps({"filename": code.co_filename, "firstlineno": code.co_firstlineno,
                      "hash": _s6._marshal_hash(code), "units": len(code.co_code) // 2,
                      "binop": binop, "abi": s6._abi_stamp()}))
    sys.exit(0)

print([add(i, i * 3) for i in range(20)])
print(add("x", "y"), add(1.5, 1))
try:
    add(1, None)
except TypeError as e:
    print("caught", e)
sys.stderr.write("program stderr line\n")
add(2, "boom")
'''

C_SOURCE = r'''
#define Py_BUILD_CORE 1
#include <Python.h>
#include "internal/pycore_frame.h"
#include <stdint.h>

extern PyObject *s6_rt_resume_in_interpreter(PyThreadState *, _PyInterpreterFrame *, uint32_t,
                                              uint32_t, uint32_t, uint32_t);
extern int s6_rt_deopt_stress(PyThreadState *);
static void *s6_bindings[2] __attribute__((section(".s6.bindings"), used));

PyObject *add_entry(PyThreadState *ts, _PyInterpreterFrame *f) __asm__("\"s6::__main__.add\"");
PyObject *add_entry(PyThreadState *ts, _PyInterpreterFrame *f) {
    PyObject **L = f->localsplus;
    PyObject *int_type = (PyObject *)s6_bindings[0];
    /* exit 0: type guard on a (slot 0 = builtins.int); also a stress point */
    if (int_type == NULL || (PyObject *)Py_TYPE(L[0]) != int_type || s6_bindings[1] == NULL
        || s6_rt_deopt_stress(ts))
        return s6_rt_resume_in_interpreter(ts, f, 0, 0, 0, 0);
    f->prev_instr = _PyCode_CODE(f->f_code) + BINOP;
    PyObject *r = PyNumber_Add(L[0], L[1]);
    if (r == NULL) {   /* exit 1: error at BINARY_OP with [a, b] on the stack */
        PyObject **sp = L + f->f_code->co_nlocalsplus;
        Py_INCREF(L[0]); Py_INCREF(L[1]);
        sp[0] = L[0]; sp[1] = L[1];
        return s6_rt_resume_in_interpreter(ts, f, BINOP + 1, 2, 1, 1);
    }
    return r;
}
'''

WARNING_TAIL = "; running without native code"
OBJECT_WARNING_TAIL = "; its functions run in the interpreter"


def run(cwd, env, *args):
    p = subprocess.run([str(PYTHON), "prog.py", *args], cwd=cwd, env=env, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def compile_object(workdir, source, binop, out):
    from_python = subprocess.run(
        [str(PYTHON), "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
        capture_output=True, text=True, check=True).stdout.strip()
    c_file = workdir / (out.stem + ".c")
    c_file.write_text(source)
    subprocess.run(["gcc", "-O1", "-c", f"-I{from_python}", f"-DBINOP={binop}", str(c_file),
                    "-o", str(out)], check=True)


def function_spec(desc, qualname, symbol=None):
    """The manifest entry of one function of the program, compiled from `C_SOURCE`'s body."""
    return (desc["filename"], "__main__", qualname, desc["firstlineno"], desc["hash"], desc["units"],
            symbol or f"s6::__main__.{qualname}", [(0, "type", "builtins.int"), (1, "builtin", "len")],
            [(0, "deopt", "type guard: expected builtins.int"), (desc["binop"], "error", "a + b")])


def abi_stamp():
    out = subprocess.run([str(PYTHON), "-c", "import json, s6; print(json.dumps(s6._abi_stamp()))"],
                         capture_output=True, text=True, check=True).stdout
    return tuple(json.loads(out))


def native_abi_version():
    return int(subprocess.run([str(PYTHON), "-c", "from s6 import _s6; print(_s6.NATIVE_ABI_VERSION)"],
                              capture_output=True, text=True, check=True).stdout)


def make_cache(workdir, desc, cache, abi=None, native_abi=None, source=C_SOURCE):
    cache.mkdir(mode=0o755)
    compile_object(workdir, source, desc["binop"], cache / "__main__.o")
    objects = [("__main__.o", "__main__", desc["filename"], 2, [function_spec(desc, "add")])]
    native_abi = native_abi_version() if native_abi is None else native_abi
    return write_manifest(cache, abi or desc["abi"], native_abi, objects)


def write_manifest(cache, abi, native_abi, objects):
    code = ("import sys, json; from s6 import _s6; a = json.loads(sys.argv[2]); "
            "t = lambda x: tuple(map(t, x)) if isinstance(x, list) else x; "
            "_s6._test_write_manifest(sys.argv[1], t(a[0]), a[1], t(a[2]))")
    subprocess.run([str(PYTHON), "-c", code, str(cache),
                    json.dumps([abi, native_abi, objects])], check=True)
    for p in [cache, *cache.iterdir()]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return cache


@pytest.fixture
def setup(tmp_path):
    if shutil.which("gcc") is None:
        pytest.skip("needs gcc to build the test object")
    (tmp_path / "prog.py").write_text(PROGRAM)
    desc = json.loads(run(tmp_path, clean_env(), "--describe")[1])
    plain = run(tmp_path, clean_env())
    assert plain[0] == 1 and "program stderr line" in plain[2]
    return tmp_path, desc, plain


def run_cached(workdir, cache, *args, **extra):
    stats = workdir / "stats.json"
    if stats.exists():
        stats.unlink()
    out = run(workdir, clean_env(S6_CACHE=cache, S6_STATS=stats, **extra), *args)
    return out, (json.loads(stats.read_text()) if stats.exists() else None)


@pytest.mark.parametrize("stress", [None, "1", "3"])
def test_good_cache_runs_natively(setup, stress):
    workdir, desc, plain = setup
    cache = make_cache(workdir, desc, workdir / "cache")
    extra = {"S6_DEOPT_STRESS": stress} if stress else {}
    out, stats = run_cached(workdir, cache, **extra)
    assert_same(plain, out, "cached run")
    assert stats["functions_loaded"] == 1
    assert stats["objects_loaded"] == 1 and stats["objects_in_cache"] == 1
    f = stats["functions"]["__main__.add"]
    by_reason = {e["reason"]: e["count"] for e in f["exits"]}
    if stress is None:
        # add(1, None) and add(2, "boom") raise where add has no handler: unwound natively.
        assert f["native_entries"] == 24 and f["exceptions_unwound"] == 2
        assert f["errors_to_interpreter"] == 0
        assert by_reason["type guard: expected builtins.int"] == 2   # the float and the str
    else:
        n = int(stress)
        # every (N+1)th entry deopts at entry; the rest run natively, where every Nth
        # s6_rt_deopt_stress call fails the guard on top of the real failures.
        assert by_reason["stress: entry"] == 24 // (n + 1)
        assert f["native_entries"] == 24 - 24 // (n + 1)
        assert by_reason["type guard: expected builtins.int"] >= 2 if n > 1 else f["errors_to_interpreter"] == 0
        assert f["deopts"] == by_reason["stress: entry"] + by_reason["type guard: expected builtins.int"]


def test_code_changed_after_profiling_is_not_bound(setup):
    workdir, desc, plain = setup
    cache = make_cache(workdir, desc, workdir / "cache")
    (workdir / "prog.py").write_text(PROGRAM.replace("return a + b", "return b + a"))
    plain2 = run(workdir, clean_env())
    out, stats = run_cached(workdir, cache)
    assert_same(plain2, out, "cached run")
    assert stats["native_entries"] == 0
    # Its only function cannot bind, so the object is never even read.
    assert stats["objects_loaded"] == 0 and stats["functions_loaded"] == 0


def damage_abi(workdir, desc, cache):
    abi = list(desc["abi"])
    abi[0] = abi[0].replace("3.11", "3.11.99", 1)
    shutil.rmtree(cache)
    make_cache(workdir, desc, cache, abi=abi)


def damage_native_abi(workdir, desc, cache):
    shutil.rmtree(cache)
    make_cache(workdir, desc, cache, native_abi=999)


def damage_checksum(workdir, desc, cache):
    m = cache / "index.s6i"
    data = bytearray(m.read_bytes())
    data[60] ^= 0x40  # inside the lookup section
    m.write_bytes(bytes(data))


def damage_truncated_index(workdir, desc, cache):
    m = cache / "index.s6i"
    m.write_bytes(m.read_bytes()[:-3])


def damage_no_index(workdir, desc, cache):
    (cache / "index.s6i").unlink()


def damage_missing_object(workdir, desc, cache):
    (cache / "__main__.o").unlink()


def damage_altered_object(workdir, desc, cache):
    o = cache / "__main__.o"
    data = bytearray(o.read_bytes())
    data[100] ^= 1
    o.write_bytes(bytes(data))


def damage_dir_group_writable(workdir, desc, cache):
    os.chmod(cache, 0o775)


def damage_index_other_writable(workdir, desc, cache):
    os.chmod(cache / "index.s6i", 0o646)


def damage_object_group_writable(workdir, desc, cache):
    os.chmod(cache / "__main__.o", 0o664)


def damage_foreign_owner(workdir, desc, cache):
    if os.geteuid() != 0:
        pytest.skip("needs root to give the file to another user")
    os.chown(cache / "__main__.o", 65534, 65534)


def damage_no_dir(workdir, desc, cache):
    shutil.rmtree(cache)


def one_warning(err):
    """The single `s6:` line of `err` and the rest of `err` without it."""
    lines = err.splitlines(keepends=True)
    warnings = [l for l in lines if l.startswith("s6:")]
    assert len(warnings) == 1, err
    assert warnings[0].startswith("s6: warning: "), err
    return warnings[0].rstrip("\n"), "".join(l for l in lines if not l.startswith("s6:"))


# Found at activation (the directory and the index): the whole cache is refused.
REFUSED = [
    damage_abi, damage_native_abi, damage_checksum, damage_truncated_index, damage_no_index,
    damage_dir_group_writable, damage_index_other_writable, damage_no_dir,
]
# Found when `add` first binds and its object loads: only that object's functions are refused.
AT_FIRST_NEED = {
    damage_altered_object: "was altered after the cache was built (hash mismatch)",
    damage_missing_object: "is missing",
    damage_object_group_writable: "is writable by group or others (mode 664)",
    damage_foreign_owner: "is owned by another user (uid 65534)",
}


@pytest.mark.parametrize("damage", REFUSED + list(AT_FIRST_NEED),
                         ids=lambda d: d.__name__.removeprefix("damage_"))
def test_bad_cache_one_warning(setup, damage):
    workdir, desc, plain = setup
    cache = make_cache(workdir, desc, workdir / "cache")
    damage(workdir, desc, cache)
    (code, out, err), stats = run_cached(workdir, cache)
    warning, rest = one_warning(err)
    assert_same(plain, (code, out, rest), "cached run (its one warning line left out)")
    assert stats["native_entries"] == 0 and stats["objects_loaded"] == 0
    assert stats["functions_loaded"] == 0
    if damage in REFUSED:
        assert warning.endswith(WARNING_TAIL), warning
        assert stats["objects_in_cache"] == 0
    else:
        # An object is only read when `add` first binds: the cache was activated, the object
        # is reported by name and its functions stay in the interpreter.
        assert warning == (f"s6: warning: object {cache / '__main__.o'} "
                           f"{AT_FIRST_NEED[damage]}{OBJECT_WARNING_TAIL}"), warning
        assert stats["objects_in_cache"] == 1


def test_silent_unless_verbose(setup):
    workdir, desc, plain = setup
    cache = make_cache(workdir, desc, workdir / "cache")
    out, _ = run_cached(workdir, cache)
    assert_same(plain, out, "cached run")
    code, stdout, err = run(workdir, clean_env(S6_CACHE=cache, S6_VERBOSE="1"))
    assert_same_text(plain[1], stdout, "S6_VERBOSE=1 run")
    assert "s6: 1 native function available from" in err, err
    assert re.search(
        rf"^s6: loaded object {re.escape(str(cache / '__main__.o'))} \(1 function\) in \d+\.\d\d ms$",
        err,
        re.M,
    ), err


def test_process_that_calls_no_cached_function_loads_no_object(setup):
    workdir, desc, plain = setup
    cache = make_cache(workdir, desc, workdir / "cache")
    (code, out, err), stats = run_cached(workdir, cache, "--idle")
    assert (code, out, err) == (0, "idle\n", "")
    assert stats["objects_in_cache"] == 1
    assert stats["objects_loaded"] == 0 and stats["functions_loaded"] == 0
    assert stats["functions"] == {}


# Two objects: first.o holds `add` and `add3`, second.o holds `add2`.
PROGRAM2 = r'''import sys

def add(a, b):
    return a + b

def add2(a, b):
    return a + b

def add3(a, b):
    return a + b

if "--describe" in sys.argv:
    import dis, json, s6
    from s6 import _s6
    out = {}
    for f in (add, add2, add3):
        code = f.__code__
        binop = [i for i in dis.get_instructions(f) if i.opname == "BINARY_OP"][0].offset // 2
        out[f.__name__] = {"filename": code.co_filename, "firstlineno": code.co_firstlineno,
                           "hash": _s6._marshal_hash(code), "units": len(code.co_code) // 2,
                           "binop": binop}
    print(json.dumps({"functions": out, "abi": s6._abi_stamp()}))
    sys.exit(0)

if "--alter" in sys.argv:   # the object changes on disk after the cache was activated
    path = sys.argv[sys.argv.index("--alter") + 1]
    data = bytearray(open(path, "rb").read())
    data[100] ^= 1
    open(path, "wb").write(bytes(data))

print([add(i, i * 3) for i in range(10)])
print([add2(i, 2) for i in range(10)])
print([add3(i, 5) for i in range(10)])
print(add3("x", "y"), add2("p", "q"), add(1.5, 2))
'''

OBJECTS2 = {"first.o": ["add", "add3"], "second.o": ["add2"]}


def c_source_for(qualnames):
    """`C_SOURCE` with its one entry point repeated once per function, each under its own
    symbol (they share the object's binding table, as functions of one module do)."""
    at = C_SOURCE.index("PyObject *add_entry")
    head, body = C_SOURCE[:at], C_SOURCE[at:]
    return head + "".join(body.replace("add_entry", f"entry_{q}").replace("__main__.add",
                                                                          f"__main__.{q}")
                          for q in qualnames)


@pytest.fixture
def two_objects(tmp_path):
    if shutil.which("gcc") is None:
        pytest.skip("needs gcc to build the test objects")
    (tmp_path / "prog.py").write_text(PROGRAM2)
    desc = json.loads(run(tmp_path, clean_env(), "--describe")[1])
    binops = {f["binop"] for f in desc["functions"].values()}
    assert len(binops) == 1
    plain = run(tmp_path, clean_env())
    assert plain[0] == 0 and plain[2] == ""
    return tmp_path, desc, plain


def make_cache2(workdir, desc, cache, symbols=None):
    """The two-object cache; `symbols` may rename a function's symbol in the manifest."""
    cache.mkdir(mode=0o755)
    objects = []
    for file, qualnames in OBJECTS2.items():
        fdesc = desc["functions"]
        compile_object(workdir, c_source_for(qualnames), fdesc[qualnames[0]]["binop"],
                       cache / file)
        functions = [function_spec(fdesc[q], q, (symbols or {}).get(q)) for q in qualnames]
        objects.append((file, "__main__", fdesc[qualnames[0]]["filename"], 2, functions))
    return write_manifest(cache, desc["abi"], native_abi_version(), objects)


def entries(stats, qualname):
    return stats["functions"].get(f"__main__.{qualname}", {}).get("native_entries", 0)


def test_two_objects_both_load_and_run_natively(two_objects):
    workdir, desc, plain = two_objects
    cache = make_cache2(workdir, desc, workdir / "cache")
    out, stats = run_cached(workdir, cache)
    assert_same(plain, out, "cached run")
    assert stats["objects_in_cache"] == 2 and stats["objects_loaded"] == 2
    assert stats["functions_loaded"] == 3
    assert all(entries(stats, q) > 0 for q in ("add", "add2", "add3")), stats


@pytest.mark.parametrize("bad", ["first.o", "second.o"])
@pytest.mark.parametrize("how", ["altered", "altered_while_running", "missing_symbol"])
def test_one_bad_object_costs_only_its_functions(two_objects, bad, how):
    """One object of two is altered (before start, or on disk after activation but before its
    first use) or cannot load (the manifest names a symbol it lacks): one warning naming it, its
    functions (all of them, even those that would resolve) stay in the interpreter, the other
    object's functions run natively, and the output is unchanged."""
    workdir, desc, plain = two_objects
    symbols = {OBJECTS2[bad][-1]: "s6::__main__.nosuch"} if how == "missing_symbol" else None
    cache = make_cache2(workdir, desc, workdir / "cache", symbols)
    path = cache / bad
    args = ()
    if how == "altered":
        data = bytearray(path.read_bytes())
        data[100] ^= 1
        path.write_bytes(bytes(data))
    elif how == "altered_while_running":
        args = ("--alter", str(path))
    (code, out, err), stats = run_cached(workdir, cache, *args)
    warning, rest = one_warning(err)
    assert_same(plain, (code, out, rest), "cached run (its one warning line left out)")
    reason = ("lacks symbol s6::__main__.nosuch" if how == "missing_symbol"
              else "was altered after the cache was built (hash mismatch)")
    assert warning == f"s6: warning: object {path} {reason}{OBJECT_WARNING_TAIL}", warning
    good = [q for f, qs in OBJECTS2.items() if f != bad for q in qs]
    failed = OBJECTS2[bad]
    assert all(entries(stats, q) > 0 for q in good), stats
    assert all(f"__main__.{q}" not in stats["functions"] for q in failed), stats
    assert stats["objects_in_cache"] == 2 and stats["objects_loaded"] == 1
    assert stats["functions_loaded"] == len(good)


def test_stats_path_with_pid_gives_each_process_its_own_report(tmp_path):
    """S6_STATS is inherited by subprocesses; with `%p` each writes its own report."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)
    write_manifest(cache, abi_stamp(), native_abi_version(), [])
    prog = tmp_path / "parent.py"
    prog.write_text("import os, subprocess, sys\n"
                    "child = subprocess.run([sys.executable, '-c', 'import os; print(os.getpid())'],\n"
                    "                       capture_output=True, text=True, check=True)\n"
                    "print(os.getpid(), child.stdout.strip())\n")
    env = clean_env(S6_CACHE=cache, S6_STATS=tmp_path / "stats-%p.json")
    out = subprocess.run([str(PYTHON), str(prog)], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stderr == ""
    parent, child = out.stdout.split()
    written = sorted(p.name for p in tmp_path.glob("stats-*.json"))
    assert written == sorted([f"stats-{parent}.json", f"stats-{child}.json"])
    for name in written:
        assert json.loads((tmp_path / name).read_text())["native_entries"] == 0
