//! Round trips: `print(parse(text)) == text` and `parse(print(f)) == f` over hand-written
//! functions covering every opcode and format, plus parse-error positions.

use s6_strongjit::{FunctionBuilder, OPCODES, Type, parse, print};

const CASES: &[&str] = &[
    // minimal
    r#"function "s6::m.f" nlocalsplus=0 stacksize=0 {
bb0(v0: ptr, v1: ptr):
  v2 = null
  return v2
}
"#,
    // cold: compiled for size (`s6c build --all` outside the profile's selection)
    r#"function "s6::m.cold" nlocalsplus=0 stacksize=0 cold {
bb0(v0: ptr, v1: ptr):
  v2 = null
  return v2
}
"#,
    // a frame state with unboxed locals (slot order), a borrowed stack entry and a parent
    r#"function "s6::m.locals" nlocalsplus=6 stacksize=2 {
  fs0 = state @4 [v2]
  fs1 = state @8 [v2, &v2] locals [1: v3, 4: v4, 5: v5] parent fs0
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  v3 = iconst.i64 7
  v4 = fconst 2.5
  v5 = iconst.i8 1
  deopt fs1, "locals" @8
}
"#,
    // inlined code: a callee body attached to a call site, `native_is`, an abandon state
    r#"function "s6::m.inl" nlocalsplus=1 stacksize=3 {
  b0..b15 = cache
  inline @8 args 1 function "s6::m.g" nlocalsplus=1 stacksize=1 {
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @1
  incref v2 @1
  return v2 @2
}
  fs0 = state @8 [v2] abandon bb2
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  v3 = native_is v2, "s6::m.g" @8
  branch v3, bb1(), bb2() @8
bb1():
  v4 = binding_addr b0 @8
  v5 = load_name 0 @8
  v6 = call s6_rt_probe_attr_cached(v2, v5, v4) @8
  check_null v6, fs0 @8
  return v6 @8
bb2():
  v7 = null
  return v7
}
"#,
    // every non-control opcode
    r#"function "s6::m.all" nlocalsplus=3 stacksize=4 {
  b0 = type "builtins.int"
  b1 = builtin "len"
  b2..b17 = cache
  fs0 = state @12 [v2, v4]
  fs1 = state @14 [] parent fs0
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  store_local 1, v2 @2
  v3 = load_const 3
  v4 = load_name 1
  v5 = load_binding b1
  set_prev_instr 12
  v6 = stack_alloc 24
  v7 = iconst.i64 -42
  v8 = iconst.i32 7
  v9 = iconst.i8 1
  v10 = fconst 1.5
  v11 = fconst -0.0
  v12 = fconst inf
  v13 = fconst -inf
  v14 = fconst nan:0x7ff8000000000001
  v15 = fconst 1e300
  v16 = load.i64 v2, 16
  store.obj v6, -8, v2
  incref v2
  decref v2
  xincref v5
  xdecref v5
  v17 = iadd v7, v7
  v18 = isub v7, v7
  v19 = imul v8, v8
  v20, v21 = iadd_ovf v7, v7
  v22, v23 = isub_ovf v7, v7
  v24, v25 = imul_ovf v7, v7
  v26 = and v9, v9
  v27 = or v9, v9
  v28 = xor v9, v9
  v29 = shl v7, v7
  v30 = ashr v7, v7
  v31 = icmp.eq v7, v7
  v32 = icmp.uge v2, v5
  v33 = fadd v10, v10
  v34 = fsub v10, v10
  v35 = fmul v10, v10
  v36 = fdiv v10, v10
  v37 = fcmp.lt v10, v11
  v38 = sitofp v7
  v39 = sextend.i64 v8
  v40 = uextend.i64 v9
  v41 = ireduce.i32 v7
  v42 = select v9, v2, v5
  v43 = call PyNumber_Add(v2, v3) @4
  check_null v43, fs0 @4
  call Py_DecRef(v43)
  v44 = call PyObject_IsTrue(v2) @6
  check_neg v44, fs1 @6
  deopt_if v31, fs0, "type \"changed\"\n\u{1}" @8
  v45 = binding_addr b2
  v46 = store_local_float 2, v10 @8
  v47 = store_local_int 2, v7 @8
  v48 = rebox_float v2, v10 @8
  v49 = rebox_int v2, v7 @8
  raise fs0 @8
}
"#,
    // control flow, forward references, sparse ids, block order != dominance order
    r#"function "s6::m.loop" nlocalsplus=1 stacksize=2 {
  fs3 = state @20 [v10]
