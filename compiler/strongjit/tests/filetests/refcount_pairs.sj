; run: refcount_pairs
; Only pairs with nothing observable in between cancel.
function "s6::t.rc" nlocalsplus=2 stacksize=1 {
  fs0 = state @6 [v2]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  v3 = load_local 1
  ; removable: only pure instructions in between
  incref v2
  v4 = iconst.i64 1
  v5 = iadd v4, v4
  decref v2
  ; kept: a call may observe the count (and run __del__)
  incref v3
  v6 = call PyObject_Str(v2)
  decref v3
  ; kept: a load could read ob_refcnt
  xincref v3
  v7 = load.i64 v3, 0
  xdecref v3
  ; removed: the exit in between gets a copy of its state that borrows v2 (it increfs
  ; the entry on the way out)
  incref v2
  v9 = iconst.i8 0
  deopt_if v9, fs0, "r"
  decref v2
  ; kept: different values
  incref v2
  decref v3
  ; nested pairs collapse
  incref v3
  incref v2
  decref v2
  xdecref v3
  return v6
}
; check: fs1 = state @6 [&v2]
; check: v2 = load_local 0
; nextln: v3 = load_local 1
; nextln: v4 = iconst.i64 1
; nextln: v5 = iadd v4, v4
; nextln: incref v3
; nextln: v6 = call PyObject_Str(v2)
; nextln: decref v3
; nextln: xincref v3
; nextln: v7 = load.i64 v3, 0
; nextln: xdecref v3
; nextln: v9 = iconst.i8 0
; nextln: deopt_if v9, fs1, "r"
; nextln: incref v2
; nextln: decref v3
; nextln: return v6
