; run: specialize, legalize
; `len(x)` where CPython's PRECALL saw the builtin len: the callee is compared with the
; builtin (a binding) and the NULL that LOAD_GLOBAL pushed; when both hold, len's C code is
; called directly (the operands, which a call consumes, are released); otherwise the generic
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
; check: v7 = load_binding b0 @6
; nextln: v8 = icmp.eq v3, v7 @6
; nextln: v9 = null @6
; nextln: v10 = icmp.eq v2, v9 @6
; nextln: v11 = and v8, v10 @6
; nextln: branch v11, bb2(), bb3() @6
; check: bb2():
; nextln: v12 = call s6_rt_len(v4) @6
; nextln: decref v3 @6
; nextln: decref v4 @6
; nextln: jump bb1(v12) @6
; check: bb3():
; nextln: store.obj v1, 80, v2 @6
; nextln: store.obj v1, 88, v3 @6
; nextln: store.obj v1, 96, v4 @6
; nextln: v13 = iconst.i32 1 @6
; nextln: v14 = iconst.i32 1 @6
; nextln: v15 = null @6
; nextln: v16 = call s6_rt_call(v1, v13, v14, v15) @6
; nextln: jump bb1(v16) @6
; check: bb1(v6: obj):
; nextln: check_null v6, fs1 @6
