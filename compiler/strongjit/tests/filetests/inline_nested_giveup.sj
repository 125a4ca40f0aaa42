; run: inline
; A function compiled only to be inlined (`inlinee`, the driver's nested level) gives up where
; its own inlined call would make the real call: the fallback is a deopt at the call's state
; (its operands on the stack), which the copy into the next caller turns into an abandon.
function "s6::t.f" nlocalsplus=1 stacksize=3 inlinee {
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
; check: function "s6::t.f" nlocalsplus=1 stacksize=3 inlinee {
; not: inline @6
; check: fs0 = state @6 [v2, v3]
; check: fs2 = state @2 [] abandon bb2
; nextln: fs3 = state @4 [v13] abandon bb2
; check: v7 = native_is v2, "s6::t.C.getx" @6
; nextln: branch v7, bb3(), bb2() @6
; nextln: bb2() cold:
; nextln: deopt fs0, "inlined callee given up" @6
; not: s6_rt_call
