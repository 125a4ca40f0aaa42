; run: specialize, legalize
; `a < b` where CPython's int form missed (a float reached it): no guard that deopts; two
; one-digit ints compare as machine ints first, then floats (and a float with a one-digit
; int) as doubles, the rest generically.
function "s6::t.lt" nlocalsplus=2 stacksize=2 {
  feedback @4 "COMPARE_OP" 3x operands "COMPARE_OP_INT_JUMP" ["builtins.int", "builtins.int"] missed
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
; check: b0 = type "builtins.int"
; nextln: b1 = type "builtins.float"
; check: bb0(v0: ptr, v1: ptr):
; check: v6 = load_binding b0 @4
; nextln: v7 = load.obj v2, 8 @4
; nextln: v8 = icmp.eq v7, v6 @4
; check: bb3() cold:
; check: v65 = call PyObject_RichCompare(v2, v3, v64) @4
; check: bb4():
; nextln: v29 = icmp.slt v19, v28 @4
; nextln: v30:Bool = box_bool v29 @4
; check: fcmp.lt
; nextln: box_bool
; not: deopt
; not: guard_type
