function "s6::test.total" nlocalsplus=3 stacksize=3 {
  b0 = cache
  b1 = cache
  b2 = cache
  b3 = cache
  b4 = cache
  b5 = cache
  b6 = cache
  b7 = cache
  fs0 = state @3 []
  fs1 = state @12 []
  fs2 = state @17 [v11]
  fs3 = state @17 []
  fs4 = state @18 [v14]
  fs5 = state @18 [v17]
  fs6 = state @19 [v17, v18]
  fs7 = state @22 [v26, v28, v29]
  fs8 = state @22 [v26]
  fs9 = state @24 [v26, v30]
  fs10 = state @25 [v26]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_const 1 @1
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
  v12 = load.ptr v0, 56 @12
  v13 = load.i8 v12, 0 @12
  deopt_if v13, fs2, "tracing enabled" @12
  set_prev_instr 17 @17
  v14 = call PyObject_GetIter(v11) @17
  decref v11 @17
  check_null v14, fs3 @17
  v15 = load.ptr v0, 56 @17
  v16 = load.i8 v15, 0 @17
  deopt_if v16, fs4, "tracing enabled" @17
  jump bb2(v14) @17
bb2(v17: obj):
  set_prev_instr 18 @18
  v18 = call s6_rt_for_iter(v17) @18
  v19 = null @18
  v20 = icmp.eq v18, v19 @18
  branch v20, bb3(), bb4() @18
bb3():
  v21 = call PyErr_Occurred() @18
  v22 = null @18
  v23 = icmp.ne v21, v22 @18
  branch v23, bb5(), bb6() @18
bb4():
  v24 = load.ptr v0, 56 @18
  v25 = load.i8 v24, 0 @18
  deopt_if v25, fs6, "tracing enabled" @18
  jump bb8(v17, v18) @18
bb5():
  raise fs5 @18
bb6():
  decref v17 @18
  jump bb7() @18
bb7():
  v36 = load_local 1 @26
  incref v36 @26
  set_prev_instr 27 @27
  return v36 @27
bb8(v26: obj, v27: obj):
  set_prev_instr 19 @19
  store_local 2, v27 @19
  v28 = load_local 1 @20
  incref v28 @20
  v29 = load_local 2 @21
  incref v29 @21
  set_prev_instr 22 @22
  v30 = py.iadd v28, v29, fs7 @22
  decref v28 @22
  decref v29 @22
  check_null v30, fs8 @22
  v31 = load.ptr v0, 56 @22
  v32 = load.i8 v31, 0 @22
  deopt_if v32, fs9, "tracing enabled" @22
  set_prev_instr 24 @24
  store_local 1, v30 @24
  v33 = call s6_rt_eval_breaker(v0) @25
  v34 = iconst.i32 0 @25
  v35 = icmp.ne v33, v34 @25
  deopt_if v35, fs10, "eval breaker" @25
  jump bb2(v26) @25
}

function "s6::test.whiles" nlocalsplus=1 stacksize=2 {
  fs0 = state @3 [v2, v3]
  fs1 = state @3 []
  fs2 = state @6 [v4]
  fs3 = state @6 []
  fs4 = state @9 [v10, v11]
  fs5 = state @9 []
  fs6 = state @11 [v12]
  fs7 = state @14 [v15, v16]
  fs8 = state @14 []
  fs9 = state @17 [v17]
  fs10 = state @17 []
  fs11 = state @7 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  v3 = load_const 1 @2
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
  v26 = load_local 0 @18
  incref v26 @18
  set_prev_instr 19 @19
  return v26 @19
bb3():
  v10 = load_local 0 @7
  incref v10 @7
  v11 = load_const 2 @8
  incref v11 @8
  set_prev_instr 9 @9
  v12 = py.isub v10, v11, fs4 @9
  decref v10 @9
  decref v11 @9
  check_null v12, fs5 @9
  v13 = load.ptr v0, 56 @9
  v14 = load.i8 v13, 0 @9
  deopt_if v14, fs6, "tracing enabled" @9
  set_prev_instr 11 @11
  store_local 0, v12 @11
  v15 = load_local 0 @12
  incref v15 @12
  v16 = load_const 1 @13
  incref v16 @13
  set_prev_instr 14 @14
  v17 = py.gt v15, v16, fs7 @14
  decref v15 @14
  decref v16 @14
  check_null v17, fs8 @14
  v18 = load.ptr v0, 56 @14
  v19 = load.i8 v18, 0 @14
  deopt_if v19, fs9, "tracing enabled" @14
  set_prev_instr 17 @17
  v20 = py.truth v17, fs9 @17
  decref v17 @17
  check_neg v20, fs10 @17
  v21 = iconst.i32 0 @17
  v22 = icmp.ne v20, v21 @17
  branch v22, bb4(), bb2() @17
bb4():
  v23 = call s6_rt_eval_breaker(v0) @17
  v24 = iconst.i32 0 @17
  v25 = icmp.ne v23, v24 @17
  deopt_if v25, fs11, "eval breaker" @17
  jump bb3() @17
}

