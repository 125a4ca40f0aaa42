function "s6::test.count" nlocalsplus=2 stacksize=2 {
  const 1 = int 0
  const 2 = int 1
  fs0 = state @2 []
  fs1 = state @7 [v7, v8]
  fs2 = state @7 []
  fs3 = state @10 [v9]
  fs4 = state @10 []
  fs5 = state @13 [v16]
  fs6 = state @15 []
  fs7 = state @17 [v20, v23]
  fs8 = state @17 []
  fs9 = state @19 [v24]
  fs10 = state @21 [v25]
  fs11 = state @22 [v25, v26]
  fs12 = state @22 []
  fs13 = state @25 [v29]
  fs14 = state @25 []
  fs15 = state @11 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v37 = load.i64 v1, 56 @0
  v38 = load.i64 v1, 32 @0
  v39 = isub v37, v38 @0
  v40 = iconst.i64 184 @0
  v41 = icmp.eq v39, v40 @0
  branch v41, bb7(), bb8() @0
bb2(v2: obj):
  set_prev_instr 1 @1
  decref v2 @1
  v3 = call s6_rt_eval_breaker(v0) @2
  v4 = iconst.i32 0 @2
  v5 = icmp.ne v3, v4 @2
  deopt_if v5, fs0, "eval breaker" @2
  v6:LongExact = load_const 1 @3
  incref v6 @3
  set_prev_instr 4 @4
  store_local 1, v6 @4
  v7 = load_local 1 @5
  incref v7 @5
  v8 = load_local 0 @6
  incref v8 @6
  set_prev_instr 7 @7
  v9 = py.lt v7, v8, fs1 @7
  decref v7 @7
  decref v8 @7
  check_null v9, fs2 @7
  check_tracing fs3 @7
  set_prev_instr 10 @10
  v10 = py.truth v9, fs3 @10
  decref v9 @10
  check_neg v10, fs4 @10
  v11 = iconst.i32 0 @10
  v12 = icmp.eq v10, v11 @10
  branch v12, bb3(), bb4() @10
bb3():
  v36 = load_local 1 @26
  incref v36 @26
  set_prev_instr 27 @27
  return v36 @27
bb4():
  v13 = load_local 1 @11
  incref v13 @11
  set_prev_instr 12 @12
  v14 = iconst.i32 2 @12
  store.i32 v1, 64, v14 @12
  v15 = iconst.i8 -1 @12
  store.i8 v1, -5, v15 @12
  return v13 @12
bb5(v16: obj):
  v17 = call s6_rt_eval_breaker(v0) @13
  v18 = iconst.i32 0 @13
  v19 = icmp.ne v17, v18 @13
  deopt_if v19, fs5, "eval breaker" @13
  set_prev_instr 14 @14
  decref v16 @14
  v20 = load_local 1 @15
  v21 = null @15
  v22 = icmp.eq v20, v21 @15
  deopt_if v22, fs6, "unbound local" @15
  incref v20 @15
  v23:LongExact = load_const 2 @16
  incref v23 @16
  set_prev_instr 17 @17
  v24 = py.iadd v20, v23, fs7 @17
  decref v20 @17
  decref v23 @17
  check_null v24, fs8 @17
  check_tracing fs9 @17
  set_prev_instr 19 @19
  store_local 1, v24 @19
  v25 = load_local 1 @20
  incref v25 @20
  v26 = load_local 0 @21
  v27 = null @21
  v28 = icmp.eq v26, v27 @21
  deopt_if v28, fs10, "unbound local" @21
  incref v26 @21
  set_prev_instr 22 @22
  v29 = py.lt v25, v26, fs11 @22
  decref v25 @22
  decref v26 @22
  check_null v29, fs12 @22
  check_tracing fs13 @22
  set_prev_instr 25 @25
  v30 = py.truth v29, fs13 @25
  decref v29 @25
  check_neg v30, fs14 @25
  v31 = iconst.i32 0 @25
  v32 = icmp.ne v30, v31 @25
  branch v32, bb6(), bb3() @25
bb6():
  v33 = call s6_rt_eval_breaker(v0) @25
  v34 = iconst.i32 0 @25
  v35 = icmp.ne v33, v34 @25
  deopt_if v35, fs15, "eval breaker" @25
  jump bb4() @25
bb7():
  v42 = load.obj v1, 88 @0
  v43 = iconst.i32 2 @0
  store.i32 v1, 64, v43 @0
  jump bb2(v42) @0
bb8():
  v44 = iconst.i64 208 @0
  v45 = icmp.eq v39, v44 @0
  branch v45, bb9(), bb10() @0
bb9():
  v46 = load.obj v1, 88 @12
  v47 = iconst.i32 2 @12
  store.i32 v1, 64, v47 @12
  jump bb5(v46) @12
bb10():
  v48 = call s6_rt_resume_generator(v0, v1) @0
  return v48 @0
}

