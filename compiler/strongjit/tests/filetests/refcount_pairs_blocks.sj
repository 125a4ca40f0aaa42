; run: refcount_pairs
; Pairs split across blocks or separated by store_local are kept; set_prev_instr (a frame
; store) does not separate a pair.
function "s6::t.rc2" nlocalsplus=1 stacksize=0 {
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  incref v2
  jump bb1()
bb1():
  decref v2
  incref v2
  set_prev_instr 4
  decref v2
  incref v2
  v3 = null
  store_local 0, v3
  decref v2
  v4 = null
  return v4
}
; check: incref v2
; nextln: jump bb1()
; check: decref v2
; nextln: set_prev_instr 4
; nextln: incref v2
; nextln: v3 = null
; nextln: store_local 0, v3
; nextln: decref v2