bb0(v0: ptr, v1: ptr):
  v10 = load_local 0
  v11 = iconst.i64 0
  jump bb3(v11)
bb5(v20: i64):
  v21 = iadd v20, v12
  v22 = icmp.slt v21, v12
  branch v22, bb3(v21), bb7()
bb3(v30: i64):
  v12 = iconst.i64 10
  v13 = call s6_rt_eval_breaker(v0)
  v14 = iconst.i32 0
  v15 = icmp.ne v13, v14
  deopt_if v15, fs3, "eval breaker" @20
  jump bb5(v30)
bb7():
  deopt fs3, "exit"
bb9():
  unreachable
}
"#,
    // handlers run natively: the entry block's `entry` with its `catch` edges
    r#"function "s6::m.handlers" nlocalsplus=1 stacksize=3 {
  fs0 = state @4 []
bb0(v0: ptr, v1: ptr):
  entry bb1(), catch @8 bb2(), catch @20 bb3()
bb1():
  v2 = load_local 0 @2
  v3 = call PyNumber_Negative(v2) @4
  check_null v3, fs0 @4
  return v3 @6
bb2():
  v4 = load.obj v1, 80 @8
  return v4 @8
bb3():
  v5 = load.obj v1, 80 @20
  return v5 @20
}
"#,
    // calls of every arity and result shape, memory of every type, extreme immediates
    r#"function "s6::m.calls\t\"q\"" nlocalsplus=2 stacksize=3 {
  b0 = type "builtins.float"
  b1 = type "mod.Class"
  b2 = builtin "print"
  fs0 = state @0 []
  fs1 = state @30 [v2, v3, v4]
  fs2 = state @2 [v2] parent fs1
bb0(v0: ptr, v1: ptr):
  v7 = iconst.i64 -9223372036854775808
  v8 = iconst.i32 -2147483648
  v9 = iconst.i8 -128
  v10 = fconst 5e-324
  v2 = load_binding b2 @2
  check_null v2, fs0 @2
  v3 = call s6_rt_assertion_error() @4
  v4 = call PyTuple_New(v7) @6
  v5 = stack_alloc 16
  store.obj v5, 0, v3
  store.ptr v5, 8, v0
  store.i32 v5, -4, v8
  store.i8 v5, 3, v9
  store.f64 v5, 8, v10
  store.i64 v1, 56, v7
  v6 = call PyObject_Vectorcall(v2, v5, v7, v3) @8
  call Py_IncRef(v6)
  v11 = load.f64 v6, 16
  v12 = load.i8 v6, 0
  v13 = load.obj v6, 8
  deopt fs2, "" @30
}
"#,
    // a diamond with arguments on both edges and a loop with two params
    r#"function "s6::m.diamond" nlocalsplus=1 stacksize=1 {
  fs0 = state @8 [v2]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @0
  v3 = call PyObject_IsTrue(v2) @2
  check_neg v3, fs0 @2
  v4 = iconst.i32 0
  v5 = icmp.ne v3, v4
  v6 = iconst.i64 1
  v7 = iconst.i64 2
  branch v5, bb1(v6, v2), bb2(v7)
bb1(v8: i64, v9: obj):
  jump bb3(v8, v8)
bb2(v10: i64):
  jump bb3(v10, v7)
bb3(v11: i64, v12: i64):
  v13, v14 = imul_ovf v11, v12
  deopt_if v14, fs0, "overflow"
  v15 = sitofp v13
  v16 = fconst 0.5
  v17 = fmul v15, v16
  v18 = fcmp.ge v17, v16
  v19 = select v18, v11, v12
  v20 = icmp.sle v19, v13
  branch v20, bb3(v13, v19), bb4()
