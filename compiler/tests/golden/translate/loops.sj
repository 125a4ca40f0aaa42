function "s6::test.total" nlocalsplus=3 stacksize=3 {
  b0..b15 = cache
  const 1 = int 0
  fs0 = state @3 []
  fs1 = state @12 [v6, v5, v7]
  fs2 = state @12 []
  fs3 = state @17 [v8]
  fs4 = state @17 []
  fs5 = state @18 [v9]
  fs6 = state @18 [v10]
  fs7 = state @19 [v10, v11]
  fs8 = state @22 [v62, v64, v65]
  fs9 = state @22 [v62]
  fs10 = state @24 [v62, v66]
  fs11 = state @25 [v62]
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
  v8 = py.call.1 v6, v5, v7, fs1 @12
  check_null v8, fs2 @12
  check_tracing fs3 @12
  set_prev_instr 17 @17
  v9 = call PyObject_GetIter(v8) @17
  decref v8 @17
  check_null v9, fs4 @17
  check_tracing fs5 @17
  jump bb2(v9) @17
bb2(v10: obj):
  set_prev_instr 18 @18
  v12 = load.obj v10, 8 @18
  v13:TypeExact = const_obj PyListIter_Type @18
  v14 = icmp.eq v12, v13 @18
  branch v14, bb6(), bb8() @18
bb3():
  v59 = call PyErr_Occurred() @18
  v60 = null @18
  v61 = icmp.ne v59, v60 @18
  branch v61, bb16(), bb17() @18
bb4(v11: obj):
  check_tracing fs7 @18
  jump bb19(v10, v11) @18
bb5():
  v56 = call s6_rt_for_iter(v10) @18
  v57 = null @18
  v58 = icmp.eq v56, v57 @18
  branch v58, bb3(), bb4(v56) @18
bb6():
  v15 = load.obj v10, 24 @18
  v16 = load.i64 v10, 16 @18
  v17 = null @18
  v18 = icmp.eq v15, v17 @18
  branch v18, bb5(), bb7() @18
bb7():
  v19 = load.i64 v15, 16 @18
  v20 = icmp.slt v16, v19 @18
  branch v20, bb9(), bb5() @18
bb8():
  v28:TypeExact = const_obj PyTupleIter_Type @18
  v29 = icmp.eq v12, v28 @18
  branch v29, bb10(), bb12() @18
bb9():
  v21 = iconst.i64 3 @18
  v22 = shl v16, v21 @18
  v23 = load.ptr v15, 24 @18
  v24 = ptr_add v23, v22 @18
  v25 = load.obj v24, 0 @18
  v26 = iconst.i64 1 @18
  v27 = iadd v16, v26 @18
  store.i64 v10, 16, v27 @18
  incref v25 @18
  jump bb4(v25) @18
bb10():
  v30 = load.obj v10, 24 @18
  v31 = load.i64 v10, 16 @18
  v32 = null @18
  v33 = icmp.eq v30, v32 @18
  branch v33, bb5(), bb11() @18
bb11():
  v34 = load.i64 v30, 16 @18
  v35 = icmp.slt v31, v34 @18
  branch v35, bb13(), bb5() @18
bb12():
  v44:TypeExact = const_obj PyRangeIter_Type @18
  v45 = icmp.eq v12, v44 @18
  branch v45, bb14(), bb5() @18
bb13():
  v36 = iconst.i64 3 @18
  v37 = shl v31, v36 @18
  v38 = ptr_add v30, v37 @18
  v39 = iconst.i64 24 @18
  v40 = ptr_add v38, v39 @18
  v41 = load.obj v40, 0 @18
  v42 = iconst.i64 1 @18
  v43 = iadd v31, v42 @18
  store.i64 v10, 16, v43 @18
  incref v41 @18
  jump bb4(v41) @18
bb14():
  v46 = load.i64 v10, 16 @18
  v47 = load.i64 v10, 40 @18
  v48 = icmp.slt v46, v47 @18
  branch v48, bb15(), bb5() @18
bb15():
  v49 = load.i64 v10, 24 @18
  v50 = load.i64 v10, 32 @18
  v51 = imul v46, v50 @18
  v52 = iadd v49, v51 @18
  v53 = iconst.i64 1 @18
  v54 = iadd v46, v53 @18
  store.i64 v10, 16, v54 @18
  v55:LongExact = box_int v52 @18
  check_null v55, fs6 @18
  jump bb4(v55) @18
bb16():
  raise fs6 @18
bb17():
  decref v10 @18
  jump bb18() @18
bb18():
  v70 = load_local 1 @26
  incref v70 @26
  set_prev_instr 27 @27
  return v70 @27
bb19(v62: obj, v63: obj):
  set_prev_instr 19 @19
  store_local 2, v63 @19
  v64 = load_local 1 @20
  incref v64 @20
  v65 = load_local 2 @21
  incref v65 @21
  set_prev_instr 22 @22
  v66 = py.iadd v64, v65, fs8 @22
  decref v64 @22
  decref v65 @22
  check_null v66, fs9 @22
  check_tracing fs10 @22
  set_prev_instr 24 @24
  store_local 1, v66 @24
  v67 = call s6_rt_eval_breaker(v0) @25
  v68 = iconst.i32 0 @25
  v69 = icmp.ne v67, v68 @25
  deopt_if v69, fs11, "eval breaker" @25
  jump bb2(v62) @25
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
  b0..b15 = cache
  const 1 = int 1
  fs0 = state @23 [v9, v10]
  fs1 = state @8 [v12, v4]
  fs2 = state @14 [v12, v4]
  fs3 = state @15 [v12, v4, v16]
  fs4 = state @15 [v12, v4]
  fs5 = state @20 [v20]
  fs6 = state @4 [v26, v27]
  fs7 = state @4 []
  fs8 = state @6 [v28]
bb0(v0: ptr, v1: ptr):
  entry bb1(), catch @7 bb2(), catch @21 bb3()
bb1():
  v26:LongExact = load_const 1 @2
  incref v26 @2
  v27 = load_local 0 @3
  incref v27 @3
  set_prev_instr 4 @4
  v28 = py.truediv v26, v27, fs6 @4
  decref v26 @4
  decref v27 @4
  check_null v28, fs7 @4
  check_tracing fs8 @4
  set_prev_instr 6 @6
  return v28 @6
bb2():
  v2 = load.obj v1, 80 @7
  v3 = iconst.i32 1 @7
  store.i32 v1, 64, v3 @7
  jump bb4(v2) @7
bb3():
  v5 = load.obj v1, 80 @21
  v6 = load.obj v1, 88 @21
  v7 = load.obj v1, 96 @21
  v8 = iconst.i32 1 @21
  store.i32 v1, 64, v8 @21
  jump bb5(v5, v6, v7) @21
bb4(v4: obj):
  set_prev_instr 7 @7
  v12 = call s6_rt_push_exc_info(v0, v4) @7
  set_prev_instr 8 @8
  v13 = load_name 0 @8
  v14 = binding_addr b0 @8
  v15 = call s6_rt_load_global_cached(v1, v13, v14) @8
  check_null v15, fs1 @8
  set_prev_instr 14 @14
  v16 = call s6_rt_check_exc_match(v4, v15) @14
  decref v15 @14
  check_null v16, fs2 @14
  set_prev_instr 15 @15
  v17 = py.truth v16, fs3 @15
  decref v16 @15
  check_neg v17, fs4 @15
  v18 = iconst.i32 0 @15
  v19 = icmp.eq v17, v18 @15
  branch v19, bb6(v12, v4), bb7(v12, v4) @15
bb5(v9: obj, v10: obj, v11: obj):
  incref v9 @21
  set_prev_instr 22 @22
  call s6_rt_pop_except(v0, v9) @22
  set_prev_instr 23 @23
  call s6_rt_reraise(v1, v11, v10) @23
  raise fs0 @23
bb6(v20: obj, v21: obj):
  set_prev_instr 20 @20
  v25 = null @20
  call s6_rt_reraise(v1, v21, v25) @20
  raise fs5 @20
bb7(v22: obj, v23: obj):
  set_prev_instr 16 @16
  decref v23 @16
  set_prev_instr 17 @17
  call s6_rt_pop_except(v0, v22) @17
  v24:NoneType = load_const 0 @18
  incref v24 @18
  set_prev_instr 19 @19
  return v24 @19
}

