; run: inline
; A callee that reads a global (`return G`): its `s6_rt_load_global_cached(frame, ...)` becomes
; `s6_rt_probe_global_cached(f, ...)`, which reads the called function's own globals and
; builtins (found without running code, or NULL, which abandons the copy to the real call).
function "s6::t.f" nlocalsplus=1 stacksize=3 {
  inline @6 args 0 function "s6::t.g" nlocalsplus=0 stacksize=1 {
  b0..b15 = cache
  fs0 = state @2 []
bb0(v0: ptr, v1: ptr):
  set_prev_instr 2 @2
  v2 = load_name 0 @2
  v3 = binding_addr b0 @2
  v4 = call s6_rt_load_global_cached(v1, v2, v3) @2
  check_null v4, fs0 @2
  return v4 @4
}
  fs0 = state @6 [v2, v3]
  fs1 = state @6 []
bb0(v0: ptr, v1: ptr):
  v2 = null @2
  v3 = load_local 0 @3
  incref v3 @3
  v5 = py.call.0 v2, v3, fs0 @6
  check_null v5, fs1 @6
  return v5 @8
}
; check: fs2 = state @2 [] abandon bb2
; check: v7 = native_is v3, "s6::t.g" @6
; check: v17 = call s6_rt_probe_global_cached(v3, v15, v16) @6
; nextln: check_null v17, fs2 @6
; nextln: decref v3 @6
; nextln: jump bb1(v17) @6
