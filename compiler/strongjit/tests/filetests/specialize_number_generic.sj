; run: specialize, legalize
; `a / b` at a site CPython 3.11 never specializes (no feedback): a float path beside the
; generic call. A float's value, or a one-digit int converted (both may be ints for `/`); a
; zero divisor, a wider int or any other operand takes the generic call (which raises or
; computes exactly); no deopt.
function "s6::t.div" nlocalsplus=2 stacksize=2 {
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @3
  incref v3 @3
  v4 = py.truediv v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  return v4 @6
}
; check: b0 = type "builtins.float"
; nextln: b1 = type "builtins.int"
; check: v8 = load.obj v2, 8 @4
; nextln: v9 = icmp.eq v8, v6 @4
; check: branch v9, bb4(), bb5() @4
; A zero divisor, and any operand that is neither, take the generic call.
; check: bb3() cold:
; nextln: v40 = call PyNumber_TrueDivide(v2, v3) @4
; check: bb4():
; nextln: v13 = load.f64 v2, 16 @4
; check: bb5():
; nextln: v14 = icmp.eq v8, v7 @4
; nextln: branch v14, bb7(), bb2() @4
; check: bb7():
; nextln: v15 = load.i64 v2, 16 @4
; check: v19 = icmp.ule v17, v18 @4
; nextln: branch v19, bb8(), bb2() @4
; check: v23 = sitofp v22 @4
; check: v37 = fcmp.eq v24, v36 @4
; nextln: branch v37, bb2(), bb14() @4
; check: fdiv v12, v24 @4
; nextln: box_float
; not: deopt
