; run: inline
; A body with its own inlined code (compiled as an `inlinee`: `p.getx()` inlined, given up with
; a deopt where it would call) copied into its caller: the inner copy's abandon states keep
; abandoning to the inner give-up (renumbered), and the give-up itself becomes an abandon of
; the whole body (the inner call's operands, which it still holds, on its stack), which
; releases them and makes the outer call.
function "s6::t.h" nlocalsplus=1 stacksize=3 {
  b0 = type "builtins.float"
  inline @6 args 1 function "s6::t.C.g" nlocalsplus=1 stacksize=3 inlinee {
  b0 = type "builtins.float"
  b1..b16 = cache
  fs0 = state @6 [v2, v3]
  fs1 = state @6 []
  fs2 = state @2 [] abandon bb2
  fs3 = state @4 [v13] abandon bb2
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 0 @3
  incref v3 @3
  v7 = native_is v2, "s6::t.C.getx" @6
  branch v7, bb3(), bb2() @6
bb2():
  deopt fs0, "inlined callee given up" @6
bb3():
  v8 = load.ptr v2, 48 @6
  v9 = load.ptr v8, 24 @6
  v10 = load.ptr v8, 32 @6
  incref v3 @6
  v11 = load.obj v10, 24 @6
  v12 = binding_addr b1 @6
  v13 = call s6_rt_probe_attr_cached(v3, v11, v12) @6
  decref v3 @6
  check_null v13, fs2 @6
  v14:FloatExact = guard_type v13, b0, fs3 @6
  decref v2 @6
  decref v3 @6
  jump bb1(v14) @6
bb1(v6: obj):
  check_null v6, fs1 @6
  return v6 @8
}
  fs0 = state @6 [v2, v3]
  fs1 = state @6 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 0 @3
  incref v3 @3
  v5 = py.call.0 v2, v3, fs0 @6
  check_null v5, fs1 @6
  return v5 @8
}
; check: fs2 = state @6 [v3, v3] abandon bb2
; nextln: fs3 = state @2 [] abandon bb4
; nextln: fs4 = state @4 [v22] abandon bb4
; nextln: fs5 = state @6 [] abandon bb2
; check: v7 = native_is v2, "s6::t.C.g" @6
; nextln: branch v7, bb3(), bb2() @6
; check: v11 = call s6_rt_call(v1, v8, v9, v10) @6
; check: v16 = native_is v3, "s6::t.C.getx" @6
; nextln: branch v16, bb5(), bb4() @6
; nextln: bb4():
; nextln: deopt fs2, "inlined callee given up" @6
; check: v22 = call s6_rt_probe_attr_cached(v3, v20, v21) @6
; check: check_null v22, fs3 @6
; nextln: v23:FloatExact = guard_type v22, b0, fs4 @6
; check: bb6(v15: obj):
; nextln: check_null v15, fs5 @6
; nextln: decref v2 @6
; nextln: decref v3 @6
; nextln: jump bb1(v15) @6
