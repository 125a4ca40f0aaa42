"""Build speed of `s6c build --all` on real code nobody here wrote: a few pyperformance programs
(copied unmodified into target/bench/ with bench/pyperf_standin.py as their `pyperf`, by
bench/run.py's `benchmark_dir`) are profiled with `s6c profile --include-libs`, so the stdlib
and site-packages code they run is in the profile too; the profiles are merged by one `s6c build --all` per thread count. Prints what
`s6c build` reports: functions through the compiler, functions/s (wall clock) and functions per
CPU-second of the workers (the robust figure on a shared machine). Not a test:

    .venv/bin/python bench/build_speed.py [--bench richards,json_dumps] [--jobs 1,2] [--rounds 3]

Profiles and caches stay in target/build_speed/ (`s6c build` can be rerun on them by hand).
"""
import argparse
import re
import statistics
import subprocess
import sys

from run import BIN, ROOT, benchmark_dir, env  # bench/run.py: the same program copies

WORK = ROOT / "target" / "build_speed"
DEFAULT = "richards deltablue go raytrace json_dumps pprint pathlib".split()
# The line `s6c build` prints after its summary (cli/src/build.rs).
SPEED_RE = re.compile(
    r"^(\d+) object\(s\) in .*?; (\d+) function\(s\) through the compiler in ([0-9.]+)s "
    r"on (\d+) thread\(s\): ([0-9.]+) functions/s(?:, ([0-9.]+) per CPU-second)?",
    re.M,
)


def check_output(cmd, **kw):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if p.returncode:
        tail = (p.stderr.strip() or p.stdout.strip()).splitlines()[-3:]
        sys.exit(f"build_speed: {' '.join(map(str, cmd))} failed (exit {p.returncode}): {tail}")
    return p.stdout


def profile(name, seconds):
    d = benchmark_dir(name)
    out = WORK / f"{name}.s6prof"
    check_output([BIN / "s6c", "profile", "--include-libs", "-o", out, "run_benchmark.py"],
        cwd=d, env=env(S6BENCH_SECONDS=seconds))
    return out


def build(profiles, jobs, cache):
    """One `s6c build --all`: (summary line, functions, compile seconds, functions/s,
    functions per CPU-second or None)."""
    out = check_output([BIN / "s6c", "build", "--all", "-j", jobs, "-o", cache, *profiles])
    m = SPEED_RE.search(out)
    if not m:
        sys.exit(f"build_speed: no speed line in the output of s6c build:\n{out}")
    per_cpu = float(m[6]) if m[6] else None
    return out.splitlines()[0], int(m[2]), float(m[3]), float(m[5]), per_cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=",".join(DEFAULT),
                    help="comma-separated pyperformance benchmark names")
    ap.add_argument("--jobs", default="1,2", help="comma-separated worker-thread counts")
    ap.add_argument("--rounds", type=int, default=3, help="builds per thread count (median)")
    ap.add_argument("--seconds", type=float, default=0.3,
                    help="how long each program runs its benchmark while profiled")
    args = ap.parse_args()
    if not (BIN / "s6c").exists():
        sys.exit("build_speed: no .venv/bin/s6c; run `make setup` first")
    WORK.mkdir(parents=True, exist_ok=True)

    names = [n for n in args.bench.split(",") if n]
    profiles = []
    for name in names:
        print(f"profiling {name} (--include-libs) ...", flush=True)
        profiles.append(profile(name, args.seconds))

    print(f"\ns6c build --all of {len(profiles)} merged profiles ({', '.join(names)}):")
    print(f"{'threads':>7} {'functions':>9} {'compile s':>9} {'functions/s':>11} "
          f"{'per CPU-s':>9}")
    summary = None
    for jobs in [int(j) for j in args.jobs.split(",") if j]:
        results = [build(profiles, jobs, WORK / f"cache-j{jobs}") for _ in range(args.rounds)]
        summary = results[-1][0]
        per_cpu = [r[4] for r in results if r[4] is not None]
        print(f"{jobs:>7} {results[-1][1]:>9} "
              f"{statistics.median(r[2] for r in results):>9.2f} "
              f"{statistics.median(r[3] for r in results):>11.0f} "
              f"{statistics.median(per_cpu) if per_cpu else float('nan'):>9.0f}")
    if summary:
        print(f"\n{summary}")


if __name__ == "__main__":
    main()
