; run: specialize, legalize, dce
; `count += 1` at a site CPython specialized as an int add that missed (a float reached it:
; `count = 7.5 + dead` on some calls): no guard and no deopt, but the int path beside the
; generic call, as at sites CPython never specializes; a float then costs the generic add.
function "s6::t.inc" nlocalsplus=1 stacksize=2 {
  feedback @6 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"] missed
  feedback @6 "BINARY_OP" 1x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  fs0 = state @6 [v2, v3]
  fs1 = state @6 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3:LongExact = load_local 0 @4
  incref v3 @4
  v4 = py.iadd v2, v3, fs0 @6
  decref v2 @6
  decref v3 @6
  check_null v4, fs1 @6
  return v4 @8
}
; check: b0 = type "builtins.int"
; check: branch
; check: call PyNumber_InPlaceAdd(v2, v3) @6
; check: iadd
; check: box_int
; not: guard_type
; not: deopt_if
