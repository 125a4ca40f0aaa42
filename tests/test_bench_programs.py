"""The wider benchmark set of bench/run.py, checked cheaply at tiny sizes.

- Each of the project's own programs (bench/programs/*.py) and each library driver
  (bench/libs/lib_*.py) runs plain as `python prog.py TINY`, prints its digest, and prints the
  same with another hash seed (their output must not depend on set/dict order of strings);
  the run_benchmark.py that bench/run.py generates for it runs in the stand-in's check mode.
- Differential: profile -> build (`--all` for the programs; the default hot selection for the
  libraries, profiled with --include-libs, whose `--all` builds take a minute each) -> run with
  the cache, and again from a `--stress-guards` build under S6_DEOPT_STRESS=1: stdout, stderr and exit status byte for byte the
  same as plain, and native code must really run.

The libraries are pinned in bench/requirements.txt, which `make setup` installs.
"""
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PYTHON, ROOT, S6C, clean_env
from differential import Outcome, check, run

# bench/run.py, for the runner it generates (the same one the timings use).
_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)

# argv[1] for each program: a size that runs in well under a second but still exercises every
# part of the program.
TINY = {
    "ecosystem": 3, "exprparse": 16, "routes": 120, "numerics": 60, "records": 100,
    "textstats": 20, "minilang": 8, "life": 3, "logpipe": 1500, "validate": 300,
    "lib_pyaes": 1, "lib_tomli": 20, "lib_pyparsing": 2, "lib_sqlparse": 4, "lib_chess": 2,
    "lib_networkx": 30,
}
LIB_MODULES = {"lib_pyaes": "pyaes", "lib_tomli": "tomli", "lib_pyparsing": "pyparsing",
               "lib_sqlparse": "sqlparse", "lib_chess": "chess", "lib_networkx": "networkx"}

PROGRAMS = sorted((ROOT / "bench" / "programs").glob("*.py"))
LIBS = sorted((ROOT / "bench" / "libs").glob("lib_*.py"))


def lib_installed(name):
    probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({LIB_MODULES[name]!r}) is None)"
    return subprocess.run([str(PYTHON), "-c", probe], capture_output=True).returncode == 0


class Prog:
    def __init__(self, path, base):
        self.name = path.stem
        self.is_lib = self.name.startswith("lib_")
        if self.name not in TINY:
            pytest.fail(f"{path}: add a tiny size for it to TINY in {Path(__file__).name}")
        if self.is_lib and not lib_installed(self.name):
            pytest.fail(f"{LIB_MODULES[self.name]} not installed: `make setup` installs "
                        "bench/requirements.txt")
        self.dir = base / self.name
        self.dir.mkdir()
        shutil.copy(path, self.dir / path.name)
        self.argv = [path.name, str(TINY[self.name])]
        self.profile = self.dir / "prog.s6prof"
        self.cache = self.dir / "cache"
        self.stress_cache = self.dir / "cache_stress"
        self.stats = self.dir / "stats.json"

    def run(self, prefix, **extra):
        return run([*map(str, prefix), *self.argv], self.dir, clean_env(PYTHONHASHSEED=0, **extra))


def all_params():
    return [pytest.param(p, id=p.stem) for p in PROGRAMS + LIBS]


@pytest.fixture(scope="module", params=all_params())
def prog(request, venv_python, s6c, tmp_path_factory):
    p = Prog(request.param, tmp_path_factory.mktemp("benchprog"))
    p.expected = p.run([PYTHON])
    assert p.expected.returncode == 0, f"plain run fails:\n{p.expected.describe()}"
    return p


def test_plain_run_prints_a_digest(prog):
    assert prog.expected.stdout.strip(), "the program printed nothing"
    assert prog.expected.stderr == b"", prog.expected.describe()
    other = run([str(PYTHON), *prog.argv], prog.dir, clean_env(PYTHONHASHSEED=12345))
    assert other.stdout == prog.expected.stdout, "output depends on the hash seed"


