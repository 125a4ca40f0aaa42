; run: ssa_locals
; A handler block (the `catch` edge of the entry block) is entered with the frame as the error
; exit left it: its load of a local stays a `load_local` (not the entry block's value, nor the
; body's), and the join after it gets a parameter merging both paths.
; `x = 0; try: -x ... except: pass; return x` in translator shape.
function "s6::t.f" nlocalsplus=1 stacksize=2 {
  const 0 = int 0
  fs0 = state @6 []
bb0(v0: ptr, v1: ptr):
  entry bb1(), catch @10 bb2()
bb1():
  v2 = load_const 0 @0
  incref v2 @0
  store_local 0, v2 @2
  v3 = load_local 0 @4
  v4 = call PyNumber_Negative(v3) @6
  check_null v4, fs0 @6
  decref v4 @6
  jump bb3() @8
bb2():
  v5 = load.obj v1, 80 @10
  v10 = iconst.i32 1 @10
  store.i32 v1, 64, v10 @10
  decref v5 @10
  v6 = load_local 0 @12
  incref v6 @12
  decref v6 @12
  jump bb3() @14
bb3():
  v7 = load_local 0 @16
  incref v7 @16
  return v7 @18
}
; check: bb0(v0: ptr, v1: ptr):
; nextln: entry bb1(), catch @10 bb2()
; check: v4 = call PyNumber_Negative(v2) @6
; check: jump bb3(v2) @8
; check: bb2():
; check: v6 = load_local 0 @12
; check: jump bb3(v6) @14
; check: bb3(v11: obj):
; nextln: incref v11 @16
