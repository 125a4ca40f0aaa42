//! The pass manager: pipelines by name, dumps, verification between passes.

use s6_strongjit::passes::{DEFAULT_PIPELINE, PASSES, PassError};
use s6_strongjit::{parse, print, run_pipeline};

const F: &str = r#"function "s6::t.p" nlocalsplus=1 stacksize=0 {
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  v3 = iconst.i64 3
  jump bb1()
bb1():
  incref v2
  return v2
}
"#;

#[test]
fn runs_and_dumps_after_a_pass() {
    let mut f = parse(F).unwrap();
    let dump = run_pipeline(&mut f, &["simplify_cfg", "dce"], Some("simplify_cfg"))
        .unwrap()
        .unwrap();
    assert!(
        dump.contains("v3 = iconst.i64 3"),
        "dump is before dce:\n{dump}"
    );
    assert!(!dump.contains("bb1"), "dump is after simplify_cfg:\n{dump}");
    assert!(!print(&f).contains("iconst"), "dce ran after the dump");
    let mut g = parse(F).unwrap();
    assert_eq!(
        run_pipeline(&mut g, &["dce"], Some("input"))
            .unwrap()
            .unwrap(),
        F
    );
    assert_eq!(run_pipeline(&mut g, &["dce"], None).unwrap(), None);
}

#[test]
fn default_pipeline_names_registered_passes() {
    for name in DEFAULT_PIPELINE {
        assert!(PASSES.iter().any(|p| p.name == *name), "{name}");
    }
    let mut f = parse(F).unwrap();
    run_pipeline(&mut f, DEFAULT_PIPELINE, None).unwrap();
    assert_eq!(
        print(&f),
        "function \"s6::t.p\" nlocalsplus=1 stacksize=0 {\nbb0(v0: ptr, v1: ptr):\n  v2 = load_local 0\n  incref v2\n  return v2\n}\n"
    );
}

#[test]
fn reports_bad_requests() {
    let mut f = parse(F).unwrap();
    assert!(
        matches!(run_pipeline(&mut f, &["nope"], None), Err(PassError::UnknownPass(n)) if n == "nope")
    );
    assert!(matches!(
        run_pipeline(&mut f, &["dce"], Some("simplify_cfg")),
        Err(PassError::NotInPipeline(_))
    ));
}

#[test]
fn verifies_input_in_debug_builds() {
    let mut f = parse(&F.replace("  return v2\n", "")).unwrap();
    let r = run_pipeline(&mut f, &["dce"], None);
    if cfg!(debug_assertions) {
        match r {
            Err(PassError::Verify { pass, errors, .. }) => {
                assert_eq!(pass, "input");
                assert!(errors.has(s6_strongjit::ErrorKind::Terminator));
            }
            other => panic!("expected a verify error, got {other:?}"),
        }
    }
}

#[test]
fn passes_are_idempotent_on_their_output() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/filetests");
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for pass in PASSES {
            let mut f = parse(&text).unwrap();
            run_pipeline(&mut f, &[pass.name], None).unwrap();
            let once = print(&f);
            run_pipeline(&mut f, &[pass.name], None).unwrap();
            assert_eq!(print(&f), once, "{} is not idempotent", pass.name);
        }
    }
}

/// A translator-sized function (thousands of blocks in a jump chain, a frame state per block)
/// goes through verify, the default pipeline and the text round trip without quadratic blowup.
#[test]
fn large_functions_stay_fast() {
    use s6_strongjit::{FunctionBuilder, Type, verify};
    let n = 3000;
    let mut b = FunctionBuilder::new("s6::t.big", 1, 1);
    let mut acc = b.load_local(0);
    for i in 0..n {
        let fs = b.frame_state(i, &[acc]);
        let c = b.iconst(Type::I8, 0);
        b.deopt_if(c, fs, "never");
        let next = b.create_block();
        let p = b.append_block_param(next, Type::Obj);
        b.incref(acc);
        b.decref(acc);
        b.jump(next, &[acc]);
        b.switch_to_block(next);
        acc = p;
    }
    b.incref(acc);
    b.ret(acc);
    let mut f = b.finish();
    let start = std::time::Instant::now();
    verify(&f).unwrap();
    run_pipeline(&mut f, DEFAULT_PIPELINE, None).unwrap();
    assert_eq!(f.layout.len(), 1, "the chain merges into the entry block");
    let text = print(&f);
    assert_eq!(parse(&text).unwrap(), f);
    let took = start.elapsed();
    assert!(took.as_secs() < 10, "took {took:?}");
}