def test_generated_runner_check_mode(prog):
    """The runner bench/run.py generates times the program's bench_* function; in the stand-in's
    check mode it calls it once and prints a CHECK line, the same with another hash seed."""
    d = bench_run.prepare(bench_run.Bench(prog.name, "lib" if prog.is_lib else "program"),
                          work=prog.dir / "runner")
    outs = [run([str(PYTHON), "run_benchmark.py", prog.argv[1]], d,
                clean_env(S6BENCH_CHECK=1, PYTHONHASHSEED=seed)) for seed in (0, 1)]
    assert outs[0].returncode == 0, outs[0].describe()
    assert outs[0].stdout.startswith(f"CHECK {prog.name} loops=1 digest=".encode()), outs[0].describe()
    assert outs[0].stdout == outs[1].stdout, "the digest depends on the hash seed"


@pytest.mark.parametrize("mode", ["profiled", "native", "stress"])
def test_same_output_compiled(prog, mode):
    if mode == "profiled":
        libs = ["--include-libs"] if prog.is_lib else []
        got = prog.run([S6C, "profile", *libs, "-o", prog.profile, "--"])
        assert_same(prog.expected, got, "profiling run")
        assert prog.profile.exists(), "no profile written"
        scope = [] if prog.is_lib else ["--all"]
        check([str(S6C), "build", *scope, "-o", str(prog.cache), str(prog.profile)], prog.dir)
        check([str(S6C), "build", *scope, "--stress-guards", "-o", str(prog.stress_cache),
               str(prog.profile)], prog.dir)
        return
    if not prog.cache.exists():
        pytest.fail("no cache: the profiled run failed")
    prog.stats.unlink(missing_ok=True)
    extra = {"S6_CACHE": prog.cache, "S6_STATS": prog.stats}
    if mode == "stress":
        extra.update(S6_CACHE=prog.stress_cache, S6_DEOPT_STRESS=1)
    got = prog.run([PYTHON], **extra)
    assert_same(prog.expected, got, f"{mode} run")
    stats = json.loads(prog.stats.read_text()) if prog.stats.exists() else None
    assert stats is not None, "S6_STATS report missing"
    assert stats["native_entries"] > 0, f"no native code ran: {stats}"
    if mode == "stress":
        assert stats["deopts"] > 0, f"stress mode forced no deopt: {stats}"


def assert_same(expected: Outcome, got: Outcome, what):
    assert got.returncode == expected.returncode, f"{what}: exit status differs\n{got.describe()}"
    assert got.stdout == expected.stdout, f"{what}: stdout differs\n{got.describe()}"
    assert got.stderr == expected.stderr, f"{what}: stderr differs\n{got.describe()}"


# The pyperformance programs of the wider set are in tests/test_real_workloads.py (profiled,
# --all and stress), except the two whose arguments pick the pure-Python pickle module: here,
# in the stand-in's check mode, profiled --include-libs (the work is in the stdlib's pickle.py),
# built with the default selection, and run with the cache.
@pytest.mark.parametrize("name", ["pickle_pure_python", "unpickle_pure_python"])
def test_wider_pyperformance_with_arguments(name, venv_python, s6c, tmp_path):
    b = next(b for b in bench_run.WIDER_PYPERF if b.name == name)
    d = bench_run.prepare(b, work=tmp_path)
    argv = ["run_benchmark.py", *b.args]
    env = clean_env(S6BENCH_CHECK=1, PYTHONHASHSEED=0)
    expected = run([str(PYTHON), *argv], d, env)
    assert expected.returncode == 0 and expected.stdout.startswith(f"CHECK {name} ".encode()), expected.describe()
    prof, cache, stats = d / "prog.s6prof", d / "cache", d / "stats.json"
    assert_same(expected, run([str(S6C), "profile", "--include-libs", "-o", str(prof), "--", *argv], d, env),
                "profiling run")
    check([str(S6C), "build", "-o", str(cache), str(prof)], d)
    got = run([str(PYTHON), *argv], d, clean_env(S6BENCH_CHECK=1, PYTHONHASHSEED=0, S6_CACHE=cache, S6_STATS=stats))
    assert_same(expected, got, "cached run")
    assert json.loads(stats.read_text())["native_entries"] > 0
