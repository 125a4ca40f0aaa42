//! Golden IR for small functions: the translator's output for each function of
//! `tests/golden/translate/*.py` must equal the `.sj` file next to it (run with `S6_BLESS=1`
//! to rewrite them after an intended change, then review the diff). Also checks skip reasons.

mod translate_common;

use s6_compiler::translate::{TranslateError, translate};
use s6_py311::marshal::load_code;
use std::path::PathBuf;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/translate")
}

/// Translates every function in `name.py` and compares with `name.sj`.
fn check(name: &str) {
    check_with(name, false)
}

/// Like `check`, with `feedback_for` attached when `feedback` is set.
fn check_with(name: &str, feedback: bool) {
    let dir = golden_dir();
    let source = std::fs::read_to_string(dir.join(format!("{name}.py"))).unwrap();
    let mut out = String::new();
    for m in translate_common::from_source(&source).iter().skip(1) {
        let code = load_code(&m.bytes).expect("marshal");
        let symbol = format!("s6::test.{}", m.qualname);
        let sites = if feedback {
            translate_common::feedback_for(&code)
        } else {
            Vec::new()
        };
        match translate(&code, &sites, &symbol) {
            Ok(f) => out.push_str(&s6_strongjit::print(&f)),
            Err(e) => out.push_str(&format!("; {}: {e}\n", m.qualname)),
        }
        out.push('\n');
    }
    let path = dir.join(format!("{name}.sj"));
    if std::env::var_os("S6_BLESS").is_some() {
        std::fs::write(&path, &out).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if want != out {
        let got = path.with_extension("sj.actual");
        std::fs::write(&got, &out).unwrap();
        panic!(
            "{name}: IR differs from {} (actual output in {})",
            path.display(),
            got.display()
        );
    }
    // The golden text is also valid IR: it parses back to what was printed.
    for text in out.split("\n\n").filter(|t| t.starts_with("function")) {
        let f = s6_strongjit::parse(text).expect("golden IR parses");
        assert_eq!(s6_strongjit::print(&f), format!("{}\n", text.trim_end()));
    }
}

#[test]
fn golden_basic() {
    check("basic");
}

#[test]
fn golden_calls() {
    check("calls");
}

#[test]
fn golden_loops() {
    check("loops");
}

#[test]
fn golden_generators() {
    check("generators");
}

#[test]
fn golden_feedback_fast_paths() {
    check_with("feedback", true);
}

#[test]
fn skips_coroutines_and_bodies_with_reasons() {
    let all = translate_common::from_source(
        "class C:\n    x = 1\ndef g():\n    yield 1\nasync def a():\n    yield 1\n",
    );
    for m in &all {
        let code = load_code(&m.bytes).unwrap();
        let r = translate(&code, &[], "s6::t");
        if m.qualname == "g" {
            assert!(r.is_ok(), "generators translate: {r:?}");
            continue;
        }
        let Err(TranslateError::Skip { reason }) = r else {
            panic!("{} should be skipped", m.qualname)
        };
        let want = if m.qualname == "<module>" || m.qualname == "C" {
            "module-or-class-body"
        } else {
            "coroutine"
        };
        assert!(reason.starts_with(want), "{}: {reason}", m.qualname);
    }
    assert_eq!(all.len(), 4);
}
