function "s6::test.add" nlocalsplus=2 stacksize=2 {
  fs0 = state @3 [v2, v3]
  fs1 = state @3 []
  fs2 = state @5 [v4]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  v3 = load_local 1 @2
  incref v3 @2
  set_prev_instr 3 @3
  v4 = py.add v2, v3, fs0 @3
  decref v2 @3
  decref v3 @3
  check_null v4, fs1 @3
  check_tracing fs2 @3
  set_prev_instr 5 @5
  return v4 @5
}

function "s6::test.unbound" nlocalsplus=2 stacksize=1 {
  const 1 = int 1
  fs0 = state @2 [v2]
  fs1 = state @2 []
  fs2 = state @5 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  set_prev_instr 2 @2
  v3 = py.truth v2, fs0 @2
  decref v2 @2
  check_neg v3, fs1 @2
  v4 = iconst.i32 0 @2
  v5 = icmp.eq v3, v4 @2
  branch v5, bb2(), bb3() @2
bb2():
  v7 = load_local 1 @5
  v8 = null @5
  v9 = icmp.eq v7, v8 @5
  deopt_if v9, fs2, "unbound local" @5
  incref v7 @5
  set_prev_instr 6 @6
  return v7 @6
bb3():
  v6:LongExact = load_const 1 @3
  incref v6 @3
  set_prev_instr 4 @4
  store_local 1, v6 @4
  jump bb2() @4
}

function "s6::test.cond" nlocalsplus=2 stacksize=1 {
  fs0 = state @4 [v5]
  fs1 = state @4 []
  fs2 = state @9 [v9]
  fs3 = state @9 []
  fs4 = state @10 [v13]
  fs5 = state @6 [v14]
  fs6 = state @6 []
  fs7 = state @7 [v15]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  set_prev_instr 2 @2
  v3:NoneType = const_obj None @2
  v4 = icmp.eq v2, v3 @2
  decref v2 @2
  branch v4, bb2(), bb3() @2
bb2():
  v14 = load_local 0 @5
  incref v14 @5
  set_prev_instr 6 @6
  v15 = py.neg v14, fs5 @6
  decref v14 @6
  check_null v15, fs6 @6
  check_tracing fs7 @6
  set_prev_instr 7 @7
  return v15 @7
bb3():
  v5 = load_local 1 @3
  incref v5 @3
  set_prev_instr 4 @4
  v6 = py.truth v5, fs0 @4
  decref v5 @4
  check_neg v6, fs1 @4
  v7 = iconst.i32 0 @4
  v8 = icmp.eq v6, v7 @4
  branch v8, bb4(), bb2() @4
bb4():
  v9 = load_local 0 @8
  incref v9 @8
  set_prev_instr 9 @9
  v10 = py.truth v9, fs2 @9
  decref v9 @9
  check_neg v10, fs3 @9
  v11 = iconst.i32 0 @9
  v12 = icmp.eq v10, v11 @9
  v13:Bool = box_bool v12 @9
  check_tracing fs4 @9
  set_prev_instr 10 @10
  return v13 @10
}

function "s6::test.unpack" nlocalsplus=3 stacksize=2 {
  fs0 = state @2 []
  fs1 = state @4 [v3, v4]
  fs2 = state @8 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  set_prev_instr 2 @2
  v5 = load.obj v2, 8 @2
  v6:TypeExact = const_obj PyTuple_Type @2
  v7:TypeExact = const_obj PyList_Type @2
  v8 = icmp.eq v5, v6 @2
  v9 = icmp.eq v5, v7 @2
  v10 = or v8, v9 @2
  v11 = load.i64 v2, 16 @2
  v12 = iconst.i64 2 @2
  v13 = icmp.eq v11, v12 @2
  v14 = and v10, v13 @2
  branch v14, bb3(), bb4() @2
bb2(v3: obj, v4: obj):
  check_tracing fs1 @2
  set_prev_instr 4 @4
  store_local 1, v4 @4
  set_prev_instr 5 @5
  store_local 2, v3 @5
  v26 = load_local 2 @6
  incref v26 @6
  v27 = load_local 1 @7
  incref v27 @7
  set_prev_instr 8 @8
  store.obj v1, 96, v26 @8
  store.obj v1, 104, v27 @8
  v28 = iconst.i32 3 @8
  v29 = iconst.i32 2 @8
  v30 = call s6_rt_build_tuple(v1, v28, v29) @8
  check_null v30, fs2 @8
  set_prev_instr 9 @9
  return v30 @9
bb3():
  v15 = load.ptr v2, 24 @2
  v16 = iconst.i64 24 @2
  v17 = ptr_add v2, v16 @2
  v18 = select v8, v17, v15 @2
  v19 = load.obj v18, 8 @2
  incref v19 @2
  v20 = load.obj v18, 0 @2
  incref v20 @2
  decref v2 @2
  jump bb2(v19, v20) @2
bb4() cold:
  v21 = iconst.i32 3 @2
  v22 = iconst.i32 2 @2
  v23 = call s6_rt_unpack_sequence(v1, v21, v2, v22) @2
  decref v2 @2
  check_neg v23, fs0 @2
  v24 = load.obj v1, 96 @2
  v25 = load.obj v1, 104 @2
  jump bb2(v24, v25) @2
}

