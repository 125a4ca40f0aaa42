; run: simplify_cfg, jump_threading, simplify_cfg, unreachable_blocks, refcount_pairs, dce
; The default pipeline end to end on translator-shaped code for `return a + 1`.
function "s6::t.add1" nlocalsplus=1 stacksize=2 {
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_const 1 @3
  incref v3 @3
  set_prev_instr 4 @4
  v4 = call PyNumber_Add(v2, v3) @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  jump bb1(v4) @4
bb1(v5: obj):
  v6 = load_local 0 @6
  incref v6 @6
  decref v6 @6
  return v5 @8
}
; check: fs1 = state @4 []
; not: fs0
; check: bb0(v0: ptr, v1: ptr):
; nextln: v2 = load_local 0 @2
; nextln: incref v2 @2
; nextln: v3 = load_const 1 @3
; nextln: incref v3 @3
; nextln: set_prev_instr 4 @4
; nextln: v4 = call PyNumber_Add(v2, v3) @4
; nextln: decref v2 @4
; nextln: decref v3 @4
; nextln: check_null v4, fs1 @4
; nextln: return v4 @8
; not: v6
