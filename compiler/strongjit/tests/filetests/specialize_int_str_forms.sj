; run: specialize, legalize
; `a + b` at a site that saw CPython's int add and its str add, neither with 90% of the
; snapshots: not one operator's int and float forms, so nothing is speculated (no unbox, no
; guard): the generic call, beside an int path only because the operands may be ints.
function "s6::t.add" nlocalsplus=2 stacksize=2 {
  feedback @6 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  feedback @6 "BINARY_OP" 2x operands "BINARY_OP_ADD_UNICODE" ["builtins.str", "builtins.str"]
  fs0 = state @6 [v2, v3]
  fs1 = state @6 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @4
  incref v3 @4
  v4 = py.add v2, v3, fs0 @6
  decref v2 @6
  decref v3 @6
  check_null v4, fs1 @6
  return v4 @8
}
; check: call PyNumber_Add(v2, v3) @6
; not: unbox_number
; not: guard_type
; not: deopt_if
