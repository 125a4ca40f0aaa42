"""examples/service end to end: gunicorn with pre-forked workers on 127.0.0.1 under a bounded
client, served plain, under `s6c profile` and from the cache: identical responses, and stats
from every worker that answered showing native entries (run.py checks and prints both)."""
import subprocess

from conftest import ROOT, clean_env


def test_service_example(venv_python, tmp_path):
    r = subprocess.run([venv_python, str(ROOT / "examples" / "service" / "run.py"),
                        "--requests", "300", "--dir", str(tmp_path)],
                       capture_output=True, text=True, env=clean_env(), timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "profiled: 300 responses, identical to plain" in r.stdout, r.stdout
    assert "cached: 300 responses, identical to plain" in r.stdout, r.stdout
    workers = [line for line in r.stdout.splitlines() if "(worker)" in line]
    assert workers and all(" 0 native entries" not in w for w in workers), r.stdout
