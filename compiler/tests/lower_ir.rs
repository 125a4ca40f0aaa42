//! Lowering of hand-written strongjit text: exit tables, source rows, relocations.

mod emit_common;

use emit_common::*;
use s6_compiler::emit::{RelocKind, RelocTarget};
use s6_compiler::lower::Lowered;
use s6_profiles::manifest::ExitKind;

#[test]
fn error_exit_is_recorded_with_faulting_index() {
    let l = lower_text(ADD_IR);
    assert_eq!(l.exits.len(), 1);
    assert_eq!(l.exits[0].index, 4);
    assert_eq!(l.exits[0].kind, ExitKind::Error);
    assert!(
        l.exits[0].reason.contains("PyNumber_Add"),
        "{}",
        l.exits[0].reason
    );
}

#[test]
fn imports_go_through_the_got() {
    let l = lower_text(ADD_IR);
    let mut names: Vec<_> = l
        .code
        .relocs
        .iter()
        .map(|r| {
            assert_eq!(r.kind, RelocKind::GotPcRel, "{r:?}");
            match &r.target {
                RelocTarget::Import(n) => n.clone(),
                t => panic!("unexpected {t:?}"),
            }
        })
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(
        names,
        ["PyNumber_Add", "_Py_Dealloc", "s6_rt_resume_in_interpreter"]
    );
}

#[test]
fn source_rows_follow_bytecode_indexes() {
    let l = lower_text(ADD_IR);
    let indexes: Vec<u32> = l.code.rows.iter().map(|r| r.index).collect();
    for want in [2, 4, 6] {
        assert!(indexes.contains(&want), "{indexes:?}");
    }
    assert!(l.code.rows.iter().all(|r| r.line == 10 + r.index));
    assert!(l.code.rows.windows(2).all(|w| w[0].offset < w[1].offset));
    assert!(
        l.code
            .rows
            .iter()
            .all(|r| (r.offset as usize) < l.code.code.len())
    );
}

#[test]
fn deopts_bindings_and_loops() {
    let l = lower_text(LOOP_IR);
    let kinds: Vec<_> = l
        .exits
        .iter()
        .map(|e| (e.index, e.kind, e.reason.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (8, ExitKind::Deopt, "overflow"),
            (10, ExitKind::Deopt, "type guard: expected builtins.int")
        ]
    );
    assert_eq!(l.bindings.len(), 2);
    // Cranelift's PIC mode reaches even local data through the GOT.
    let binding_relocs: Vec<_> = l
        .code
        .relocs
        .iter()
        .filter(|r| r.target == RelocTarget::Bindings)
        .collect();
    assert!(!binding_relocs.is_empty());
    assert!(
        binding_relocs
            .iter()
            .all(|r| r.kind == RelocKind::GotPcRel && r.addend == -4)
    );
    assert!(l.code.unwind.is_some());
}

#[test]
fn malformed_ir_is_an_error_not_a_panic() {
    // An entry block without (ts, frame).
    let text = "function \"s6::t.bad\" nlocalsplus=0 stacksize=0 {\nbb0():\n  unreachable\n}\n";
    let f = s6_strongjit::parse(text).unwrap();
    let err =
        s6_compiler::lower::lower_function(&*isa(), &f, &|_| 0, &Default::default()).unwrap_err();
    assert!(err.to_string().contains("entry block"), "{err}");
}

#[test]
fn a_failed_function_does_not_poison_the_next_one() {
    // Uses v9, which nothing defines: lowering stops half-way through the function.
    let bad = "function \"s6::t.bad\" nlocalsplus=1 stacksize=0 {\nbb0(v0: ptr, v1: ptr):\n  v2 = load_local 0 @2\n  v3 = iconst.i64 1 @2\n  jump bb1() @2\nbb1():\n  return v2 @4\n}\n";
    let f = s6_strongjit::parse(bad).unwrap();
    let isa = isa();
    assert!(s6_compiler::lower::lower_function(&*isa, &f, &|_| 0, &Default::default()).is_ok());
    let mut broken = f.clone();
    let ret = *broken.block(broken.layout[1]).insts.last().unwrap();
    broken.inst_mut(ret).operands = s6_strongjit::Operands::Unary {
        arg: s6_strongjit::Value(9),
    };
    let err = s6_compiler::lower::lower_function(&*isa, &broken, &|_| 0, &Default::default())
        .unwrap_err();
    assert!(err.to_string().contains("v9"), "{err}");
    // Same thread, next function: lowers normally.
    let l = lower_text(ADD_IR);
    assert_eq!(l.exits.len(), 1);
}

