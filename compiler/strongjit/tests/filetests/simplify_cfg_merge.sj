; run: simplify_cfg
; A chain of single-predecessor jumps collapses into bb0; params become the passed values
; (also inside frame states).
function "s6::t.merge" nlocalsplus=0 stacksize=1 {
  fs0 = state @10 [v10]
bb0(v0: ptr, v1: ptr):
  v2 = load_const 0
  jump bb1(v2)
bb1(v10: obj):
  v11 = iconst.i8 0
  deopt_if v11, fs0, "r"
  jump bb2(v10, v11)
bb2(v20: obj, v21: i8):
  incref v20
  return v20
}
; check: fs0 = state @10 [v2]
; check: bb0(v0: ptr, v1: ptr):
; nextln: v2 = load_const 0
; nextln: v11 = iconst.i8 0
; nextln: deopt_if v11, fs0, "r"
; nextln: incref v2
; nextln: return v2
; not: bb1
; not: bb2
