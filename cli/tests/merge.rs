//! `s6c profile merge` on profiles written with the profiles crate.

mod common;

use common::*;
use s6_profiles::format::{read_profile, write_profile};
use s6_profiles::model::*;

fn run_profile(argv: &str, self_samples: u64, feedback: Feedback) -> Profile {
    let site = SiteFeedback {
        index: 3,
        base_op: "BINARY_OP".into(),
        observations: vec![Observation { count: 2, feedback }],
    };
    let code = code_profile(
        "__main__",
        "f",
        1,
        b"same code".to_vec(),
        self_samples,
        self_samples,
        vec![site],
    );
    Profile {
        runs: vec![vec![argv.into()]],
        sample_interval_us: 1000,
        total_samples: self_samples,
        snapshots: 2,
        code: vec![code],
    }
}

fn ops(types: &str) -> Feedback {
    Feedback::Operands {
        op: format!("BINARY_OP_ADD_{}", types.to_uppercase()),
        types: vec![format!("builtins.{types}"); 2],
        missed: false,
    }
}

#[test]
fn merges_two_runs_into_one_profile() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.s6prof");
    let b = dir.path().join("b.s6prof");
    let out = dir.path().join("all.s6prof");
    write_profile(&a, &run_profile("a.py", 5, ops("int")), &abi()).unwrap();
    write_profile(&b, &run_profile("b.py", 7, ops("float")), &abi()).unwrap();
    let o = s6c()
        .args(["profile", "merge", "-o"])
        .arg(&out)
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("merged 2 profiles"), "{}", stderr(&o));
    let (stamp, m) = read_profile(&out).unwrap();
    assert_eq!(stamp, abi());
    assert_eq!(m.runs.len(), 2);
    assert_eq!((m.total_samples, m.snapshots), (12, 4));
    assert_eq!(m.code.len(), 1);
    assert_eq!(m.code[0].self_samples, 12);
    assert_eq!(
        m.code[0].sites[0].observations.len(),
        2,
        "int and float: polymorphic after merging"
    );

    // The output may be one of the inputs.
    let o = s6c()
        .args(["profile", "merge", "-o"])
        .arg(&a)
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read_profile(&a).unwrap().1.total_samples, 12);
}

#[test]
fn mixed_interpreters_are_refused_naming_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("here.s6prof");
    let b = dir.path().join("there.s6prof");
    let mut other = abi();
    other.python_version = "3.11.2 (main) [GCC]".into();
    write_profile(&a, &run_profile("a.py", 1, ops("int")), &abi()).unwrap();
    write_profile(&b, &run_profile("b.py", 1, ops("int")), &other).unwrap();
    let o = s6c()
        .args(["profile", "merge", "-o"])
        .arg(dir.path().join("o.s6prof"))
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("there.s6prof")
            && err.contains("here.s6prof")
            && err.contains("3.11.2")
            && err.contains("3.11.7"),
        "{err}"
    );
}

#[test]
fn merge_needs_output_and_inputs() {
    let o = s6c()
        .args(["profile", "merge", "a.s6prof"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = s6c()
        .args(["profile", "merge", "-o", "x.s6prof"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
