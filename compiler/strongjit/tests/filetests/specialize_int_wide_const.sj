; run: specialize, legalize
; `(x * 6364136223846793005 + 1) % 2 ** 64` with int feedback (a 64-bit generator): a factor of
; 2^32 or more leaves i64 for any other factor of 2^31 or more, and 2 ** 64 never unboxes, so
; the deopting int path would deopt on nearly every execution: those operations stay generic
; (no guard, no deopt), and so does `+ 1` on the product, which most likely is as wide.
function "s6::t.step" nlocalsplus=1 stacksize=2 {
  const 1 = int 6364136223846793005
  const 2 = int 1
  feedback @4 "BINARY_OP" 3x operands "BINARY_OP_MULTIPLY_INT" ["builtins.int", "builtins.int"]
  feedback @8 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
  fs2 = state @8 [v4, v5]
  fs3 = state @8 []
  fs4 = state @12 [v6, v7]
  fs5 = state @12 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3:LongExact = load_const 1 @3
  incref v3 @3
  v4 = py.mul v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  v5:LongExact = load_const 2 @6
  incref v5 @6
  v6 = py.add v4, v5, fs2 @8
  decref v4 @8
  decref v5 @8
  check_null v6, fs3 @8
  v7:LongExact = load_const 3 @10
  incref v7 @10
  v8 = py.mod v6, v7, fs4 @12
  decref v6 @12
  decref v7 @12
  check_null v8, fs5 @12
  return v8 @14
}
; check: call PyNumber_Multiply(v2, v3) @4
; check: call PyNumber_Add
; check: call PyNumber_Remainder
; not: guard_type
; not: unbox_int
; not: deopt_if
