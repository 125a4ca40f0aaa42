"""Correctness on real code nobody here wrote: pyperformance benchmarks (unmodified, run as plain
scripts through bench/pyperf_standin.py in check mode) must print, write and exit byte for byte
the same plain, profiled, compiled with `--all`, and compiled under S6_DEOPT_STRESS=1, and native
code must really run. CPython's own regression tests, below, must give the same results plain and compiled."""
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from conftest import PYTHON, ROOT, S6C, WORK, clean_env
from differential import check, run

BENCHMARKS = Path(
    # pyperformance is pinned in tools/requirements.txt and installed into .venv by `make setup`.
    next((ROOT / ".venv" / "lib").glob("python3.*/site-packages/pyperformance"), ROOT / "missing")
) / "data-files" / "benchmarks"
STANDIN = ROOT / "bench" / "pyperf_standin.py"

# Pure-Python pyperformance programs without dependencies (../shared/research/peers-baseline.md).
# Each runs its benchmark function S6BENCH_LOOPS times at its default size (0.05-0.8 s plain),
# except where ARGS shrink it; chaos and raytrace also write their image, compared byte for byte.
PYPERF = ("chaos comprehensions coroutines deepcopy deltablue fannkuch float generators go hexiom "
          "meteor_contest nbody nqueens pyflate raytrace richards richards_super spectral_norm "
          "unpack_sequence").split()
ARGS = {
    "chaos": ["--width", "128", "--height", "128", "--filename", "image.ppm"],
    "raytrace": ["--width", "40", "--height", "40", "--filename", "image.ppm"],
}
OUTPUT_FILES = {"chaos": "image.ppm", "raytrace": "image.ppm"}
MODES = ("profiled", "all", "stress")


class Benchmark:
    """One pyperformance benchmark copied into tests/.work/real/<name>/ with its `pyperf` stand-in."""

    def __init__(self, name):
        self.name = name
        self.dir = WORK / "real" / name
        if self.dir.exists():
            shutil.rmtree(self.dir)
        shutil.copytree(BENCHMARKS / f"bm_{name}", self.dir,
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(STANDIN, self.dir / "pyperf.py")
        self.profile = self.dir / "prog.s6prof"
        self.cache = self.dir / "cache_all"
        self.stats = self.dir / "stats.json"

    def env(self, **extra):
        # Same hash seed everywhere: set iteration order must not differ between two plain runs.
        return clean_env(S6BENCH_CHECK=1, S6BENCH_LOOPS=1, PYTHONHASHSEED=0, **extra)

    def argv(self):
        return ["run_benchmark.py", *ARGS.get(self.name, [])]

    def _finish(self, out):
        out_file = OUTPUT_FILES.get(self.name)
        if out_file:
            path = self.dir / out_file
            data = path.read_bytes() if path.exists() else b"<missing>"
            out.stdout += f"[{out_file} sha256 {hashlib.sha256(data).hexdigest()}]\n".encode()
            path.unlink(missing_ok=True)
        return out

    def plain(self):
        return self._finish(run([str(PYTHON), *self.argv()], self.dir, self.env()))

    def profiled(self):
        return self._finish(run([str(S6C), "profile", "-o", str(self.profile), "--", *self.argv()],
                                self.dir, self.env()))

    def build(self):
        check([str(S6C), "build", "--all", "-o", str(self.cache), str(self.profile)], self.dir)

    def cached(self, stress):
        self.stats.unlink(missing_ok=True)
        extra = {"S6_CACHE": self.cache, "S6_STATS": self.stats}
        if stress:
            extra["S6_DEOPT_STRESS"] = 1
        out = self._finish(run([str(PYTHON), *self.argv()], self.dir, self.env(**extra)))
        stats = json.loads(self.stats.read_text()) if self.stats.exists() else None
        return out, stats


def assert_same(expected, got, what):
    assert got.returncode == expected.returncode, f"{what}: exit status differs\n{got.describe()}"
    assert got.stdout == expected.stdout, f"{what}: stdout differs\n{got.describe()}"
    assert got.stderr == expected.stderr, f"{what}: stderr differs\n{got.describe()}"


@pytest.fixture(scope="module", params=PYPERF)
def bench(request, venv_python, s6c):
    if not BENCHMARKS.is_dir():
        pytest.fail("pyperformance is not installed in .venv: run `make setup`")
    b = Benchmark(request.param)
    b.expected = b.plain()
    assert b.expected.returncode == 0, f"plain run fails:\n{b.expected.describe()}"
    assert b"CHECK " in b.expected.stdout, "check mode printed no CHECK line"
    b.profiled_out = b.profiled()
    if b.profile.exists():
        b.build()
    return b


@pytest.mark.parametrize("mode", MODES)
def test_pyperformance(bench, mode):
    if mode == "profiled":
        assert_same(bench.expected, bench.profiled_out, "profiling run")
        assert bench.profile.exists(), "no profile written"
        return
    assert bench.cache.exists(), "no cache was built"
    got, stats = bench.cached(stress=mode == "stress")
    assert_same(bench.expected, got, f"{mode} run")
    assert stats is not None, "S6_STATS report missing"
    assert stats["native_entries"] > 0, f"no native code ran: {stats}"
    if mode == "stress":
        assert stats["deopts"] > 0, f"stress mode forced no deopt"
