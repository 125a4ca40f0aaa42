"""The differential harness: a program must behave byte for byte the same under plain CPython
and under profile -> build -> run-with-cache, in every build mode.

Modes (each compared against the plain run):
  profiled  the profiling run itself (`s6c profile`)
  hot       `s6c build` (default selection) then S6_CACHE=...
  all       `s6c build --all` then S6_CACHE=...       (as much code as possible goes native)
  stress    `--all` with S6_DEOPT_STRESS=1            (guards fail on purpose)
"""
import json
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

    def build(self, all_code: bool) -> Path:
        cache = self.dir / ("cache_all" if all_code else "cache_hot")
        args = [str(S6C), "build", "-o", str(cache), str(self.profile)]
        if all_code:
            args.insert(2, "--all")
        check(args, self.path.parent)
        return cache

    def stats_path(self, mode):
        return self.dir / f"stats-{mode}.json"

    def cached(self, cache: Path, mode: str):
        """Run with the cache; `mode` names the S6_STATS report (and "stress" forces deopts)."""
        stats = self.stats_path(mode)
        extra = {"S6_CACHE": cache, "S6_STATS": stats}
        if mode == "stress":
            extra["S6_DEOPT_STRESS"] = 1
        if stats.exists():
            stats.unlink()
        return run(self.cmd(), self.path.parent, clean_env(**extra))

    def read_stats(self, mode):
        stats = self.stats_path(mode)
        return json.loads(stats.read_text()) if stats.exists() else None
