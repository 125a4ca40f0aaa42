; run: specialize, simplify, box_elim, legalize, dce
; `a * b` at a site whose snapshots saw CPython's float multiply (some of them after a miss)
; and its int multiply: vector components that are sometimes ints. Counted together, the int
; and float forms of one operator make the number path (float arithmetic when either operand
; is a float, the int operation in machine code when both are small ints, the generic call
; otherwise), without a guard or a deopt; neither form alone had 90% of the snapshots.
function "s6::t.mul" nlocalsplus=2 stacksize=2 {
  feedback @6 "BINARY_OP" 3x operands "BINARY_OP_MULTIPLY_FLOAT" ["builtins.float", "builtins.float"] missed
  feedback @6 "BINARY_OP" 2x operands "BINARY_OP_MULTIPLY_FLOAT" ["builtins.float", "builtins.float"]
  feedback @6 "BINARY_OP" 1x adaptive 5
  feedback @6 "BINARY_OP" 2x operands "BINARY_OP_MULTIPLY_INT" ["builtins.int", "builtins.int"] missed
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
; check: call PyNumber_Multiply(v2, v3) @6
; check: v37 = imul v26, v35 @6
; nextln: v38:LongExact = box_int v37 @6
; not: guard_type
; not: deopt_if
