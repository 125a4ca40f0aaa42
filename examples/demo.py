"""`make demo`: the main job on the bundled example, as a user would run it.

profile (s6c profile) -> build (s6c build) -> run with the cache (S6_CACHE), checking that the
output is unchanged and printing plain vs native timings measured side by side.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "target" / "demo"
PROGRAM = HERE / "particles.py"
PROFILE_ARGS = ["60"]
BENCH_ARGS = ["300"]
ROUNDS = 3


def sh(cmd, env=None):
    print("$", " ".join(str(c) for c in cmd), flush=True)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    return p


def timed(env):
    t0 = time.perf_counter()
    p = subprocess.run([BIN / "python", PROGRAM, *BENCH_ARGS], env=env, capture_output=True, text=True)
    return time.perf_counter() - t0, p


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    profile = WORK / "particles.s6prof"
    cache = WORK / "cache"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("S6_")}

    if sh([BIN / "s6c", "profile", "-o", profile, "--", PROGRAM, *PROFILE_ARGS]).returncode:
        sys.exit("demo: profiling failed")
    sh([BIN / "s6c", "inspect", "profile", profile, "--top", "5"])
    built = sh([BIN / "s6c", "build", "-o", cache, profile])
    if built.returncode:
        sys.exit("demo: s6c build failed (see above)")

    stats = WORK / "stats.json"
    native_env = dict(base_env, S6_CACHE=str(cache), S6_STATS=str(stats))
    plain_t, native_t = [], []
    for _ in range(ROUNDS):  # alternate so both see the same machine conditions
        t, plain = timed(base_env)
        plain_t.append(t)
        t, native = timed(native_env)
        native_t.append(t)
        if (plain.stdout, plain.stderr, plain.returncode) != (native.stdout, native.stderr, native.returncode):
            print("demo: OUTPUT DIFFERS between plain and native runs", file=sys.stderr)
            print("plain:", plain.stdout, plain.stderr, "native:", native.stdout, native.stderr, file=sys.stderr)
            sys.exit(1)
    print(f"output identical: {plain.stdout.strip()}")
    report = json.loads(stats.read_text()) if stats.exists() else {}
    print(f"native functions loaded: {report.get('functions_loaded')}, native entries: "
          f"{report.get('native_entries')}, deopts: {report.get('deopts')}")
    best_plain, best_native = min(plain_t), min(native_t)
    print(f"plain CPython: {best_plain:.3f}s   s6 native: {best_native:.3f}s   "
          f"speed-up: {best_plain / best_native:.2f}x (best of {ROUNDS}, alternating)")


if __name__ == "__main__":
    main()
