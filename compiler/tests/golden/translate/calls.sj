function "s6::test.call_kw" nlocalsplus=2 stacksize=4 {
  const 1 = int 1
  fs0 = state @8 []
  fs1 = state @13 [v9]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = null @1
  v3 = load_local 0 @2
  incref v3 @2
  v4 = load_local 1 @3
  incref v4 @3
  v5:LongExact = load_const 1 @4
  incref v5 @4
  set_prev_instr 8 @8
  v6 = load_const 2 @8
  store.obj v1, 88, v2 @8
  store.obj v1, 96, v3 @8
  store.obj v1, 104, v4 @8
  store.obj v1, 112, v5 @8
  v7 = iconst.i32 2 @8
  v8 = iconst.i32 2 @8
  v9 = call s6_rt_call(v1, v7, v8, v6) @8
  check_null v9, fs0 @8
  check_tracing fs1 @8
  set_prev_instr 13 @13
  return v9 @13
}

function "s6::test.method" nlocalsplus=1 stacksize=3 {
  b0..b15 = cache
  const 1 = int 1
  fs0 = state @2 []
  fs1 = state @13 [v7, v6]
  fs2 = state @16 [v7, v6, v8]
  fs3 = state @16 []
  fs4 = state @21 [v9]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = load_local 0 @1
  incref v2 @1
  set_prev_instr 2 @2
  v3 = load_name 0 @2
  v4 = stack_alloc 8 @2
  v5 = binding_addr b0 @2
  v6 = call s6_rt_load_method_cached(v2, v3, v4, v5) @2
  check_null v6, fs0 @2
  v7 = load.obj v4, 0 @2
  check_tracing fs1 @2
  v8:LongExact = load_const 1 @13
  incref v8 @13
  set_prev_instr 16 @16
  v9 = py.call.1 v7, v6, v8, fs2 @16
  check_null v9, fs3 @16
  check_tracing fs4 @16
  set_prev_instr 21 @21
  return v9 @21
}

function "s6::test.glob" nlocalsplus=0 stacksize=3 {
  b0..b31 = cache
  fs0 = state @1 []
  fs1 = state @7 [v5, v4]
  fs2 = state @15 [v5, v4, v8]
  fs3 = state @15 []
  fs4 = state @20 [v9]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  set_prev_instr 1 @1
  v2 = load_name 0 @1
  v3 = binding_addr b0 @1
  v4 = call s6_rt_load_global_cached(v1, v2, v3) @1
  check_null v4, fs0 @1
  v5 = null @1
  set_prev_instr 7 @7
  v6 = load_name 1 @7
  v7 = binding_addr b16 @7
  v8 = call s6_rt_load_global_cached(v1, v6, v7) @7
  check_null v8, fs1 @7
  set_prev_instr 15 @15
  v9 = py.call.1 v5, v4, v8, fs2 @15
  check_null v9, fs3 @15
  check_tracing fs4 @15
  set_prev_instr 20 @20
  return v9 @20
}

function "s6::test.star" nlocalsplus=3 stacksize=5 {
  fs0 = state @4 [v2, v3, v4]
  fs1 = state @5 [v2, v3, v4, v7]
  fs2 = state @6 [v2, v3, v4, v7]
  fs3 = state @7 [v2, v3, v4, v7]
  fs4 = state @7 []
  fs5 = state @8 [v12]
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2 = null @1
  v3 = load_local 0 @2
  incref v3 @2
  v4 = load_local 1 @3
  incref v4 @3
  set_prev_instr 4 @4
  v5 = iconst.i32 6 @4
  v6 = iconst.i32 0 @4
  v7 = call s6_rt_build_map(v1, v5, v6) @4
  check_null v7, fs0 @4
  check_tracing fs1 @4
  v8 = load_local 2 @5
  incref v8 @5
  set_prev_instr 6 @6
  v9 = call s6_rt_dict_merge(v3, v7, v8) @6
  decref v8 @6
  check_neg v9, fs2 @6
  check_tracing fs3 @6
  set_prev_instr 7 @7
  store.obj v1, 96, v2 @7
  store.obj v1, 104, v3 @7
  store.obj v1, 112, v4 @7
  store.obj v1, 120, v7 @7
  v10 = iconst.i32 3 @7
  v11 = iconst.i32 1 @7
  v12 = call s6_rt_call_ex(v1, v10, v11) @7
  check_null v12, fs4 @7
  check_tracing fs5 @7
  set_prev_instr 8 @8
  return v12 @8
}

function "s6::test.fmt" nlocalsplus=1 stacksize=3 {
  fs0 = state @4 [v2]
  fs1 = state @5 [v2, v6]
  fs2 = state @6 []
bb0(v0: ptr, v1: ptr):
  jump bb1()
bb1():
  v2:StrExact = load_const 1 @1
  incref v2 @1
  v3 = load_local 0 @2
  incref v3 @2
  v4:StrExact = load_const 2 @3
  incref v4 @3
  set_prev_instr 4 @4
  v5 = iconst.i32 6 @4
  v6 = call s6_rt_format_value(v3, v4, v5) @4
  decref v3 @4
  decref v4 @4
  check_null v6, fs0 @4
  check_tracing fs1 @4
  v7:StrExact = load_const 3 @5
  incref v7 @5
  set_prev_instr 6 @6
  store.obj v1, 80, v2 @6
  store.obj v1, 88, v6 @6
  store.obj v1, 96, v7 @6
  v8 = iconst.i32 1 @6
  v9 = iconst.i32 3 @6
  v10 = call s6_rt_build_string(v1, v8, v9) @6
  check_null v10, fs2 @6
  set_prev_instr 7 @7
  return v10 @7
}

