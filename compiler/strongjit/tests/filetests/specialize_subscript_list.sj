; run: specialize, legalize, dce
; `a[i]` at a site CPython specialized as BINARY_SUBSCR_LIST_INT but that missed (other
; containers reached it: a word that is sometimes a bytes): the item is read in machine code
; when `a` is exactly a list and `i` in range (negative counted from the end); any other
; container, or an index out of range, takes the generic call, which raises the IndexError
; itself. Neither deopts: only an index that is not an int (the feedback says it
; is) or does not fit 64 bits does.
function "s6::t.get" nlocalsplus=2 stacksize=2 {
  feedback @6 "BINARY_SUBSCR" 3x operands "BINARY_SUBSCR_LIST_INT" ["builtins.list", "builtins.int"] missed
  fs0 = state @6 [v2, v3]
  fs1 = state @6 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @4
  incref v3 @4
  v4 = py.getitem v2, v3, fs0 @6
  decref v2 @6
  decref v3 @6
  check_null v4, fs1 @6
  return v4 @8
}
; check: b0 = type "builtins.int"
; check: b1 = type "builtins.list"
; check: bb0(v0: ptr, v1: ptr):
; check: v6:LongExact = guard_type v3, b0, fs0 @6
; nextln: v7 = load_binding b1 @6
; nextln: v8 = load.obj v2, 8 @6
; nextln: v9 = icmp.eq v8, v7 @6
; nextln: branch v9, bb4(), bb3() @6
; check: bb2():
; check: v21 = load.obj v20, 0 @6
; nextln: incref v21 @6
; nextln: jump bb1(v21) @6
; check: bb3() cold:
; nextln: v22 = call PyObject_GetItem(v2, v3) @6
; nextln: jump bb1(v22) @6
; check: bb4():
; nextln: v10 = unbox_int v6, fs0 @6
; check: v16 = icmp.ult v15, v11 @6
; nextln: branch v16, bb2(), bb3() @6
; not: deopt_if
