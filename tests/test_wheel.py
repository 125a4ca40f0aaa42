"""The wheel as a user gets it: `make setup` built target/wheels/s6-*.whl (and installed .venv
from it); here it goes into a fresh venv outside the source tree, with no cargo on PATH, and
profile -> build -> cached run must work there."""
import json
import os
import subprocess
from pathlib import Path

from conftest import ROOT, clean_env

PROGRAM = """\
def work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total

print(sum(work(20000) for _ in range(150)))
"""


def wheel_path():
    recorded = ROOT / "target" / "wheel-path"
    assert recorded.exists(), "no target/wheel-path: run `make setup` (it builds the wheel)"
    wheel = Path(recorded.read_text().strip())
    assert wheel.exists(), f"{wheel} is gone: run `make setup`"
    return wheel


def test_wheel_installs_into_a_fresh_venv_and_runs_profile_build_cache(venv_python, tmp_path):
    wheel = wheel_path()
    base = subprocess.run([venv_python, "-c", "import sys; print(sys._base_executable)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    venv = tmp_path / "env"
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    # The project's pip installs into the new environment (pip's --python), from the file alone.
    r = subprocess.run([venv_python, "-m", "pip", "--python", str(py), "install", "-q",
                        "--no-index", "--no-deps", "--disable-pip-version-check", str(wheel)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    s6c = venv / "bin" / "s6c"
    assert s6c.exists(), sorted(os.listdir(venv / "bin"))
    installed = subprocess.run([str(py), "-c", "import s6, s6._s6; print(s6.__file__)"],
                               capture_output=True, text=True, check=True).stdout
    assert installed.startswith(str(venv)), installed

    app = tmp_path / "app"
    app.mkdir()
    (app / "prog.py").write_text(PROGRAM)
    # No cargo, no source tree: only the environment's bin/ and the system's.
    env = clean_env(PATH=f"{venv / 'bin'}:/usr/bin:/bin")
    env.pop("PYTHONPATH", None)
    plain = subprocess.run([str(py), "prog.py"], cwd=app, env=env, capture_output=True, text=True)
    assert plain.returncode == 0, plain.stderr

    r = subprocess.run(["s6c", "profile", "-o", "prog.s6prof", "prog.py"], cwd=app, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout == plain.stdout
    r = subprocess.run(["s6c", "build", "-o", "cache", "prog.s6prof"], cwd=app, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    cached = subprocess.run([str(py), "prog.py"], cwd=app, capture_output=True, text=True,
                            env={**env, "S6_CACHE": "cache", "S6_STATS": "stats.json"})
    assert (cached.returncode, cached.stdout, cached.stderr) == (0, plain.stdout, ""), cached.stderr
    stats = json.loads((app / "stats.json").read_text())
    assert stats["functions"]["__main__.work"]["native_entries"] == 150, stats
