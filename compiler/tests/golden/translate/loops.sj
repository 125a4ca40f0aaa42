function "s6::test.total" nlocalsplus=3 stacksize=3 {
  fs0 = state @3 []
  fs1 = state @12 []
  fs2 = state @17 [v10]
  fs3 = state @17 []
  fs4 = state @18 [v13]
  fs5 = state @18 [v16]
  fs6 = state @19 [v16, v17]
  fs7 = state @20 [v25]
  fs8 = state @21 [v25, v27]
  fs9 = state @22 [v25]
  fs10 = state @24 [v25, v33]
  fs11 = state @25 [v25]
  fs12 = state @26 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_const 1 @1
  incref v2 @1
  set_prev_instr 2 @2
  store_local 1, v2 @2
  set_prev_instr 3 @3
  v3 = load_name 0 @3
  v4 = call s6_rt_load_global(v1, v3) @3
  check_null v4, fs0 @3
  v5 = null @3
  v6 = load_local 0 @9
  incref v6 @9
  set_prev_instr 12 @12
  v7 = null @12
  store.obj v1, 96, v5 @12
  store.obj v1, 104, v4 @12
  store.obj v1, 112, v6 @12
  v8 = iconst.i32 3 @12
  v9 = iconst.i32 1 @12
  v10 = call s6_rt_call(v1, v8, v9, v7) @12
  check_null v10, fs1 @12
  v11 = load.ptr v0, 56 @12
  v12 = load.i8 v11, 0 @12
  deopt_if v12, fs2, "tracing enabled" @12
  set_prev_instr 17 @17
  v13 = call PyObject_GetIter(v10) @17
  decref v10 @17
  check_null v13, fs3 @17
  v14 = load.ptr v0, 56 @17
  v15 = load.i8 v14, 0 @17
  deopt_if v15, fs4, "tracing enabled" @17
  jump bb2(v13) @17
bb2(v16: obj):
  set_prev_instr 18 @18
  v17 = call s6_rt_for_iter(v16) @18
  v18 = null @18
  v19 = icmp.eq v17, v18 @18
  branch v19, bb3(), bb4() @18
bb3():
  v20 = call PyErr_Occurred() @18
  v21 = null @18
  v22 = icmp.ne v20, v21 @18
  branch v22, bb5(), bb6() @18
bb4():
  v23 = load.ptr v0, 56 @18
  v24 = load.i8 v23, 0 @18
  deopt_if v24, fs6, "tracing enabled" @18
  jump bb8(v16, v17) @18
bb5():
  raise fs5 @18
bb6():
  decref v16 @18
  jump bb7() @18
bb7():
  v39 = load_local 1 @26
  v40 = null @26
  v41 = icmp.eq v39, v40 @26
  deopt_if v41, fs12, "unbound local" @26
  incref v39 @26
  return v39 @27
bb8(v25: obj, v26: obj):
  set_prev_instr 19 @19
  store_local 2, v26 @19
  v27 = load_local 1 @20
  v28 = null @20
  v29 = icmp.eq v27, v28 @20
  deopt_if v29, fs7, "unbound local" @20
  incref v27 @20
  v30 = load_local 2 @21
  v31 = null @21
  v32 = icmp.eq v30, v31 @21
  deopt_if v32, fs8, "unbound local" @21
  incref v30 @21
  set_prev_instr 22 @22
  v33 = call PyNumber_InPlaceAdd(v27, v30) @22
  decref v27 @22
  decref v30 @22
  check_null v33, fs9 @22
  v34 = load.ptr v0, 56 @22
  v35 = load.i8 v34, 0 @22
  deopt_if v35, fs10, "tracing enabled" @22
  set_prev_instr 24 @24
  store_local 1, v33 @24
  v36 = call s6_rt_eval_breaker(v0) @25
  v37 = iconst.i32 0 @25
  v38 = icmp.ne v36, v37 @25
  deopt_if v38, fs11, "eval breaker" @25
  jump bb2(v25) @25
}

