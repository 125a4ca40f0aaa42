; run: specialize, legalize
; `a % b` at a site CPython 3.11 never specializes (no feedback): an int path beside the
; generic call. Field loads only once both are exact ints; a non-compact operand or a zero
; divisor takes the generic call (which makes the big int or raises); no deopt.
function "s6::t.m" nlocalsplus=2 stacksize=2 {
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @3
  incref v3 @3
  v4 = py.mod v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  return v4 @6
}
; check: b0 = type "builtins.int"
; check: v6 = load_binding b0 @4
; nextln: v7 = load.obj v2, 8 @4
; nextln: v8 = icmp.eq v7, v6 @4
; nextln: v9 = load.obj v3, 8 @4
; nextln: v10 = icmp.eq v9, v6 @4
; nextln: v11 = and v8, v10 @4
; nextln: branch v11, bb4(), bb2() @4
; check: bb2() cold:
; nextln: v40 = call PyNumber_Remainder(v2, v3) @4
; nextln: jump bb1(v40) @4
; check: bb1(v5: obj):
; nextln: decref v2 @4
; check: bb3():
; nextln: v29 = iconst.i64 0 @4
; nextln: v30 = icmp.ne v28, v29 @4
; nextln: branch v30, bb5(), bb2() @4
; check: bb4():
; nextln: v12 = load.i64 v2, 16 @4
; check: branch v25, bb3(), bb2() @4
; check: v32 = srem v19, v28 @4
; check: v39:LongExact = box_int v38 @4
; nextln: jump bb1(v39) @4
; not: deopt