/// A `CALL` (operands in frame slots 3..) whose feedback is `feedback` (text lines).
fn call_site_ir(feedback: &str) -> String {
    format!(
        r#"function "s6::test.call" nlocalsplus=3 stacksize=5 {{
{feedback}
  fs0 = state @19 []
bb0(v0: ptr, v1: ptr):
  set_prev_instr 19 @19
  v2 = iconst.i32 3 @19
  v3 = iconst.i32 1 @19
  v4 = null @19
  v5 = call s6_rt_call(v1, v2, v3, v4) @19
  check_null v5, fs0 @19
  return v5 @20
}}
"#
    )
}

fn imports_of(text: &str) -> Vec<String> {
    let l = lower_text(text);
    let mut names: Vec<String> = l.code.imports().map(str::to_owned).collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn a_call_site_gets_the_inline_paths_its_feedback_names() {
    // Without feedback: both the direct path into a native Python callee (which reads the
    // code-extra index) and the vectorcall of a C callable (which checks its result).
    let both = imports_of(&call_site_ir(""));
    for want in ["s6_rt_extra_index", "_Py_CheckFunctionResult", "s6_rt_call"] {
        assert!(both.iter().any(|n| n == want), "{want} missing: {both:?}");
    }
    // A builtin (`PRECALL_NO_KW_BUILTIN_O` two code units before the `CALL`): no direct path.
    let c = imports_of(&call_site_ir(
        r#"  feedback @17 "PRECALL" 4x call "PRECALL_NO_KW_BUILTIN_O" unknown"#,
    ));
    assert!(c.iter().any(|n| n == "_Py_CheckFunctionResult"), "{c:?}");
    assert!(!c.iter().any(|n| n == "s6_rt_extra_index"), "{c:?}");
    // A Python function: no inline vectorcall.
    let py = imports_of(&call_site_ir(
        r#"  feedback @17 "PRECALL" 4x call "PRECALL_PYFUNC" unknown"#,
    ));
    assert!(py.iter().any(|n| n == "s6_rt_extra_index"), "{py:?}");
    assert!(!py.iter().any(|n| n == "_Py_CheckFunctionResult"), "{py:?}");
    // Whatever the path, the helper stays for everything else.
    assert!(c.iter().chain(&py).filter(|n| *n == "s6_rt_call").count() == 2);
}

/// Guards poll `S6_DEOPT_STRESS` only in a `--stress-guards` build: production code carries no
/// stress polls (nor the entry read of the stress cell they need).
#[test]
fn stress_polls_only_in_stress_builds() {
    let f = s6_strongjit::parse(
        r#"function "s6::test.g" nlocalsplus=1 stacksize=1 {
  b0 = type "builtins.float"
  fs0 = state @2 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  v3:FloatExact = guard_type v2, b0, fs0 @2
  incref v3 @2
  return v3 @4
}
"#,
    )
    .unwrap();
    let imports = |stress_guards| {
        let opts = s6_compiler::lower::LowerOptions {
            keep_clif: false,
            stress_guards,
        };
        let l = s6_compiler::lower::lower_function(&*isa(), &f, &|_| 0, &opts).unwrap();
        let names: Vec<String> = l.code.imports().map(str::to_owned).collect();
        (names, l.code.code.len())
    };
    let (plain, plain_len) = imports(false);
    let (stress, stress_len) = imports(true);
    let poll = s6_profiles::abi::DEOPT_STRESS;
    assert!(!plain.iter().any(|n| n == poll), "{plain:?}");
    assert!(stress.iter().any(|n| n == poll), "{stress:?}");
    assert!(plain_len < stress_len, "{plain_len} vs {stress_len} bytes");
}

/// Without the flag `bb1`'s code (rows at @4) comes before `bb2`'s (@6); `cold` sends it after.
#[test]
fn cold_blocks_go_after_the_code_that_runs() {
    let text = |cold: &str| {
        format!(
            r#"function "s6::test.cold" nlocalsplus=1 stacksize=1 {{
  fs0 = state @4 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  v3 = null @2
  v4 = icmp.eq v2, v3 @2
  branch v4, bb2(), bb1() @2
bb1(){cold}:
  v5 = call PyNumber_Negative(v2) @4
  check_null v5, fs0 @4
  return v5 @4
bb2():
  incref v2 @6
  return v2 @6
}}
"#
        )
    };
    let first_offset = |l: &Lowered, index: u32| {
        l.code
            .rows
            .iter()
            .filter(|r| r.index == index)
            .map(|r| r.offset)
            .min()
            .expect("a row")
    };
    let hot = lower_text(&text(""));
    assert!(first_offset(&hot, 4) < first_offset(&hot, 6));
    let cold = lower_text(&text(" cold"));
    assert!(
        first_offset(&cold, 4) > first_offset(&cold, 6),
        "cold block's code at {} before the hot block's at {}",
        first_offset(&cold, 4),
        first_offset(&cold, 6)
    );
}
