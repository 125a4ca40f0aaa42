; run: ssa_locals
; `i = 0; while i < n: i = i + 1; return i` in translator shape: loads of `i` and `n` in the loop
; become the loop's block parameter and the entry value; stores stay (the frame is still written).
function "s6::t.count" nlocalsplus=2 stacksize=2 {
  const 0 = int 0
  const 1 = int 1
  fs0 = state @8 []
  fs1 = state @8 [v3, v4]
  fs2 = state @14 [v7, v8]
  fs3 = state @8 [v5]
bb0(v0: ptr, v1: ptr):
  v2 = load_const 0 @0
  incref v2 @0
  store_local 1, v2 @2
  jump bb1() @4
bb1():
  v3 = load_local 1 @4
  v4 = load_local 0 @6
  v5 = py.lt v3, v4, fs1 @8
  check_null v5, fs0 @8
  v12 = py.truth v5, fs3 @8
  decref v5 @8
  v13 = iconst.i32 0 @8
  v6 = icmp.ne v12, v13 @8
  branch v6, bb2(), bb3() @8
bb2():
  v7 = load_local 1 @10
  v8 = load_const 1 @12
  v9 = py.add v7, v8, fs2 @14
  check_null v9, fs0 @14
  store_local 1, v9 @16
  jump bb1() @18
bb3():
  v10 = load_local 1 @20
  incref v10 @20
  return v10 @22
}
; check: fs1 = state @8 [v14, v16]
; check: bb0(v0: ptr, v1: ptr):
; nextln: v16 = load_local 0
; check: store_local 1, v2 @2
; nextln: jump bb1(v2) @4
; check: bb1(v14: obj):
; nextln: v5 = py.lt v14, v16, fs1 @8
; check: v9 = py.add v14, v8, fs2 @14
; check: store_local 1, v9 @16
; nextln: jump bb1(v9) @18
; check: incref v14 @20
; nextln: return v14 @22
; not: load_local 1
