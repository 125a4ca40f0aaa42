; run: specialize, simplify, box_elim, legalize, dce
; `total += x` at a site CPython specialized for floats but that missed (other types reached
; it: `total` starts as the int 0): both operands are unboxed as numbers (float, or an int a
; double holds exactly); the addition is a double one when either is a float, an int one in
; machine code when both are one-digit ints, and the generic one (an int) otherwise. No deopt
; either way.
function "s6::t.acc" nlocalsplus=2 stacksize=2 {
  feedback @6 "BINARY_OP" 3x operands "BINARY_OP_ADD_FLOAT" ["builtins.float", "builtins.float"] missed
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
; nextln: branch v9, bb2(), bb3() @6
; check: v11 = fadd v5, v7 @6
; nextln: v12:FloatExact = box_float v11 @6
; check: bb3():
; nextln: v13 = load_binding b0 @6
; nextln: v14 = load.obj v2, 8 @6
; check: branch v18, bb6(), bb4() @6
; check: bb4() cold:
; nextln: v39:LongExact|FloatExact = call PyNumber_InPlaceAdd(v2, v3) @6
; check: v37 = iadd v26, v35 @6
; nextln: v38:LongExact = box_int v37 @6
; nextln: jump bb1(v38) @6
; not: guard_type
; not: deopt_if
