"""`s6c report`: reads S6_STATS reports (one per process) and the profile, says what ran
natively, what failed and what to do; `--html` writes annotated source pages."""
import json
import subprocess

from conftest import clean_env

PROGRAM = """\
import sys

def scale(values, k):
    out = []
    for v in values:
        out.append(v * k + 1)
    return out

def parse(items):
    n = 0
    for s in items:
        try:
            n += int(s)
        except ValueError:
            n -= 1
    return n

kind = sys.argv[1]
vals = [1.5, 2.5] * 500 if kind == "float" else list(range(1000))
t = 0
for _ in range(300):
    t += len(scale(vals, 3))
    t += parse(["1", "x", "3"] * 50)
print(t)
"""


def run(cmd, cwd, **env):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=clean_env(**env),
                       timeout=300)
    assert r.returncode == 0, r.stderr
    return r


def profiled_and_run(s6c, venv_python, tmp_path):
    (tmp_path / "prog.py").write_text(PROGRAM)
    run([s6c, "profile", "-o", "prog.s6prof", "prog.py", "int"], tmp_path)
    # --all: which functions pass --min-share depends on how the sampler saw a short run.
    run([s6c, "build", "--all", "-o", "cache", "prog.s6prof"], tmp_path)
    # Production passes floats where the profile saw ints.
    run([venv_python, "prog.py", "float"], tmp_path, S6_CACHE="cache", S6_STATS="stats.json")
    return json.loads((tmp_path / "stats.json").read_text())


def test_report_on_real_stats_names_caught_exceptions_for_what_they_are(s6c, venv_python, tmp_path):
    stats = profiled_and_run(s6c, venv_python, tmp_path)
    assert stats["version"] == 1
    exits = stats["functions"]["__main__.parse"]["exits"]
    assert [e["reason"] for e in exits] == ["exception raised by call"], exits
    r = run([s6c, "report", "stats.json", "--profile", "prog.s6prof", "--html", "html"], tmp_path)
    out = r.stdout
    assert "1 process; 600 native entries" in out, out
    assert "0 exceptions handed to the interpreter, 15000 caught natively" in out, out
    assert "not a failure of s6" in out and "__main__.parse (" in out and "prog.py:13)" in out, out
    assert "failed" not in out.split("Exceptions raised")[1].split("\n\n")[0], out
    page = (tmp_path / "html" / "m0.html").read_text()
    assert 'class="native"' in page and "prog.py" in page
    # Each of the 300 calls raises 50 ValueErrors, every one caught by parse's own handler in
    # native code (before handlers ran natively, the first one handed the rest of the call to
    # the interpreter: x300).
    assert "exception x15000: exception raised by call" in page
    assert stats["functions"]["__main__.parse"]["exceptions_caught"] == 15000
    assert "m0.html" in (tmp_path / "html" / "index.html").read_text()


def test_report_names_function_site_reason_and_advice_for_changed_types(s6c, venv_python, tmp_path):
    """The runtime counts each failing guard by site and reason; the report names them, says what
    the profile saw there, and advises. The real report of the run above is read, with fields
    this s6c does not know added (and the optional per-exit types), as a newer runtime writes."""
    stats = profiled_and_run(s6c, venv_python, tmp_path)
    profile = json.loads(subprocess.run(
        [venv_python, "-c", "import sys; from s6 import _s6; print(_s6.read_profile_json(sys.argv[1]))",
         str(tmp_path / "prog.s6prof")], capture_output=True, text=True, check=True).stdout)["profile"]
    scale = next(c for c in profile["code"] if c["key"]["qualname"] == "scale")
    mul = next(s for s in scale["sites"] if s["base_op"] == "BINARY_OP")
    f = stats["functions"]["__main__.scale"]
    real = [e for e in f["exits"] if e["index"] == mul["index"]]
    assert [(e["kind"], e["reason"], e["count"]) for e in real] == [
        ("deopt", "type guard: expected builtins.int", 300)], f["exits"]
    real[0]["types"] = ["builtins.float"]
    real[0]["new_field"] = 3
    f["some_future_counter"] = {"x": 1}
    (tmp_path / "changed.json").write_text(json.dumps(stats))
    r = run([s6c, "report", "changed.json", "--profile", "prog.s6prof"], tmp_path)
    out = r.stdout
    assert "__main__.scale (" in out and "prog.py:6): type guard: expected builtins.int x300" in out, out
    assert "while profiling: BINARY_OP_MULTIPLY_INT(builtins.int, builtins.int)" in out, out
    assert "in production:   builtins.float" in out, out
    assert "Fell back on most calls" in out, out
    assert ("re-profile with a workload that exercises __main__.scale with the types production "
            "uses") in out, out


def test_report_refuses_bad_input_in_one_line(s6c, tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    r = subprocess.run([s6c, "report", "bad.json"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "bad.json is not an S6_STATS report" in r.stderr
    r = subprocess.run([s6c, "report", "missing.json"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 2 and "cannot read stats missing.json" in r.stderr
    (tmp_path / "ok.json").write_text('{"functions": {}}')
    r = subprocess.run([s6c, "report", "ok.json", "--html", "h"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 2 and "--html needs --profile" in r.stderr
