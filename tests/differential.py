"""The differential harness: a program must behave byte for byte the same under plain CPython
and under profile -> build -> run-with-cache, in every build mode.

Modes (each compared against the plain run):
  profiled  the profiling run itself (`s6c profile`)
  hot       `s6c build` (default selection) then S6_CACHE=...
  all       `s6c build --all` then S6_CACHE=...       (as much code as possible goes native)
  stress    `--all --stress-guards` with S6_DEOPT_STRESS=1 (guards fail on purpose)
  retire    the same with S6_DEOPT_LIMIT=2 (functions retire to the interpreter after their
            second deopt, mid-run)

Every test in tests/ that compares two runs does it here (`assert_same`, `assert_same_text`,
`assert_same_regrtest`), so that a failed comparison always says what differed: the exit
statuses, a unified diff of each stream, and for CPython's regression tests the modules whose
outcome changed with the tail of their output.
"""
import difflib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conftest import PYTHON, S6C, WORK, clean_env

MODES = ("profiled", "hot", "all", "stress")
TIMEOUT = 120


@dataclass
class Outcome:
    stdout: bytes
    stderr: bytes
    returncode: int

    def describe(self):
        return (
            f"exit {self.returncode}\n--- stdout ---\n{self.stdout.decode(errors='replace')}"
            f"\n--- stderr ---\n{self.stderr.decode(errors='replace')}"
        )


# --- Comparing runs: the one place every differential test in tests/ asserts through ---------
#
# A failed comparison says what differed: the exit statuses, then a unified diff of each stream
# that differs (at most DIFF_LINES lines each), the expected run's side first.

DIFF_LINES = 60


def as_outcome(x) -> Outcome:
    """An Outcome from an Outcome, a CompletedProcess, or a `(returncode, stdout, stderr)`
    tuple (str or bytes streams)."""
    if isinstance(x, Outcome):
        return x
    if isinstance(x, subprocess.CompletedProcess):
        return Outcome(_bytes(x.stdout), _bytes(x.stderr), x.returncode)
    rc, out, err = x
    return Outcome(_bytes(out), _bytes(err), rc)


def _bytes(s) -> bytes:
    if s is None:
        return b""
    return s if isinstance(s, bytes) else s.encode(errors="surrogateescape")


def stream_diff(expected, got, name="stdout", labels=("expected", "got"), limit=DIFF_LINES):
    """A unified diff of two texts (str or bytes), at most `limit` lines; "" when equal."""
    expected, got = _bytes(expected), _bytes(got)
    if expected == got:
        return ""
    a = expected.decode(errors="backslashreplace").splitlines()
    b = got.decode(errors="backslashreplace").splitlines()
    lines = list(difflib.unified_diff(a, b, f"{name} ({labels[0]})", f"{name} ({labels[1]})",
                                      lineterm="", n=2))
    if not lines:  # same lines: the difference is in line endings or a final newline
        at = next((i for i, (x, y) in enumerate(zip(expected, got)) if x != y),
                  min(len(expected), len(got)))
        return (f"{name} differs only in line endings, at byte {at}: {labels[0]} "
                f"{expected[max(0, at - 20):at + 20]!r}, {labels[1]} {got[max(0, at - 20):at + 20]!r}")
    more = len(lines) - limit
    if more > 0:
        lines = lines[:limit] + [f"... {more} more diff lines"]
    return "\n".join(lines)


def differences(expected, got, what, labels=("plain", None)) -> str:
    """What differs between two runs (Outcomes or anything `as_outcome` takes), or ""."""
    expected, got = as_outcome(expected), as_outcome(got)
    labels = (labels[0], labels[1] or what)
    parts = []
    if got.returncode != expected.returncode:
        parts.append(f"exit status: {labels[0]} {expected.returncode}, {labels[1]} {got.returncode}")
    for name in ("stdout", "stderr"):
        d = stream_diff(getattr(expected, name), getattr(got, name), name, labels)
        if d:
            parts.append(d)
    if not parts:
        return ""
    return f"{what}: differs from the {labels[0]} run\n" + "\n".join(parts)


