; run: unbox_params
; A counter and a float sum carried around a loop as boxes: the parameters get i64/f64 twins
; fed by the boxed values' operands and by the constants' values; their unboxes go, and the
; obj parameters, left with only exits and reference counting, are removed (the exits take the
; twins). `s` also reaches the exit block, whose return needs the object: that edge keeps it.
function "s6::t.loop" nlocalsplus=3 stacksize=2 {
  const 0 = int 0
  const 1 = float 0.5
  fs0 = state @10 [&v4, &v5]
  fs1 = state @12 []
bb0(v0: ptr, v1: ptr):
  v2:LongExact = load_const 0 @0
  v3:FloatExact = load_const 1 @2
  jump bb1(v2, v3) @4
bb1(v4: LongExact, v5: FloatExact):
  incref v4 @6
  v6 = unbox_int v4, fs0 @8
  v7 = unbox_float v5 @8
  decref v4 @8
  v8 = iconst.i64 1 @10
  v9, v10 = iadd_ovf v6, v8 @10
  deopt_if v10, fs0, "int overflow" @10
  v11 = fadd v7, v7 @10
  v12:LongExact = box_int v9 @10
  check_null v12, fs1 @10
  v13:FloatExact = box_float v11 @10
  check_null v13, fs1 @10
  v14 = icmp.slt v9, v8 @12
  branch v14, bb1(v12, v13), bb2(v13) @12
bb2(v15: FloatExact):
  incref v15 @14
  return v15 @14
}
; check: fs0 = state @10 [v16, v17]
; check: v18 = iconst.i64 0 @4
; nextln: v19 = fconst 0.5 @4
; nextln: jump bb1(v18, v19) @4
; check: bb1(v16: i64, v17: f64):
; nextln: v8 = iconst.i64 1 @10
; nextln: v9, v10 = iadd_ovf v16, v8 @10
; check: v11 = fadd v17, v17 @10
; check: branch v14, bb1(v9, v11), bb2(v13) @12
; check: bb2(v15: FloatExact):
; not: unbox
; not: incref v4