function "s6::test.delegate" nlocalsplus=2 stacksize=4 {
  b0..b15 = cache
  fs0 = state @2 []
  fs1 = state @4 []
  fs2 = state @5 [v8]
  fs3 = state @6 [v10, v11]
  fs4 = state @6 [v10]
  fs5 = state @10 [v14]
  fs6 = state @7 [v10, v14]
  fs7 = state @12 [v24]
  fs8 = state @18 [v24, v28, v27]
  fs9 = state @21 [v24, v28, v27, v29]
  fs10 = state @21 [v24]
  fs11 = state @26 [v24, v32]
  fs12 = state @27 [v35, v36]
  fs13 = state @28 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v43 = load.i64 v1, 56 @0
  v44 = load.i64 v1, 32 @0
  v45 = isub v43, v44 @0
  v46 = iconst.i64 184 @0
  v47 = icmp.eq v45, v46 @0
  branch v47, bb10(), bb11() @0
bb2(v2: obj):
  set_prev_instr 1 @1
  decref v2 @1
  v3 = call s6_rt_eval_breaker(v0) @2
  v4 = iconst.i32 0 @2
  v5 = icmp.ne v3, v4 @2
  deopt_if v5, fs0, "eval breaker" @2
  v6 = load_local 0 @3
  incref v6 @3
  set_prev_instr 4 @4
  v7 = iconst.i32 0 @4
  v8 = call s6_rt_get_yield_from_iter(v6, v7) @4
  check_null v8, fs1 @4
  check_tracing fs2 @4
  v9:NoneType = load_const 0 @5
  incref v9 @5
  jump bb3(v8, v9) @5
bb3(v10: obj, v11: obj):
  set_prev_instr 6 @6
  check_tracing fs3 @6
  v12 = stack_alloc 8 @6
  v13 = call s6_rt_send(v10, v11, v12) @6
  check_neg v13, fs4 @6
  v14 = load.obj v12, 0 @6
  v15 = iconst.i32 1 @6
  v16 = icmp.eq v13, v15 @6
  branch v16, bb4(), bb5() @6
bb4():
  decref v10 @6
  check_tracing fs5 @6
  jump bb6(v14) @6
bb5():
  check_tracing fs6 @6
  jump bb7(v10, v14) @6
bb6(v17: obj):
  set_prev_instr 10 @10
  store_local 1, v17 @10
  v24 = load_local 1 @11
  incref v24 @11
  set_prev_instr 12 @12
  v25 = load_name 0 @12
  v26 = binding_addr b0 @12
  v27 = call s6_rt_load_global_cached(v1, v25, v26) @12
  check_null v27, fs7 @12
  v28 = null @12
  v29 = load_local 0 @18
  v30 = null @18
  v31 = icmp.eq v29, v30 @18
  deopt_if v31, fs8, "unbound local" @18
  incref v29 @18
  set_prev_instr 21 @21
  v32 = py.call.1 v28, v27, v29, fs9 @21
  check_null v32, fs10 @21
  check_tracing fs11 @21
  set_prev_instr 26 @26
  store.obj v1, 88, v24 @26
  v33 = iconst.i32 3 @26
  store.i32 v1, 64, v33 @26
  v34 = iconst.i8 -1 @26
  store.i8 v1, -5, v34 @26
  return v32 @26
bb7(v18: obj, v19: obj):
  set_prev_instr 7 @7
  store.obj v1, 88, v18 @7
  v20 = iconst.i32 3 @7
  store.i32 v1, 64, v20 @7
  v21 = iconst.i8 -1 @7
  store.i8 v1, -5, v21 @7
  return v19 @7
bb8(v22: obj, v23: obj):
  jump bb3(v22, v23) @9
bb9(v35: obj, v36: obj):
  v37 = call s6_rt_eval_breaker(v0) @27
  v38 = iconst.i32 0 @27
  v39 = icmp.ne v37, v38 @27
  deopt_if v39, fs12, "eval breaker" @27
  set_prev_instr 28 @28
  store.obj v1, 88, v35 @28
  store.obj v1, 96, v36 @28
  v40 = iconst.i32 2 @28
  v41 = iconst.i32 2 @28
  v42 = call s6_rt_build_list(v1, v40, v41) @28
  check_null v42, fs13 @28
  set_prev_instr 29 @29
  return v42 @29
bb10():
  v48 = load.obj v1, 88 @0
  v49 = iconst.i32 2 @0
  store.i32 v1, 64, v49 @0
  jump bb2(v48) @0
bb11():
  v50 = iconst.i64 198 @0
  v51 = icmp.eq v45, v50 @0
  branch v51, bb12(), bb13() @0
bb12():
  v52 = load.obj v1, 88 @7
  v53 = load.obj v1, 96 @7
  v54 = iconst.i32 2 @7
  store.i32 v1, 64, v54 @7
  jump bb8(v52, v53) @7
bb13():
  v55 = iconst.i64 236 @0
  v56 = icmp.eq v45, v55 @0
  branch v56, bb14(), bb15() @0
bb14():
  v57 = load.obj v1, 88 @26
  v58 = load.obj v1, 96 @26
  v59 = iconst.i32 2 @26
  store.i32 v1, 64, v59 @26
  jump bb9(v57, v58) @26
bb15():
  v60 = call s6_rt_resume_generator(v0, v1) @0
  return v60 @0
}

