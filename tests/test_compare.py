"""The comparison helpers of differential.py: a failed comparison must say what differed."""
import pytest

from differential import DIFF_LINES, Outcome, assert_same, assert_same_regrtest, assert_same_text

HEAD = "Using random seed: {seed}\n0:00:00 load avg: 1.00 Run 3 tests sequentially (timeout: 5 min)\n"
PLAIN = HEAD.format(seed=1) + """\
0:00:00 load avg: 1.00 [1/3] test_a
0:00:01 load avg: 1.00 [2/3] test_b
0:00:02 load avg: 1.00 [3/3] test_c

== Tests result: SUCCESS ==

All 3 tests OK.

Total duration: 2.0 sec
Total tests: run=30 skipped=1
Total test files: run=3/3
Result: SUCCESS
"""
# test_b fails (its traceback, merged from stderr, between its progress line and the next),
# test_c alters the environment.
FAILED = HEAD.format(seed=2) + """\
0:00:00 load avg: 1.00 [1/3] test_a
0:00:01 load avg: 1.00 [2/3] test_b
""" + "".join(f"noise line {i}\n" for i in range(100)) + """\
test test_b failed -- Traceback (most recent call last):
  File "/lib/test_b.py", line 9, in test_slots
    self.assertEqual(orig_objects, new_objects)
AssertionError: 29563 != 29561

0:00:02 load avg: 1.00 [3/3/1] test_c -- test_b failed (1 failure)
Warning -- os.environ was modified by test_c
test_c failed (env changed)

== Tests result: FAILURE ==

1 test altered the execution environment (env changed):
    test_c

1 test failed:
    test_b

Total duration: 2.5 sec
Total tests: run=30 failures=1 skipped=1
Total test files: run=3/3 failed=1 env_changed=1
Result: FAILURE
"""
CRASHED = HEAD.format(seed=3) + """\
0:00:00 load avg: 1.00 [1/3] test_a
0:00:01 load avg: 1.00 [2/3] test_b
Fatal Python error: Segmentation fault
"""


def message(fn, *args, **kwargs):
    with pytest.raises(AssertionError) as e:
        fn(*args, **kwargs)
    return str(e.value)


def regrtest(text, rc):
    return Outcome(text.encode(), b"", rc)


def test_regrtest_names_the_changed_tests_and_shows_their_output():
    msg = message(assert_same_regrtest, regrtest(PLAIN, 0), regrtest(FAILED, 2), "profiled run")
    assert "exit status: plain 0, profiled run 2" in msg
    assert "test_b: plain 'OK', profiled run 'failed'" in msg
    assert "test_c: plain 'OK', profiled run 'altered the execution environment (env changed)'" in msg
    assert "test_a:" not in msg
    assert "AssertionError: 29563 != 29561" in msg  # the tail of test_b's output
    assert "noise line 99" in msg and "noise line 0\n" not in msg  # a tail, not everything
    assert "Warning -- os.environ was modified by test_c" in msg
    assert "-Result: SUCCESS" in msg and "+Result: FAILURE" in msg  # the result part, diffed
    assert "random seeds: plain 1, profiled run 2" in msg


def test_regrtest_without_a_result_names_the_test_that_was_running():
    msg = message(assert_same_regrtest, regrtest(PLAIN, 0), regrtest(CRASHED, -11), "all run")
    assert "all run printed no result; the last module it started: test_b" in msg
    assert "test_b: plain 'OK', all run 'started, never finished'" in msg
    assert "test_c: plain 'OK', all run 'not run'" in msg
    assert "--- test_b: output of the all run ---" in msg
    assert "Fatal Python error: Segmentation fault" in msg


def test_regrtest_same_result_passes():
    # Timings and seeds differ between runs; the result part does not.
    again = PLAIN.replace("Total duration: 2.0 sec", "Total duration: 9.9 sec").replace(
        "seed: 1", "seed: 7")
    assert_same_regrtest(regrtest(PLAIN, 0), regrtest(again, 0), "profiled run")


def test_program_difference_is_a_unified_diff_of_each_stream():
    plain = Outcome(b"a\nb\nc\n", b"", 0)
    got = Outcome(b"a\nB\nc\n", b"Traceback\nError\n", 1)
    msg = message(assert_same, plain, got, "stress run")
    assert "exit status: plain 0, stress run 1" in msg
    assert "--- stdout (plain)\n+++ stdout (stress run)" in msg
    assert "\n-b\n+B\n" in msg
    assert "--- stderr (plain)" in msg and "+Traceback\n+Error" in msg


def test_program_diff_is_cut_at_the_limit_and_tuples_are_accepted():
    plain = (0, "".join(f"{i}\n" for i in range(500)), "")
    got = (0, "".join(f"{i}x\n" for i in range(500)), "")
    msg = message(assert_same, plain, got, "native run")
    diff = msg.split("\n", 1)[1].splitlines()
    assert len(diff) == DIFF_LINES + 1 and diff[-1].endswith("more diff lines")


def test_line_ending_difference_is_named():
    msg = message(assert_same_text, b"a\nb\n", b"a\nb", "hot run")
    assert "differs only in line endings" in msg


def test_same_runs_pass():
    assert_same(Outcome(b"x\n", b"y\n", 3), (3, "x\n", "y\n"), "profiled run")
    assert_same_text("x\n", b"x\n", "hot run")
