; run: specialize, legalize
; `a == b` where CPython compared two strs (COMPARE_OP_STR_JUMP): identity, then length,
; then `_PyUnicode_Equal` for two ready strs of one length, in machine code; another type or
; a str not ready takes the generic comparison; no guard, no deopt.
function "s6::t.eq" nlocalsplus=2 stacksize=2 {
  feedback @4 "COMPARE_OP" 3x operands "COMPARE_OP_STR_JUMP" ["builtins.str", "builtins.str"]
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @3
  incref v3 @3
  v4 = py.eq v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  return v4 @6
}
; check: b0 = type "builtins.str"
; check: v11 = and v8, v10 @4
; nextln: branch v11, bb3(), bb2() @4
; check: bb2() cold:
; nextln: v30 = iconst.i32 2 @4
; nextln: v31 = call PyObject_RichCompare(v2, v3, v30) @4
; check: bb3():
; nextln: v13 = icmp.eq v2, v3 @4
; nextln: v14 = iconst.i8 1 @4
; nextln: branch v13, bb7(v14), bb4() @4
; check: v17 = icmp.ne v15, v16 @4
; check: v19 = load.i32 v2, 32 @4
; check: v22 = iconst.i32 128 @4
; check: branch v25, bb6(), bb2() @4
; check: call _PyUnicode_Equal(v2, v3) @4
; check: box_bool
; not: deopt
; not: guard_type
