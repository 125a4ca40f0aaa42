//! Shared by the lower_*/emit_*/build_* tests: sample IR, lowering and object writing helpers.
#![allow(dead_code)]

use s6_compiler::emit::{self, ObjectInput, ObjectOutput};
use s6_compiler::lower::{self, Lowered};

/// `f(x)`: `return x + x` through `PyNumber_Add`, with an error exit (stack `[x]`) and a
/// decref; bytecode indexes 2 and 4 are lines 12 and 14 (`line_of = 10 + index`).
pub const ADD_IR: &str = r#"function "s6::test.add" nlocalsplus=2 stacksize=2 {
  fs0 = state @4 [v2]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  set_prev_instr 4 @4
  v3 = call PyNumber_Add(v2, v2) @4
  check_null v3, fs0 @4
  decref v2 @4
  return v3 @6
}
"#;

/// Uses a binding, a constant, a name, a deopt guard, a loop with block params and `store_local`.
pub const LOOP_IR: &str = r#"function "s6::test.loop" nlocalsplus=1 stacksize=2 {
  b0 = type "builtins.int"
  b1 = builtin "len"
  fs0 = state @8 []
  fs1 = state @10 [v5]
bb0(v0: ptr, v1: ptr):
  v2 = load_binding b1 @2
  v3 = load_const 0 @2
  v4 = load_name 1 @4
  v20 = iconst.i64 0 @4
  jump bb1(v20) @4
bb1(v21: i64):
  v22 = iconst.i64 3 @6
  v23 = icmp.slt v21, v22 @6
  branch v23, bb2(), bb3() @6
bb2():
  v24 = iconst.i64 1 @8
  v25, v26 = iadd_ovf v21, v24 @8
  deopt_if v26, fs0, "overflow" @8
  jump bb1(v25) @8
bb3():
  v5 = load_local 0 @10
  incref v5 @10
  v6 = load.ptr v5, 8 @10
  v7 = load_binding b0 @10
  v8 = icmp.ne v6, v7 @10
  deopt_if v8, fs1, "type guard: expected builtins.int" @10
  incref v3 @12
  store_local 0, v3 @12
  return v5 @14
}
"#;

pub fn isa() -> cranelift_codegen::isa::OwnedTargetIsa {
    lower::isa::target_isa(true).expect("isa")
}

pub fn lower_text(text: &str) -> Lowered {
    let f = s6_strongjit::parse(text).unwrap_or_else(|e| panic!("parse: {e}\n{text}"));
    lower::lower_function(&*isa(), &f, &|i| 10 + i, &Default::default())
        .unwrap_or_else(|e| panic!("lower: {e}"))
}

pub fn object_of(texts: &[&str], source: &str) -> (ObjectOutput, Vec<Lowered>) {
    let lowered: Vec<Lowered> = texts.iter().map(|t| lower_text(t)).collect();
    let isa = isa();
    let input = ObjectInput {
        source: source.to_owned(),
        functions: lowered
            .iter()
            .map(|l| {
                let mut c = l.code.clone();
                c.binding_slots = l.bindings.len() as u32;
                c
            })
            .collect(),
        target: lower::isa::describe(&*isa),
    };
    (
        emit::write_object(&*isa, &input).expect("write_object"),
        lowered,
    )
}

/// The interpreter's libpython exported (defined, dynamic) function and data symbols.
pub fn libpython_exports() -> Option<std::collections::HashSet<String>> {
    let python = std::env::var("S6_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = std::process::Command::new(python)
        .args(["-c", "import sysconfig,os;print(os.path.join(sysconfig.get_config_var('LIBDIR'),sysconfig.get_config_var('LDLIBRARY')))"])
        .output()
        .ok()?;
    let lib = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    let nm = std::process::Command::new("nm")
        .args(["-D", "--defined-only", &lib])
        .output()
        .ok()?;
    if !nm.status.success() {
        return None;
    }
    Some(
        String::from_utf8_lossy(&nm.stdout)
            .lines()
            .filter_map(|l| {
                l.split_whitespace()
                    .nth(2)
                    .map(|s| s.split('@').next().unwrap().to_owned())
            })
            .collect(),
    )
}
