; run: inline
; A callee that stores an attribute is not inlined (its store could be seen; the state at the
; store, which a tracing check leaves there, would let the copy give the body up at it, but
; only a generic call on a `cold` side path is given up: this one runs at every call), nor one
; called with another number of arguments than it takes: the calls stay as they were, and the
; list of callees is dropped.
function "s6::t.f" nlocalsplus=1 stacksize=3 {
  inline @6 args 1 function "s6::t.C.setx" nlocalsplus=1 stacksize=2 {
  b0..b15 = cache
  fs0 = state @2 []
  fs1 = state @2 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @1
  check_tracing fs1 @1
  v3 = load_name 0 @2
  v4 = binding_addr b0 @2
  v5 = call s6_rt_store_attr_cached(v2, v3, v2, v4) @2
  check_neg v5, fs0 @2
  v6 = const_obj None @3
  incref v6 @3
  return v6 @3
}
  inline @12 args 2 function "s6::t.C.getx" nlocalsplus=2 stacksize=1 {
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @1
  incref v2 @1
  return v2 @2
}
  fs0 = state @6 [v2, v3]
  fs1 = state @12 [v2, v3]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 0 @3
  incref v3 @3
  v5 = py.call.0 v2, v3, fs0 @6
  decref v5 @8
  incref v2 @9
  incref v3 @10
  v6 = py.call.0 v2, v3, fs1 @12
  return v6 @14
}
; not: inline @
; not: native_is
; check: v5 = py.call.0 v2, v3, fs0 @6
; check: v6 = py.call.0 v2, v3, fs1 @12
