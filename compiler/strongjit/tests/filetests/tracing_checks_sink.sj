; run: tracing_checks
; A check that starts a block where a fast path (no Python code ran) meets a generic path (a
; call that may run Python code) moves to the end of the generic path, its frame state's block
; parameter replaced by what that path passes: the fast path checks nothing. In bb6 both paths
; are unclean, and bb9's unclean predecessor ends in a branch: their checks stay.
function "s6::t.u" nlocalsplus=1 stacksize=2 {
  fs0 = state @4 [v10]
  fs1 = state @8 [v20]
  fs2 = state @12 [v30]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  v3 = iconst.i8 1
  branch v3, bb1(), bb2()
bb1():
  v4 = load.obj v2, 24 @2
  incref v4 @2
  jump bb3(v4) @2
bb2():
  v5 = call PyObject_Repr(v2) @2
  jump bb3(v5) @2
bb3(v10: obj):
  check_tracing fs0 @4
  branch v3, bb4(), bb5() @4
bb4():
  v11 = call PyObject_Repr(v10) @6
  jump bb6(v11) @6
bb5():
  v12 = call PyObject_Str(v10) @6
  jump bb6(v12) @6
bb6(v20: obj):
  check_tracing fs1 @8
  branch v3, bb7(), bb8() @8
bb7():
  v21 = call PyObject_Repr(v20) @10
  branch v3, bb9(v21), bb10() @10
bb8():
  jump bb9(v20) @10
bb9(v30: obj):
  check_tracing fs2 @12
  return v30 @12
bb10():
  return v20 @12
}
; check: fs3 = state @4 [v5]
; check: bb1():
; nextln: v4 = load.obj v2, 24 @2
; nextln: incref v4 @2
; nextln: jump bb3(v4) @2
; check: bb2():
; nextln: v5 = call PyObject_Repr(v2) @2
; nextln: check_tracing fs3 @4
; nextln: jump bb3(v5) @2
; check: bb3(v10: obj):
; nextln: branch v3, bb4(), bb5() @4
; check: bb6(v20: obj):
; nextln: check_tracing fs1 @8
; check: bb9(v30: obj):
; nextln: check_tracing fs2 @12
