; run: specialize, simplify, box_elim, legalize, dce
; (a + b) * a where CPython specialized both sites for floats and they never missed:
; guards from the feedback, one box for the result and none in between; the exit state of
; the second guard holds the unboxed sum (the exit boxes it).
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
; check: b0 = type "builtins.float"
; check: fs2 = state @6 [v11, v2]
; check: v7:FloatExact = guard_type v2, b0, fs0 @4
; nextln: v8:FloatExact = guard_type v3, b0, fs0 @4
; nextln: v9 = unbox_float v7 @4
; nextln: v10 = unbox_float v8 @4
; nextln: v11 = fadd v9, v10 @4
; nextln: decref v7 @4
; nextln: decref v8 @4
; check: v13:FloatExact = guard_type v5, b0, fs2 @6
; nextln: v15 = unbox_float v13 @6
; nextln: v16 = fmul v11, v15 @6
; nextln: v17:FloatExact = box_float v16 @6
; nextln: decref v13 @6
; nextln: check_null v17, fs3 @6
; not: py.
; not: call
