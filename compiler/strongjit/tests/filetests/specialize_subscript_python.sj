; run: specialize, legalize, dce
; `r[i]` where CPython called a class's Python `__getitem__` (`BINARY_SUBSCR_GETITEM`), and
; `g[k] = v` where it found no specialized form (every snapshot adaptive): helpers that call
; the Python method directly when the type's slot would call it, the generic operation
; otherwise; no guard (the helpers decide at run time). A store site where CPython saw a dict
; keeps the generic call.
function "s6::t.f" nlocalsplus=3 stacksize=4 {
  feedback @4 "BINARY_SUBSCR" 4x call "BINARY_SUBSCR_GETITEM" code "t.py" "t" "Rows.__getitem__" 7 0x1
  feedback @12 "STORE_SUBSCR" 4x adaptive 7
  feedback @20 "STORE_SUBSCR" 4x operands "STORE_SUBSCR_DICT" ["builtins.dict", "builtins.str", "builtins.int"]
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
  fs2 = state @12 [v4, v2, v3]
  fs3 = state @12 []
  fs4 = state @20 [v4, v2, v3]
  fs5 = state @20 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @3
  incref v3 @3
  v4 = py.getitem v2, v3, fs0 @4
  check_null v4, fs1 @4
  v5 = py.setitem v4, v2, v3, fs2 @12
  check_neg v5, fs3 @12
  v6 = py.setitem v4, v2, v3, fs4 @20
  check_neg v6, fs5 @20
  decref v2 @22
  decref v3 @22
  return v4 @24
}
; check: v7 = call s6_rt_getitem_py(v2, v3) @4
; check: v8 = call s6_rt_setitem_py(v7, v2, v3) @12
; check: v9 = call PyObject_SetItem(v7, v2, v3) @20
; not: guard_type