bb4():
  v21 = call PyFloat_FromDouble(v17)
  check_null v21, fs0
  return v21
}
"#,
    // the Python level: types, feedback, constants, py.*, guards, boxes, borrowed entries
    r#"function "s6::m.py" nlocalsplus=2 stacksize=3 {
  b0 = type "builtins.float"
  b1 = type "__main__.Point"
  const 1 = int -3
  const 2 = float 0.25
  feedback @4 "BINARY_OP" 3x operands "BINARY_OP_ADD_FLOAT" ["builtins.float", "builtins.float"] missed
  feedback @4 "BINARY_OP" 1x adaptive 4
  feedback @8 "LOAD_ATTR" 2x attr "LOAD_ATTR_INSTANCE_VALUE" "__main__.Point" "x" instance_value 1
  feedback @10 "LOAD_METHOD" 2x attr "LOAD_METHOD_WITH_VALUES" "__main__.Point" "norm" method code "p.py" "__main__" "Point.norm" 7 0x00000000deadbeef
  feedback @12 "LOAD_GLOBAL" 2x global "LOAD_GLOBAL_BUILTIN" "len" builtin
  feedback @14 "PRECALL" 2x call "PRECALL_BUILTIN_FAST" builtin "builtins.len"
  feedback @16 "PRECALL" 1x call "PRECALL_BUILTIN_CLASS" type "builtins.str"
  feedback @18 "CALL" 1x call "CALL_PY_EXACT_ARGS" unknown
  feedback @20 "LOAD_ATTR" 1x attr "LOAD_ATTR_SLOT" "__main__.P" "y" slot 24
  feedback @22 "LOAD_ATTR" 1x attr "LOAD_ATTR_WITH_HINT" "__main__.P" "z" dict_hint 3
  feedback @24 "LOAD_ATTR" 1x attr "LOAD_ATTR_MODULE" "math" "pi" module
  feedback @26 "LOAD_METHOD" 1x attr "LOAD_METHOD_CLASS" "__main__.P" "make" class_attr builtin "builtins.classmethod"
  fs0 = state @4 [v2, &v3]
  fs1 = state @6 [v11, v6]
bb0(v0: ptr, v1: ptr):
  v2:LongExact = load_const 1
  v3 = load_local 0
  v4 = py.add v2, v3, fs0 @4
  v5:FloatExact = guard_type v3, b0, fs0 @4
  v6:Exact[b1] = guard_type v4, b1, fs0 @4
  v7 = unbox_float v5
  v8 = unbox_int v2, fs0
  v9, v10 = unbox_number v4, fs0
  v11 = fneg v7
  v12:FloatExact = box_float v11
  v13:LongExact = box_int v8
  v14:Bool = box_bool v10
  v15:NoneType = const_obj None
  v16 = ptr_add v0, v8
  v17 = sdiv v8, v8
  v18 = srem v8, v8
  check_tracing fs1
  v19:NoneType|Bool = py.lt v6, v15, fs1
  branch v10, bb1(v19), bb2()
bb1(v20: NoneType|Bool):
  return v20
bb2():
  return v12
}
"#,
];

#[test]
fn print_parse_is_identity_on_text() {
    for text in CASES {
        let f = parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(print(&f), *text);
        assert_eq!(parse(&print(&f)).unwrap(), f);
    }
}

#[test]
fn every_opcode_is_covered_by_the_cases() {
    for info in OPCODES {
        let used = CASES.iter().any(|t| {
            t.lines().any(|l| {
                let l = l.trim();
                let body = l.split_once(" = ").map_or(l, |(_, r)| r);
                let word = body.split_whitespace().next().unwrap_or("");
                word.split('.').next() == Some(info.mnemonic)
            })
        });
        assert!(used, "{} not covered", info.mnemonic);
    }
}

