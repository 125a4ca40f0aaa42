function "s6::test.count_below" nlocalsplus=2 stacksize=2 {
  feedback @5 "COMPARE_OP" 3x operands "COMPARE_OP_INT_JUMP" ["builtins.int", "builtins.int"]
  feedback @11 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  feedback @16 "COMPARE_OP" 3x operands "COMPARE_OP_INT_JUMP" ["builtins.int", "builtins.int"]
  fs0 = state @5 [v3, v4]
  fs1 = state @5 []
  fs2 = state @8 [v5]
  fs3 = state @8 []
  fs4 = state @11 [v11, v12]
  fs5 = state @11 []
  fs6 = state @13 [v13]
  fs7 = state @16 [v16, v17]
  fs8 = state @16 []
  fs9 = state @19 [v18]
  fs10 = state @19 []
  fs11 = state @9 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_const 1 @1
  incref v2 @1
  set_prev_instr 2 @2
  store_local 1, v2 @2
  v3 = load_local 1 @3
  incref v3 @3
  v4 = load_local 0 @4
  incref v4 @4
  set_prev_instr 5 @5
  v5 = py.lt v3, v4, fs0 @5
  decref v3 @5
  decref v4 @5
  check_null v5, fs1 @5
  v6 = load.ptr v0, 56 @5
  v7 = load.i8 v6, 0 @5
  deopt_if v7, fs2, "tracing enabled" @5
  set_prev_instr 8 @8
  v8 = py.truth v5, fs2 @8
  decref v5 @8
  check_neg v8, fs3 @8
  v9 = iconst.i32 0 @8
  v10 = icmp.eq v8, v9 @8
  branch v10, bb2(), bb3() @8
bb2():
  v27 = load_local 1 @20
  incref v27 @20
  set_prev_instr 21 @21
  return v27 @21
bb3():
  v11 = load_local 1 @9
  incref v11 @9
  v12 = load_const 2 @10
  incref v12 @10
  set_prev_instr 11 @11
  v13 = py.add v11, v12, fs4 @11
  decref v11 @11
  decref v12 @11
  check_null v13, fs5 @11
  v14 = load.ptr v0, 56 @11
  v15 = load.i8 v14, 0 @11
  deopt_if v15, fs6, "tracing enabled" @11
  set_prev_instr 13 @13
  store_local 1, v13 @13
  v16 = load_local 1 @14
  incref v16 @14
  v17 = load_local 0 @15
  incref v17 @15
  set_prev_instr 16 @16
  v18 = py.lt v16, v17, fs7 @16
  decref v16 @16
  decref v17 @16
  check_null v18, fs8 @16
  v19 = load.ptr v0, 56 @16
  v20 = load.i8 v19, 0 @16
  deopt_if v20, fs9, "tracing enabled" @16
  set_prev_instr 19 @19
  v21 = py.truth v18, fs9 @19
  decref v18 @19
  check_neg v21, fs10 @19
  v22 = iconst.i32 0 @19
  v23 = icmp.ne v21, v22 @19
  branch v23, bb4(), bb2() @19
bb4():
  v24 = call s6_rt_eval_breaker(v0) @19
  v25 = iconst.i32 0 @19
  v26 = icmp.ne v24, v25 @19
  deopt_if v26, fs11, "eval breaker" @19
  jump bb3() @19
}

function "s6::test.scale_float" nlocalsplus=2 stacksize=2 {
  feedback @3 "COMPARE_OP" 3x operands "COMPARE_OP_FLOAT_JUMP" ["builtins.float", "builtins.float"]
  feedback @9 "BINARY_OP" 3x operands "BINARY_OP_MULTIPLY_FLOAT" ["builtins.float", "builtins.float"]
  feedback @12 "BINARY_OP" 3x operands "BINARY_OP_SUBTRACT_FLOAT" ["builtins.float", "builtins.float"]
  fs0 = state @3 [v2, v3]
  fs1 = state @3 []
  fs2 = state @6 [v4]
  fs3 = state @6 []
  fs4 = state @9 [v10, v11]
  fs5 = state @9 []
  fs6 = state @11 [v12]
  fs7 = state @12 [v12, v15]
  fs8 = state @12 []
  fs9 = state @14 [v16]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  v3 = load_local 1 @2
  incref v3 @2
  set_prev_instr 3 @3
  v4 = py.gt v2, v3, fs0 @3
  decref v2 @3
  decref v3 @3
  check_null v4, fs1 @3
  v5 = load.ptr v0, 56 @3
  v6 = load.i8 v5, 0 @3
  deopt_if v6, fs2, "tracing enabled" @3
  set_prev_instr 6 @6
  v7 = py.truth v4, fs2 @6
  decref v4 @6
  check_neg v7, fs3 @6
  v8 = iconst.i32 0 @6
  v9 = icmp.eq v7, v8 @6
  branch v9, bb2(), bb3() @6
bb2():
  v19 = load_local 1 @15
  incref v19 @15
  set_prev_instr 16 @16
  return v19 @16
bb3():
  v10 = load_local 0 @7
  incref v10 @7
  v11 = load_local 1 @8
  incref v11 @8
  set_prev_instr 9 @9
  v12 = py.mul v10, v11, fs4 @9
  decref v10 @9
  decref v11 @9
  check_null v12, fs5 @9
  v13 = load.ptr v0, 56 @9
  v14 = load.i8 v13, 0 @9
  deopt_if v14, fs6, "tracing enabled" @9
  v15 = load_const 1 @11
  incref v15 @11
  set_prev_instr 12 @12
  v16 = py.sub v12, v15, fs7 @12
  decref v12 @12
  decref v15 @12
  check_null v16, fs8 @12
  v17 = load.ptr v0, 56 @12
  v18 = load.i8 v17, 0 @12
  deopt_if v18, fs9, "tracing enabled" @12
  set_prev_instr 14 @14
  return v16 @14
}

function "s6::test.mixed" nlocalsplus=2 stacksize=3 {
  feedback @7 "BINARY_OP" 3x operands "BINARY_OP_MULTIPLY_INT" ["builtins.int", "builtins.int"]
  feedback @9 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  fs0 = state @3 [v2, v3]
  fs1 = state @3 []
  fs2 = state @5 [v4]
  fs3 = state @7 [v4, v7, v8]
  fs4 = state @7 [v4]
  fs5 = state @9 [v4, v9]
  fs6 = state @9 []
  fs7 = state @11 [v12]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  v3 = load_local 1 @2
  incref v3 @2
  set_prev_instr 3 @3
  v4 = py.pow v2, v3, fs0 @3
  decref v2 @3
  decref v3 @3
  check_null v4, fs1 @3
  v5 = load.ptr v0, 56 @3
  v6 = load.i8 v5, 0 @3
  deopt_if v6, fs2, "tracing enabled" @3
  v7 = load_local 0 @5
  incref v7 @5
  v8 = load_local 1 @6
  incref v8 @6
  set_prev_instr 7 @7
  v9 = py.mul v7, v8, fs3 @7
  decref v7 @7
  decref v8 @7
  check_null v9, fs4 @7
  v10 = load.ptr v0, 56 @7
  v11 = load.i8 v10, 0 @7
  deopt_if v11, fs5, "tracing enabled" @7
  set_prev_instr 9 @9
  v12 = py.add v4, v9, fs5 @9
  decref v4 @9
  decref v9 @9
  check_null v12, fs6 @9
  v13 = load.ptr v0, 56 @9
  v14 = load.i8 v13, 0 @9
  deopt_if v14, fs7, "tracing enabled" @9
  set_prev_instr 11 @11
  return v12 @11
}

