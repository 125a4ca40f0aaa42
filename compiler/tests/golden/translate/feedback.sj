function "s6::test.count_below" nlocalsplus=2 stacksize=2 {
  const 1 = int 0
  const 2 = int 1
  feedback @5 "COMPARE_OP" 3x operands "COMPARE_OP_INT_JUMP" ["builtins.int", "builtins.int"]
  feedback @11 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  feedback @16 "COMPARE_OP" 3x operands "COMPARE_OP_INT_JUMP" ["builtins.int", "builtins.int"]
  fs0 = state @5 [v3, v4]
  fs1 = state @5 []
  fs2 = state @8 [v5]
  fs3 = state @8 []
  fs4 = state @11 [v9, v10]
  fs5 = state @11 []
  fs6 = state @13 [v11]
  fs7 = state @16 [v12, v13]
  fs8 = state @16 []
  fs9 = state @19 [v14]
  fs10 = state @19 []
  fs11 = state @9 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2:LongExact = load_const 1 @1
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
  check_tracing fs2 @5
  set_prev_instr 8 @8
  v6 = py.truth v5, fs2 @8
  decref v5 @8
  check_neg v6, fs3 @8
  v7 = iconst.i32 0 @8
  v8 = icmp.eq v6, v7 @8
  branch v8, bb2(), bb3() @8
bb2():
  v21 = load_local 1 @20
  incref v21 @20
  set_prev_instr 21 @21
  return v21 @21
bb3():
  v9 = load_local 1 @9
  incref v9 @9
  v10:LongExact = load_const 2 @10
  incref v10 @10
  set_prev_instr 11 @11
  v11 = py.add v9, v10, fs4 @11
  decref v9 @11
  decref v10 @11
  check_null v11, fs5 @11
  check_tracing fs6 @11
  set_prev_instr 13 @13
  store_local 1, v11 @13
  v12 = load_local 1 @14
  incref v12 @14
  v13 = load_local 0 @15
  incref v13 @15
  set_prev_instr 16 @16
  v14 = py.lt v12, v13, fs7 @16
  decref v12 @16
  decref v13 @16
  check_null v14, fs8 @16
  check_tracing fs9 @16
  set_prev_instr 19 @19
  v15 = py.truth v14, fs9 @19
  decref v14 @19
  check_neg v15, fs10 @19
  v16 = iconst.i32 0 @19
  v17 = icmp.ne v15, v16 @19
  branch v17, bb4(), bb2() @19
bb4():
  v18 = call s6_rt_eval_breaker(v0) @19
  v19 = iconst.i32 0 @19
  v20 = icmp.ne v18, v19 @19
  deopt_if v20, fs11, "eval breaker" @19
  jump bb3() @19
}

function "s6::test.scale_float" nlocalsplus=2 stacksize=2 {
  const 1 = float 1.5
  feedback @3 "COMPARE_OP" 3x operands "COMPARE_OP_FLOAT_JUMP" ["builtins.float", "builtins.float"]
  feedback @9 "BINARY_OP" 3x operands "BINARY_OP_MULTIPLY_FLOAT" ["builtins.float", "builtins.float"]
  feedback @12 "BINARY_OP" 3x operands "BINARY_OP_SUBTRACT_FLOAT" ["builtins.float", "builtins.float"]
  fs0 = state @3 [v2, v3]
  fs1 = state @3 []
  fs2 = state @6 [v4]
  fs3 = state @6 []
  fs4 = state @9 [v8, v9]
  fs5 = state @9 []
  fs6 = state @11 [v10]
  fs7 = state @12 [v10, v11]
  fs8 = state @12 []
  fs9 = state @14 [v12]
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
  check_tracing fs2 @3
  set_prev_instr 6 @6
  v5 = py.truth v4, fs2 @6
  decref v4 @6
  check_neg v5, fs3 @6
  v6 = iconst.i32 0 @6
  v7 = icmp.eq v5, v6 @6
  branch v7, bb2(), bb3() @6
bb2():
  v13 = load_local 1 @15
  incref v13 @15
  set_prev_instr 16 @16
  return v13 @16
bb3():
  v8 = load_local 0 @7
  incref v8 @7
  v9 = load_local 1 @8
  incref v9 @8
  set_prev_instr 9 @9
  v10 = py.mul v8, v9, fs4 @9
  decref v8 @9
  decref v9 @9
  check_null v10, fs5 @9
  check_tracing fs6 @9
  v11:FloatExact = load_const 1 @11
  incref v11 @11
  set_prev_instr 12 @12
  v12 = py.sub v10, v11, fs7 @12
  decref v10 @12
  decref v11 @12
  check_null v12, fs8 @12
  check_tracing fs9 @12
  set_prev_instr 14 @14
  return v12 @14
}

function "s6::test.mixed" nlocalsplus=2 stacksize=3 {
  feedback @7 "BINARY_OP" 3x operands "BINARY_OP_MULTIPLY_INT" ["builtins.int", "builtins.int"]
  feedback @9 "BINARY_OP" 3x operands "BINARY_OP_ADD_INT" ["builtins.int", "builtins.int"]
  fs0 = state @3 [v2, v3]
  fs1 = state @3 []
  fs2 = state @5 [v4]
  fs3 = state @7 [v4, v5, v6]
  fs4 = state @7 [v4]
  fs5 = state @9 [v4, v7]
  fs6 = state @9 []
  fs7 = state @11 [v8]
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
  check_tracing fs2 @3
  v5 = load_local 0 @5
  incref v5 @5
  v6 = load_local 1 @6
  incref v6 @6
  set_prev_instr 7 @7
  v7 = py.mul v5, v6, fs3 @7
  decref v5 @7
  decref v6 @7
  check_null v7, fs4 @7
  check_tracing fs5 @7
  set_prev_instr 9 @9
  v8 = py.add v4, v7, fs5 @9
  decref v4 @9
  decref v7 @9
  check_null v8, fs6 @9
  check_tracing fs7 @9
  set_prev_instr 11 @11
  return v8 @11
}

