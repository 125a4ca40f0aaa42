"""Shared by tests/test_runtime*.py: run a program plainly and with native code, compare."""
import json
import os
import subprocess
import sys
from pathlib import Path

import differential
from conftest import PYTHON, clean_env

# Prepended to every test program: `native(func, mode)` attaches a hand-written native body
# (s6._s6._test_attach) when S6_TEST_ATTACH=1 and does nothing otherwise, so the same source
# runs plainly and natively.
PRELUDE = r'''
import dis as _dis, os as _os, sys as _sys
_ATTACH = _os.environ.get("S6_TEST_ATTACH") == "1"
if _ATTACH:
    import s6 as _s6pkg
    from s6 import _s6
    _s6pkg._register_stats()

def _idx(f, opname, n=0):
    return [i for i in _dis.get_instructions(f) if i.opname == opname][n].offset // 2

_POINTS = {
    "add": lambda f: [_idx(f, "BINARY_OP")],
    "deopt": lambda f: [_idx(f, "BINARY_OP"), _idx(f, "BINARY_OP") + 2],
    "loop": lambda f: [_idx(f, "CALL"), _idx(f, "GET_ITER"), _idx(f, "FOR_ITER"),
                       _idx(f, "BINARY_OP"), _idx(f, "JUMP_BACKWARD")],
    "call": lambda f: [_idx(f, "CALL")],
}

def native(f, mode):
    if _ATTACH:
        _s6._test_attach(f, mode, _POINTS[mode](f), int(_os.environ.get("S6_DEOPT_STRESS") or 0))
    return f
'''


def write_program(tmp_path: Path, body: str, name="prog.py") -> Path:
    path = tmp_path / name
    path.write_text(PRELUDE + body)
    return path


def run(path: Path, env=None, timeout=120, args=()):
    p = subprocess.run(
        [str(PYTHON), path.name, *args],
        cwd=path.parent,
        env=env or clean_env(),
        capture_output=True,
        timeout=timeout,
    )
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def run_both(path: Path, **extra):
    """(plain, native, stats): plain python, then with the native bodies attached."""
    stats = path.parent / "stats.json"
    if stats.exists():
        stats.unlink()
    plain = run(path)
    native = run(path, env=clean_env(S6_TEST_ATTACH=1, S6_STATS=stats, **extra))
    data = json.loads(stats.read_text()) if stats.exists() else None
    return plain, native, data


def assert_same(plain, native):
    """`(returncode, stdout, stderr)` of the native run must be the plain run's."""
    differential.assert_same(plain, native, "native run")
