; run: tracing_checks
; A handler's block is entered after arbitrary code ran (the raise came from a call): its
; tracing check stays, though the only edge into it comes from the entry block, where nothing
; has run yet; the body's check after nothing that runs Python goes.
function "s6::t.f" nlocalsplus=1 stacksize=2 {
  fs0 = state @6 []
  fs1 = state @12 []
  fs2 = state @2 []
bb0(v0: ptr, v1: ptr):
  entry bb1(), catch @10 bb2()
bb1():
  check_tracing fs2 @2
  v3 = load_local 0 @4
  v4 = call PyNumber_Negative(v3) @6
  check_null v4, fs0 @6
  return v4 @8
bb2():
  v5 = load.obj v1, 80 @10
  v6 = iconst.i32 1 @10
  store.i32 v1, 64, v6 @10
  check_tracing fs1 @12
  return v5 @12
}
; check: bb1():
; not: check_tracing
; check: bb2():
; check: check_tracing fs1 @12
