"""Overhead of profiling (S6_PROFILE, what `s6c profile` sets) on pyperformance's `richards`
and `nbody`: each benchmark body runs in a fresh `.venv/bin/python`, plain and profiled,
alternating, for N rounds; prints the median ratio profiled/plain of the benchmark body time
(measured inside the program, wall clock and CPU time: the CPU figure is the robust one on a
shared machine) and of the whole process (start-up and profile writing included). Not a test: `make bench`-style, `python bench/profile_overhead.py [--rounds N]`.

The benchmark files are copied out of site-packages into a temporary directory so that they
are the *program's own* code, as a user's program would be (library code is not profiled).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")

DRIVER = """\
import sys, time
name, work = sys.argv[1], int(sys.argv[2])
t0, c0 = time.perf_counter(), time.process_time()
if name == "richards":
    import bm_richards
    bm_richards.Richards().run(work)
else:
    import bm_nbody
    bm_nbody.bench_nbody(work, bm_nbody.DEFAULT_REFERENCE, bm_nbody.DEFAULT_ITERATIONS)
print(time.perf_counter() - t0, time.process_time() - c0)
"""

WORK = {"richards": 12, "nbody": 6}


def benchmark_files():
    import pyperformance

    base = Path(pyperformance.__file__).parent / "data-files" / "benchmarks"
    return {name: base / f"bm_{name}" / "run_benchmark.py" for name in WORK}


def run_once(workdir, name, work, profile_path, env_base):
    env = dict(env_base)
    if profile_path is not None:
        env["S6_PROFILE"] = str(profile_path)
    t0 = time.perf_counter()
    r = subprocess.run([PY, "driver.py", name, str(work)], cwd=workdir, env=env,
                       capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    if profile_path is not None and not Path(profile_path).exists():
        sys.exit(f"profile not written: {r.stderr}")
    body, cpu = map(float, r.stdout.split())
    return body, cpu, wall


def sampler_cost_ns():
    code = (
        "import sys\n"
        "from s6 import _s6\n"
        "def deep(n):\n"
        "    return _s6._sampler_cost_ns(20000) if n == 0 else deep(n - 1)\n"
        "print(deep(int(sys.argv[1])))\n"
    )
    return {depth: float(subprocess.run([PY, "-c", code, str(depth)], capture_output=True,
                                        text=True, check=True).stdout) for depth in (1, 20, 100)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--interval-us", type=int, default=None, help="S6_PROFILE_INTERVAL_US")
    ap.add_argument("--snapshot-ms", type=int, default=None, help="S6_PROFILE_SNAPSHOT_MS")
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith("S6_")}
    if args.interval_us:
        env["S6_PROFILE_INTERVAL_US"] = str(args.interval_us)
    if args.snapshot_ms:
        env["S6_PROFILE_SNAPSHOT_MS"] = str(args.snapshot_ms)
    with tempfile.TemporaryDirectory(prefix="s6-overhead-") as tmp:
        work = Path(tmp)
        for name, src in benchmark_files().items():
            shutil.copy(src, work / f"bm_{name}.py")
        (work / "driver.py").write_text(DRIVER)
        print(f"{'benchmark':10} {'plain s':>8} {'profiled s':>10} {'body x':>7} {'body cpu x':>10} "
              f"{'process x':>9}")
        ratios, cpu_ratios = [], []
        for name, n in WORK.items():
            plain, prof, plain_wall, prof_wall, plain_cpu, prof_cpu = [], [], [], [], [], []
            run_once(work, name, n, None, env)  # warm the page cache and .pyc files
            for i in range(args.rounds):
                order = [None, work / f"{name}.s6prof"]
                if i % 2:
                    order.reverse()
                for p in order:
                    body, cpu, wall = run_once(work, name, n, p, env)
                    (plain if p is None else prof).append(body)
                    (plain_cpu if p is None else prof_cpu).append(cpu)
                    (plain_wall if p is None else prof_wall).append(wall)
            body_x = statistics.median(prof) / statistics.median(plain)
            wall_x = statistics.median(prof_wall) / statistics.median(plain_wall)
            cpu_x = statistics.median(prof_cpu) / statistics.median(plain_cpu)
            ratios.append(body_x)
            cpu_ratios.append(cpu_x)
            print(f"{name:10} {statistics.median(plain):8.3f} {statistics.median(prof):10.3f} "
                  f"{body_x:7.3f} {cpu_x:10.3f} {wall_x:9.3f}")
        print(f"geomean body ratio: wall {statistics.geometric_mean(ratios):.3f}x, "
              f"CPU {statistics.geometric_mean(cpu_ratios):.3f}x (target <= 1.05x)")
    costs = sampler_cost_ns()
    print("sampler cost per sample (stack walk, no signal delivery): "
          + ", ".join(f"{d} frames {ns:.0f} ns" for d, ns in costs.items()))


if __name__ == "__main__":
    main()
