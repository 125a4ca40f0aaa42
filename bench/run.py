"""`make bench`: speed of s6-compiled code against plain CPython, measured side by side.

Benchmark sets (`--set`, default `default`):

  default  pyperformance's 13 programs the project started with (chaos ... unpack_sequence).
  wider    the project's own programs in ordinary styles (bench/programs/*.py: an OO simulation,
           a parser, graph search, numeric loops, record processing, text processing, an
           interpreter, a grid program, a generator pipeline, exception-heavy code) and the other
           pure-Python pyperformance programs (coroutines, deepcopy, generators, meteor_contest,
           pyflate, richards_super, barnes_hut, scimark; deepcopy, pickle/unpickle_pure_python
           and regex_compile, whose work is pure-Python stdlib code, are profiled --include-libs).
  libs     small drivers (bench/libs/lib_*.py) of real pure-Python PyPI libraries, pinned in
           bench/requirements.txt and installed into .venv with pip when missing; profiled with
           `s6c profile --include-libs` so that the library code is compiled.
  all      the three, one after the other.

Every benchmark runs as a plain script in one process: pyperformance's files are copied
unmodified into target/bench/<name>/ with bench/pyperf_standin.py as their `pyperf`; the
project's programs and the library drivers are copied there with a generated run_benchmark.py
that times their `bench_*` function through the same stand-in. For each: profile it with
`s6c profile` (0.3 s of work), compile with `s6c build`, check that the output is the same plain
and with the cache (stand-in check mode: one call, digest of the results; a difference is a
compiler bug and is flagged DIFFERS), then alternate plain and S6_CACHE runs ROUNDS times and
compare the per-loop times (median over rounds). Prints one line per benchmark and the geomean
of each set.

    .venv/bin/python bench/run.py [--set default|wider|libs|all] [--bench richards,life]
                                  [--rounds 3] [--seconds 1.0] [--all] [--no-check] [--json F]

When the machine is too busy to time, bench/icount.py counts instructions instead (on the
benchmarks this script prepared).
"""
import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "target" / "bench"
PROGRAMS = ROOT / "bench" / "programs"
LIBS = ROOT / "bench" / "libs"
BENCH_REQUIREMENTS = ROOT / "bench" / "requirements.txt"
DEFAULT = ("chaos comprehensions deltablue fannkuch float go hexiom nbody nqueens raytrace richards "
           "spectral_norm unpack_sequence").split()
BENCH_RE = re.compile(r"^BENCH (\S+) loops=(\d+) elapsed=([0-9.]+)$", re.M)


@dataclass
class Bench:
    """One benchmark: `kind` is "pyperf" (a pyperformance benchmark directory, `source` its name
    there), "program" (bench/programs/NAME.py) or "lib" (bench/libs/NAME.py)."""
    name: str
    kind: str
    source: str = ""
    args: list = field(default_factory=list)
    include_libs: bool = False

    def __post_init__(self):
        self.source = self.source or self.name


# The other pure-Python pyperformance programs: no third-party dependencies, CPU work in Python
# (see ../shared/research/peers-baseline.md). mdp is left out: one loop takes ~9 s here.
WIDER_PYPERF = [
    Bench("coroutines", "pyperf"), Bench("generators", "pyperf"),
    Bench("meteor_contest", "pyperf"), Bench("pyflate", "pyperf"), Bench("richards_super", "pyperf"),
    Bench("barnes_hut", "pyperf"), Bench("scimark", "pyperf"),
    # Their work is in pure-Python stdlib modules (copy.deepcopy, pickle without _pickle, the re
    # compiler): without --include-libs none of it would be compiled.
    Bench("deepcopy", "pyperf", include_libs=True),
    Bench("pickle_pure_python", "pyperf", "pickle", ["--pure-python", "pickle"], include_libs=True),
    Bench("unpickle_pure_python", "pyperf", "pickle", ["--pure-python", "unpickle"], include_libs=True),
    Bench("regex_compile", "pyperf", include_libs=True),
]


def program_benches():
    return [Bench(p.stem, "program") for p in sorted(PROGRAMS.glob("*.py"))]


def lib_benches():
    return [Bench(p.stem, "lib", include_libs=True) for p in sorted(LIBS.glob("lib_*.py"))]


def sets():
    return {
        "default": [Bench(n, "pyperf") for n in DEFAULT],
        "wider": program_benches() + WIDER_PYPERF,
        "libs": lib_benches(),
    }


def pyperformance_dir(source):
    import pyperformance

    src = Path(pyperformance.__file__).parent / "data-files" / "benchmarks" / f"bm_{source}"
    if not src.is_dir():
        sys.exit(f"bench: no pyperformance benchmark named {source!r}")
    return src


