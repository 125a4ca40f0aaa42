; run: reuse_item_boxes
; `v[0] = x * 2.5` as specialize writes it: the box moves to the store as `rebox_float` of the
; slot's old item (reused at run time when only the slot holds it), its allocation check with
; it; the tracing exit in between gets the unboxed product. `v[1] = x * 0.5` keeps its box: a
; call that may run Python code sits between the box and the store.
function "s6::t.s" nlocalsplus=2 stacksize=3 {
  fs0 = state @3 []
  fs1 = state @5 [v4]
  fs2 = state @13 []
  fs3 = state @15 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  v3 = fconst 2.5 @3
  v20 = fconst 1.5 @3
  v21 = fmul v20, v3 @3
  v4:FloatExact = box_float v21 @3
  check_null v4, fs0 @3
  check_tracing fs1 @5
  set_prev_instr 7 @7
  v5 = load.ptr v2, 24 @7
  v6 = load.obj v5, 0 @7
  incref v4 @7
  store.obj v5, 0, v4 @7
  decref v6 @7
  decref v4 @7
  v7 = fconst 0.5 @13
  v8 = fmul v20, v7 @13
  v9:FloatExact = box_float v8 @13
  check_null v9, fs2 @13
  v10 = call PyObject_Repr(v2) @14
  check_null v10, fs3 @14
  decref v10 @14
  v11 = load.obj v5, 8 @15
  incref v9 @15
  store.obj v5, 8, v9 @15
  decref v11 @15
  decref v9 @15
  v12:NoneType = load_const 0 @17
  incref v12 @17
  return v12 @17
}
; check: fs1 = state @5 [v21]
; check: v21 = fmul v20, v3 @3
; nextln: check_tracing fs1 @5
; nextln: set_prev_instr 7 @7
; nextln: v5 = load.ptr v2, 24 @7
; nextln: v6 = load.obj v5, 0 @7
; nextln: v4:FloatExact = rebox_float v6, v21 @7
; nextln: check_null v4, fs0 @3
; nextln: incref v4 @7
; nextln: store.obj v5, 0, v4 @7
; nextln: decref v6 @7
; check: v9:FloatExact = box_float v8 @13
; nextln: check_null v9, fs2 @13
; check: store.obj v5, 8, v9 @15
