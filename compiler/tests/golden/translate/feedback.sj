function "s6::test.count_below" nlocalsplus=2 stacksize=2 {
  b0 = type "builtins.int"
  fs0 = state @5 []
  fs1 = state @8 [v30]
  fs2 = state @8 []
  fs3 = state @11 []
  fs4 = state @13 [v38]
  fs5 = state @9 []
  fs6 = state @16 []
  fs7 = state @19 [v93]
  fs8 = state @19 []
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
  v5 = load_binding b0 @5
  v6 = load.obj v3, 8 @5
  v7 = icmp.eq v6, v5 @5
  branch v7, bb3(), bb2() @5
bb2():
  set_prev_instr 5 @5
  v29 = iconst.i32 0 @5
  v30 = call PyObject_RichCompare(v3, v4, v29) @5
  decref v3 @5
  decref v4 @5
  check_null v30, fs0 @5
  v31 = load.ptr v0, 56 @5
  v32 = load.i8 v31, 0 @5
  deopt_if v32, fs1, "tracing enabled" @5
  set_prev_instr 8 @8
  v33 = call PyObject_IsTrue(v30) @8
  decref v30 @8
  check_neg v33, fs2 @8
  v34 = iconst.i32 0 @8
  v35 = icmp.eq v33, v34 @8
  branch v35, bb7(), bb8() @8
bb3():
  v8 = load.i64 v3, 16 @5
  v9 = iconst.i64 1 @5
  v10 = iadd v8, v9 @5
  v11 = iconst.i64 2 @5
  v12 = icmp.ule v10, v11 @5
  branch v12, bb4(), bb2() @5
bb4():
  v13 = load.i32 v3, 24 @5
  v14 = uextend.i64 v13 @5
  v15 = imul v8, v14 @5
  v16 = load.obj v4, 8 @5
  v17 = icmp.eq v16, v5 @5
  branch v17, bb5(), bb2() @5
bb5():
  v18 = load.i64 v4, 16 @5
  v19 = iconst.i64 1 @5
  v20 = iadd v18, v19 @5
  v21 = iconst.i64 2 @5
  v22 = icmp.ule v20, v21 @5
  branch v22, bb6(), bb2() @5
bb6():
  v23 = load.i32 v4, 24 @5
  v24 = uextend.i64 v23 @5
  v25 = imul v18, v24 @5
  v26 = icmp.slt v15, v25 @5
  decref v3 @5
  decref v4 @5
  v27 = iconst.i8 1 @5
  v28 = xor v26, v27 @5
  branch v28, bb7(), bb8() @8
bb7():
  v102 = load_local 1 @20
  incref v102 @20
  set_prev_instr 21 @21
  return v102 @21
bb8():
  v36 = load_local 1 @9
  incref v36 @9
  v37 = load_const 2 @10
  incref v37 @10
  set_prev_instr 11 @11
  v39 = load_binding b0 @11
  v40 = load.obj v36, 8 @11
  v41 = icmp.eq v40, v39 @11
  branch v41, bb11(), bb9() @11
bb9():
  v62 = call PyNumber_Add(v36, v37) @11
  decref v36 @11
  decref v37 @11
  check_null v62, fs3 @11
  jump bb10(v62) @11
bb10(v38: obj):
  v63 = load.ptr v0, 56 @11
  v64 = load.i8 v63, 0 @11
  deopt_if v64, fs4, "tracing enabled" @11
  set_prev_instr 13 @13
  store_local 1, v38 @13
  v65 = load_local 1 @14
  incref v65 @14
  v66 = load_local 0 @15
  incref v66 @15
  set_prev_instr 16 @16
  v67 = load_binding b0 @16
  v68 = load.obj v65, 8 @16
  v69 = icmp.eq v68, v67 @16
  branch v69, bb16(), bb15() @16
bb11():
  v42 = load.i64 v36, 16 @11
  v43 = iconst.i64 1 @11
  v44 = iadd v42, v43 @11
  v45 = iconst.i64 2 @11
  v46 = icmp.ule v44, v45 @11
  branch v46, bb12(), bb9() @11
bb12():
  v47 = load.i32 v36, 24 @11
  v48 = uextend.i64 v47 @11
  v49 = imul v42, v48 @11
  v50 = load.obj v37, 8 @11
  v51 = icmp.eq v50, v39 @11
  branch v51, bb13(), bb9() @11
bb13():
  v52 = load.i64 v37, 16 @11
  v53 = iconst.i64 1 @11
  v54 = iadd v52, v53 @11
  v55 = iconst.i64 2 @11
  v56 = icmp.ule v54, v55 @11
  branch v56, bb14(), bb9() @11
bb14():
  v57 = load.i32 v37, 24 @11
  v58 = uextend.i64 v57 @11
  v59 = imul v52, v58 @11
  v60 = iadd v49, v59 @11
  v61 = call PyLong_FromLongLong(v60) @11
  decref v36 @11
  decref v37 @11
  check_null v61, fs3 @11
  jump bb10(v61) @11
bb15():
  set_prev_instr 16 @16
  v92 = iconst.i32 0 @16
  v93 = call PyObject_RichCompare(v65, v66, v92) @16
  decref v65 @16
  decref v66 @16
  check_null v93, fs6 @16
  v94 = load.ptr v0, 56 @16
  v95 = load.i8 v94, 0 @16
  deopt_if v95, fs7, "tracing enabled" @16
  set_prev_instr 19 @19
  v96 = call PyObject_IsTrue(v93) @19
  decref v93 @19
  check_neg v96, fs8 @19
  v97 = iconst.i32 0 @19
  v98 = icmp.ne v96, v97 @19
  branch v98, bb21(), bb7() @19
bb16():
  v70 = load.i64 v65, 16 @16
  v71 = iconst.i64 1 @16
  v72 = iadd v70, v71 @16
  v73 = iconst.i64 2 @16
  v74 = icmp.ule v72, v73 @16
  branch v74, bb17(), bb15() @16
bb17():
  v75 = load.i32 v65, 24 @16
  v76 = uextend.i64 v75 @16
  v77 = imul v70, v76 @16
  v78 = load.obj v66, 8 @16
  v79 = icmp.eq v78, v67 @16
  branch v79, bb18(), bb15() @16
bb18():
  v80 = load.i64 v66, 16 @16
  v81 = iconst.i64 1 @16
  v82 = iadd v80, v81 @16
  v83 = iconst.i64 2 @16
  v84 = icmp.ule v82, v83 @16
  branch v84, bb19(), bb15() @16
bb19():
  v85 = load.i32 v66, 24 @16
  v86 = uextend.i64 v85 @16
  v87 = imul v80, v86 @16
  v88 = icmp.slt v77, v87 @16
  decref v65 @16
  decref v66 @16
  branch v88, bb20(), bb7() @19
bb20():
  v89 = call s6_rt_eval_breaker(v0) @19
  v90 = iconst.i32 0 @19
  v91 = icmp.ne v89, v90 @19
  deopt_if v91, fs5, "eval breaker" @19
  jump bb8() @19
bb21():
  v99 = call s6_rt_eval_breaker(v0) @19
  v100 = iconst.i32 0 @19
  v101 = icmp.ne v99, v100 @19
  deopt_if v101, fs5, "eval breaker" @19
  jump bb8() @19
}