def assert_same(expected, got, what, labels=("plain", None)):
    """Two runs must agree byte for byte: exit status, stdout and stderr."""
    __tracebackhide__ = True  # pytest: report the caller's line, with this message
    msg = differences(expected, got, what, labels)
    if msg:
        raise AssertionError(msg)


def assert_same_text(expected, got, what, name="stdout", labels=("plain", None)):
    """One stream (str or bytes) must be the same as the expected run's."""
    __tracebackhide__ = True  # pytest: report the caller's line, with this message
    d = stream_diff(expected, got, name, (labels[0], labels[1] or what))
    if d:
        raise AssertionError(f"{what}: {name} differs from the {labels[0]} run\n{d}")


# --- CPython's regression tests (`python -m test`, sequential, stderr merged into stdout) ------

# "0:00:01 load avg: 1.31 [ 5/61] test_float" or, after a failure, "[ 6/61/1] test_bool -- ...".
_PROGRESS = re.compile(r"^(?:\d+:\d\d:\d\d )?(?:load avg: [\d.]+ )?\[\s*\d+/\d+(?:/\d+)?\] (\S+)")
# "1 test failed:", "2 tests altered the execution environment (env changed):", ...
_HEADING = re.compile(r"^(?:\d+|All \d+) tests? (.*?):?$")
TAIL_LINES = 40


def regrtest_result(text: str) -> str:
    """The result part of a regrtest run: everything from `== Tests result` on, minus the timing
    line; it names every failed / env-changed / skipped module and gives the test counts."""
    start = text.rfind("== Tests result:")
    if start < 0:
        return "<no result>"
    lines = [ln for ln in text[start:].splitlines() if not ln.startswith("Total duration")]
    return "\n".join(lines).strip()


def regrtest_outcomes(text: str) -> dict:
    """Test module -> what the result part says of it ("failed", "altered the execution
    environment (env changed)", "skipped", ...; "OK" for the rest that ran)."""
    out = {name: "OK" for name in regrtest_blocks(text)}
    start = text.rfind("== Tests result:")
    if start < 0:
        if out:  # the run died or hung in its last module
            out[list(out)[-1]] = "started, never finished"
        return out
    heading = None
    for line in text[start:].splitlines()[1:]:
        if line.startswith("    ") and heading:
            for name in line.split():
                out[name] = heading
        elif m := _HEADING.match(line):
            heading = None if m[1].startswith("OK") else m[1]
        else:
            heading = None
    return out


def regrtest_blocks(text: str) -> dict:
    """Test module -> the output it produced: from its progress line up to and including the
    next one (which says how it ended), or to the end of the output if it never ended."""
    blocks, name = {}, None
    for line in text.splitlines():
        if line.startswith("== Tests result:"):
            break
        m = _PROGRESS.match(line)
        if name is not None:
            blocks[name].append(line)
        if m:
            name = m[1]
            blocks[name] = [line]
    return blocks


