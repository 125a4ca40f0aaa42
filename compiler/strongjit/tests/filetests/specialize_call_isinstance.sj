; run: specialize, legalize
; `isinstance(x, t)` where CPython's PRECALL saw the builtin isinstance: when the callee is the
; builtin and the operand below it the NULL LOAD_GLOBAL pushed, an object whose type is `t`
; itself gives `True` in machine code (what PyObject_IsInstance checks first, before any
; `__instancecheck__`), anything else calls isinstance's C code; the operands are released.
; Otherwise the generic call. No deopt.
function "s6::t.i" nlocalsplus=2 stacksize=4 {
  feedback @6 "PRECALL" 3x call "PRECALL_NO_KW_ISINSTANCE" builtin "builtins.isinstance"
  fs0 = state @8 [v2, v3, v4, v5]
  fs1 = state @8 []
bb0(v0: ptr, v1: ptr):
  v2 = null @2
  v3 = load_local 0 @2
  incref v3 @2
  v4 = load_local 0 @3
  incref v4 @3
  v5 = load_local 1 @4
  incref v5 @4
  v6 = py.call.2 v2, v3, v4, v5, fs0 @8
  check_null v6, fs1 @8
  return v6 @10
}
; check: b0 = builtin "isinstance"
; check: branch v12, bb2(), bb3() @8
; check: bb2():
; nextln: v14 = load.obj v4, 8 @8
; nextln: v15 = icmp.eq v14, v5 @8
; nextln: branch v15, bb4(), bb5() @8
; check: call s6_rt_call(
; check: bb1(v7: obj):
; nextln: check_null v7, fs1 @8
; check: bb4():
; nextln: v16:Bool = const_obj True @8
; nextln: incref v16 @8
; nextln: jump bb6(v16) @8
; check: bb5():
; nextln: v17 = call s6_rt_isinstance(v4, v5) @8
; nextln: jump bb6(v17) @8
; check: bb6(v13: obj):
; nextln: decref v3 @8
; nextln: decref v4 @8
; nextln: decref v5 @8
; nextln: jump bb1(v13) @8
