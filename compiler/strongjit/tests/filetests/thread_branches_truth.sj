; run: thread_branches
; The truth of an object, as specialization leaves it: the edges that know the answer (1 from
; `v == True`, 0 from `False`/`None`) get their own copies of bb4, whose check_neg goes away and
; whose branch becomes a jump; only the generic call's edge still goes through bb4.
function "s6::t.truth" nlocalsplus=1 stacksize=1 {
  fs0 = state @4 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3:Bool = const_obj True @4
  v4 = icmp.eq v2, v3 @4
  v5 = iconst.i32 1 @4
  branch v4, bb4(v5), bb1() @4
bb1():
  v6:Bool = const_obj False @4
  v7:NoneType = const_obj None @4
  v8 = icmp.eq v2, v6 @4
  v9 = icmp.eq v2, v7 @4
  v10 = or v8, v9 @4
  v11 = iconst.i32 0 @4
  branch v10, bb4(v11), bb2() @4
bb2():
  v12 = call PyObject_IsTrue(v2) @4
  jump bb4(v12) @4
bb4(v20: i32):
  decref v2 @4
  check_neg v20, fs0 @4
  v21 = iconst.i32 0 @4
  v22 = icmp.eq v20, v21 @4
  branch v22, bb5(), bb6() @4
bb5():
  v30 = load_local 0 @6
  incref v30 @6
  return v30 @6
bb6():
  v31:NoneType = const_obj None @8
  incref v31 @8
  return v31 @8
}
; check: branch v4, bb7(), bb1()
; check: branch v10, bb8(), bb2()
; check: jump bb4(v12)
; check: bb4(v20: i32):
; nextln: decref v2
; nextln: check_neg v20, fs0
; check: bb7():
; nextln: decref v2
; nextln: iconst.i32 0
; nextln: iconst.i8 0
; nextln: jump bb6()
; check: bb8():
; nextln: decref v2
; nextln: iconst.i32 0
; nextln: iconst.i8 1
; nextln: jump bb5()