#[test]
fn parse_of_print_is_identity_on_built_functions() {
    let mut b = FunctionBuilder::new("s6::m.g", 2, 3);
    let x = b.load_local(0);
    let fs = b.frame_state(0, &[x]);
    let one = b.iconst(Type::I64, 1);
    let (s, o) = b.iadd_ovf(one, one);
    b.deopt_if(o, fs, "overflow");
    let f2 = b.fconst(0.1);
    let _ = b.sitofp(s);
    let join = b.create_block();
    let p = b.append_block_param(join, Type::F64);
    let c = b.icmp(s6_strongjit::IntCC::Sgt, s, one);
    let other = b.create_block();
    b.branch(c, join, &[f2], other, &[]);
    b.switch_to_block(other);
    b.raise(fs);
    b.switch_to_block(join);
    let _ = p;
    let n = b.null();
    b.ret(n);
    let f = b.finish();
    let text = print(&f);
    assert_eq!(parse(&text).unwrap(), f, "{text}");
}

#[test]
fn equality_sees_differences() {
    let a = parse(CASES[0]).unwrap();
    let b = parse(&CASES[0].replace("null", "load_local 0")).unwrap();
    assert_ne!(a, b);
    let c = parse(&CASES[0].replace("v2 = null", "v2 = null @3")).unwrap();
    assert_ne!(a, c);
    let d = parse(&CASES[0].replace("stacksize=0 {", "stacksize=0 cold {")).unwrap();
    assert_ne!(a, d);
    assert!(d.cold && !a.cold);
}

fn parse_err(text: &str) -> String {
    parse(text).map(|_| ()).unwrap_err().to_string()
}

#[test]
fn parse_errors_have_positions() {
    let head = "function \"f\" nlocalsplus=0 stacksize=0 {\nbb0(v0: ptr, v1: ptr):\n";
    let cases = [
        ("  v2 = nul\n}\n", "3:8: unknown instruction `nul`"),
        ("  v2 = iconst 1\n}\n", "3:8: `iconst` needs a `.suffix`"),
        ("  v2 = iconst.i65 1\n}\n", "3:15: unknown type `i65`"),
        (
            "  v2 = icmp.lt v0, v0\n}\n",
            "3:13: unknown integer condition `lt`",
        ),
        (
            "  v2 = call Nope(v0)\n}\n",
            "3:13: unknown callee `Nope` (not in the callee table)",
        ),
        ("  return v7\n}\n", "3:10: v7 is not defined"),
        ("  jump bb4()\n}\n", "3:8: bb4 is not defined"),
        ("  raise fs0\n}\n", "3:9: fs0 is not defined"),
        ("  v1 = null\n}\n", "3:3: v1 is already defined at 2:14"),
        (
            "  v2 = iadd_ovf v0, v0\n}\n",
            "3:3: `iadd_ovf` has 2 result(s), found 1",
        ),
        (
            "  call PyNumber_Add(v0, v0)\n}\n",
            "3:3: `call` has 1 result(s), found 0",
        ),
        ("  v2 = null\n", "4:1: expected `}`, found end of input"),
        ("  deopt_if v0, fs0, \"x\n}\n", "3:21: unterminated string"),
        (
            "  v2 = iadd v3, v3\n  v3 = iadd v2, v2\n}\n",
            "3:3: cannot infer the type of v2: its operands' types depend on it",
        ),
        (
            "  v2 = load_binding b0\n}\n",
            "3:21: binding b0 is not defined",
        ),
        (
            "  v4000000000 = null\n}\n",
            "3:3: v4000000000: ids above 4194304 are not supported",
        ),
        (
            "  v2 = fconst nan:0x1\n}\n",
            "3:19: `0x1` is not the bit pattern of a NaN",
        ),
        ("  v2 = null $\n}\n", "3:13: unexpected character '$'"),
    ];
    for (body, want) in cases {
        assert_eq!(parse_err(&format!("{head}{body}")), want, "{body}");
    }
    assert_eq!(parse_err("func"), "1:1: expected `function`, found `func`");
}

#[test]
fn cases_are_valid_ir() {
    for text in CASES {
        let f = parse(text).unwrap();
        if let Err(e) = s6_strongjit::verify(&f) {
            panic!("{e}\n{text}");
        }
    }
}

#[test]
fn filetest_inputs_round_trip() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/filetests");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let f = parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let text = print(&f);
        let g = parse(&text).unwrap();
        assert_eq!(g, f, "{}", path.display());
        assert_eq!(print(&g), text);
    }
}
