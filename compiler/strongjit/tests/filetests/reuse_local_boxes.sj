; run: reuse_local_boxes
; `t = t + 1.5` stores its new float into local 1's own object (the release of the old value
; and the tracing check between box and store stay; the check's exit gets the unboxed sum);
; `u = u * 2.0` does not: the old object of local 2 (v5) is still used after the store.
function "s6::t.acc" nlocalsplus=3 stacksize=2 {
  b0 = type "builtins.float"
  fs0 = state @10 []
  fs1 = state @12 [v8]
  fs2 = state @20 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 1 @2
  v3:FloatExact = guard_type v2, b0, fs0 @2
  v4 = unbox_float v3 @4
  v5 = load_local 2 @6
  v6:FloatExact = guard_type v5, b0, fs0 @6
  v7 = fconst 1.5 @8
  v9 = fadd v4, v7 @10
  v8:FloatExact = box_float v9 @10
  check_null v8, fs0 @10
  check_tracing fs1 @12
  set_prev_instr 12 @12
  store_local 1, v8 @12
  v10 = unbox_float v6 @14
  v11 = fmul v10, v7 @16
  v12:FloatExact = box_float v11 @16
  check_null v12, fs2 @16
  store_local 2, v12 @18
  incref v5 @20
  return v5 @20
}
; check: fs1 = state @12 [v9]
; check: v9 = fadd v4, v7 @10
; nextln: check_tracing fs1 @12
; nextln: set_prev_instr 12 @12
; nextln: v8:FloatExact = store_local_float 1, v9 @12
; nextln: check_null v8, fs0 @10
; check: v12:FloatExact = box_float v11 @16
; check: store_local 2, v12 @18