function "s6::test.ctx" nlocalsplus=2 stacksize=6 {
  fs0 = state @24 [v15, v16, v17, v18]
  fs1 = state @19 [v6, v7, v20, v8]
  fs2 = state @20 [v6, v7, v20, v8, v21]
  fs3 = state @20 [v6, v7, v20, v8]
  fs4 = state @21 [v29, v30, v31]
  fs5 = state @2 []
  fs6 = state @3 [v37, v36]
  fs7 = state @11 [v38, v37, v39, v40, v41]
  fs8 = state @11 [v38]
  fs9 = state @16 [v38, v42]
bb0(v0: ptr, v1: ptr):
  entry bb1(), catch @18 bb2(), catch @22 bb3()
bb1():
  v34 = load_local 0 @1
  incref v34 @1
  set_prev_instr 2 @2
  v35 = stack_alloc 8 @2
  v36 = call s6_rt_before_with(v34, v35) @2
  check_null v36, fs5 @2
  v37 = load.obj v35, 0 @2
  check_tracing fs6 @2
  set_prev_instr 3 @3
  store_local 1, v36 @3
  v38 = load_local 1 @4
  incref v38 @4
  v39:NoneType = load_const 0 @6
  incref v39 @6
  v40:NoneType = load_const 0 @7
  incref v40 @7
  v41:NoneType = load_const 0 @8
  incref v41 @8
  set_prev_instr 11 @11
  v42 = py.call.2 v37, v39, v40, v41, fs7 @11
  check_null v42, fs8 @11
  check_tracing fs9 @11
  set_prev_instr 16 @16
  decref v42 @16
  set_prev_instr 17 @17
  return v38 @17
bb2():
  v2 = load.obj v1, 88 @18
  v3 = load.obj v1, 96 @18
  v4 = load.obj v1, 104 @18
  v5 = iconst.i32 2 @18
  store.i32 v1, 64, v5 @18
  jump bb4(v2, v3, v4) @18
bb3():
  v9 = load.obj v1, 88 @22
  v10 = load.obj v1, 96 @22
  v11 = load.obj v1, 104 @22
  v12 = load.obj v1, 112 @22
  v13 = load.obj v1, 120 @22
  v14 = iconst.i32 2 @22
  store.i32 v1, 64, v14 @22
  jump bb5(v9, v10, v11, v12, v13) @22
bb4(v6: obj, v7: obj, v8: obj):
  set_prev_instr 18 @18
  v20 = call s6_rt_push_exc_info(v0, v8) @18
  set_prev_instr 19 @19
  v21 = call s6_rt_with_except_start(v6, v8) @19
  check_null v21, fs1 @19
  check_tracing fs2 @19
  set_prev_instr 20 @20
  v22 = py.truth v21, fs2 @20
  decref v21 @20
  check_neg v22, fs3 @20
  v23 = iconst.i32 0 @20
  v24 = icmp.ne v22, v23 @20
  branch v24, bb6(v6, v7, v20, v8), bb7(v6, v7, v20, v8) @20
bb5(v15: obj, v16: obj, v17: obj, v18: obj, v19: obj):
  incref v17 @22
  set_prev_instr 23 @23
  call s6_rt_pop_except(v0, v17) @23
  set_prev_instr 24 @24
  call s6_rt_reraise(v1, v19, v18) @24
  raise fs0 @24
bb6(v25: obj, v26: obj, v27: obj, v28: obj):
  set_prev_instr 25 @25
  decref v28 @25
  set_prev_instr 26 @26
  call s6_rt_pop_except(v0, v27) @26
  set_prev_instr 27 @27
  decref v26 @27
  set_prev_instr 28 @28
  decref v25 @28
  v33:NoneType = load_const 0 @29
  incref v33 @29
  set_prev_instr 30 @30
  return v33 @30
bb7(v29: obj, v30: obj, v31: obj, v32: obj):
  set_prev_instr 21 @21
  call s6_rt_reraise(v1, v32, v30) @21
  raise fs4 @21
}

