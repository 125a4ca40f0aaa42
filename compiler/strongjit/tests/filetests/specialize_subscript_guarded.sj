; run: specialize, simplify, legalize, dce
; `a[0] + a[1]`-style reads at sites that never missed (only lists, indexes in range): the
; straight-line form. The container is guarded once (a deopt; the second read knows it is a
; list, so `simplify` drops its guard), and the bounds check deopts: no merge, no generic call.
function "s6::t.two" nlocalsplus=3 stacksize=3 {
  feedback @4 "BINARY_SUBSCR" 4x operands "BINARY_SUBSCR_LIST_INT" ["builtins.list", "builtins.int"]
  feedback @10 "BINARY_SUBSCR" 4x operands "BINARY_SUBSCR_LIST_INT" ["builtins.list", "builtins.int"]
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
  fs2 = state @10 [v4, v2, v5]
  fs3 = state @10 [v4]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3:LongExact = load_local 1 @3
  incref v3 @3
  v4 = py.getitem v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  incref v2 @8
  v5:LongExact = load_local 2 @9
  incref v5 @9
  v6 = py.getitem v2, v5, fs2 @10
  decref v2 @10
  decref v5 @10
  check_null v6, fs3 @10
  decref v4 @12
  return v6 @14
}
; check: v7:ListExact = guard_type v2, b0, fs0 @4
; check: deopt_if v14, fs0, "index out of range" @4
; check: v19 = load.obj v18, 0 @4
; check: v22 = load.i64 v7, 16 @10
; check: deopt_if v27, fs2, "index out of range" @10
; not: guard_type
; not: PyObject_GetItem