def benchmark_dir(name):
    """A fresh copy of pyperformance's benchmark `name` with the stand-in (bench/build_speed.py
    uses this too)."""
    return prepare(Bench(name, "pyperf"))


RUNNER = '''"""Generated by bench/run.py: times {module}.{func} through bench/pyperf_standin.py."""
import sys

import pyperf
import {module} as program

size = int(sys.argv[1]) if len(sys.argv) > 1 else program.SIZE
pyperf.Runner().bench_func("{name}", program.{func}, size)
'''


def prepare(b, work=WORK):
    """target/bench/<name>/ (or work/<name>/) with run_benchmark.py, pyperf.py (the stand-in) and
    bench.json (how to run it: bench/icount.py reads it)."""
    dst = work / b.name
    if dst.exists():
        shutil.rmtree(dst)
    if b.kind == "pyperf":
        shutil.copytree(pyperformance_dir(b.source), dst, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        src = (PROGRAMS if b.kind == "program" else LIBS) / f"{b.source}.py"
        text = src.read_text()
        funcs = re.findall(r"^def (bench_\w+)\(", text, re.M)
        if len(funcs) != 1 or not re.search(r"^SIZE = ", text, re.M):
            sys.exit(f"bench: {src} must define SIZE and exactly one bench_* function")
        dst.mkdir(parents=True)
        shutil.copy(src, dst / src.name)
        (dst / "run_benchmark.py").write_text(RUNNER.format(module=src.stem, func=funcs[0], name=b.name))
    shutil.copy(Path(__file__).with_name("pyperf_standin.py"), dst / "pyperf.py")
    (dst / "bench.json").write_text(json.dumps({"argv": ["run_benchmark.py", *b.args],
                                                "include_libs": b.include_libs}))
    return dst


def ensure_requirements():
    """Install bench/requirements.txt into .venv when a pinned version is missing there."""
    pins = {}
    for line in BENCH_REQUIREMENTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name.strip()] = version.strip()
    probe = ("import importlib.metadata as m, json, sys\n"
             "def v(n):\n"
             "    try:\n        return m.version(n)\n"
             "    except m.PackageNotFoundError:\n        return None\n"
             "print(json.dumps({n: v(n) for n in sys.argv[1:]}))")
    have = json.loads(subprocess.run([BIN / "python", "-c", probe, *pins], capture_output=True,
                                     text=True, check=True).stdout)
    missing = [f"{n}=={v}" for n, v in pins.items() if have.get(n) != v]
    if missing:
        print(f"bench: installing {' '.join(missing)} (bench/requirements.txt) into .venv", flush=True)
        subprocess.run([BIN / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "-r", BENCH_REQUIREMENTS], check=True)


def env(**extra):
    e = {k: v for k, v in os.environ.items() if not k.startswith("S6")}
    e.update({k: str(v) for k, v in extra.items()})
    return e


def run_once(d, argv, e):
    p = subprocess.run([BIN / "python", *argv], cwd=d, env=e, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"exit {p.returncode}: {p.stderr.strip().splitlines()[-1:]}")
    per_loop = {m[0]: float(m[2]) / int(m[1]) for m in BENCH_RE.findall(p.stdout)}
    if not per_loop:
        raise RuntimeError("no BENCH line in output")
    return per_loop


def check_same(d, argv, cache):
    """One check-mode run plain and one with the cache: None if stdout, stderr and exit status
    are identical, else a short description of the first difference."""
    outs = []
    for extra in ({}, {"S6_CACHE": cache}):
        p = subprocess.run([BIN / "python", *argv], cwd=d, capture_output=True, text=True,
                           env=env(S6BENCH_CHECK=1, S6BENCH_LOOPS=1, PYTHONHASHSEED=0, **extra))
        outs.append((p.returncode, p.stdout, p.stderr))
    (rc0, out0, err0), (rc1, out1, err1) = outs
    if outs[0] == outs[1]:
        return None
    if rc0 != rc1:
        return f"exit {rc0} plain, {rc1} native: {err1.strip().splitlines()[-1:]}"
    for what, a, b in (("stdout", out0, out1), ("stderr", err0, err1)):
        if a != b:
            la, lb = a.splitlines(), b.splitlines()
            i = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
            return f"{what} line {i + 1}: plain {la[i:i + 1]} vs native {lb[i:i + 1]}"
    return "differs"