function "s6::test.comp" nlocalsplus=1 stacksize=2 {
  fs0 = state @2 []
  fs1 = state @4 [v5]
  fs2 = state @5 [v5, v7]
  fs3 = state @7 [v5, v7]
  fs4 = state @7 []
  fs5 = state @12 [v8]
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
  v8 = py.call.0 v5, v7, fs3 @7
  check_null v8, fs4 @7
  check_tracing fs5 @7
  set_prev_instr 12 @12
  return v8 @12
}

function "s6::test.comp.<locals>.<listcomp>" nlocalsplus=2 stacksize=4 {
  const 0 = int 2
  fs0 = state @1 []
  fs1 = state @3 [v6, v7]
  fs2 = state @4 [v6, v7, v8]
  fs3 = state @7 [v60, v61, v63, v64]
  fs4 = state @7 [v60, v61]
  fs5 = state @9 [v60, v61, v65]
  fs6 = state @9 [v60, v61]
  fs7 = state @10 [v60, v61]
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
  v9 = load.obj v7, 8 @3
  v10:TypeExact = const_obj PyListIter_Type @3
  v11 = icmp.eq v9, v10 @3
  branch v11, bb6(), bb8() @3
bb3():
  v56 = call PyErr_Occurred() @3
  v57 = null @3
  v58 = icmp.ne v56, v57 @3
  branch v58, bb16(), bb17() @3
bb4(v8: obj):
  check_tracing fs2 @3
  jump bb19(v6, v7, v8) @3
bb5():
  v53 = call s6_rt_for_iter(v7) @3
  v54 = null @3
  v55 = icmp.eq v53, v54 @3
  branch v55, bb3(), bb4(v53) @3
bb6():
  v12 = load.obj v7, 24 @3
  v13 = load.i64 v7, 16 @3
  v14 = null @3
  v15 = icmp.eq v12, v14 @3
  branch v15, bb5(), bb7() @3
bb7():
  v16 = load.i64 v12, 16 @3
  v17 = icmp.slt v13, v16 @3
  branch v17, bb9(), bb5() @3
bb8():
  v25:TypeExact = const_obj PyTupleIter_Type @3
  v26 = icmp.eq v9, v25 @3
  branch v26, bb10(), bb12() @3
bb9():
  v18 = iconst.i64 3 @3
  v19 = shl v13, v18 @3
  v20 = load.ptr v12, 24 @3
  v21 = ptr_add v20, v19 @3
  v22 = load.obj v21, 0 @3
  v23 = iconst.i64 1 @3
  v24 = iadd v13, v23 @3
  store.i64 v7, 16, v24 @3
  incref v22 @3
  jump bb4(v22) @3
bb10():
  v27 = load.obj v7, 24 @3
  v28 = load.i64 v7, 16 @3
  v29 = null @3
  v30 = icmp.eq v27, v29 @3
  branch v30, bb5(), bb11() @3
bb11():
  v31 = load.i64 v27, 16 @3
  v32 = icmp.slt v28, v31 @3
  branch v32, bb13(), bb5() @3
bb12():
  v41:TypeExact = const_obj PyRangeIter_Type @3
  v42 = icmp.eq v9, v41 @3
  branch v42, bb14(), bb5() @3
bb13():
  v33 = iconst.i64 3 @3
  v34 = shl v28, v33 @3
  v35 = ptr_add v27, v34 @3
  v36 = iconst.i64 24 @3
  v37 = ptr_add v35, v36 @3
  v38 = load.obj v37, 0 @3
  v39 = iconst.i64 1 @3
  v40 = iadd v28, v39 @3
  store.i64 v7, 16, v40 @3
  incref v38 @3
  jump bb4(v38) @3
bb14():
  v43 = load.i64 v7, 16 @3
  v44 = load.i64 v7, 40 @3
  v45 = icmp.slt v43, v44 @3
  branch v45, bb15(), bb5() @3
bb15():
  v46 = load.i64 v7, 24 @3
  v47 = load.i64 v7, 32 @3
  v48 = imul v43, v47 @3
  v49 = iadd v46, v48 @3
  v50 = iconst.i64 1 @3
  v51 = iadd v43, v50 @3
  store.i64 v7, 16, v51 @3
  v52:LongExact = box_int v49 @3
  check_null v52, fs1 @3
  jump bb4(v52) @3
bb16():
  raise fs1 @3
bb17():
  decref v7 @3
  jump bb18(v6) @3
bb18(v59: obj):
  set_prev_instr 11 @11
  return v59 @11
bb19(v60: obj, v61: obj, v62: obj):
  set_prev_instr 4 @4
  store_local 1, v62 @4
  v63 = load_local 1 @5
  incref v63 @5
  v64:LongExact = load_const 0 @6
  incref v64 @6
  set_prev_instr 7 @7
  v65 = py.mul v63, v64, fs3 @7
  decref v63 @7
  decref v64 @7
  check_null v65, fs4 @7
  check_tracing fs5 @7
  set_prev_instr 9 @9
  v66 = call PyList_Append(v60, v65) @9
  decref v65 @9
  check_neg v66, fs6 @9
  v67 = call s6_rt_eval_breaker(v0) @10
  v68 = iconst.i32 0 @10
  v69 = icmp.ne v67, v68 @10
  deopt_if v69, fs7, "eval breaker" @10
  jump bb2(v60, v61) @10
}

