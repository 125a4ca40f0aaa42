"""The service example end to end: `python run.py [--requests N] [--workers W] [--dir DIR]`.

With the python of an environment where the s6 wheel and gunicorn are installed (`.venv` after
`make setup`): serves app.py with gunicorn's pre-forked workers on 127.0.0.1 three times, each
time under the same bounded load (client.py), and stops the server with SIGTERM as a container
would:
  1. plain CPython;
  2. under `s6c profile` (the workers are forked children: each profiles itself, s6c merges);
  3. from the cache `s6c build` made of that profile, with S6_STATS=DIR/stats/%p.json.
Then checks that the three runs answered identically and that native code ran in the workers.
Exit status 0 when both hold.
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
APP_FUNCTIONS = ("app.line_total", "app.quote", "app.digest", "app.parse_order", "app.app")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_and_load(prefix, env, workers, requests, out):
    port = free_port()
    server = subprocess.Popen(
        [*prefix, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--chdir", str(HERE), "--log-level", "warning", "app:app"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        subprocess.run([sys.executable, str(HERE / "client.py"), str(port), str(requests), "4",
                        str(out)], check=True, timeout=300)
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=60)
    if server.returncode != 0 or stderr:
        sys.exit(f"server {' '.join(prefix)} ended with {server.returncode}:\n{stderr}")
    return json.loads(Path(out).read_text())


def differences(a, b):
    diffs = [(x, y) for x, y in zip(a["responses"], b["responses"]) if x != y]
    if len(a["responses"]) != len(b["responses"]):
        diffs.append((f"{len(a['responses'])} responses", f"{len(b['responses'])} responses"))
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="s6-service-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("S6_")}
    s6c = str(BIN / "s6c")

    plain = serve_and_load([sys.executable], env, args.workers, args.requests, work / "plain.json")
    profiled = serve_and_load([s6c, "profile", "-o", str(work / "service.s6prof")], env,
                              args.workers, args.requests, work / "profiled.json")
    built = subprocess.run([s6c, "build", "-o", str(work / "cache"), str(work / "service.s6prof")],
                           check=True, stdout=subprocess.PIPE, text=True)
    print("build: " + (built.stdout.splitlines() or ["(no output)"])[0])
    stats = work / "stats"
    stats.mkdir(exist_ok=True)
    cached_env = dict(env, S6_CACHE=str(work / "cache"), S6_STATS=f"{stats}/%p.json")
    cached = serve_and_load([sys.executable], cached_env, args.workers, args.requests,
                            work / "cached.json")

    ok = True
    for name, run in (("profiled", profiled), ("cached", cached)):
        diffs = differences(plain, run)
        print(f"{name}: {len(run['responses'])} responses, "
              f"{'identical to plain' if not diffs else f'{len(diffs)} differ from plain'}")
        for x, y in diffs[:5]:
            print(f"  plain:  {x}\n  {name}: {y}")
        ok &= not diffs

    reports = {int(p.stem): json.loads(p.read_text()) for p in stats.glob("*.json")}
    served = {int(w) for w in cached["workers"]}
    print(f"stats from {len(reports)} process(es); workers that answered: {sorted(served)}")
    for pid, rep in sorted(reports.items()):
        entries = {f: rep["functions"].get(f, {}).get("native_entries", 0) for f in APP_FUNCTIONS}
        print(f"  pid {pid}{' (worker)' if pid in served else ''}: "
              f"{sum(entries.values())} native entries "
              + ", ".join(f"{f.split('.')[1]}={n}" for f, n in entries.items() if n))
        if pid in served and sum(entries.values()) == 0:
            print(f"  worker {pid} answered but ran no native code")
            ok = False
    if not ok:
        # What the build had to go on: the profile's hottest functions.
        shown = subprocess.run([s6c, "inspect", "profile", str(work / "service.s6prof")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print("\n".join(shown.stdout.splitlines()[:12]))
    missing = served - set(reports)
    if missing:
        print(f"no stats from worker(s) {sorted(missing)}")
        ok = False
    print(f"files in {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
