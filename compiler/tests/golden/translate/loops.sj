function "s6::test.total" nlocalsplus=3 stacksize=3 {
  b0 = cache
  b1 = cache
  b2 = cache
  b3 = cache
  b4 = cache
  b5 = cache
  b6 = cache
  b7 = cache
  const 1 = int 0
  fs0 = state @3 []
  fs1 = state @12 []
  fs2 = state @17 [v11]
  fs3 = state @17 []
  fs4 = state @18 [v12]
  fs5 = state @18 [v13]
  fs6 = state @19 [v13, v14]
  fs7 = state @22 [v20, v22, v23]
  fs8 = state @22 [v20]
  fs9 = state @24 [v20, v24]
  fs10 = state @25 [v20]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2:LongExact = load_const 1 @1
  incref v2 @1
  set_prev_instr 2 @2
  store_local 1, v2 @2
  set_prev_instr 3 @3
  v3 = load_name 0 @3
  v4 = binding_addr b0 @3
  v5 = call s6_rt_load_global_cached(v1, v3, v4) @3
  check_null v5, fs0 @3
  v6 = null @3
  v7 = load_local 0 @9
  incref v7 @9
  set_prev_instr 12 @12
  v8 = null @12
  store.obj v1, 96, v6 @12
  store.obj v1, 104, v5 @12
  store.obj v1, 112, v7 @12
  v9 = iconst.i32 3 @12
  v10 = iconst.i32 1 @12
  v11 = call s6_rt_call(v1, v9, v10, v8) @12
  check_null v11, fs1 @12
  check_tracing fs2 @12
  set_prev_instr 17 @17
  v12 = call PyObject_GetIter(v11) @17
  decref v11 @17
  check_null v12, fs3 @17
  check_tracing fs4 @17
  jump bb2(v12) @17
bb2(v13: obj):
  set_prev_instr 18 @18
  v14 = call s6_rt_for_iter(v13) @18
  v15 = null @18
  v16 = icmp.eq v14, v15 @18
  branch v16, bb3(), bb4() @18
bb3():
  v17 = call PyErr_Occurred() @18
  v18 = null @18
  v19 = icmp.ne v17, v18 @18
  branch v19, bb5(), bb6() @18
bb4():
  check_tracing fs6 @18
  jump bb8(v13, v14) @18
bb5():
  raise fs5 @18
bb6():
  decref v13 @18
  jump bb7() @18
bb7():
  v28 = load_local 1 @26
  incref v28 @26
  set_prev_instr 27 @27
  return v28 @27
bb8(v20: obj, v21: obj):
  set_prev_instr 19 @19
  store_local 2, v21 @19
  v22 = load_local 1 @20
  incref v22 @20
  v23 = load_local 2 @21
  incref v23 @21
  set_prev_instr 22 @22
  v24 = py.iadd v22, v23, fs7 @22
  decref v22 @22
  decref v23 @22
  check_null v24, fs8 @22
  check_tracing fs9 @22
  set_prev_instr 24 @24
  store_local 1, v24 @24
  v25 = call s6_rt_eval_breaker(v0) @25
  v26 = iconst.i32 0 @25
  v27 = icmp.ne v25, v26 @25
  deopt_if v27, fs10, "eval breaker" @25
  jump bb2(v20) @25
}

function "s6::test.whiles" nlocalsplus=1 stacksize=2 {
  const 1 = int 0
  const 2 = int 1
  fs0 = state @3 [v2, v3]
  fs1 = state @3 []
  fs2 = state @6 [v4]
  fs3 = state @6 []
  fs4 = state @9 [v8, v9]
  fs5 = state @9 []
  fs6 = state @11 [v10]
  fs7 = state @14 [v11, v12]
  fs8 = state @14 []
  fs9 = state @17 [v13]
  fs10 = state @17 []
  fs11 = state @7 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  v3:LongExact = load_const 1 @2
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
  v20 = load_local 0 @18
  incref v20 @18
  set_prev_instr 19 @19
  return v20 @19
bb3():
  v8 = load_local 0 @7
  incref v8 @7
  v9:LongExact = load_const 2 @8
  incref v9 @8
  set_prev_instr 9 @9
  v10 = py.isub v8, v9, fs4 @9
  decref v8 @9
  decref v9 @9
  check_null v10, fs5 @9
  check_tracing fs6 @9
  set_prev_instr 11 @11
  store_local 0, v10 @11
  v11 = load_local 0 @12
  incref v11 @12
  v12:LongExact = load_const 1 @13
  incref v12 @13
  set_prev_instr 14 @14
  v13 = py.gt v11, v12, fs7 @14
  decref v11 @14
  decref v12 @14
  check_null v13, fs8 @14
  check_tracing fs9 @14
  set_prev_instr 17 @17
  v14 = py.truth v13, fs9 @17
  decref v13 @17
  check_neg v14, fs10 @17
  v15 = iconst.i32 0 @17
  v16 = icmp.ne v14, v15 @17
  branch v16, bb4(), bb2() @17
bb4():
  v17 = call s6_rt_eval_breaker(v0) @17
  v18 = iconst.i32 0 @17
  v19 = icmp.ne v17, v18 @17
  deopt_if v19, fs11, "eval breaker" @17
  jump bb3() @17
}