def measure(b, args):
    """Rows (name, plain s/loop, native s/loop, note) for one benchmark."""
    d = prepare(b)
    argv = ["run_benchmark.py", *b.args]
    prof, cache, stats = d / "prof.s6prof", d / "cache", d / "stats.json"
    libs = ["--include-libs"] if b.include_libs else []
    p = subprocess.run([BIN / "s6c", "profile", *libs, "-o", prof, "--", *argv], cwd=d,
                       env=env(S6BENCH_SECONDS=0.3), capture_output=True, text=True)
    bp = p.returncode == 0 and subprocess.run(
        [BIN / "s6c", "build", "-o", cache, *(["--all"] if args.all else []), prof],
        cwd=d, env=env(), capture_output=True, text=True)
    if not bp or bp.returncode:
        err = (p.stderr if p.returncode else bp.stderr).strip().splitlines()[-1:]
        return [(b.name, None, None, f"pipeline failed: {err}")]
    differs = None if args.no_check else check_same(d, argv, cache)
    plain, native = [], []
    try:
        for _ in range(args.rounds):
            plain.append(run_once(d, argv, env(S6BENCH_SECONDS=args.seconds)))
            native.append(run_once(d, argv, env(S6BENCH_SECONDS=args.seconds, S6_CACHE=cache, S6_STATS=stats)))
    except RuntimeError as err:
        return [(b.name, None, None, f"run failed: {err}")]
    st = json.loads(stats.read_text()) if stats.exists() else {}
    note = f"native entries {st.get('native_entries')}, deopts {st.get('deopts')}"
    if differs:
        note = f"DIFFERS plain vs native ({differs}); {note}"
    rows = []
    for sub in plain[0]:
        tp = statistics.median(r[sub] for r in plain)
        tn = statistics.median(r[sub] for r in native)
        rows.append((sub, tp, tn, note))
    return rows


def geomean(rows):
    ratios = [tp / tn for _, tp, tn, _ in rows if tp]
    return math.exp(sum(map(math.log, ratios)) / len(ratios)) if ratios else None, len(ratios)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="default", choices=["default", "wider", "libs", "all"])
    ap.add_argument("--bench", help="comma-separated names from any set (overrides --set)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--all", action="store_true", help="compile every profiled code object")
    ap.add_argument("--no-check", action="store_true", help="skip the plain-vs-native output check")
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args()
    known = sets()
    if args.bench:
        by_name = {b.name: b for group in known.values() for b in group}
        unknown = [n for n in args.bench.split(",") if n not in by_name]
        # Any other pyperformance benchmark runs as it is, without --include-libs.
        chosen = {"selected": [by_name.get(n) or Bench(n, "pyperf") for n in args.bench.split(",")]}
        if unknown:
            print(f"bench: {', '.join(unknown)}: not in a set, run as pyperformance benchmarks", flush=True)
    else:
        names = ["default", "wider", "libs"] if args.set == "all" else [args.set]
        chosen = {n: known[n] for n in names}
    if any(b.kind == "lib" for group in chosen.values() for b in group):
        ensure_requirements()
    WORK.mkdir(parents=True, exist_ok=True)
    results, kinds = {}, {}
    for set_name, group in chosen.items():
        if len(chosen) > 1:
            print(f"== {set_name}", flush=True)
        rows = results[set_name] = []
        for b in group:
            for name, tp, tn, note in measure(b, args):
                rows.append((name, tp, tn, note))
                kinds[name] = b.kind
                if tp is None:
                    print(f"{name:20} {note}", flush=True)
                else:
                    print(f"{name:20} plain {tp * 1e3:9.2f} ms  s6 {tn * 1e3:9.2f} ms  {tp / tn:5.2f}x  ({note})",
                          flush=True)
    for set_name, rows in results.items():
        geo, n = geomean(rows)
        differs = sum("DIFFERS" in note for *_, note in rows)
        slower = sum(1 for _, tp, tn, _ in rows if tp and tp < tn)
        if geo is not None:
            print(f"geomean speed-up over {n} benchmarks ({set_name}): {geo:.2f}x "
                  f"({len(rows) - n} failed, {slower} slower than plain, {differs} with different output)")
        parts = {k: geomean([r for r in rows if kinds[r[0]] == k]) for k in sorted({kinds[r[0]] for r in rows})}
        if len(parts) > 1:
            label = {"program": "bench/programs", "pyperf": "pyperformance", "lib": "libraries"}
            print("  of which " + ", ".join(f"{label[k]} {g:.2f}x over {m}" for k, (g, m) in parts.items()
                                            if g is not None))
    if len(results) > 1:
        geo, n = geomean([r for rows in results.values() for r in rows])
        if geo is not None:
            print(f"geomean speed-up over all {n} benchmarks: {geo:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {s: [{"name": n, "plain_s": tp, "s6_s": tn, "note": note} for n, tp, tn, note in rows]
             for s, rows in results.items()}, indent=1))


if __name__ == "__main__":
    main()
