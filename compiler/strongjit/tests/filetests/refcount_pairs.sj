; run: refcount_pairs
; Only pairs with nothing observable in between cancel; a local the frame holds (slot never
; written) stays held across calls that are not given it.
function "s6::t.rc" nlocalsplus=2 stacksize=1 {
  fs0 = state @6 [v2]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  v3 = load_local 1
  v10 = call PyObject_Repr(v2)
  ; removable: only pure instructions in between
  incref v10
  v4 = iconst.i64 1
  v5 = iadd v4, v4
  decref v10
  ; kept: a call may observe the count (and run __del__), and nothing else holds v10
  incref v10
  v6 = call PyObject_Str(v2)
  decref v10
  ; removed: the frame holds v3 (local 1 is never written) and the call is not given it
  incref v3
  v11 = call PyObject_Str(v2)
  decref v3
  ; kept: the call is given v3 (C code may act on its count)
  incref v3
  v12 = call PyObject_Str(v3)
  decref v3
  ; kept: a load could read ob_refcnt
  xincref v10
  v7 = load.i64 v10, 0
  xdecref v10
  ; removed: the exit in between gets a copy of its state that borrows v2 (it increfs
  ; the entry on the way out)
  incref v2
  v9 = iconst.i8 0
  deopt_if v9, fs0, "r"
  decref v2
  ; kept: different values
  incref v10
  decref v6
  ; nested pairs collapse
  incref v10
  incref v2
  decref v2
  xdecref v10
  return v6
}
; check: fs1 = state @6 [&v2]
; check: v10 = call PyObject_Repr(v2)
; nextln: v4 = iconst.i64 1
; nextln: v5 = iadd v4, v4
; nextln: incref v10
; nextln: v6 = call PyObject_Str(v2)
; nextln: decref v10
; nextln: v11 = call PyObject_Str(v2)
; nextln: incref v3
; nextln: v12 = call PyObject_Str(v3)
; nextln: decref v3
; nextln: xincref v10
; nextln: v7 = load.i64 v10, 0
; nextln: xdecref v10
; nextln: v9 = iconst.i8 0
; nextln: deopt_if v9, fs1, "r"
; nextln: incref v10
; nextln: decref v6
; nextln: return v6