function "s6::test.guarded" nlocalsplus=1 stacksize=4 {
  const 1 = int 1
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
  fs2 = state @6 [v4]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2:LongExact = load_const 1 @2
  incref v2 @2
  v3 = load_local 0 @3
  incref v3 @3
  set_prev_instr 4 @4
  v4 = py.truediv v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  check_tracing fs2 @4
  set_prev_instr 6 @6
  return v4 @6
}

function "s6::test.ctx" nlocalsplus=2 stacksize=6 {
  fs0 = state @2 []
  fs1 = state @3 [v5, v4]
  fs2 = state @11 [v6]
  fs3 = state @16 [v6, v13]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  set_prev_instr 2 @2
  v3 = stack_alloc 8 @2
  v4 = call s6_rt_before_with(v2, v3) @2
  check_null v4, fs0 @2
  v5 = load.obj v3, 0 @2
  check_tracing fs1 @2
  set_prev_instr 3 @3
  store_local 1, v4 @3
  v6 = load_local 1 @4
  incref v6 @4
  v7:NoneType = load_const 0 @6
  incref v7 @6
  v8:NoneType = load_const 0 @7
  incref v8 @7
  v9:NoneType = load_const 0 @8
  incref v9 @8
  set_prev_instr 11 @11
  v10 = null @11
  store.obj v1, 96, v5 @11
  store.obj v1, 104, v7 @11
  store.obj v1, 112, v8 @11
  store.obj v1, 120, v9 @11
  v11 = iconst.i32 3 @11
  v12 = iconst.i32 2 @11
  v13 = call s6_rt_call(v1, v11, v12, v10) @11
  check_null v13, fs2 @11
  check_tracing fs3 @11
  set_prev_instr 16 @16
  decref v13 @16
  set_prev_instr 17 @17
  return v6 @17
}

function "s6::test.comp" nlocalsplus=1 stacksize=2 {
  fs0 = state @2 []
  fs1 = state @4 [v5]
  fs2 = state @5 [v5, v7]
  fs3 = state @7 []
  fs4 = state @12 [v11]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_const 1 @1
  incref v2 @1
  set_prev_instr 2 @2
  store.obj v1, 80, v2 @2
  v3 = iconst.i32 1 @2
  v4 = iconst.i32 0 @2
  v5 = call s6_rt_make_function(v1, v3, v4) @2
  check_null v5, fs0 @2
  v6 = load_local 0 @3
  incref v6 @3
  set_prev_instr 4 @4
  v7 = call PyObject_GetIter(v6) @4
  decref v6 @4
  check_null v7, fs1 @4
  check_tracing fs2 @4
  set_prev_instr 7 @7
  v8 = null @7
  store.obj v1, 80, v5 @7
  store.obj v1, 88, v7 @7
  v9 = iconst.i32 1 @7
  v10 = iconst.i32 0 @7
  v11 = call s6_rt_call(v1, v9, v10, v8) @7
  check_null v11, fs3 @7
  check_tracing fs4 @7
  set_prev_instr 12 @12
  return v11 @12
}

function "s6::test.comp.<locals>.<listcomp>" nlocalsplus=2 stacksize=4 {
  const 0 = int 2
  fs0 = state @1 []
  fs1 = state @3 [v6, v7]
  fs2 = state @4 [v6, v7, v8]
  fs3 = state @7 [v15, v16, v18, v19]
  fs4 = state @7 [v15, v16]
  fs5 = state @9 [v15, v16, v20]
  fs6 = state @9 [v15, v16]
  fs7 = state @10 [v15, v16]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  set_prev_instr 1 @1
  v2 = iconst.i32 2 @1
  v3 = iconst.i32 0 @1
  v4 = call s6_rt_build_list(v1, v2, v3) @1
  check_null v4, fs0 @1
  v5 = load_local 0 @2
  incref v5 @2
  jump bb2(v4, v5) @2
bb2(v6: obj, v7: obj):
  set_prev_instr 3 @3
  v8 = call s6_rt_for_iter(v7) @3
  v9 = null @3
  v10 = icmp.eq v8, v9 @3
  branch v10, bb3(), bb4() @3
bb3():
  v11 = call PyErr_Occurred() @3
  v12 = null @3
  v13 = icmp.ne v11, v12 @3
  branch v13, bb5(), bb6() @3
bb4():
  check_tracing fs2 @3
  jump bb8(v6, v7, v8) @3
bb5():
  raise fs1 @3
bb6():
  decref v7 @3
  jump bb7(v6) @3
bb7(v14: obj):
  set_prev_instr 11 @11
  return v14 @11
bb8(v15: obj, v16: obj, v17: obj):
  set_prev_instr 4 @4
  store_local 1, v17 @4
  v18 = load_local 1 @5
  incref v18 @5
  v19:LongExact = load_const 0 @6
  incref v19 @6
  set_prev_instr 7 @7
  v20 = py.mul v18, v19, fs3 @7
  decref v18 @7
  decref v19 @7
  check_null v20, fs4 @7
  check_tracing fs5 @7
  set_prev_instr 9 @9
  v21 = call PyList_Append(v15, v20) @9
  decref v20 @9
  check_neg v21, fs6 @9
  v22 = call s6_rt_eval_breaker(v0) @10
  v23 = iconst.i32 0 @10
  v24 = icmp.ne v22, v23 @10
  deopt_if v24, fs7, "eval breaker" @10
  jump bb2(v15, v16) @10
}

