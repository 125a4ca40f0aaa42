; run: inline
; `p.getx()` where the profile saw one method called: its body (an attribute probe and a
; float guard) runs in place of the call behind `native_is`; the call is beside it. Every exit
; of the callee becomes an abandon of its copy (its states gain `abandon bb<fallback>` and keep
; the callee's stack, which the abandon releases); its site cache becomes a new run of 16
; words in the caller and its type binding is shared; the callee's names and constants are read
; from the callable's code; the operands, which the call consumed, are released after the body.
function "s6::t.f" nlocalsplus=1 stacksize=3 {
  b0 = type "builtins.float"
  inline @6 args 1 function "s6::t.C.getx" nlocalsplus=1 stacksize=1 {
  b0..b15 = cache
  b16 = type "builtins.float"
  fs0 = state @2 []
  fs1 = state @4 [v3]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @1
  incref v2 @1
  set_prev_instr 2 @2
  v4 = load_name 0 @2
  v5 = binding_addr b0 @2
  v3 = call s6_rt_load_attr_cached(v2, v4, v5) @2
  decref v2 @2
  check_null v3, fs0 @2
  check_tracing fs1 @2
  v6:FloatExact = guard_type v3, b16, fs1 @4
  return v6 @4
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
; check: b1..b16 = cache
; not: inline @6
; check: fs2 = state @2 [] abandon bb2
; nextln: fs3 = state @4 [v17] abandon bb2
; check: v7 = native_is v2, "s6::t.C.getx" @6
; nextln: branch v7, bb3(), bb2() @6
; check: bb2() cold:
; nextln: store.obj v1, 80, v2 @6
; check: v11 = call s6_rt_call(v1, v8, v9, v10) @6
; nextln: jump bb1(v11) @6
; check: bb3():
; nextln: v12 = load.ptr v2, 48 @6
; nextln: v13 = load.ptr v12, 24 @6
; nextln: v14 = load.ptr v12, 32 @6
; nextln: incref v3 @6
; nextln: v15 = load.obj v14, 24 @6
; nextln: v16 = binding_addr b1 @6
; nextln: v17 = call s6_rt_probe_attr_cached(v3, v15, v16) @6
; nextln: decref v3 @6
; nextln: check_null v17, fs2 @6
; nextln: v18:FloatExact = guard_type v17, b0, fs3 @6
; nextln: decref v2 @6
; nextln: decref v3 @6
; nextln: jump bb1(v18) @6
; check: bb1(v6: obj):
; nextln: check_null v6, fs1 @6