function "s6::test.scale_float" nlocalsplus=2 stacksize=2 {
  b0 = type "builtins.float"
  fs0 = state @3 []
  fs1 = state @6 [v15]
  fs2 = state @6 []
  fs3 = state @9 []
  fs4 = state @11 [v23]
  fs5 = state @12 []
  fs6 = state @14 [v37]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  v3 = load_local 1 @2
  incref v3 @2
  set_prev_instr 3 @3
  v4 = load_binding b0 @3
  v5 = load.obj v2, 8 @3
  v6 = icmp.eq v5, v4 @3
  branch v6, bb3(), bb2() @3
bb2():
  set_prev_instr 3 @3
  v14 = iconst.i32 4 @3
  v15 = call PyObject_RichCompare(v2, v3, v14) @3
  decref v2 @3
  decref v3 @3
  check_null v15, fs0 @3
  v16 = load.ptr v0, 56 @3
  v17 = load.i8 v16, 0 @3
  deopt_if v17, fs1, "tracing enabled" @3
  set_prev_instr 6 @6
  v18 = call PyObject_IsTrue(v15) @6
  decref v15 @6
  check_neg v18, fs2 @6
  v19 = iconst.i32 0 @6
  v20 = icmp.eq v18, v19 @6
  branch v20, bb5(), bb6() @6
bb3():
  v7 = load.f64 v2, 16 @3
  v8 = load.obj v3, 8 @3
  v9 = icmp.eq v8, v4 @3
  branch v9, bb4(), bb2() @3
bb4():
  v10 = load.f64 v3, 16 @3
  v11 = fcmp.gt v7, v10 @3
  decref v2 @3
  decref v3 @3
  v12 = iconst.i8 1 @3
  v13 = xor v11, v12 @3
  branch v13, bb5(), bb6() @6
bb5():
  v50 = load_local 1 @15
  incref v50 @15
  set_prev_instr 16 @16
  return v50 @16
bb6():
  v21 = load_local 0 @7
  incref v21 @7
  v22 = load_local 1 @8
  incref v22 @8
  set_prev_instr 9 @9
  v24 = load_binding b0 @9
  v25 = load.obj v21, 8 @9
  v26 = icmp.eq v25, v24 @9
  branch v26, bb9(), bb7() @9
bb7():
  v33 = call PyNumber_Multiply(v21, v22) @9
  decref v21 @9
  decref v22 @9
  check_null v33, fs3 @9
  jump bb8(v33) @9
bb8(v23: obj):
  v34 = load.ptr v0, 56 @9
  v35 = load.i8 v34, 0 @9
  deopt_if v35, fs4, "tracing enabled" @9
  v36 = load_const 1 @11
  incref v36 @11
  set_prev_instr 12 @12
  v38 = load_binding b0 @12
  v39 = load.obj v23, 8 @12
  v40 = icmp.eq v39, v38 @12
  branch v40, bb13(), bb11() @12
bb9():
  v27 = load.f64 v21, 16 @9
  v28 = load.obj v22, 8 @9
  v29 = icmp.eq v28, v24 @9
  branch v29, bb10(), bb7() @9
bb10():
  v30 = load.f64 v22, 16 @9
  v31 = fmul v27, v30 @9
  v32 = call PyFloat_FromDouble(v31) @9
  decref v21 @9
  decref v22 @9
  check_null v32, fs3 @9
  jump bb8(v32) @9
bb11():
  v47 = call PyNumber_Subtract(v23, v36) @12
  decref v23 @12
  decref v36 @12
  check_null v47, fs5 @12
  jump bb12(v47) @12
bb12(v37: obj):
  v48 = load.ptr v0, 56 @12
  v49 = load.i8 v48, 0 @12
  deopt_if v49, fs6, "tracing enabled" @12
  set_prev_instr 14 @14
  return v37 @14
bb13():
  v41 = load.f64 v23, 16 @12
  v42 = load.obj v36, 8 @12
  v43 = icmp.eq v42, v38 @12
  branch v43, bb14(), bb11() @12
bb14():
  v44 = load.f64 v36, 16 @12
  v45 = fsub v41, v44 @12
  v46 = call PyFloat_FromDouble(v45) @12
  decref v23 @12
  decref v36 @12
  check_null v46, fs5 @12
  jump bb12(v46) @12
}

