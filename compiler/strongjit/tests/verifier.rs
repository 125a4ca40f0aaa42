//! Verifier: valid functions pass; each error kind is caught on a minimal bad function.

use s6_strongjit::{ErrorKind, FunctionBuilder, Opcode, Operands, Type, ValueDef, parse, verify};

const HEAD: &str = "function \"s6::m.f\" nlocalsplus=2 stacksize=2 {\n";

/// Parses `HEAD + body + "}"` and returns the verifier's error kinds.
fn kinds(body: &str) -> Vec<ErrorKind> {
    let text = format!("{HEAD}{body}}}\n");
    let f = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    match verify(&f) {
        Ok(()) => Vec::new(),
        Err(e) => e.0.iter().map(|e| e.kind).collect(),
    }
}

fn assert_kind(body: &str, kind: ErrorKind) {
    let k = kinds(body);
    assert!(
        k.contains(&kind),
        "expected {kind:?}, got {k:?} for\n{body}"
    );
}

#[test]
fn valid_functions_verify() {
    let ok = [
        "bb0(v0: ptr, v1: ptr):\n  v2 = load_local 0\n  incref v2\n  return v2\n",
        // a loop whose header param is used after it; definition after use in text order
        "  fs0 = state @4 [v2]\nbb0(v0: ptr, v1: ptr):\n  v2 = load_local 1\n  v3 = iconst.i64 0\n  jump bb1(v3)\n\
         bb2():\n  v6 = iadd v4, v5\n  jump bb1(v6)\n\
         bb1(v4: i64):\n  v5 = iconst.i64 1\n  v7 = icmp.sge v4, v5\n  deopt_if v7, fs0, \"done\"\n  jump bb2()\n",
        // unreachable code only needs definitions, not dominance
        "bb0(v0: ptr, v1: ptr):\n  unreachable\nbb1():\n  return v3\nbb2():\n  v3 = null\n  return v3\n",
    ];
    for body in ok {
        assert_eq!(kinds(body), vec![], "{body}");
    }
}

#[test]
fn terminator_errors() {
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  v2 = null\n",
        ErrorKind::Terminator,
    );
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  unreachable\n  v2 = null\n  return v2\n",
        ErrorKind::Terminator,
    );
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  unreachable\nbb1():\n",
        ErrorKind::Terminator,
    );
}

#[test]
fn entry_errors() {
    assert_kind("bb0(v0: ptr):\n  unreachable\n", ErrorKind::Entry);
    assert_kind("bb0(v0: ptr, v1: obj):\n  unreachable\n", ErrorKind::Entry);
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  jump bb0(v0, v1)\n",
        ErrorKind::Entry,
    );
}

#[test]
fn dominance_errors() {
    // use before def in one block
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  incref v2\n  v2 = null\n  return v2\n",
        ErrorKind::Dominance,
    );
    // def in a sibling branch
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  v2 = iconst.i8 1\n  branch v2, bb1(), bb2()\nbb1():\n  v3 = null\n  jump bb3()\nbb2():\n  jump bb3()\nbb3():\n  return v3\n",
        ErrorKind::Dominance,
    );
    // an exit whose frame state holds a value defined after it
    assert_kind(
        "  fs0 = state @0 [v3]\nbb0(v0: ptr, v1: ptr):\n  v2 = iconst.i8 1\n  deopt_if v2, fs0, \"r\"\n  v3 = null\n  return v3\n",
        ErrorKind::Dominance,
    );
}

#[test]
fn branch_arg_errors() {
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  jump bb1()\nbb1(v2: ptr):\n  unreachable\n",
        ErrorKind::BranchArgs,
    );
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  v2 = null\n  jump bb1(v2)\nbb1(v3: ptr):\n  unreachable\n",
        ErrorKind::BranchArgs,
    );
}

#[test]
fn type_errors() {
    let cases = [
        "  v2 = iconst.i8 1\n  incref v2\n  unreachable\n",
        "  v2 = iconst.i64 1\n  v3 = iconst.i32 1\n  v4 = iadd v2, v3\n  unreachable\n",
        "  v2 = null\n  v3 = iadd v2, v2\n  unreachable\n",
        "  v2 = fconst 1.0\n  v3 = iconst.i64 1\n  v4 = fadd v2, v3\n  unreachable\n",
        "  v2 = iconst.i64 1\n  v3 = fcmp.lt v2, v2\n  unreachable\n",
        "  v2 = iconst.i64 1\n  branch v2, bb1(), bb1()\nbb1():\n  unreachable\n",
        "  v2 = iconst.i64 1\n  return v2\n",
        "  v2 = iconst.i64 1\n  v3 = load.i64 v2, 0\n  unreachable\n",
        "  v2 = null\n  v3 = iconst.i8 1\n  store.i64 v0, 0, v3\n  unreachable\n",
        "  v2 = iconst.i64 1\n  v3 = sextend.i32 v2\n  unreachable\n",
        "  v2 = iconst.i32 1\n  v3 = ireduce.i64 v2\n  unreachable\n",
        "  v2 = null\n  v3 = iconst.i64 0\n  v4 = iconst.i8 1\n  v5 = select v4, v2, v3\n  unreachable\n",
        "  v2 = iconst.i32 1\n  check_null v2, fs0\n  unreachable\n",
        "  v2 = null\n  check_neg v2, fs0\n  unreachable\n",
        "  v2 = iconst.i64 0\n  store_local 0, v2\n  unreachable\n",
        "  v2 = null\n  v3 = iconst.i64 1\n  v4 = icmp.eq v2, v3\n  unreachable\n",
    ];
    for body in cases {
        assert_kind(
            &format!("  fs0 = state @0 []\nbb0(v0: ptr, v1: ptr):\n{body}"),
            ErrorKind::Type,
        );
    }
}