function "s6::test.guarded" nlocalsplus=1 stacksize=4 {
  fs0 = state @4 [v2, v3]
  fs1 = state @4 []
  fs2 = state @6 [v4]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_const 1 @2
  incref v2 @2
  v3 = load_local 0 @3
  incref v3 @3
  set_prev_instr 4 @4
  v4 = py.truediv v2, v3, fs0 @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs1 @4
  v5 = load.ptr v0, 56 @4
  v6 = load.i8 v5, 0 @4
  deopt_if v6, fs2, "tracing enabled" @4
  set_prev_instr 6 @6
  return v4 @6
}

function "s6::test.ctx" nlocalsplus=2 stacksize=6 {
  fs0 = state @2 []
  fs1 = state @3 [v5, v4]
  fs2 = state @11 [v8]
  fs3 = state @16 [v8, v15]
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
  v6 = load.ptr v0, 56 @2
  v7 = load.i8 v6, 0 @2
  deopt_if v7, fs1, "tracing enabled" @2
  set_prev_instr 3 @3
  store_local 1, v4 @3
  v8 = load_local 1 @4
  incref v8 @4
  v9 = load_const 0 @6
  incref v9 @6
  v10 = load_const 0 @7
  incref v10 @7
  v11 = load_const 0 @8
  incref v11 @8
  set_prev_instr 11 @11
  v12 = null @11
  store.obj v1, 96, v5 @11
  store.obj v1, 104, v9 @11
  store.obj v1, 112, v10 @11
  store.obj v1, 120, v11 @11
  v13 = iconst.i32 3 @11
  v14 = iconst.i32 2 @11
  v15 = call s6_rt_call(v1, v13, v14, v12) @11
  check_null v15, fs2 @11
  v16 = load.ptr v0, 56 @11
  v17 = load.i8 v16, 0 @11
  deopt_if v17, fs3, "tracing enabled" @11
  set_prev_instr 16 @16
  decref v15 @16
  set_prev_instr 17 @17
  return v8 @17
}

function "s6::test.comp" nlocalsplus=1 stacksize=2 {
  fs0 = state @2 []
  fs1 = state @4 [v5]
  fs2 = state @5 [v5, v7]
  fs3 = state @7 []
  fs4 = state @12 [v13]
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
  v8 = load.ptr v0, 56 @4
  v9 = load.i8 v8, 0 @4
  deopt_if v9, fs2, "tracing enabled" @4
  set_prev_instr 7 @7
  v10 = null @7
  store.obj v1, 80, v5 @7
  store.obj v1, 88, v7 @7
  v11 = iconst.i32 1 @7
  v12 = iconst.i32 0 @7
  v13 = call s6_rt_call(v1, v11, v12, v10) @7
  check_null v13, fs3 @7
  v14 = load.ptr v0, 56 @7
  v15 = load.i8 v14, 0 @7
  deopt_if v15, fs4, "tracing enabled" @7
  set_prev_instr 12 @12
  return v13 @12
}

function "s6::test.comp.<locals>.<listcomp>" nlocalsplus=2 stacksize=4 {
  fs0 = state @1 []
  fs1 = state @3 [v6, v7]
  fs2 = state @4 [v6, v7, v8]
  fs3 = state @7 [v17, v18, v20, v21]
  fs4 = state @7 [v17, v18]
  fs5 = state @9 [v17, v18, v22]
  fs6 = state @9 [v17, v18]
  fs7 = state @10 [v17, v18]
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
  v15 = load.ptr v0, 56 @3
  v16 = load.i8 v15, 0 @3
  deopt_if v16, fs2, "tracing enabled" @3
  jump bb8(v6, v7, v8) @3
bb5():
  raise fs1 @3
bb6():
  decref v7 @3
  jump bb7(v6) @3
bb7(v14: obj):
  set_prev_instr 11 @11
  return v14 @11
bb8(v17: obj, v18: obj, v19: obj):
  set_prev_instr 4 @4
  store_local 1, v19 @4
  v20 = load_local 1 @5
  incref v20 @5
  v21 = load_const 0 @6
  incref v21 @6
  set_prev_instr 7 @7
  v22 = py.mul v20, v21, fs3 @7
  decref v20 @7
  decref v21 @7
  check_null v22, fs4 @7
  v23 = load.ptr v0, 56 @7
  v24 = load.i8 v23, 0 @7
  deopt_if v24, fs5, "tracing enabled" @7
  set_prev_instr 9 @9
  v25 = call PyList_Append(v17, v22) @9
  decref v22 @9
  check_neg v25, fs6 @9
  v26 = call s6_rt_eval_breaker(v0) @10
  v27 = iconst.i32 0 @10
  v28 = icmp.ne v26, v27 @10
  deopt_if v28, fs7, "eval breaker" @10
  jump bb2(v17, v18) @10
}

