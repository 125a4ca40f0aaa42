"""Correctness on real code nobody here wrote: pyperformance benchmarks (unmodified, run as plain
scripts through bench/pyperf_standin.py in check mode) must print, write and exit byte for byte
the same plain, profiled, compiled with `--all`, and compiled with `--stress-guards` under
S6_DEOPT_STRESS=1, and native
code must really run. CPython's own regression tests, below, must give the same results plain and compiled."""
import hashlib
import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import PYTHON, ROOT, S6C, clean_env
from differential import Outcome, assert_same, assert_same_regrtest, check, regrtest_result, run

BENCHMARKS = Path(
    # pyperformance is pinned in tools/requirements.txt and installed into .venv by `make setup`.
    next((ROOT / ".venv" / "lib").glob("python3.*/site-packages/pyperformance"), ROOT / "missing")
) / "data-files" / "benchmarks"
STANDIN = ROOT / "bench" / "pyperf_standin.py"

# Pure-Python pyperformance programs without dependencies: the 19 of
# ../shared/research/peers-baseline.md plus barnes_hut and scimark.
# Each runs its benchmark function S6BENCH_LOOPS times at its default size (0.05-0.8 s plain),
# except where ARGS shrink it; chaos and raytrace also write their image, compared byte for byte.
PYPERF = ("chaos comprehensions coroutines deepcopy deltablue fannkuch float generators go hexiom "
          "meteor_contest nbody nqueens pyflate raytrace richards richards_super spectral_norm "
          "unpack_sequence barnes_hut scimark").split()
# Benchmarks whose work is in the standard library (the `re` compiler, asyncio, argparse,
# logging, typing): profiled with --include-libs, so that library code is compiled too.
LIBRARY = ("regex_compile async_generators argparse logging typing_runtime_protocols").split()
ARGS = {
    "chaos": ["--width", "128", "--height", "128", "--filename", "image.ppm"],
    "raytrace": ["--width", "40", "--height", "40", "--filename", "image.ppm"],
    "argparse": ["subparsers"],
}
OUTPUT_FILES = {"chaos": "image.ppm", "raytrace": "image.ppm"}
MODES = ("profiled", "all", "stress")


DRIVERS = Path(__file__).parent / "real_workloads"


