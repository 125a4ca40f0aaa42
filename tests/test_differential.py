"""Every program in tests/programs/ behaves identically plain and compiled (see differential.py)."""
import dataclasses
import opcode
import re
from pathlib import Path

import pytest

from differential import Program, assert_same

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.py"))

# Known bugs, reported precisely instead of hidden: strict xfail, so a fixed bug turns the test
# red until its entry here is removed. (program, mode) -> reason.
KNOWN_BUGS = {}

# Documented differences (docs/ARCHITECTURE.md, "Known differences"): (program, mode) -> a
# function applied to both stdouts before they are compared, erasing exactly that difference
# and nothing else. The raw outputs must still differ, so a stale entry turns the test red.
BASE_OPNAME = {spec: base for base, specs in opcode._specializations.items() for spec in specs}


def base_opnames(out: bytes) -> bytes:
    """Specialized/adaptive/quickened opcode names -> their base instruction names: code that
    runs natively is never quickened by CPython, so `dis(adaptive=True)` shows the base forms
    where the interpreter would have specialized (LOAD_FAST__LOAD_FAST -> LOAD_FAST, ...)."""
    return re.sub(rb"\b[A-Z][A-Z_]+\b",
                  lambda m: BASE_OPNAME.get(m.group(0).decode(), m.group(0).decode()).encode(), out)


KNOWN_DIFFERENCES = {("dis_adaptive", mode): base_opnames for mode in ("hot", "all", "stress", "retire")}


def mark_known_bug(request, program, mode):
    reason = KNOWN_BUGS.get((program.name, mode))
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


@pytest.fixture(scope="module", params=PROGRAMS, ids=lambda p: p.stem)
def program(request, venv_python, s6c):
    prog = Program(request.param)
    prog.expected = prog.plain()
    return prog


def test_profiled_run_is_unchanged(request, program):
    mark_known_bug(request, program, "profiled")
    assert_same(program.expected, program.profiled(), "profiling run")
    assert program.profile.exists(), "no profile written"


@pytest.mark.parametrize("mode", ["hot", "all", "stress", "retire"])
def test_compiled_run_is_unchanged(request, program, mode):
    mark_known_bug(request, program, mode)
    if not program.profile.exists():
        program.profiled()
    cache = program.build(all_code=mode != "hot", stress_guards=mode in ("stress", "retire"))
    got = program.cached(cache, mode)
    expected = program.expected
    normalize = KNOWN_DIFFERENCES.get((program.name, mode))
    if normalize:
        assert got.stdout != expected.stdout, "no difference any more: remove the KNOWN_DIFFERENCES entry"
        got = dataclasses.replace(got, stdout=normalize(got.stdout))
        expected = dataclasses.replace(expected, stdout=normalize(expected.stdout))
    assert_same(expected, got, f"{mode} run")
    stats = program.read_stats(mode)
    assert stats is not None, "S6_STATS report missing"
    if mode != "hot":
        assert stats["native_entries"] > 0, f"no native code ran: {stats}"
    if mode in ("stress", "retire"):
        assert stats["deopts"] > 0, f"stress mode forced no deopt: {stats}"
    if mode == "retire":
        # A function that took two deopt exits on at least half its entries was retired, and
        # only retired functions ran calls in the interpreter afterwards. (A `#line` name can
        # stand for several code objects defined on one line, each counting its own deopts.)
        for name, f in stats["functions"].items():
            exits = sum(e["count"] for e in f["exits"]
                        if e["kind"] == "deopt" and e["reason"] != "stress: entry")
            if exits >= 2 and f["deopts"] * 2 >= f["native_entries"] and "#" not in name:
                assert "retired" in f, f"{name} deopted {exits} times but was not retired: {f}"
            if f["generic_entries"]:
                assert "retired" in f, f"{name} ran generically without being retired: {f}"
