//! `s6c inspect profile` on profiles built here with the profiles crate and real marshal bytes.

mod common;

use common::*;
use s6_profiles::format::write_profile;
use s6_profiles::model::*;

const SRC: &str = "class Foo:\n    def __init__(self): self.x = 1\ndef add(a, b):\n    return a + b\ndef getx(o):\n    return o.x + len(o.__dict__)\n";

fn obs(count: u32, feedback: Feedback) -> Observation {
    Observation { count, feedback }
}

fn int_add() -> Feedback {
    Feedback::Operands {
        op: "BINARY_OP_ADD_INT".into(),
        types: vec!["builtins.int".into(), "builtins.int".into()],
        missed: false,
    }
}

fn profile() -> Profile {
    let add = code_profile(
        "__main__",
        "add",
        3,
        marshal_of(SRC, "add"),
        70,
        80,
        vec![SiteFeedback {
            index: 3,
            base_op: "BINARY_OP".into(),
            observations: vec![
                obs(3, int_add()),
                obs(
                    1,
                    Feedback::Operands {
                        op: "BINARY_OP_ADD_FLOAT".into(),
                        types: vec!["builtins.float".into(), "builtins.float".into()],
                        missed: false,
                    },
                ),
            ],
        }],
    );
    let getx = code_profile(
        "__main__",
        "getx",
        5,
        marshal_of(SRC, "getx"),
        20,
        100,
        vec![
            SiteFeedback {
                index: 2,
                base_op: "LOAD_ATTR".into(),
                observations: vec![obs(
                    4,
                    Feedback::Attr {
                        op: "LOAD_ATTR_INSTANCE_VALUE".into(),
                        receiver: "__main__.Foo".into(),
                        name: "x".into(),
                        how: AttrKind::InstanceValue { index: 0 },
                    },
                )],
            },
            SiteFeedback {
                index: 7,
                base_op: "LOAD_GLOBAL".into(),
                observations: vec![obs(
                    4,
                    Feedback::Global {
                        op: "LOAD_GLOBAL_BUILTIN".into(),
                        name: "len".into(),
                        builtin: true,
                        value: Some(Callee::Builtin("builtins.len".into())),
                    },
                )],
            },
        ],
    );
    // Same qualname in another module: `add` alone is ambiguous.
    let other_add = code_profile(
        "util",
        "add",
        1,
        b"not marshal at all".to_vec(),
        1,
        1,
        vec![SiteFeedback {
            index: 9,
            base_op: "BINARY_OP".into(),
            observations: vec![obs(2, int_add())],
        }],
    );
    let cold = code_profile(
        "__main__",
        "Foo.__init__",
        2,
        marshal_of(SRC, "Foo.__init__"),
        0,
        0,
        vec![],
    );
    Profile {
        runs: vec![vec!["demo.py".into(), "7".into()]],
        sample_interval_us: 1000,
        total_samples: 100,
        snapshots: 4,
        code: vec![add, getx, other_add, cold],
    }
}

fn written() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.s6prof");
    write_profile(&path, &profile(), &abi()).unwrap();
    (dir, path)
}

