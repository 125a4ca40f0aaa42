; run: jump_threading
; bb2 and bb3 only forward: edges go straight to bb4 with substituted arguments. bb5 also only
; forwards, but bb7 uses its param directly, so threading past bb5 would break dominance: kept.
function "s6::t.thread" nlocalsplus=1 stacksize=1 {
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  v3 = iconst.i8 1
  v4 = iconst.i64 5
  branch v3, bb2(v4), bb3()
bb2(v20: i64):
  jump bb3()
bb3():
  jump bb4(v4, v2)
bb4(v40: i64, v41: obj):
  v42 = iconst.i8 0
  branch v42, bb5(v41), bb6()
bb5(v30: obj):
  jump bb7()
bb7():
  incref v30
  return v30
bb6():
  incref v2
  return v2
}
; check: branch v3, bb4(v4, v2), bb4(v4, v2)
; not: bb2
; not: bb3
; check: bb4(v40: i64, v41: obj):
; check: branch v42, bb5(v41), bb6()
; check: bb5(v30: obj):
; nextln: jump bb7()
