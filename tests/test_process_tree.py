"""Profiles and statistics of whole process trees (`s6c profile` follows forked and exec'd
children and merges their profiles), periodic flushes that survive SIGKILL, and `--duration`."""
import json
import os
import signal
import subprocess
import time

import pytest

from conftest import clean_env

POOL = """\
import multiprocessing as mp, sys

def work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total

def main(method):
    ctx = mp.get_context(method)
    with ctx.Pool(2) as p:
        print(sum(p.map(work, [150000] * 16)))

if __name__ == "__main__":
    main(sys.argv[1])
"""

LOOP = """\
import sys, time

def spin(n):
    t = 0
    for i in range(n):
        t += i % 3
    return t

open(sys.argv[1], "w").write("started")
deadline = time.time() + float(sys.argv[2])
while time.time() < deadline:
    spin(20000)
print("done")
"""


def read_profile(venv_python, path):
    r = subprocess.run(
        [venv_python, "-c", "import sys; from s6 import _s6; print(_s6.read_profile_json(sys.argv[1]))",
         str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["profile"]


def hottest(profile):
    code = max(profile["code"], key=lambda c: c["self_samples"])
    return code["key"]["qualname"], code["self_samples"]


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_pool_workers_are_profiled_merged_and_run_natively(venv_python, s6c, tmp_path, method):
    (tmp_path / "pool.py").write_text(POOL)
    env = clean_env()
    plain = subprocess.run([venv_python, "pool.py", method], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    r = subprocess.run([s6c, "profile", "-o", "pool.s6prof", "pool.py", method], cwd=tmp_path,
                       env=env, capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout, r.stderr) == (0, plain.stdout, "")
    assert not [p for p in os.listdir(tmp_path) if ".parts." in p], "parts left behind"
    profile = read_profile(venv_python, tmp_path / "pool.s6prof")
    # The parent and both workers at least (forkserver and the resource tracker may come too).
    assert len(profile["runs"]) >= 3, profile["runs"]
    name, samples = hottest(profile)
    assert name == "work" and samples > 0, [(c["key"]["qualname"], c["self_samples"]) for c in profile["code"]]

    b = subprocess.run([s6c, "build", "-o", "cache", "pool.s6prof"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300)
    assert b.returncode == 0, b.stderr
    stats = tmp_path / "stats"
    stats.mkdir()
    cached = subprocess.run([venv_python, "pool.py", method], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120,
                            env=clean_env(S6_CACHE="cache", S6_STATS=f"{stats}/%p.json"))
    assert (cached.returncode, cached.stdout, cached.stderr) == (0, plain.stdout, "")
    # Every worker writes its report (at its last finalizer, or on the pool's SIGTERM).
    deadline = time.time() + 10
    while time.time() < deadline:
        reports = {}
        for f in stats.iterdir():
            if f.suffix == ".json":
                reports[f.stem] = json.loads(f.read_text())
        worker_entries = [sum(v["native_entries"] for k, v in rep["functions"].items()
                              if k.endswith(".work")) for rep in reports.values()]
        if sum(worker_entries) == 16:
            break
        time.sleep(0.2)
    assert sum(worker_entries) == 16, reports
    assert sum(1 for n in worker_entries if n > 0) >= 1


def test_sigkill_under_flush_leaves_a_valid_profile(venv_python, s6c, tmp_path):
    (tmp_path / "loop.py").write_text(LOOP)
    started = tmp_path / "started"
    proc = subprocess.Popen([s6c, "profile", "--flush", "1", "-o", "k.s6prof", "loop.py",
                             str(started), "60"], cwd=tmp_path, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 30
        while not started.exists() and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(3.5)
        # The program (s6c's child) dies by SIGKILL, as in a container stop; s6c merges its
        # last flush.
        kids = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True)
        pids = [int(p) for p in kids.stdout.split()]
        assert pids, "the program is not running"
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGKILL, err
    profile = read_profile(venv_python, tmp_path / "k.s6prof")
    name, samples = hottest(profile)
    assert name == "spin" and samples > 0


def test_plain_s6_profile_flush_survives_sigkill_and_p_expands(venv_python, tmp_path):
    (tmp_path / "loop.py").write_text(LOOP)
    started = tmp_path / "started"
    proc = subprocess.Popen([venv_python, "loop.py", str(started), "60"], cwd=tmp_path,
                            env=clean_env(S6_PROFILE="p-%p.s6prof", S6_PROFILE_FLUSH_S="1"))
    try:
        deadline = time.time() + 30
        while not started.exists() and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(2.5)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    profile = read_profile(venv_python, tmp_path / f"p-{proc.pid}.s6prof")
    assert hottest(profile)[0] == "spin"
    assert not [p for p in os.listdir(tmp_path) if ".tmp." in p], os.listdir(tmp_path)


def test_sigterm_writes_the_profile_and_still_kills(venv_python, tmp_path):
    (tmp_path / "loop.py").write_text(LOOP)
    started = tmp_path / "started"
    proc = subprocess.Popen([venv_python, "loop.py", str(started), "60"], cwd=tmp_path,
                            env=clean_env(S6_PROFILE="t.s6prof"))
    deadline = time.time() + 30
    while not started.exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == -signal.SIGTERM, "the program dies by SIGTERM as without us"
    assert hottest(read_profile(venv_python, tmp_path / "t.s6prof"))[0] == "spin"


def test_duration_writes_the_profile_while_the_program_runs_on(venv_python, s6c, tmp_path):
    (tmp_path / "loop.py").write_text(LOOP)
    started = tmp_path / "started"
    proc = subprocess.Popen([s6c, "profile", "--duration", "1", "-o", "d.s6prof", "loop.py",
                             str(started), "6"], cwd=tmp_path, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 30
        while not (tmp_path / "d.s6prof").exists() and time.time() < deadline:
            time.sleep(0.1)
        assert (tmp_path / "d.s6prof").exists(), "no profile after --duration"
        assert proc.poll() is None, "the program runs on"
        during = read_profile(venv_python, tmp_path / "d.s6prof")
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, out, err) == (0, "done\n", "")
    after = read_profile(venv_python, tmp_path / "d.s6prof")
    assert hottest(during)[0] == "spin"
    # Sampling stopped at the deadline: the program ran 5 more seconds without being counted.
    assert after["total_samples"] == during["total_samples"]


def test_fork_child_with_p_writes_its_own_profile(venv_python, tmp_path):
    prog = tmp_path / "forks.py"
    prog.write_text(
        "import os\n"
        "def child_work():\n"
        "    return sum(i % 7 for i in range(300000))\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    child_work()\n"
        "else:\n"
        "    os.waitpid(pid, 0)\n"
        "    print('child', pid)\n"
    )
    r = subprocess.run([venv_python, str(prog)], cwd=tmp_path, capture_output=True, text=True,
                       env=clean_env(S6_PROFILE="f-%p.s6prof"))
    assert r.returncode == 0, r.stderr
    child = int(r.stdout.split()[1])
    files = sorted(p for p in os.listdir(tmp_path) if p.endswith(".s6prof"))
    assert len(files) == 2 and f"f-{child}.s6prof" in files, files
    child_prof = read_profile(venv_python, tmp_path / f"f-{child}.s6prof")
    assert any(c["key"]["qualname"] == "child_work" for c in child_prof["code"])
