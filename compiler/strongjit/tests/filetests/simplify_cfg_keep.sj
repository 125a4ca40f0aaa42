; run: simplify_cfg
; A join with two predecessors and a loop header are not merged; a self-loop stays.
function "s6::t.keep" nlocalsplus=1 stacksize=0 {
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  v3 = call PyObject_IsTrue(v2)
  v4 = iconst.i32 0
  v5 = icmp.sgt v3, v4
  branch v5, bb1(), bb2()
bb1():
  jump bb3(v2)
bb2():
  jump bb3(v2)
bb3(v6: obj):
  jump bb4()
bb4():
  v7 = call s6_rt_eval_breaker(v0)
  v8 = icmp.eq v7, v4
  branch v8, bb4(), bb5()
bb5():
  incref v6
  return v6
}
; check: branch v5, bb1(), bb2()
; check: bb1():
; nextln: jump bb3(v2)
; check: bb2():
; nextln: jump bb3(v2)
; check: bb3(v6: obj):
; nextln: jump bb4()
; check: bb4():
; check: branch v8, bb4(), bb5()
; check: bb5():
