; run: ssa_locals
; The join after a handler reads a local the handler never touches: the value on the handler's
; edge is a fresh `load_local` at the top of the handler's block (the frame as the exit left
; it), never the entry's or the body's value.
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
  v6 = iconst.i32 1 @10
  store.i32 v1, 64, v6 @10
  decref v5 @10
  jump bb3() @14
bb3():
  v7 = load_local 0 @16
  incref v7 @16
  return v7 @18
}
; check: bb1():
; check: jump bb3(v2) @8
; check: bb2():
; nextln: v9 = load_local 0
; check: jump bb3(v9) @14
; check: bb3(v8: obj):
; nextln: incref v8 @16
