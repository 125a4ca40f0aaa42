; run: specialize, legalize
; `id(x)` where LOAD_GLOBAL saw the builtin `id` and the PRECALL called a METH_O C function
; (PRECALL_NO_KW_BUILTIN_O, which does not say which): when the callable is the builtin (a
; binding) and the operand below it the NULL LOAD_GLOBAL pushed, a helper calls the C
; function; otherwise the generic call. `type(x)` (PRECALL_NO_KW_TYPE_1) reads the type inline.
function "s6::t.h" nlocalsplus=1 stacksize=3 {
  b0..b15 = cache
  feedback @2 "LOAD_GLOBAL" 3x global "LOAD_GLOBAL_BUILTIN" "id" builtin = builtin "builtins.id"
  feedback @16 "PRECALL" 3x call "PRECALL_NO_KW_BUILTIN_O" unknown
  feedback @30 "PRECALL" 3x call "PRECALL_NO_KW_TYPE_1" type "builtins.type"
  fs0 = state @2 []
  fs1 = state @18 [v5, v4, v6]
  fs2 = state @18 []
  fs3 = state @32 [v8, v9, v6]
  fs4 = state @32 []
bb0(v0: ptr, v1: ptr):
  v6 = load_local 0
  v2 = load_name 0 @2
  v3 = binding_addr b0 @2
  v4 = call s6_rt_load_global_cached(v1, v2, v3) @2
  check_null v4, fs0 @2
  v5 = null @2
  incref v6 @14
  v7 = py.call.1 v5, v4, v6, fs1 @18
  check_null v7, fs2 @18
  decref v7 @20
  v8 = null @22
  v9 = load_local 0 @22
  incref v9 @22
  incref v6 @28
  v10 = py.call.1 v8, v9, v6, fs3 @32
  check_null v10, fs4 @32
  return v10 @34
}
; check: b16 = builtin "id"
; check: b17 = builtin "type"
; check: v12 = load_binding b16 @18
; nextln: v13 = icmp.eq v4, v12 @18
; nextln: v14 = null @18
; nextln: v15 = icmp.eq v5, v14 @18
; nextln: v16 = and v13, v15 @18
; nextln: branch v16, bb2(), bb3() @18
; check: bb2():
; nextln: v17 = call s6_rt_call_cfunc_o(v4, v6) @18
; nextln: decref v4 @18
; nextln: decref v6 @18
; nextln: jump bb1(v17) @18
; check: call s6_rt_call(
; check: bb1(v11: obj):
; nextln: check_null v11, fs2 @18
; check: load_binding b17 @32
; check: v28 = load.obj v6, 8 @32
; nextln: incref v28 @32
; nextln: decref v9 @32
; nextln: decref v6 @32
