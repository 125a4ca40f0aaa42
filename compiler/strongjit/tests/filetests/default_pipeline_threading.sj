; run: simplify_cfg, jump_threading, simplify_cfg, unreachable_blocks, refcount_pairs, dce
; `a or b`-shaped code: two branches reach the join through a forwarding block (bb3, two
; predecessors, so simplify_cfg alone cannot merge it). Threading sends both edges to bb5; the
; second simplify_cfg folds bb4's now-identical edges into a jump (bb5 keeps two predecessors)
; and dce drops the compare nobody reads any more.
function "s6::t.or" nlocalsplus=2 stacksize=1 {
  fs0 = state @4 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  v3 = call PyObject_IsTrue(v2) @4
  check_neg v3, fs0 @4
  v4 = iconst.i32 0 @4
  v5 = icmp.ne v3, v4 @4
  branch v5, bb3(v2), bb4() @4
bb4():
  v6 = load_local 1 @6
  v7 = call PyObject_IsTrue(v6) @8
  check_neg v7, fs0 @8
  v8 = icmp.ne v7, v4 @8
  branch v8, bb3(v6), bb5(v6) @8
bb3(v9: obj):
  jump bb5(v9) @10
bb5(v10: obj):
  incref v10 @12
  return v10 @12
}
; check: branch v5, bb5(v2), bb4() @4
; check: bb4():
; check: check_neg v7, fs0 @8
; nextln: jump bb5(v6)
; not: icmp.ne v7
; not: bb3
; check: bb5(v10: obj):
; nextln: incref v10 @12
