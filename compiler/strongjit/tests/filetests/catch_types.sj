; run: catch_types
; `t = 0.0; while ...: try: t = t + 1.5 ... except: pass` after ssa_locals: the loop's `t`
; comes from the body (a float) or from the handler, which left `t` alone and so passes the
; frame's value read in its catch block. That read is guarded as a float there (deopting to the
; handler's first instruction with its stack) and unboxed right after, so the merge stays typed.
function "s6::t.loop" nlocalsplus=1 stacksize=2 {
  b0 = type "builtins.float"
  const 0 = float 0.0
  fs0 = state @10 []
  fs1 = state @8 [v3]
bb0(v0: ptr, v1: ptr):
  entry bb1(), catch @30 bb4()
bb1():
  v2:FloatExact = load_const 0 @0
  incref v2 @0
  store_local 0, v2 @2
  jump bb2(v2) @4
bb2(v3: obj):
  v4:FloatExact = guard_type v3, b0, fs1 @8
  v5 = unbox_float v4 @8
  v6 = fconst 1.5 @8
  v7 = fadd v5, v6 @8
  v8:FloatExact = store_local_float 0, v7 @10
  check_null v8, fs0 @10
  jump bb2(v8) @12
bb4():
  v9 = load_local 0
  v10 = load.obj v1, 80 @30
  v11 = iconst.i32 1 @30
  store.i32 v1, 64, v11 @30
  jump bb5(v10) @30
bb5(v14: obj):
  decref v14 @30
  jump bb2(v9) @32
}
; check: fs2 = state @30 [v10]
; check: bb4():
; nextln: v9 = load_local 0
; check: store.i32 v1, 64, v11 @30
; nextln: v15:FloatExact = guard_type v9, b0, fs2 @30
; nextln: v16 = unbox_float v15 @30
; nextln: jump bb5(v10) @30
; check: jump bb2(v15) @32
