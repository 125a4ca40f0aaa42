; run: thread_branches
; Left alone: bb2's branch is not decided by its constant argument (it tests a loaded value);
; bb4's result is used outside it; bb6's constant would take its check_neg exit.
function "s6::t.keep" nlocalsplus=1 stacksize=1 {
  fs0 = state @4 []
bb0(v0: ptr, v1: ptr):
  v2 = iconst.i8 1
  v3 = iconst.i32 1
  v4 = load.i8 v1, 0
  branch v2, bb2(v3), bb3()
bb2(v10: i32):
  branch v4, bb3(), bb4(v10)
bb3():
  v11 = iconst.i32 5
  jump bb4(v11)
bb4(v20: i32):
  v21 = iconst.i32 0
  v22 = icmp.eq v20, v21
  branch v22, bb5(), bb6(v20)
bb5():
  v23 = uextend.i64 v22
  v24 = iconst.i32 -1
  jump bb6(v24)
bb6(v30: i32):
  check_neg v30, fs0
  v31 = icmp.eq v30, v3
  branch v31, bb7(), bb8()
bb7():
  v40:NoneType = const_obj None
  incref v40
  return v40
bb8():
  v41:NoneType = const_obj None
  incref v41
  return v41
}
; check: branch v2, bb2(v3), bb3()
; check: bb2(v10: i32):
; nextln: branch v4, bb3(), bb4(v10)
; check: bb4(v20: i32):
; check: bb6(v30: i32):
; nextln: check_neg v30, fs0
; not: bb9