#[test]
fn hottest_first_with_shares() {
    let (_d, path) = written();
    let o = s6c()
        .args(["inspect", "profile"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    println!("{out}");
    assert!(out.contains("Python 3.11.7"), "{out}");
    assert!(out.contains("100 samples every 1000 us"), "{out}");
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("/app/demo.py:"))
        .collect();
    assert_eq!(rows.len(), 4, "{out}");
    assert!(
        rows[0].contains("__main__.add") && rows[0].contains("70.0%") && rows[0].contains("80.0%"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains("__main__.getx")
            && rows[1].contains("20.0%")
            && rows[1].contains("100.0%"),
        "{}",
        rows[1]
    );
    assert!(
        rows[3].contains("Foo.__init__"),
        "cold code is listed last: {out}"
    );

    let o = s6c()
        .args(["inspect", "profile", "--top", "1"])
        .arg(&path)
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(
        out.lines().filter(|l| l.contains("/app/demo.py:")).count(),
        1,
        "{out}"
    );
    assert!(out.contains("3 more"), "{out}");
}

#[test]
fn function_feedback_sits_beside_its_instruction() {
    let (_d, path) = written();
    let o = s6c()
        .args(["inspect", "profile", "--function", "__main__.add"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.contains("BINARY_OP "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("(+)")
            && line.contains("polymorphic")
            && line.contains("BINARY_OP_ADD_INT(builtins.int, builtins.int) x3"),
        "{line}"
    );
    assert!(
        line.contains("BINARY_OP_ADD_FLOAT(builtins.float, builtins.float) x1"),
        "{line}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("LOAD_FAST") && l.contains("(a)")),
        "{out}"
    );
    assert!(out.lines().any(|l| l.contains("RETURN_VALUE")), "{out}");

    let o = s6c()
        .args(["inspect", "profile", "--function", "getx"])
        .arg(&path)
        .output()
        .unwrap();
    let out = stdout(&o);
    println!("{out}");
    let attr = out
        .lines()
        .find(|l| l.contains("LOAD_ATTR") && l.contains("(x)"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        attr.contains("__main__.Foo.x") && attr.contains("instance value #0"),
        "{attr}"
    );
    let glob = out.lines().find(|l| l.contains("LOAD_GLOBAL")).unwrap();
    assert!(
        glob.contains("NULL + len") && glob.contains("[builtin] = builtins.len"),
        "{glob}"
    );
    assert!(!out.contains("MISMATCH"), "{out}");
}

#[test]
fn feedback_that_does_not_fit_the_bytecode_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("off.s6prof");
    let mut p = profile();
    // Shift `add`'s BINARY_OP feedback onto LOAD_FAST (2) and past the end (40).
    p.code[0].sites[0].index = 2;
    let mut past = p.code[0].sites[0].clone();
    past.index = 40;
    p.code[0].sites.push(past);
    write_profile(&path, &p, &abi()).unwrap();
    let o = s6c()
        .args(["inspect", "profile", "--function", "__main__.add"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.contains("LOAD_FAST") && l.contains("(b)"))
        .unwrap();
    assert!(line.contains("MISMATCH (recorded for BINARY_OP)"), "{line}");
    assert!(
        out.contains("feedback at 40 with no instruction there"),
        "{out}"
    );
}

#[test]
fn undecodable_marshal_still_shows_feedback() {
    let (_d, path) = written();
    let o = s6c()
        .args(["inspect", "profile", "--function", "util.add"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("do not load") && out.contains("BINARY_OP_ADD_INT"),
        "{out}"
    );
}

#[test]
fn ambiguous_and_unknown_names_list_candidates() {
    let (_d, path) = written();
    let o = s6c()
        .args(["inspect", "profile", "--function", "add"])
        .arg(&path)
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("ambiguous") && err.contains("__main__.add#3") && err.contains("util.add#1"),
        "{err}"
    );

    let o = s6c()
        .args(["inspect", "profile", "--function", "__init__"])
        .arg(&path)
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("did you mean") && err.contains("__main__.Foo.__init__"),
        "{err}"
    );

    let o = s6c()
        .args(["inspect", "profile", "--function", "nope"])
        .arg(&path)
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("no function nope") && err.contains("__main__.add"),
        "{err}"
    );

    let o = s6c()
        .args(["inspect", "profile", "--function", "add#3"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Code objects made from the same line (by `exec`, as `dataclasses` makes `__init__`) differ
/// only in their marshal hash: the error names each with the `~hash` suffix of its symbol, and
/// that name selects it.
#[test]
fn same_line_code_objects_are_named_by_hash() {
    let made = |src: &[u8]| {
        code_profile(
            "util",
            "make.<locals>.__init__",
            2,
            src.to_vec(),
            1,
            1,
            vec![],
        )
    };
    let (a, b) = (made(b"first body"), made(b"second body"));
    let name_a = format!(
        "util.make.<locals>.__init__#2~{:08x}",
        a.key.marshal_hash >> 32
    );
    let name_b = format!(
        "util.make.<locals>.__init__#2~{:08x}",
        b.key.marshal_hash >> 32
    );
    let mut p = profile();
    p.code.extend([a, b]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("same_line.s6prof");
    write_profile(&path, &p, &abi()).unwrap();

    let o = s6c()
        .args([
            "inspect",
            "profile",
            "--function",
            "make.<locals>.__init__#2",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("ambiguous") && err.contains(&name_a) && err.contains(&name_b),
        "{err}"
    );

    let o = s6c()
        .args(["inspect", "profile", "--function", &name_b])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let first = stdout(&o).lines().next().unwrap_or_default().to_owned();
    let hash_b = name_b.rsplit('~').next().unwrap();
    assert!(
        first.contains("util.make.<locals>.__init__") && first.contains(hash_b),
        "{first}"
    );
}
