; run: specialize, legalize
; `d.get(k)` and `s.upper()` where CPython's LOAD_METHOD found a builtin method of a builtin
; type and its PRECALL called the C function through the descriptor
; (PRECALL_NO_KW_METHOD_DESCRIPTOR_FAST / _NOARGS): the method operand is compared with the
; descriptor (an object binding) and not NULL (LOAD_METHOD found no method; a binding the
; runtime could not resolve); when it is that object, a helper calls the C function
; (METH_FASTCALL: the arguments in a stack array), and the operands are released; otherwise
; the generic call. `s.strip(a, b, c, d)` has more arguments than the direct form takes, and
; stays generic.
function "s6::t.g" nlocalsplus=2 stacksize=7 {
  b0..b47 = cache
  feedback @8 "LOAD_METHOD" 3x attr "LOAD_METHOD_NO_DICT" "builtins.dict" "get" method builtin "builtins.dict.get"
  feedback @20 "PRECALL" 3x call "PRECALL_NO_KW_METHOD_DESCRIPTOR_FAST" unknown
  feedback @30 "LOAD_METHOD" 3x attr "LOAD_METHOD_NO_DICT" "builtins.str" "upper" method builtin "builtins.str.upper"
  feedback @40 "PRECALL" 3x call "PRECALL_NO_KW_METHOD_DESCRIPTOR_NOARGS" unknown
  feedback @50 "LOAD_METHOD" 3x attr "LOAD_METHOD_NO_DICT" "builtins.str" "strip" method builtin "builtins.str.strip"
  feedback @60 "PRECALL" 3x call "PRECALL_NO_KW_METHOD_DESCRIPTOR_FAST" unknown
  fs0 = state @8 []
  fs1 = state @22 [v6, v5, v7]
  fs2 = state @22 []
  fs3 = state @30 []
  fs4 = state @42 [v13, v12]
  fs5 = state @42 []
  fs6 = state @50 []
  fs7 = state @62 [v18, v17, v7, v7, v7, v7]
  fs8 = state @62 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  v7 = load_local 1
  incref v2 @7
  v3 = load_name 0 @8
  v4 = stack_alloc 8 @8
  v9 = binding_addr b0 @8
  v5 = call s6_rt_load_method_cached(v2, v3, v4, v9) @8
  check_null v5, fs0 @8
  v6 = load.obj v4, 0 @8
  incref v7 @19
  v8 = py.call.1 v6, v5, v7, fs1 @22
  check_null v8, fs2 @22
  decref v8 @24
  incref v7 @29
  v10 = load_name 1 @30
  v11 = stack_alloc 8 @30
  v14 = binding_addr b16 @30
  v12 = call s6_rt_load_method_cached(v7, v10, v11, v14) @30
  check_null v12, fs3 @30
  v13 = load.obj v11, 0 @30
  v15 = py.call.0 v13, v12, fs4 @42
  check_null v15, fs5 @42
  decref v15 @44
  incref v7 @49
  v20 = load_name 2 @50
  v21 = stack_alloc 8 @50
  v22 = binding_addr b32 @50
  v17 = call s6_rt_load_method_cached(v7, v20, v21, v22) @50
  check_null v17, fs6 @50
  v18 = load.obj v21, 0 @50
  incref v7 @51
  incref v7 @52
  incref v7 @53
  incref v7 @54
  v19 = py.call.4 v18, v17, v7, v7, v7, v7, fs7 @62
  check_null v19, fs8 @62
  return v19 @64
}
; check: b48 = object "builtins.dict.get"
; check: b49 = object "builtins.str.upper"
; check: v24 = load_binding b48 @22
; nextln: v25 = icmp.eq v6, v24 @22
; nextln: v26 = null @22
; nextln: v27 = icmp.ne v6, v26 @22
; nextln: v28 = and v25, v27 @22
; nextln: branch v28, bb2(), bb3() @22
; check: bb2():
; nextln: v29 = stack_alloc 8 @22
; nextln: store.obj v29, 0, v7 @22
; nextln: v30 = iconst.i64 1 @22
; nextln: v31 = call s6_rt_call_descr_fast(v6, v5, v29, v30) @22
; nextln: decref v6 @22
; nextln: decref v5 @22
; nextln: decref v7 @22
; nextln: jump bb1(v31) @22
; check: bb3() cold:
; check: call s6_rt_call(
; check: bb1(v23: obj):
; nextln: check_null v23, fs2 @22
; check: call s6_rt_call_descr_noargs(v13, v12) @42
; nextln: decref v13 @42
; nextln: decref v12 @42
; not: s6_rt_call_descr_fast(v18
