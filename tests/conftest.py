"""Shared fixtures: every Python test runs against the project's .venv (see `make setup`)."""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
S6C = VENV / "bin" / "s6c"
WORK = ROOT / "tests" / ".work"


@pytest.fixture(scope="session")
def venv_python():
    if not PYTHON.exists():
        pytest.fail("no .venv: run `make setup` first")
    return str(PYTHON)


@pytest.fixture(scope="session")
def s6c():
    if not S6C.exists():
        pytest.fail("no .venv/bin/s6c: run `make setup` first")
    return str(S6C)


def clean_env(**extra):
    """The environment a user's program would see, minus anything of ours, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("S6_")}
    env.update({k: str(v) for k, v in extra.items()})
    return env