def regrtest_differences(expected: Outcome, got: Outcome, what) -> str:
    """How regrtest run `got` differs from the plain run `expected` (exit status and result
    part), or "": the modules whose outcome changed, the result diff, and the tail of each
    changed module's output in both runs."""
    a, b = (o.stdout.decode(errors="replace") + o.stderr.decode(errors="replace")
            for o in (expected, got))
    ra, rb = regrtest_result(a), regrtest_result(b)
    if ra == rb and expected.returncode == got.returncode:
        return ""
    oa, ob = regrtest_outcomes(a), regrtest_outcomes(b)
    changed = sorted(n for n in oa.keys() | ob.keys() if oa.get(n, "not run") != ob.get(n, "not run"))
    parts = [f"{what}: regrtest result differs from the plain run "
             f"(exit status: plain {expected.returncode}, {what} {got.returncode})"]
    if rb == "<no result>":
        started = list(regrtest_blocks(b))
        parts.append(f"{what} printed no result; the last module it started: "
                     f"{started[-1] if started else '<none>'}")
    for n in changed:
        parts.append(f"  {n}: plain {oa.get(n, 'not run')!r}, {what} {ob.get(n, 'not run')!r}")
    parts.append(stream_diff(ra, rb, "result", ("plain", what)))
    seeds = [re.search(r"^Using random seed: (\S+)", t, re.M) for t in (a, b)]
    parts.append("random seeds: " + ", ".join(f"{label} {m[1] if m else '?'}"
                                             for label, m in zip(("plain", what), seeds)))
    blocks = (regrtest_blocks(a), regrtest_blocks(b))
    for n in changed:
        for label, block in zip(("plain run", what), (blocks[0].get(n), blocks[1].get(n))):
            if block is None:
                continue
            tail = block[-TAIL_LINES:]
            cut = f", last {len(tail)} of {len(block)} lines" if len(block) > len(tail) else ""
            parts.append(f"--- {n}: output of the {label}{cut} ---\n" + "\n".join(tail))
    if not changed:  # same modules, other counts, or no module started at all
        parts.append(f"--- {what}: end of its output ---\n" + "\n".join(b.splitlines()[-TAIL_LINES:]))
    return "\n".join(parts)


def assert_same_regrtest(expected: Outcome, got: Outcome, what):
    __tracebackhide__ = True  # pytest: report the caller's line, with this message
    msg = regrtest_differences(expected, got, what)
    if msg:
        raise AssertionError(msg)


def run(cmd, cwd, env, stdin=b""):
    p = subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, timeout=TIMEOUT)
    return Outcome(p.stdout, p.stderr, p.returncode)


def check(cmd, cwd, env=None):
    """Run one of our own tools; it must succeed."""
    p = subprocess.run(cmd, cwd=cwd, env=env or clean_env(), capture_output=True, timeout=TIMEOUT * 5)
    if p.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stderr.decode(errors='replace')}"
        )
    return p


class Program:
    """One corpus program with its artifacts under tests/.work/<name>/."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.stem
        self.dir = WORK / self.name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.profile = self.dir / "prog.s6prof"

    def cmd(self):
        # Run by file name from its own folder so tracebacks show the same path in every mode.
        return [str(PYTHON), self.path.name]

    def plain(self):
        return run(self.cmd(), self.path.parent, clean_env())

    def profiled(self):
        out = run([str(S6C), "profile", "-o", str(self.profile), "--", self.path.name],
                  self.path.parent, clean_env())
        return out

    def build(self, all_code: bool, stress_guards: bool = False) -> Path:
        """`s6c build` (with `--all`, and `--stress-guards` for the modes that force deopts)."""
        name = "cache_stress" if stress_guards else "cache_all" if all_code else "cache_hot"
        cache = self.dir / name
        args = [str(S6C), "build", "-o", str(cache), str(self.profile)]
        if all_code:
            args.insert(2, "--all")
        if stress_guards:
            args.insert(2, "--stress-guards")
        check(args, self.path.parent)
        return cache

    def stats_path(self, mode):
        return self.dir / f"stats-{mode}.json"

    def cached(self, cache: Path, mode: str):
        """Run with the cache; `mode` names the S6_STATS report (and "stress" forces deopts)."""
        stats = self.stats_path(mode)
        extra = {"S6_CACHE": cache, "S6_STATS": stats}
        if mode in ("stress", "retire"):
            extra["S6_DEOPT_STRESS"] = 1
        if mode == "retire":
            extra["S6_DEOPT_LIMIT"] = 2
        if stats.exists():
            stats.unlink()
        return run(self.cmd(), self.path.parent, clean_env(**extra))

    def read_stats(self, mode):
        stats = self.stats_path(mode)
        return json.loads(stats.read_text()) if stats.exists() else None