function "s6::test.mixed" nlocalsplus=2 stacksize=3 {
  b0 = type "builtins.int"
  fs0 = state @3 []
  fs1 = state @5 [v5]
  fs2 = state @7 [v5]
  fs3 = state @9 [v5, v10]
  fs4 = state @9 []
  fs5 = state @11 [v37]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  v3 = load_local 1 @2
  incref v3 @2
  set_prev_instr 3 @3
  v4 = iconst.i32 8 @3
  v5 = call s6_rt_binary_op(v2, v3, v4) @3
  decref v2 @3
  decref v3 @3
  check_null v5, fs0 @3
  v6 = load.ptr v0, 56 @3
  v7 = load.i8 v6, 0 @3
  deopt_if v7, fs1, "tracing enabled" @3
  v8 = load_local 0 @5
  incref v8 @5
  v9 = load_local 1 @6
  incref v9 @6
  set_prev_instr 7 @7
  v11 = load_binding b0 @7
  v12 = load.obj v8, 8 @7
  v13 = icmp.eq v12, v11 @7
  branch v13, bb4(), bb2() @7
bb2():
  v34 = call PyNumber_Multiply(v8, v9) @7
  decref v8 @7
  decref v9 @7
  check_null v34, fs2 @7
  jump bb3(v34) @7
bb3(v10: obj):
  v35 = load.ptr v0, 56 @7
  v36 = load.i8 v35, 0 @7
  deopt_if v36, fs3, "tracing enabled" @7
  set_prev_instr 9 @9
  v38 = load_binding b0 @9
  v39 = load.obj v5, 8 @9
  v40 = icmp.eq v39, v38 @9
  branch v40, bb10(), bb8() @9
bb4():
  v14 = load.i64 v8, 16 @7
  v15 = iconst.i64 1 @7
  v16 = iadd v14, v15 @7
  v17 = iconst.i64 2 @7
  v18 = icmp.ule v16, v17 @7
  branch v18, bb5(), bb2() @7
bb5():
  v19 = load.i32 v8, 24 @7
  v20 = uextend.i64 v19 @7
  v21 = imul v14, v20 @7
  v22 = load.obj v9, 8 @7
  v23 = icmp.eq v22, v11 @7
  branch v23, bb6(), bb2() @7
bb6():
  v24 = load.i64 v9, 16 @7
  v25 = iconst.i64 1 @7
  v26 = iadd v24, v25 @7
  v27 = iconst.i64 2 @7
  v28 = icmp.ule v26, v27 @7
  branch v28, bb7(), bb2() @7
bb7():
  v29 = load.i32 v9, 24 @7
  v30 = uextend.i64 v29 @7
  v31 = imul v24, v30 @7
  v32 = imul v21, v31 @7
  v33 = call PyLong_FromLongLong(v32) @7
  decref v8 @7
  decref v9 @7
  check_null v33, fs2 @7
  jump bb3(v33) @7
bb8():
  v61 = call PyNumber_Add(v5, v10) @9
  decref v5 @9
  decref v10 @9
  check_null v61, fs4 @9
  jump bb9(v61) @9
bb9(v37: obj):
  v62 = load.ptr v0, 56 @9
  v63 = load.i8 v62, 0 @9
  deopt_if v63, fs5, "tracing enabled" @9
  set_prev_instr 11 @11
  return v37 @11
bb10():
  v41 = load.i64 v5, 16 @9
  v42 = iconst.i64 1 @9
  v43 = iadd v41, v42 @9
  v44 = iconst.i64 2 @9
  v45 = icmp.ule v43, v44 @9
  branch v45, bb11(), bb8() @9
bb11():
  v46 = load.i32 v5, 24 @9
  v47 = uextend.i64 v46 @9
  v48 = imul v41, v47 @9
  v49 = load.obj v10, 8 @9
  v50 = icmp.eq v49, v38 @9
  branch v50, bb12(), bb8() @9
bb12():
  v51 = load.i64 v10, 16 @9
  v52 = iconst.i64 1 @9
  v53 = iadd v51, v52 @9
  v54 = iconst.i64 2 @9
  v55 = icmp.ule v53, v54 @9
  branch v55, bb13(), bb8() @9
bb13():
  v56 = load.i32 v10, 24 @9
  v57 = uextend.i64 v56 @9
  v58 = imul v51, v57 @9
  v59 = iadd v48, v58 @9
  v60 = call PyLong_FromLongLong(v59) @9
  decref v5 @9
  decref v10 @9
  check_null v60, fs4 @9
  jump bb9(v60) @9
}

