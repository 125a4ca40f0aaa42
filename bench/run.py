"""`make bench`: speed of s6-compiled code against plain CPython, measured side by side.

For each pyperformance benchmark (pyperformance from PyPI, pinned in tools/requirements.txt; its
files are copied unmodified into target/bench/ with bench/pyperf_standin.py as their `pyperf`):
profile it with `s6c profile`, compile with `s6c build`, then alternate plain and S6_CACHE runs
ROUNDS times and compare the per-loop times (median over rounds). Prints a table and the geomean.

    .venv/bin/python bench/run.py [--bench richards,nbody] [--rounds 3] [--seconds 1.0] [--all]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "target" / "bench"
DEFAULT = ("chaos comprehensions deltablue fannkuch float go hexiom nbody nqueens raytrace richards "
           "spectral_norm unpack_sequence").split()
BENCH_RE = re.compile(r"^BENCH (\S+) loops=(\d+) elapsed=([0-9.]+)$", re.M)


def benchmark_dir(name):
    import pyperformance

    src = Path(pyperformance.__file__).parent / "data-files" / "benchmarks" / f"bm_{name}"
    if not src.is_dir():
        sys.exit(f"bench: no pyperformance benchmark named {name!r}")
    dst = WORK / name
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    shutil.copy(Path(__file__).with_name("pyperf_standin.py"), dst / "pyperf.py")
    return dst


def env(**extra):
    e = {k: v for k, v in os.environ.items() if not k.startswith("S6")}
    e.update({k: str(v) for k, v in extra.items()})
    return e


def run_once(d, e):
    p = subprocess.run([BIN / "python", "run_benchmark.py"], cwd=d, env=e, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"exit {p.returncode}: {p.stderr.strip().splitlines()[-1:]}")
    per_loop = {m[0]: float(m[2]) / int(m[1]) for m in BENCH_RE.findall(p.stdout)}
    if not per_loop:
        raise RuntimeError("no BENCH line in output")
    return per_loop


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=",".join(DEFAULT))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--all", action="store_true", help="compile every profiled code object")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.bench.split(","):
        d = benchmark_dir(name)
        prof, cache, stats = d / "prof.s6prof", d / "cache", d / "stats.json"
        quick = env(S6BENCH_SECONDS=0.3)
        p = subprocess.run([BIN / "s6c", "profile", "-o", prof, "--", "run_benchmark.py"], cwd=d, env=quick,
                           capture_output=True, text=True)
        b = p.returncode == 0 and subprocess.run(
            [BIN / "s6c", "build", "-o", cache, *(["--all"] if args.all else []), prof],
            cwd=d, env=env(), capture_output=True, text=True)
        if not b or b.returncode:
            err = (p.stderr if p.returncode else b.stderr).strip().splitlines()[-1:]
            rows.append((name, None, None, f"pipeline failed: {err}"))
            print(f"{name:16} pipeline failed: {err}", flush=True)
            continue
        plain, native = [], []
        try:
            for _ in range(args.rounds):
                plain.append(run_once(d, env(S6BENCH_SECONDS=args.seconds)))
                native.append(run_once(d, env(S6BENCH_SECONDS=args.seconds, S6_CACHE=cache, S6_STATS=stats)))
        except RuntimeError as err:
            rows.append((name, None, None, f"run failed: {err}"))
            print(f"{name:16} run failed: {err}", flush=True)
            continue
        st = json.loads(stats.read_text()) if stats.exists() else {}
        note = f"native entries {st.get('native_entries')}, deopts {st.get('deopts')}"
        for sub in plain[0]:
            tp = statistics.median(r[sub] for r in plain)
            tn = statistics.median(r[sub] for r in native)
            rows.append((sub, tp, tn, note))
            print(f"{sub:16} plain {tp * 1e3:9.2f} ms  s6 {tn * 1e3:9.2f} ms  {tp / tn:5.2f}x  ({note})", flush=True)
    ratios = [tp / tn for _, tp, tn, _ in rows if tp]
    if ratios:
        geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(f"geomean speed-up over {len(ratios)} benchmarks: {geo:.2f}x "
              f"({len(rows) - len(ratios)} failed)")


if __name__ == "__main__":
    main()
