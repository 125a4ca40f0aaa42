; run: specialize
; `math.cos(x)` where CPython's PRECALL saw some C function (it does not record which) and the
; profile saw the global `math` hold the module `math`: the callee is compared with the
; builtin `math.cos` (a binding, which the runtime resolves only to the C function of that
; name of the extension module) and the NULL the global's load pushed; then x, an exact float
; or a one-digit int, goes to the C library's cos, and a finite result (or a NaN one of a NaN)
; is boxed. Another callable, another argument type, or a result math_1 may turn into an
; error takes the generic call. No deopt.
function "s6::t.m" nlocalsplus=1 stacksize=3 {
  b0..b31 = cache
  feedback @2 "LOAD_GLOBAL" 3x global "LOAD_GLOBAL_MODULE" "math" module = module "math"
  feedback @14 "LOAD_ATTR" 3x attr "LOAD_ATTR_MODULE" "builtins.module" "cos" module
  feedback @24 "PRECALL" 3x call "PRECALL_NO_KW_BUILTIN_O" unknown
  fs0 = state @2 []
  fs1 = state @14 [v5]
  fs2 = state @26 [v5, v8, v9]
  fs3 = state @26 []
bb0(v0: ptr, v1: ptr):
  v2 = load_name 0 @2
  v3 = binding_addr b0 @2
  v4 = call s6_rt_load_global_cached(v1, v2, v3) @2
  check_null v4, fs0 @2
  v5 = null @2
  v6 = load_name 1 @14
  v7 = binding_addr b16 @14
  v8 = call s6_rt_load_attr_cached(v4, v6, v7) @14
  decref v4 @14
  check_null v8, fs1 @14
  v9 = load_local 0 @22
  incref v9 @22
  v10 = py.call.1 v5, v8, v9, fs2 @26
  check_null v10, fs3 @26
  return v10 @32
}
; check: b32 = object "math.cos"
; check: v12 = load_binding b32 @26
; nextln: v13 = icmp.eq v8, v12 @26
; nextln: v14 = null @26
; nextln: v15 = icmp.eq v5, v14 @26
; nextln: v16 = and v13, v15 @26
; nextln: branch v16, bb2(), bb4() @26
; check: bb3():
; nextln: v39:FloatExact = box_float v33 @26
; nextln: decref v8 @26
; nextln: decref v9 @26
; nextln: jump bb1(v39) @26
; check: bb4() cold:
; check: v43 = call s6_rt_call(v1, v40, v41, v42) @26
; nextln: jump bb1(v43) @26
; check: bb6():
; nextln: v23 = icmp.eq v19, v18 @26
; nextln: branch v23, bb8(), bb4() @26
; check: bb7(v21: f64):
; nextln: v33 = call s6_rt_math_cos(v21) @26
; nextln: v34 = fconst 0.0 @26
; nextln: v35 = fsub v33, v33 @26
; nextln: v36 = fcmp.eq v35, v34 @26
; nextln: v37 = fcmp.ne v21, v21 @26
; nextln: v38 = or v36, v37 @26
; nextln: branch v38, bb3(), bb4() @26
