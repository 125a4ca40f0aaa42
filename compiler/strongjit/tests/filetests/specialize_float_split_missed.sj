; run: specialize, simplify, box_elim, legalize, dce
; `a * b` at a site where four snapshots saw CPython's float multiply after a miss and three
; saw it without one: the same form, counted together (7 of 7), so the site is speculated on
; as a float multiply that missed (the number path), not left generic because neither half
; had 90% of the snapshots.
function "s6::t.mul" nlocalsplus=2 stacksize=2 {
  feedback @6 "BINARY_OP" 4x operands "BINARY_OP_MULTIPLY_FLOAT" ["builtins.float", "builtins.float"] missed
  feedback @6 "BINARY_OP" 3x operands "BINARY_OP_MULTIPLY_FLOAT" ["builtins.float", "builtins.float"]
  fs0 = state @6 [v2, v3]
  fs1 = state @6 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @4
  incref v3 @4
  v4 = py.mul v2, v3, fs0 @6
  decref v2 @6
  decref v3 @6
  check_null v4, fs1 @6
  return v4 @8
}
; check: v5, v6 = unbox_number v2, fs0 @6
; nextln: v7, v8 = unbox_number v3, fs0 @6
; check: fmul v5, v7 @6
; nextln: box_float
