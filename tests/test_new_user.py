"""What a new user stumbled on (issue 13), each checked end to end: a build under umask 002 is
accepted by the runtime, `exec`-made code (dataclass and namedtuple methods, frozen stdlib
modules) is compiled under unique readable symbols, S6_VERBOSE says things once and in grammar,
and `s6c build` says how much time was in code the profile did not record."""
import json
import os
import subprocess

from conftest import clean_env

PROGRAM = """\
import collections, dataclasses

@dataclasses.dataclass
class A:
    x: int
    y: int

@dataclasses.dataclass
class B:
    x: int
    z: int

P = collections.namedtuple("P", "x y")
Q = collections.namedtuple("Q", "x z")

def work(n):
    t = 0
    for i in range(n):
        a, b = A(i, 1), B(1, i)
        p, q = P(i, 2), Q(2, i)
        t += a.x + b.z + p.x + q.z + (a == A(i, 1))
    return t

print(work(60000))
"""


def test_exec_made_code_gets_unique_symbols_and_umask_002_cache_is_accepted(s6c, venv_python, tmp_path):
    (tmp_path / "prog.py").write_text(PROGRAM)
    env = clean_env()
    plain = subprocess.run([venv_python, "prog.py"], cwd=tmp_path, env=env, capture_output=True,
                           text=True)
    r = subprocess.run([s6c, "profile", "--include-libs", "-o", "p.s6prof", "prog.py"],
                       cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # umask 002, as on many desktops and CI images.
    build = subprocess.run(["sh", "-c", f"umask 002 && {s6c} build --all --explain -o cache p.s6prof"],
                           cwd=tmp_path, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    assert "duplicate symbol" not in build.stdout, build.stdout
    names = os.listdir(tmp_path / "cache")
    assert not [n for n in names if n.startswith(".")], names
    for n in names + ["."]:
        mode = os.stat(tmp_path / "cache" / n).st_mode & 0o777
        assert mode & 0o022 == 0, (n, oct(mode))
    # Every dataclass __init__/__eq__ made by exec has its own symbol.
    inspect = subprocess.run([venv_python, "-c",
                              "import sys; from s6 import _s6; print(_s6.read_profile_json(sys.argv[1]))",
                              "p.s6prof"], cwd=tmp_path, capture_output=True, text=True, check=True)
    profile = json.loads(inspect.stdout)["profile"]
    inits = [c for c in profile["code"] if c["key"]["qualname"] == "__create_fn__.<locals>.__init__"]
    assert len(inits) >= 2, [c["key"]["qualname"] for c in profile["code"]][:50]
    frozen = [c for c in profile["code"] if c["key"]["filename"].startswith("<frozen ")]
    assert frozen and all(c["key"]["module"] for c in frozen), frozen[:1]

    cached = subprocess.run([venv_python, "prog.py"], cwd=tmp_path, capture_output=True, text=True,
                            env=clean_env(S6_CACHE="cache", S6_STATS="stats.json", S6_VERBOSE="1"))
    assert cached.returncode == 0 and cached.stdout == plain.stdout, cached.stderr
    # (A warning is a line "s6: warning: ..."; an object may be named warnings.o.)
    assert "s6: warning" not in cached.stderr, cached.stderr
    stats = json.loads((tmp_path / "stats.json").read_text())
    ran = [n for n, f in stats["functions"].items() if "__init__" in n and f["native_entries"] > 0]
    assert len(ran) >= 2, sorted(stats["functions"])[:40]
    lines = cached.stderr.splitlines()
    assert len(lines) == len(set(lines)), "a line said twice"
    assert not [l for l in lines if "(1 functions)" in l or " 1 native functions" in l], lines


def test_build_says_how_much_time_the_profile_did_not_record(s6c, venv_python, tmp_path):
    (tmp_path / "libheavy.py").write_text(
        "import json, time\n"
        "def main():\n"
        "    doc = {'k%d' % i: [i, str(i), {'x': i}] for i in range(200)}\n"
        "    end = time.process_time() + 0.6\n"  # enough CPU time for >100 samples
        "    while time.process_time() < end:\n"
        "        json.loads(json.dumps(doc, indent=1))\n"
        "main()\n")
    env = clean_env()
    r = subprocess.run([s6c, "profile", "-o", "p.s6prof", "libheavy.py"], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    b = subprocess.run([s6c, "build", "-o", "cache", "p.s6prof"], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert b.returncode == 0, b.stderr
    assert "outside the program's own files" in b.stdout and "--include-libs" in b.stdout, b.stdout
