; run: specialize, simplify, box_elim, legalize, dce
; int arithmetic from feedback: `(i + j) * (i + j + 1) // 2` with constants folded, overflow
; deopts at each operation's own state, floor division with Python's rounding.
function "s6::t.tri" nlocalsplus=2 stacksize=3 {
  const 1 = int 1
  const 2 = int 2
  feedback @4 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  feedback @10 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  feedback @12 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  feedback @14 "BINARY_OP" 3x operands "BINARY_OP_MULTIPLY_INT" ["builtins.int", "builtins.int"]
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
  fs2 = state @10 [v4, v5, v6]
  fs3 = state @10 [v4]
  fs4 = state @12 [v4, v7, v8]
  fs5 = state @12 [v4]
  fs6 = state @14 [v4, v9]
  fs7 = state @14 []
  fs8 = state @18 [v10, v11]
  fs9 = state @18 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = load_local 1 @3
  incref v3 @3
  v4 = py.add v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  v5 = load_local 0 @6
  incref v5 @6
  v6 = load_local 1 @8
  incref v6 @8
  v7 = py.add v5, v6, fs2 @10
  decref v5 @10
  decref v6 @10
  check_null v7, fs3 @10
  v8:LongExact = load_const 1 @11
  incref v8 @11
  v9 = py.add v7, v8, fs4 @12
  decref v7 @12
  decref v8 @12
  check_null v9, fs5 @12
  v10 = py.mul v4, v9, fs6 @14
  decref v4 @14
  decref v9 @14
  check_null v10, fs7 @14
  v11:LongExact = load_const 2 @16
  incref v11 @16
  v12 = py.floordiv v10, v11, fs8 @18
  decref v10 @18
  decref v11 @18
  check_null v12, fs9 @18
  return v12 @20
}
; check: b0 = type "builtins.int"
; check: v13:LongExact = guard_type v2, b0, fs0 @4
; nextln: v14:LongExact = guard_type v3, b0, fs0 @4
; nextln: v15 = unbox_int v13, fs0 @4
; nextln: v16 = unbox_int v14, fs0 @4
; nextln: v17, v18 = iadd_ovf v15, v16 @4
; nextln: deopt_if v18, fs0, "int overflow" @4
; check: v28 = iconst.i64 1 @12
; nextln: v29, v30 = iadd_ovf v24, v28 @12
; nextln: deopt_if v30, fs4, "int overflow" @12
; check: v34, v35 = imul_ovf v17, v29 @14
; nextln: deopt_if v35, fs6, "int overflow" @14
; check: deopt_if v40, fs8, "division by zero" @18
; check: v43 = sdiv v34, v38 @18
; nextln: v44 = srem v34, v38 @18
; check: v51 = select v48, v50, v43 @18
; nextln: v52:LongExact = box_int v51 @18
; not: box_int
; not: py.