function "s6::test.whiles" nlocalsplus=1 stacksize=2 {
  fs0 = state @3 []
  fs1 = state @6 [v5]
  fs2 = state @6 []
  fs3 = state @9 []
  fs4 = state @11 [v13]
  fs5 = state @14 []
  fs6 = state @17 [v19]
  fs7 = state @17 []
  fs8 = state @7 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  v3 = load_const 1 @2
  incref v3 @2
  set_prev_instr 3 @3
  v4 = iconst.i32 4 @3
  v5 = call PyObject_RichCompare(v2, v3, v4) @3
  decref v2 @3
  decref v3 @3
  check_null v5, fs0 @3
  v6 = load.ptr v0, 56 @3
  v7 = load.i8 v6, 0 @3
  deopt_if v7, fs1, "tracing enabled" @3
  set_prev_instr 6 @6
  v8 = call PyObject_IsTrue(v5) @6
  decref v5 @6
  check_neg v8, fs2 @6
  v9 = iconst.i32 0 @6
  v10 = icmp.eq v8, v9 @6
  branch v10, bb2(), bb3() @6
bb2():
  v28 = load_local 0 @18
  incref v28 @18
  return v28 @19
bb3():
  v11 = load_local 0 @7
  incref v11 @7
  v12 = load_const 2 @8
  incref v12 @8
  set_prev_instr 9 @9
  v13 = call PyNumber_InPlaceSubtract(v11, v12) @9
  decref v11 @9
  decref v12 @9
  check_null v13, fs3 @9
  v14 = load.ptr v0, 56 @9
  v15 = load.i8 v14, 0 @9
  deopt_if v15, fs4, "tracing enabled" @9
  set_prev_instr 11 @11
  store_local 0, v13 @11
  v16 = load_local 0 @12
  incref v16 @12
  v17 = load_const 1 @13
  incref v17 @13
  set_prev_instr 14 @14
  v18 = iconst.i32 4 @14
  v19 = call PyObject_RichCompare(v16, v17, v18) @14
  decref v16 @14
  decref v17 @14
  check_null v19, fs5 @14
  v20 = load.ptr v0, 56 @14
  v21 = load.i8 v20, 0 @14
  deopt_if v21, fs6, "tracing enabled" @14
  set_prev_instr 17 @17
  v22 = call PyObject_IsTrue(v19) @17
  decref v19 @17
  check_neg v22, fs7 @17
  v23 = iconst.i32 0 @17
  v24 = icmp.ne v22, v23 @17
  branch v24, bb4(), bb2() @17
bb4():
  v25 = call s6_rt_eval_breaker(v0) @17
  v26 = iconst.i32 0 @17
  v27 = icmp.ne v25, v26 @17
  deopt_if v27, fs8, "eval breaker" @17
  jump bb3() @17
}

function "s6::test.guarded" nlocalsplus=1 stacksize=4 {
  fs0 = state @4 []
  fs1 = state @6 [v4]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_const 1 @2
  incref v2 @2
  v3 = load_local 0 @3
  incref v3 @3
  set_prev_instr 4 @4
  v4 = call PyNumber_TrueDivide(v2, v3) @4
  decref v2 @4
  decref v3 @4
  check_null v4, fs0 @4
  v5 = load.ptr v0, 56 @4
  v6 = load.i8 v5, 0 @4
  deopt_if v6, fs1, "tracing enabled" @4
  return v4 @6
}

function "s6::test.ctx" nlocalsplus=2 stacksize=6 {
  fs0 = state @2 []
  fs1 = state @3 [v5, v4]
  fs2 = state @4 [v5]
  fs3 = state @11 [v8]
  fs4 = state @16 [v8, v17]
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
  v9 = null @4
  v10 = icmp.eq v8, v9 @4
  deopt_if v10, fs2, "unbound local" @4
  incref v8 @4
  v11 = load_const 0 @6
  incref v11 @6
  v12 = load_const 0 @7
  incref v12 @7
  v13 = load_const 0 @8
  incref v13 @8
  set_prev_instr 11 @11
  v14 = null @11
  store.obj v1, 96, v5 @11
  store.obj v1, 104, v11 @11
  store.obj v1, 112, v12 @11
  store.obj v1, 120, v13 @11
  v15 = iconst.i32 3 @11
  v16 = iconst.i32 2 @11
  v17 = call s6_rt_call(v1, v15, v16, v14) @11
  check_null v17, fs3 @11
  v18 = load.ptr v0, 56 @11
  v19 = load.i8 v18, 0 @11
  deopt_if v19, fs4, "tracing enabled" @11
  set_prev_instr 16 @16
  decref v17 @16
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
  return v13 @12
}

function "s6::test.comp.<locals>.<listcomp>" nlocalsplus=2 stacksize=4 {
  fs0 = state @1 []
  fs1 = state @3 [v6, v7]
  fs2 = state @4 [v6, v7, v8]
  fs3 = state @5 [v17, v18]
  fs4 = state @7 [v17, v18]
  fs5 = state @9 [v17, v18, v24]
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
  return v14 @11
bb8(v17: obj, v18: obj, v19: obj):
  set_prev_instr 4 @4
  store_local 1, v19 @4
  v20 = load_local 1 @5
  v21 = null @5
  v22 = icmp.eq v20, v21 @5
  deopt_if v22, fs3, "unbound local" @5
  incref v20 @5
  v23 = load_const 0 @6
  incref v23 @6
  set_prev_instr 7 @7
  v24 = call PyNumber_Multiply(v20, v23) @7
  decref v20 @7
  decref v23 @7
  check_null v24, fs4 @7
  v25 = load.ptr v0, 56 @7
  v26 = load.i8 v25, 0 @7
  deopt_if v26, fs5, "tracing enabled" @7
  set_prev_instr 9 @9
  v27 = call PyList_Append(v17, v24) @9
  decref v24 @9
  check_neg v27, fs6 @9
  v28 = call s6_rt_eval_breaker(v0) @10
  v29 = iconst.i32 0 @10
  v30 = icmp.ne v28, v29 @10
  deopt_if v30, fs7, "eval breaker" @10
  jump bb2(v17, v18) @10
}