class Benchmark:
    """One pyperformance benchmark copied with its `pyperf` stand-in into a private temporary
    folder (pytest's tmp_path_factory: several people may run the suite in this tree at once),
    plus its check driver from tests/real_workloads/ as `check.py` where there is one."""

    def __init__(self, name, base):
        self.name = name
        self.dir = base / name
        shutil.copytree(BENCHMARKS / f"bm_{name}", self.dir,
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(STANDIN, self.dir / "pyperf.py")
        self.scripts = [["run_benchmark.py", *ARGS.get(name, [])]]
        driver = DRIVERS / f"{name}.py"
        if driver.exists():
            shutil.copy(driver, self.dir / "check.py")
            self.scripts.append(["check.py"])
        self.profiles = [self.dir / f"prog{i}.s6prof" for i in range(len(self.scripts))]
        self.cache = self.dir / "cache_all"
        self.stress_cache = self.dir / "cache_stress"
        self.stats = self.dir / "stats.json"

    def env(self, **extra):
        # Same hash seed everywhere: set iteration order must not differ between two plain runs.
        return clean_env(S6BENCH_CHECK=1, S6BENCH_LOOPS=1, PYTHONHASHSEED=0, **extra)

    def _run_one(self, prefix, argv, total, **extra):
        """Run one script and append its output, with a marker line, to `total`."""
        out = run([*prefix, *argv], self.dir, self.env(**extra))
        mark = f"=== {argv[0]}: exit {out.returncode}\n".encode()
        total.stdout += mark + out.stdout
        total.stderr += mark + out.stderr
        total.returncode = total.returncode or out.returncode
        out_file = OUTPUT_FILES.get(self.name) if argv[0] == "run_benchmark.py" else None
        if out_file:
            path = self.dir / out_file
            data = path.read_bytes() if path.exists() else b"<missing>"
            total.stdout += f"[{out_file} sha256 {hashlib.sha256(data).hexdigest()}]\n".encode()
            path.unlink(missing_ok=True)

    def plain(self):
        total = Outcome(b"", b"", 0)
        for argv in self.scripts:
            self._run_one([str(PYTHON)], argv, total)
        return total

    def profiled(self):
        total = Outcome(b"", b"", 0)
        for argv, prof in zip(self.scripts, self.profiles):
            libs = ["--include-libs"] if self.name in LIBRARY else []
            self._run_one([str(S6C), "profile", *libs, "-o", str(prof), "--"], argv, total)
        return total

    def build(self):
        for cache, flags in ((self.cache, []), (self.stress_cache, ["--stress-guards"])):
            check([str(S6C), "build", "--all", *flags, "-o", str(cache), *map(str, self.profiles)],
                  self.dir)

    def cached(self, stress):
        """The cached run of every script, and the S6_STATS counts summed over them."""
        extra = {"S6_CACHE": self.cache, "S6_STATS": self.stats}
        if stress:
            extra.update(S6_CACHE=self.stress_cache, S6_DEOPT_STRESS=1)
        total = Outcome(b"", b"", 0)
        stats = {"native_entries": 0, "deopts": 0}
        for argv in self.scripts:
            self.stats.unlink(missing_ok=True)
            self._run_one([str(PYTHON)], argv, total, **extra)
            if not self.stats.exists():
                return total, None
            one = json.loads(self.stats.read_text())
            for key in stats:
                stats[key] += one[key]
        return total, stats


@pytest.fixture(scope="module", params=PYPERF + LIBRARY)
def bench(request, venv_python, s6c, tmp_path_factory):
    if not BENCHMARKS.is_dir():
        pytest.fail("pyperformance is not installed in .venv: run `make setup`")
    b = Benchmark(request.param, tmp_path_factory.mktemp("pyperf"))
    b.expected = b.plain()
    assert b.expected.returncode == 0, f"plain run fails:\n{b.expected.describe()}"
    assert b"CHECK " in b.expected.stdout, "check mode printed no CHECK line"
    b.profiled_out = b.profiled()
    if all(p.exists() for p in b.profiles):
        b.build()
    return b


@pytest.mark.parametrize("mode", MODES)
def test_pyperformance(bench, mode):
    if mode == "profiled":
        assert_same(bench.expected, bench.profiled_out, "profiling run")
        assert all(p.exists() for p in bench.profiles), "no profile written"
        return
    assert bench.cache.exists(), "no cache was built"
    got, stats = bench.cached(stress=mode == "stress")
    assert_same(bench.expected, got, f"{mode} run")
    assert stats is not None, "S6_STATS report missing"
    assert stats["native_entries"] > 0, f"no native code ran: {stats}"
    if mode == "stress":
        assert stats["deopts"] > 0, "stress mode forced no deopt"


# --- CPython's own regression tests -------------------------------------------------------------

# Pure-Python-heavy modules of CPython's regression suite (Lib/test) that pass on stock 3.11.7.
# First the 42 of ../shared/research/peers-baseline.md ("CPython regression-test correctness
# anchor": grammar, core types, classes/descriptors, generators/coroutines, exceptions, scopes,
# with/contextlib, functools, itertools, math, pattern matching; ~10 s plain). Then modules whose
# code under test is pure-Python stdlib (comprehensions, UserDict/UserList, heapq/bisect
# fallbacks, abc, dataclasses, enum, statistics, textwrap, difflib, pprint, fractions), added
# while the whole stayed fast: each passed plain, compiled and under stress. Left out on
# purpose: test_json and test_decimal (mostly C, and test_json's subprocesses each pay the
# cache's start-up cost). They run sequentially in one process, so the profile (--include-libs:
# the test modules and the stdlib code under test are library code) sees all of them.
REGRTEST_MODULES = (
    "test_grammar test_opcodes test_int test_long test_float test_bool test_list test_tuple "
    "test_dict test_set test_class test_descr test_super test_property test_generators "
    "test_genexps test_coroutines test_yield_from test_exceptions test_exception_group test_raise "
    "test_scope test_with test_contextlib test_functools test_itertools test_math test_unpack "
    "test_augassign test_patma test_named_expressions test_keywordonlyarg test_iter test_sort "
    "test_range test_richcmp test_binop test_isinstance test_fstring test_operator test_copy "
    "test_types "
    "test_listcomps test_dictcomps test_setcomps test_slice test_string test_enumerate "
    "test_userdict test_userlist test_heapq test_bisect test_abc test_print test_dataclasses "
    "test_enum test_statistics test_textwrap test_difflib test_pprint test_fractions"
).split()
REGRTEST_TIMEOUT = 600


class Regrtest:
    """`python -m test MODULES` plain, under the profiler, and with the compiled cache."""

    def __init__(self, base, modules, ignore=()):
        self.dir = base
        self.modules = modules
        self.ignore = [arg for pattern in ignore for arg in ("-i", pattern)]
        self.profile = self.dir / "regrtest.s6prof"
        self.cache = self.dir / "cache_all"
        self.stress_cache = self.dir / "cache_stress"
        self.stats = self.dir / "stats.json"
        self.proc = None
        self.stopped = False

    def _run(self, prefix, **extra):
        # Absolute paths: some tests start subprocesses (which inherit S6_*) in other folders.
        # Sequential, fixed order, no randomisation: the same tests run the same way each time.
        # (SIGINT reaches them with its default disposition: see conftest.py.)
        # stderr into stdout: a failing test's traceback then sits between its progress line
        # and the next, where the comparison (differential.regrtest_differences) finds it.
        if self.stopped:
            raise RuntimeError("the test session ended before this run")
        cmd = [*prefix, "-m", "test", "--timeout", "300", *self.ignore, *self.modules]
        with subprocess.Popen(cmd, cwd=self.dir, env=clean_env(**extra), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT) as p:
            self.proc = p
            try:
                out, _ = p.communicate(timeout=REGRTEST_TIMEOUT)
            except subprocess.TimeoutExpired:
                p.kill()
                p.communicate()
                raise
            finally:
                self.proc = None
        return Outcome(out, b"", p.returncode)

    def plain(self):
        return self._run([str(PYTHON)])

    def profiled(self):
        return self._run([str(S6C), "profile", "--include-libs", "-o", str(self.profile)])

    def build(self):
        for cache, flags in ((self.cache, []), (self.stress_cache, ["--stress-guards"])):
            check([str(S6C), "build", "--all", *flags, "-o", str(cache), str(self.profile)],
                  self.dir)

    def cached(self, stress):
        self.stats.unlink(missing_ok=True)
        extra = {"S6_CACHE": self.cache, "S6_STATS": self.stats}
        if stress:
            extra.update(S6_CACHE=self.stress_cache, S6_DEOPT_STRESS=1)
        out = self._run([str(PYTHON)], **extra)
        stats = json.loads(self.stats.read_text()) if self.stats.exists() else None
        return out, stats

    def plain_passed(self):
        return "Result: SUCCESS" in regrtest_result(self.expected.stdout.decode(errors="replace"))

    def run_all(self):
        """Every run the tests below check, in the order they need them: plain; profiled, and
        the `--all` build of its profile; then the cache, with `--all` and under stress."""
        self.expected = self.plain()
        if not self.plain_passed():
            return
        self.profiled_out = self.profiled()
        self.build_error = None
        if self.profile.exists():
            try:
                self.build()
            except AssertionError as e:
                self.build_error = e
        self.cached_out = {}
        if self.cache.exists():
            for mode in ("all", "stress"):
                self.cached_out[mode] = self.cached(stress=mode == "stress")

    def stop(self):
        self.stopped = True
        if self.proc is not None:
            self.proc.kill()


# Frames, tracing and code objects: the modules where the runtime's own machinery shows (trace
# events around deopts, co_extra, code object lifetimes, the throw-entry shim). The three test_dis
# cases that print `dis(adaptive=True)` after warming code up are left out in every mode, plain
# included (so the test counts still compare): they check CPython's quickening, which code that
# runs natively never gets. That is a documented difference (docs/ARCHITECTURE.md, "Known
# differences"), tested precisely by tests/programs/dis_adaptive.py.
FRAMES_MODULES = ["test_sys_settrace", "test_dis", "test_frame", "test_code"]
ADAPTIVE_DIS_TESTS = ["*.test_loop_quicken", "*.test_show_caches", "*.test_super_instructions"]
REGRTEST_SETS = {
    "regrtest": (REGRTEST_MODULES, ()),
    "regrtest_frames": (FRAMES_MODULES, ADAPTIVE_DIS_TESTS),
}
# The sets whose runs start before the first test of the session, each in a thread of its own,
# and go on while the other tests run (tests/conftest.py, `background_work`): the main set's
# runs (about two minutes: plain, profiled, a long `--all` build, two cached runs) are the
# longest chain in the suite, the frames set's take half a minute, and they wait on no other
# test. Their tests check the outcomes when their turn comes.
BACKGROUND = ("regrtest", "regrtest_frames")


class RegrtestJob(threading.Thread):
    """`Regrtest.run_all` of one set, in a thread."""

    def __init__(self, regrtest):
        super().__init__(daemon=True, name=f"regrtest {regrtest.dir.name}")
        self.regrtest = regrtest
        self.error = None

    def run(self):
        try:
            self.regrtest.run_all()
        except BaseException as e:  # handed to the tests, which fail with it
            self.error = e


_jobs = {}


def regrtest_job(name, tmp_path_factory):
    if name not in _jobs:
        modules, ignore = REGRTEST_SETS[name]
        _jobs[name] = RegrtestJob(Regrtest(tmp_path_factory.mktemp(name), modules, ignore))
        _jobs[name].start()
    return _jobs[name]


def start_background(items, tmp_path_factory):
    """Starts the BACKGROUND sets that selected tests use (tests/conftest.py calls this)."""
    used = {name for item in items for name in getattr(item, "fixturenames", ())}
    for name in BACKGROUND:
        if name in used:
            regrtest_job(name, tmp_path_factory)


def stop_background():
    for job in _jobs.values():
        job.regrtest.stop()


def regrtest_fixture(name):
    @pytest.fixture(scope="module")
    def fixture(venv_python, s6c, tmp_path_factory):
        job = regrtest_job(name, tmp_path_factory)
        job.join()
        if job.error is not None:
            raise job.error
        r = job.regrtest
        text = r.expected.stdout.decode(errors="replace")
        assert r.plain_passed(), (
            f"the chosen modules must pass on the plain interpreter (exit "
            f"{r.expected.returncode}):\n{regrtest_result(text)}\n{text[-3000:]}")
        return r

    return fixture


regrtest = regrtest_fixture("regrtest")
regrtest_frames = regrtest_fixture("regrtest_frames")


@pytest.mark.parametrize("mode", MODES)
def test_cpython_regrtest_frames(regrtest_frames, mode):
    check_regrtest(regrtest_frames, mode)


@pytest.mark.parametrize("mode", MODES)
def test_cpython_regrtest(regrtest, mode):
    check_regrtest(regrtest, mode)


def check_regrtest(regrtest, mode):
    if mode == "profiled":
        if regrtest.build_error is not None:
            raise regrtest.build_error
        assert_same_regrtest(regrtest.expected, regrtest.profiled_out, "profiled run")
        assert regrtest.profile.exists(), "no profile written"
        return
    if not regrtest.cache.exists():
        pytest.fail("no cache: the profiled run (test_cpython_regrtest[profiled]) failed")
    out, stats = regrtest.cached_out[mode]
    assert_same_regrtest(regrtest.expected, out, f"{mode} run")
    warnings = [ln for ln in out.stdout.decode(errors="replace").splitlines() if "s6: warning" in ln]
    assert not warnings, "\n".join(warnings[:20])
    assert stats is not None, "S6_STATS report missing"
    assert stats["native_entries"] > 0, f"no native code ran: {stats}"
    if mode == "stress":
        assert stats["deopts"] > 0, "stress mode forced no deopt"
