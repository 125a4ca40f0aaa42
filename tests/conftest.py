"""Shared fixtures: every Python test runs against the project's .venv (see `make setup`)."""
import os
import signal
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
S6C = VENV / "bin" / "s6c"
WORK = ROOT / "tests" / ".work"

# A shell that starts the suite in the background (`make test &`, nohup, a CI runner's
# non-interactive shell) leaves SIGINT ignored, and an ignored signal stays ignored across exec:
# every Python program the tests start would then install no KeyboardInterrupt handler, and the
# ones that expect Ctrl-C (test_runtime's signal test, regrtest's test_generators) would run
# until their timeout. A handled signal is reset to the default at exec, so handling it here
# gives every child the disposition it has under a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


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


@pytest.fixture(scope="session", autouse=True)
def background_work(request, tmp_path_factory):
    """Long work that waits on no other test starts before the first test and goes on in a
    thread while the others run (the suite is mostly one process waiting on one subprocess at a
    time, so the second core is otherwise idle): a test module with `start_background(items,
    tmp_path_factory)` is given the selected tests and starts what they will need; its
    `stop_background()` runs at the end of the session. The tests check exactly what they did
    before, when their turn comes (test_real_workloads.py: CPython's regression tests)."""
    modules = {id(item.module): item.module for item in request.session.items
               if getattr(item, "module", None) is not None}
    with_work = [m for m in modules.values() if hasattr(m, "start_background")]
    for module in with_work:
        module.start_background(request.session.items, tmp_path_factory)
    yield
    for module in with_work:
        module.stop_background()
