; run: specialize, legalize
; `len(x)` where CPython's PRECALL saw the builtin len: the callee is compared with the
; builtin (a binding) and the NULL that LOAD_GLOBAL pushed; when both hold, the length is
; computed directly (an exact list, tuple, dict, or ready str: its size word, boxed; anything else:
; len's C code) and the operands, which a call consumes, are released; otherwise the generic
; call runs with the operands in the frame's value-stack slots. No deopt.
function "s6::t.n" nlocalsplus=1 stacksize=3 {
  feedback @4 "PRECALL" 3x call "PRECALL_NO_KW_LEN" builtin "builtins.len"
  fs0 = state @6 [v2, v3, v4]
  fs1 = state @6 []
bb0(v0: ptr, v1: ptr):
  v2 = null @2
  v3 = load_local 0 @2
  incref v3 @2
  v4 = load_local 0 @3
  incref v4 @3
  v5 = py.call.1 v2, v3, v4, fs0 @6
  check_null v5, fs1 @6
  return v5 @8
}
; check: b0 = builtin "len"
; check: b1 = type "builtins.dict"
; check: b2 = type "builtins.str"
; check: v7 = load_binding b0 @6
; nextln: v8 = icmp.eq v3, v7 @6
; nextln: v9 = null @6
; nextln: v10 = icmp.eq v2, v9 @6
; nextln: v11 = and v8, v10 @6
; nextln: branch v11, bb2(), bb3() @6
; check: bb2():
; nextln: v13 = load.obj v4, 8 @6
; nextln: v14:TypeExact = const_obj PyList_Type @6
; nextln: v15:TypeExact = const_obj PyTuple_Type @6
; nextln: v16 = icmp.eq v13, v14 @6
; nextln: v17 = icmp.eq v13, v15 @6
; nextln: v18 = or v16, v17 @6
; nextln: branch v18, bb5(), bb4() @6
; check: bb3() cold:
; nextln: store.obj v1, 80, v2 @6
; nextln: store.obj v1, 88, v3 @6
; nextln: store.obj v1, 96, v4 @6
; nextln: v31 = iconst.i32 1 @6
; nextln: v32 = iconst.i32 1 @6
; nextln: v33 = null @6
; nextln: v34 = call s6_rt_call(v1, v31, v32, v33) @6
; nextln: jump bb1(v34) @6
; check: bb1(v6: obj):
; nextln: check_null v6, fs1 @6
; check: bb4():
; nextln: v19 = load_binding b1 @6
; nextln: v20 = icmp.eq v13, v19 @6
; nextln: branch v20, bb5(), bb8() @6
; check: bb5():
; nextln: v28 = load.i64 v4, 16 @6
; nextln: v29:LongExact = box_int v28 @6
; nextln: jump bb7(v29) @6
; check: bb6():
; nextln: v30 = call s6_rt_len(v4) @6
; nextln: jump bb7(v30) @6
; check: bb7(v12: obj):
; nextln: decref v3 @6
; nextln: decref v4 @6
; nextln: jump bb1(v12) @6
; check: bb8():
; nextln: v21 = load_binding b2 @6
; nextln: v22 = icmp.eq v13, v21 @6
; nextln: branch v22, bb9(), bb6() @6
; check: bb9():
; nextln: v23 = load.i32 v4, 32 @6
; nextln: v24 = iconst.i32 128 @6
; nextln: v25 = and v23, v24 @6
; nextln: v26 = iconst.i32 0 @6
; nextln: v27 = icmp.ne v25, v26 @6
; nextln: branch v27, bb5(), bb6() @6
