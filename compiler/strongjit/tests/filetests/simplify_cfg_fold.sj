; run: simplify_cfg, unreachable_blocks
; Constant and identical-edge branches fold, then the dead side goes and blocks merge.
function "s6::t.fold" nlocalsplus=0 stacksize=0 {
bb0(v0: ptr, v1: ptr):
  v2 = iconst.i8 0
  branch v2, bb1(), bb2()
bb1():
  v3 = load_const 0
  jump bb3(v3)
bb2():
  v4 = load_const 1
  v5 = call PyObject_IsTrue(v4)
  v6 = iconst.i32 0
  v7 = icmp.ne v5, v6
  branch v7, bb3(v4), bb3(v4)
bb3(v8: obj):
  incref v8
  return v8
}
; check: bb0(v0: ptr, v1: ptr):
; nextln: v2 = iconst.i8 0
; nextln: v4 = load_const 1
; nextln: v5 = call PyObject_IsTrue(v4)
; nextln: v6 = iconst.i32 0
; nextln: v7 = icmp.ne v5, v6
; nextln: incref v4
; nextln: return v4
; not: bb1
; not: branch
