"""Instruction counts of plain CPython vs the cache, for when the machine is too busy to time.

`valgrind --tool=callgrind` counts executed instructions, which do not depend on what else the
machine is doing (cache misses and branch mispredictions are not in them, so this is a proxy,
not a speed: `make bench` is the measurement). Each benchmark that `bench/run.py` prepared under
target/bench/ (its profile) is built again with the current `s6c`, then runs its benchmark
function K+1 and 1 times in check mode (`S6BENCH_CHECK=1`), and the difference is the cost of K
loops without start-up. Works on every set of bench/run.py (`--set wider`, `--set libs`: the
benchmarks it prepared last).

    .venv/bin/python bench/icount.py [--bench nbody,richards] [--loops 3]
    .venv/bin/python bench/icount.py --skip-pass unbox_params   # native without vs with a pass
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
WORK = ROOT / "target" / "bench"


def count(d, loops, cache):
    env = {k: v for k, v in os.environ.items() if not k.startswith("S6")}
    # A fixed hash seed: str hashes (so dict probe sequences and their instruction counts) would
    # otherwise differ from run to run, by a few percent on dict-heavy programs.
    env.update(S6BENCH_CHECK="1", S6BENCH_LOOPS=str(loops), PYTHONHASHSEED="0")
    if cache:
        env["S6_CACHE"] = str(cache)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        # bench.json (written by bench/run.py) holds the benchmark's arguments, if any.
        meta = d / "bench.json"
        argv = json.loads(meta.read_text())["argv"] if meta.exists() else ["run_benchmark.py"]
        p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", str(PY),
                            *argv], cwd=d, env=env, capture_output=True, text=True)
        m = re.search(r"Collected : (\d+)", p.stderr)
        if p.returncode or not m:
            raise RuntimeError(p.stderr.strip().splitlines()[-1:])
        return int(m.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=",".join(sorted(p.name for p in WORK.iterdir() if (p / "cache").is_dir())))
    ap.add_argument("--loops", type=int, default=3)
    ap.add_argument("--skip-pass", metavar="PASS",
                    help="compare native code built without PASS against the default pipeline "
                         "(instead of plain CPython against native)")
    args = ap.parse_args()
    if args.skip_pass:
        return compare_pass(args)
    ratios = []
    for name in args.bench.split(","):
        d = WORK / name
        if not (d / "cache").is_dir():
            print(f"{name:16} no cache: run bench/run.py --bench {name} first", flush=True)
            continue
        b = subprocess.run([str(ROOT / ".venv" / "bin" / "s6c"), "build", "-o", str(d / "cache"),
                            str(d / "prof.s6prof")], capture_output=True, text=True)
        if b.returncode:
            print(f"{name:16} build failed: {b.stderr.strip()}", flush=True)
            continue
        try:
            plain = count(d, args.loops + 1, None) - count(d, 1, None)
            native = count(d, args.loops + 1, d / "cache") - count(d, 1, d / "cache")
        except RuntimeError as e:
            print(f"{name:16} failed: {e}", flush=True)
            continue
        ratios.append(plain / native)
        print(f"{name:16} plain {plain / args.loops / 1e6:10.1f} M instr/loop  s6 "
              f"{native / args.loops / 1e6:10.1f} M  {plain / native:5.2f}x", flush=True)
    if ratios:
        print(f"geomean instruction ratio over {len(ratios)}: "
              f"{math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}x")


def compare_pass(args):
    """Native instructions per loop without `args.skip_pass` (A) and with it (B)."""
    ratios = []
    for name in args.bench.split(","):
        d = WORK / name
        counts = []
        for extra, cache in (["--skip-pass", args.skip_pass], d / "cache_skip"), ([], d / "cache"):
            b = subprocess.run([str(ROOT / ".venv" / "bin" / "s6c"), "build", "-o", str(cache), *extra,
                                str(d / "prof.s6prof")], capture_output=True, text=True)
            if b.returncode:
                raise SystemExit(f"{name}: build failed: {b.stderr.strip()}")
            counts.append(count(d, args.loops + 1, cache) - count(d, 1, cache))
        a, b = counts
        ratios.append(a / b)
        print(f"{name:16} without {args.skip_pass} {a / args.loops / 1e6:10.1f} M instr/loop  with "
              f"{b / args.loops / 1e6:10.1f} M  {a / b:5.3f}x", flush=True)
    if ratios:
        print(f"geomean: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.3f}x")


if __name__ == "__main__":
    sys.exit(main())
