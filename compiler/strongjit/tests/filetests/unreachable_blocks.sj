; run: unreachable_blocks
; bb2 and bb3 are only reachable from each other; the frame state only bb3 used goes too.
function "s6::t.unreach" nlocalsplus=0 stacksize=1 {
  fs0 = state @0 []
  fs1 = state @8 [v7]
bb0(v0: ptr, v1: ptr):
  v2 = iconst.i8 1
  branch v2, bb1(), bb4()
bb2():
  v7 = load_const 0
  jump bb3()
bb3():
  raise fs1
bb1():
  deopt fs0, "x"
bb4():
  v8 = load_const 1
  return v8
}
; check: fs0 = state @0 []
; not: fs1
; check: bb0(v0: ptr, v1: ptr):
; not: bb2
; not: bb3
; check: bb1():
; check: bb4():
