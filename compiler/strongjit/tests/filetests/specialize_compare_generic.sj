; run: specialize, legalize
; `a < b` at a site CPython 3.11 left generic (an int met a float; no operand feedback): as
; doubles when one is an exact float and the other an exact float or a one-digit int, as
; machine ints when both are one-digit ints, else the generic comparison; no deopt.
function "s6::t.lt" nlocalsplus=2 stacksize=2 {
  feedback @4 "COMPARE_OP" 3x adaptive 12
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @3
  incref v3 @3
  v4 = py.lt v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  return v4 @6
}
; check: b0 = type "builtins.float"
; nextln: b1 = type "builtins.int"
; check: v12 = or v9, v11 @4
; nextln: branch v12, bb4(), bb2() @4
; Neither a float: two exact one-digit ints compare as machine ints.
; check: bb2():
; check: v44 = and v41, v43 @4
; nextln: branch v44, bb16(), bb3() @4
; check: bb3() cold:
; nextln: v64 = iconst.i32 0 @4
; nextln: v65 = call PyObject_RichCompare(v2, v3, v64) @4
; check: v37 = fcmp.lt v13, v25 @4
; nextln: v38:Bool = box_bool v37 @4
; check: icmp.slt
; nextln: box_bool
; not: deopt
