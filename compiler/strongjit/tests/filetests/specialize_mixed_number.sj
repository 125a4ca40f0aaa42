; run: specialize, simplify, box_elim, legalize, dce
; `total += x` at a site CPython specialized for floats, where `total` may start as the int
; 0: both operands are unboxed as numbers (float, or an int a double holds exactly) and the
; addition deopts only when neither was a float (int + int is an int).
function "s6::t.acc" nlocalsplus=2 stacksize=2 {
  feedback @6 "BINARY_OP" 3x operands "BINARY_OP_ADD_FLOAT" ["builtins.float", "builtins.float"]
  fs0 = state @6 [v2, v3]
  fs1 = state @6 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @4
  incref v3 @4
  v4 = py.iadd v2, v3, fs0 @6
  decref v2 @6
  decref v3 @6
  check_null v4, fs1 @6
  return v4 @8
}
; check: v5, v6 = unbox_number v2, fs0 @6
; nextln: v7, v8 = unbox_number v3, fs0 @6
; nextln: v9 = or v6, v8 @6
; nextln: v10 = iconst.i8 1 @6
; nextln: v11 = xor v9, v10 @6
; nextln: deopt_if v11, fs0, "no float operand" @6
; nextln: v12 = fadd v5, v7 @6
; nextln: v13:FloatExact = box_float v12 @6
; not: guard_type
; not: call
