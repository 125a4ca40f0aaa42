"""Cost of the s6 frame-evaluation hook on a program with nothing compiled.

Runs pyperformance-style workloads in fresh interpreters, plain and with `S6_CACHE` pointing at
a valid cache that holds no functions (so the hook is installed and every call goes through
it, deciding "no native code" once per code object), alternating, best of N. Prints the time
ratio per workload and the geometric mean. Usage: .venv/bin/python bench/hook_overhead.py [-n 5]
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile
import time

WORKLOAD = r'''
import sys, time

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

class Task:
    def __init__(self, prio):
        self.prio = prio
        self.count = 0
    def run(self, k):
        self.count += k
        return self.count % 7

def tasks(n):
    ts = [Task(i) for i in range(50)]
    s = 0
    for i in range(n):
        s += ts[i % 50].run(i)
    return s

def nbody(steps):
    bodies = [[float(i), float(i * 2), float(i * 3), 0.1 * i, 0.2, 0.3, 1.0 + i] for i in range(5)]
    for _ in range(steps):
        for i, (x1, y1, z1, vx1, vy1, vz1, m1) in enumerate(bodies):
            for j in range(i + 1, 5):
                b2 = bodies[j]
                dx, dy, dz = x1 - b2[0], y1 - b2[1], z1 - b2[2]
                mag = 0.01 / ((dx * dx + dy * dy + dz * dz + 0.01) ** 1.5)
                b2[3] += dx * m1 * mag
    return bodies[4][3]

def gen(n):
    def squares(k):
        for i in range(k):
            yield i * i
    return sum(sum(squares(50)) for _ in range(n))

def strings(n):
    out = []
    for i in range(n):
        out.append(f"{i}:{i * 2}".upper().split(":")[0])
    return len("".join(out))

WORK = {"fib": (fib, 27), "tasks": (tasks, 1000000), "nbody": (nbody, 60000),
        "generators": (gen, 12000), "strings": (strings, 500000)}
name = sys.argv[1]
func, arg = WORK[name]
t0 = time.perf_counter()
func(arg)
print(time.perf_counter() - t0)
'''

NAMES = ["fib", "tasks", "nbody", "generators", "strings"]


def empty_cache(python, path):
    os.makedirs(path, mode=0o755, exist_ok=True)
    code = ("import sys, s6; from s6 import _s6; "
            "_s6._test_write_manifest(sys.argv[1], s6._abi_stamp(), _s6.NATIVE_ABI_VERSION, [])")
    subprocess.run([python, "-c", code, path], check=True)


def run(python, script, name, env):
    out = subprocess.run([python, script, name], env=env, capture_output=True, text=True, check=True)
    if out.stderr:
        sys.exit(f"unexpected stderr: {out.stderr}")
    return float(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5, help="runs per mode and workload (best is kept)")
    args = ap.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "workload.py")
        with open(script, "w") as f:
            f.write(WORKLOAD)
        cache = os.path.join(tmp, "cache")
        empty_cache(python, cache)
        base = {k: v for k, v in os.environ.items() if not k.startswith("S6_")}
        hooked = dict(base, S6_CACHE=cache)
        # The hook must really be installed in the hooked runs.
        check = subprocess.run([python, "-c", "from s6 import _s6; print(_s6._hook_installed())"],
                               env=hooked, capture_output=True, text=True, check=True)
        assert check.stdout.strip() == "True", check
        ratios = []
        print(f"{'workload':12} {'plain s':>9} {'hook s':>9} {'ratio':>7}")
        for name in NAMES:
            plain, hook = [], []
            for _ in range(args.n):
                plain.append(run(python, script, name, base))
                hook.append(run(python, script, name, hooked))
            ratio = min(hook) / min(plain)
            ratios.append(ratio)
            print(f"{name:12} {min(plain):9.4f} {min(hook):9.4f} {ratio:7.3f}")
        geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(f"geometric mean ratio (hook / plain): {geo:.3f}")


if __name__ == "__main__":
    t = time.time()
    main()
    print(f"({time.time() - t:.0f} s)")
