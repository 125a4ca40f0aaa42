; run: specialize, legalize, dce
; `a[i] = v` at a site CPython specialized as STORE_SUBSCR_LIST_INT but that missed (an index
; out of range reached it), with `a` already proven a list: no check of its type, a guard on the index's; in range the item is swapped in machine
; code (the new value's reference taken, the old one released), else the generic call.
function "s6::t.put" nlocalsplus=3 stacksize=3 {
  feedback @8 "STORE_SUBSCR" 4x operands "STORE_SUBSCR_LIST_INT" ["builtins.list", "builtins.int"] missed
  fs0 = state @8 [v4, v2, v3]
  fs1 = state @8 []
bb0(v0: ptr, v1: ptr):
  v2:ListExact = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @4
  incref v3 @4
  v4 = load_local 2 @6
  incref v4 @6
  v5 = py.setitem v2, v3, v4, fs0 @8
  decref v4 @8
  decref v2 @8
  decref v3 @8
  check_neg v5, fs1 @8
  v6:NoneType = const_obj None @10
  incref v6 @10
  return v6 @12
}
; check: b0 = type "builtins.int"
; check: v8:LongExact = guard_type v3, b0, fs0 @8
; nextln: v9 = unbox_int v8, fs0 @8
; check: v15 = icmp.ult v14, v10 @8
; nextln: branch v15, bb2(), bb3() @8
; check: v20 = load.obj v19, 0 @8
; nextln: incref v4 @8
; nextln: store.obj v19, 0, v4 @8
; nextln: decref v20 @8
; check: bb3() cold:
; nextln: v22 = call PyObject_SetItem(v2, v3, v4) @8
; not: deopt_if
