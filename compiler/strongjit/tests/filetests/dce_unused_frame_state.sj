; run: dce
; A frame state no exit references does not keep its values alive; block params stay.
function "s6::t.fs" nlocalsplus=0 stacksize=1 {
  fs0 = state @2 [v2]
  fs1 = state @4 [v3]
bb0(v0: ptr, v1: ptr):
  v2 = load_const 0
  v3 = load_const 1
  v4 = iconst.i64 7
  jump bb1(v4)
bb1(v5: i64):
  raise fs1
}
; not: fs0
; check: fs1 = state @4 [v3]
; not: v2 = load_const
; check: v3 = load_const 1
; check: jump bb1(v4)
; check: bb1(v5: i64):
