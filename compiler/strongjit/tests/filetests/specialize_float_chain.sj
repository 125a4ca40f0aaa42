; run: specialize, simplify, box_elim, legalize, dce
; (a + b) * a where CPython specialized both sites for floats: the operands are unboxed as
; numbers (a float, or an int a double holds exactly), the sum needs a float operand, the
; product has one (the unboxed sum), and only the result is boxed; the second site's exit
; state holds the unboxed sum (the exit boxes it).
function "s6::t.f" nlocalsplus=2 stacksize=2 {
  feedback @4 "BINARY_OP" 2x operands "BINARY_OP_ADD_FLOAT" ["builtins.float", "builtins.float"]
  feedback @6 "BINARY_OP" 2x operands "BINARY_OP_MULTIPLY_FLOAT" ["builtins.float", "builtins.float"]
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
  fs2 = state @6 [v4, v2]
  fs3 = state @6 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @3
  incref v3 @3
  v4 = py.add v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  v5 = load_local 0 @5
  incref v5 @5
  v6 = py.mul v4, v5, fs2 @6
  decref v4 @6
  decref v5 @6
  check_null v6, fs3 @6
  return v6 @8
}
; check: fs2 = state @6 [v14, v2]
; check: v7, v8 = unbox_number v2, fs0 @4
; nextln: v9, v10 = unbox_number v3, fs0 @4
; nextln: v11 = or v8, v10 @4
; nextln: v12 = iconst.i8 1 @4
; nextln: v13 = xor v11, v12 @4
; nextln: deopt_if v13, fs0, "no float operand" @4
; nextln: v14 = fadd v7, v9 @4
; nextln: decref v2 @4
; nextln: decref v3 @4
; check: v17, v18 = unbox_number v5, fs2 @6
; nextln: v19 = fmul v14, v17 @6
; nextln: v20:FloatExact = box_float v19 @6
; nextln: decref v5 @6
; nextln: check_null v20, fs3 @6
; not: py.
; not: call
; not: guard_type
