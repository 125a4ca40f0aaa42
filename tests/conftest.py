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


# --- Running on several workers (`make test-python` runs pytest-xdist with --dist loadgroup) ---
#
# A module-scoped fixture is computed once per worker that runs a test using it, so every test
# that shares one fixture instance (the same module-scoped fixture with the same parameter:
# one program's plain run, profile and caches in differential.py, one pyperformance benchmark,
# one regrtest set) goes to one worker, as one xdist group. That keeps the work done once, and
# keeps artifacts that live at fixed paths (tests/.work/<program>/) written by one process.
# Tests that share no such fixture are scheduled one by one.

# The longest groups start first (`--no-loadscope-reorder` keeps this order): regrtest's
# profiled run and `--all` build of it are the longest chain in the suite.
FIRST_GROUPS = ("test_real_workloads.py::regrtest", "test_real_workloads.py::regrtest_frames")


def _shared_fixtures(item):
    """(module, fixture, parameter index) of each module-scoped fixture instance `item` uses."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    callspec = getattr(item, "callspec", None)
    indices = callspec.indices if callspec else {}
    module = item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
    out = []
    for name in info.names_closure:
        defs = info.name2fixturedefs.get(name)
        if defs and defs[-1].scope in ("module", "class", "package"):
            out.append((module, name, indices.get(name)))
    return out


def _group_name(key):
    module, name, index = key
    return f"{module}::{name}" + ("" if index is None else f"[{index}]")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Before xdist's own hook, which appends the group to each node id.
    if getattr(config.option, "dist", "no") != "loadgroup":
        return
    parent = {}

    def find(k):
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    shared = {item: _shared_fixtures(item) for item in items}
    for keys in shared.values():
        for k in keys:
            parent[find(k)] = find(keys[0])
    # A group is named after the first (by name) of its fixture instances: the same on every worker.
    names = {}
    for k in parent:
        root = find(k)
        names[root] = min(names.get(root, _group_name(k)), _group_name(k))
    for item, keys in shared.items():
        if keys:
            item.add_marker(pytest.mark.xdist_group(names[find(keys[0])]))


class _LongestFirst:
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        # After pytest's own reordering (which keeps each module-scoped parameter's tests
        # together): FIRST_GROUPS move to the front, in that order, the rest keeps its order.
        def rank(item):
            names = [m.args[0] for m in item.iter_markers("xdist_group")]
            return FIRST_GROUPS.index(names[0]) if names and names[0] in FIRST_GROUPS else len(FIRST_GROUPS)

        items.sort(key=rank)


def pytest_configure(config):
    if getattr(config.option, "dist", "no") == "loadgroup":
        config.pluginmanager.register(_LongestFirst(), "s6-longest-first")