#[test]
fn callee_errors() {
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  v2 = null\n  v3 = call PyNumber_Add(v2)\n  unreachable\n",
        ErrorKind::Callee,
    );
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  v2 = null\n  v3 = call PyNumber_Add(v2, v0)\n  unreachable\n",
        ErrorKind::Callee,
    );
}

#[test]
fn immediate_errors() {
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  v2 = iconst.i8 256\n  unreachable\n",
        ErrorKind::Immediate,
    );
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  v2 = load_local 2\n  unreachable\n",
        ErrorKind::Immediate,
    );
    assert_kind(
        "bb0(v0: ptr, v1: ptr):\n  v2 = stack_alloc 0\n  unreachable\n",
        ErrorKind::Immediate,
    );
    assert_eq!(
        kinds(
            "bb0(v0: ptr, v1: ptr):\n  v2 = iconst.i8 -1\n  v3 = iconst.i32 4294967295\n  unreachable\n"
        ),
        vec![]
    );
}

#[test]
fn frame_state_errors() {
    // non-obj stack value
    assert_kind(
        "  fs0 = state @0 [v0]\nbb0(v0: ptr, v1: ptr):\n  unreachable\n",
        ErrorKind::FrameState,
    );
    // deeper than stacksize
    assert_kind(
        "  fs0 = state @0 [v2, v2, v2]\nbb0(v0: ptr, v1: ptr):\n  v2 = null\n  unreachable\n",
        ErrorKind::FrameState,
    );
    // parent cycle
    assert_kind(
        "  fs0 = state @0 [] parent fs1\n  fs1 = state @0 [] parent fs0\nbb0(v0: ptr, v1: ptr):\n  unreachable\n",
        ErrorKind::FrameState,
    );
    // a stack value defined only in a block that is not in the layout
    let mut f = parse(&format!("{HEAD}  fs0 = state @0 [v2]\nbb0(v0: ptr, v1: ptr):\n  unreachable\nbb1():\n  v2 = null\n  unreachable\n}}\n")).unwrap();
    f.layout.pop();
    assert!(verify(&f).unwrap_err().has(ErrorKind::FrameState));
    // reference to a removed frame state
    let mut f = parse(&format!(
        "{HEAD}  fs0 = state @0 []\nbb0(v0: ptr, v1: ptr):\n  raise fs0\n}}\n"
    ))
    .unwrap();
    f.frame_states[0] = None;
    assert!(verify(&f).unwrap_err().has(ErrorKind::FrameState));
}

#[test]
fn binding_errors() {
    let mut f = parse(&format!("{HEAD}  b0 = builtin \"len\"\nbb0(v0: ptr, v1: ptr):\n  v2 = load_binding b0\n  unreachable\n}}\n")).unwrap();
    verify(&f).unwrap();
    f.bindings.clear();
    assert!(verify(&f).unwrap_err().has(ErrorKind::Binding));
}

#[test]
fn undefined_and_layout_errors() {
    let mut b = FunctionBuilder::new("s6::m.f", 1, 1);
    let x = b.load_local(0);
    b.ret(x);
    let good = b.finish();
    verify(&good).unwrap();

    // a use of a detached value
    let mut f = good.clone();
    f.values[x.index()].def = ValueDef::Detached;
    assert!(verify(&f).unwrap_err().has(ErrorKind::Undefined));

    // an instruction placed twice
    let mut f = good.clone();
    let first = f.block(f.layout[0]).insts[0];
    f.layout.push(s6_strongjit::Block(0));
    assert!(verify(&f).unwrap_err().has(ErrorKind::Layout));
    let mut f = good.clone();
    let entry = f.layout[0];
    f.block_mut(entry).insts.insert(0, first);
    assert!(verify(&f).unwrap_err().has(ErrorKind::Layout));

    // no blocks at all
    let mut f = good.clone();
    f.layout.clear();
    assert!(verify(&f).unwrap_err().has(ErrorKind::Layout));

    // operands of the wrong format
    let mut f = good.clone();
    f.inst_mut(first).opcode = Opcode::Iadd;
    assert!(verify(&f).unwrap_err().has(ErrorKind::Type));

    // result recorded with the wrong type
    let mut f = good.clone();
    f.values[x.index()].ty = Type::I64;
    let e = verify(&f).unwrap_err();
    assert!(e.has(ErrorKind::Type), "{e}");

    // a jump target outside the layout
    let mut f = good;
    let entry = f.layout[0];
    let ret = *f.block(entry).insts.last().unwrap();
    f.blocks.push(Default::default());
    f.inst_mut(ret).opcode = Opcode::Jump;
    f.inst_mut(ret).operands = Operands::Jump {
        dest: s6_strongjit::BlockCall {
            block: s6_strongjit::Block(1),
            args: vec![],
        },
    };
    assert!(verify(&f).unwrap_err().has(ErrorKind::Layout));
}

#[test]
fn errors_are_located_and_printable() {
    let f = parse(&format!(
        "{HEAD}bb0(v0: ptr, v1: ptr):\n  v2 = iconst.i8 1\n  incref v2\n  unreachable\n}}\n"
    ))
    .unwrap();
    let e = verify(&f).unwrap_err();
    assert_eq!(
        e.to_string(),
        "bb0: incref v2: v2 must be obj, not i8 [Type]\n"
    );
}