function "s6::test.closure" nlocalsplus=2 stacksize=2 {
  fs0 = state @0 []
  fs1 = state @2 []
  fs2 = state @3 []
  fs3 = state @5 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  set_prev_instr 0 @0
  v2 = iconst.i32 0 @0
  v3 = call s6_rt_make_cell(v1, v2) @0
  check_neg v3, fs0 @0
  v4 = load.obj v1, 72 @2
  v5 = null @2
  v6 = icmp.eq v4, v5 @2
  deopt_if v6, fs1, "unbound local" @2
  incref v4 @2
  set_prev_instr 3 @3
  store.obj v1, 88, v4 @3
  v7 = iconst.i32 2 @3
  v8 = iconst.i32 1 @3
  v9 = call s6_rt_build_tuple(v1, v7, v8) @3
  check_null v9, fs2 @3
  v10 = load_const 1 @4
  incref v10 @4
  set_prev_instr 5 @5
  store.obj v1, 88, v9 @5
  store.obj v1, 96, v10 @5
  v11 = iconst.i32 2 @5
  v12 = iconst.i32 8 @5
  v13 = call s6_rt_make_function(v1, v11, v12) @5
  check_null v13, fs3 @5
  set_prev_instr 6 @6
  store_local 1, v13 @6
  v14 = load_local 1 @7
  incref v14 @7
  set_prev_instr 8 @8
  return v14 @8
}

function "s6::test.closure.<locals>.inner" nlocalsplus=1 stacksize=1 {
  fs0 = state @2 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = iconst.i32 0 @0
  v3 = iconst.i32 1 @0
  call s6_rt_copy_free_vars(v1, v2, v3) @0
  set_prev_instr 2 @2
  v4 = load.obj v1, 72 @2
  v5 = load.obj v4, 16 @2
  v6 = null @2
  v7 = icmp.eq v5, v6 @2
  deopt_if v7, fs0, "unbound cell" @2
  incref v5 @2
  set_prev_instr 3 @3
  return v5 @3
}

function "s6::test.membership" nlocalsplus=2 stacksize=2 {
  const 1 = int 1
  const 2 = int 0
  fs0 = state @3 []
  fs1 = state @4 [v7]
  fs2 = state @4 []
  fs3 = state @8 [v14]
  fs4 = state @8 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  v3 = load_local 1 @2
  incref v3 @2
  set_prev_instr 3 @3
  v4 = call PySequence_Contains(v3, v2) @3
  decref v2 @3
  decref v3 @3
  check_neg v4, fs0 @3
  v5 = iconst.i32 0 @3
  v6 = icmp.ne v4, v5 @3
  v7:Bool = box_bool v6 @3
  check_tracing fs1 @3
  set_prev_instr 4 @4
  v8 = py.truth v7, fs1 @4
  decref v7 @4
  check_neg v8, fs2 @4
  v9 = iconst.i32 0 @4
  v10 = icmp.eq v8, v9 @4
  branch v10, bb2(), bb3() @4
bb2():
  v19:LongExact = load_const 2 @11
  incref v19 @11
  set_prev_instr 12 @12
  return v19 @12
bb3():
  v11 = load_local 0 @5
  incref v11 @5
  v12 = load_local 1 @6
  incref v12 @6
  set_prev_instr 7 @7
  v13 = icmp.ne v11, v12 @7
  decref v11 @7
  decref v12 @7
  v14:Bool = box_bool v13 @7
  set_prev_instr 8 @8
  v15 = py.truth v14, fs3 @8
  decref v14 @8
  check_neg v15, fs4 @8
  v16 = iconst.i32 0 @8
  v17 = icmp.eq v15, v16 @8
  branch v17, bb2(), bb4() @8
bb4():
  v18:LongExact = load_const 1 @9
  incref v18 @9
  set_prev_instr 10 @10
  return v18 @10
}

