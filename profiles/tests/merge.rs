//! Merging adds counts, unites code and observations by identity, and refuses mixed inputs.

mod common;

use common::*;
use s6_profiles::merge::{MergeError, merge};
use s6_profiles::model::*;

fn run(argv: &str, code: Vec<CodeProfile>, total: u64, snapshots: u32) -> Profile {
    Profile {
        runs: vec![vec![argv.into()]],
        sample_interval_us: 1000,
        total_samples: total,
        snapshots,
        code,
    }
}

fn find<'a>(p: &'a Profile, qualname: &str) -> &'a CodeProfile {
    p.code.iter().find(|c| c.key.qualname == qualname).unwrap()
}

#[test]
fn counts_add_and_code_unites_by_key() {
    let a = run(
        "a.py",
        vec![
            code("f", 1, 5, 7, vec![site(2, "BINARY_OP", vec![int_add(2)])]),
            code("g", 9, 1, 1, vec![]),
        ],
        10,
        2,
    );
    let b = run(
        "b.py",
        vec![
            code(
                "f",
                1,
                3,
                4,
                vec![
                    site(2, "BINARY_OP", vec![float_add(3), int_add(1)]),
                    site(8, "BINARY_OP", vec![float_add(1)]),
                ],
            ),
            code("h", 20, 0, 0, vec![]),
        ],
        20,
        3,
    );
    let (stamp, m) = merge(&[(abi(), a), (abi(), b)]).unwrap();
    assert_eq!(stamp, abi());
    assert_eq!(
        m.runs,
        vec![vec!["a.py".to_string()], vec!["b.py".to_string()]]
    );
    assert_eq!(
        (m.total_samples, m.snapshots, m.sample_interval_us),
        (30, 5, 1000)
    );
    assert_eq!(m.code.len(), 3, "f, g, h");
    let keys: Vec<_> = m.code.iter().map(|c| c.key.clone()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "code sorted by key");

    let f = find(&m, "f");
    assert_eq!((f.self_samples, f.inclusive_samples), (8, 11));
    assert_eq!(
        f.sites.iter().map(|s| s.index).collect::<Vec<_>>(),
        vec![2, 8]
    );
    // Site 2 saw int 2+1 = 3 and float 3: a polymorphic site, both kept with counts.
    assert_eq!(f.sites[0].observations.len(), 2);
    let count_of = |op: &str| {
        f.sites[0]
            .observations
            .iter()
            .find(|o| matches!(&o.feedback, Feedback::Operands { op: o2, .. } if o2 == op))
            .unwrap()
            .count
    };
    assert_eq!(count_of("BINARY_OP_ADD_INT"), 3);
    assert_eq!(count_of("BINARY_OP_ADD_FLOAT"), 3);
}

#[test]
fn observations_are_ordered_most_frequent_first() {
    let a = run(
        "a",
        vec![code(
            "f",
            1,
            0,
            0,
            vec![site(2, "BINARY_OP", vec![int_add(1), float_add(5)])],
        )],
        0,
        1,
    );
    let (_, m) = merge(&[(abi(), a)]).unwrap();
    assert_eq!(
        m.code[0].sites[0].observations,
        vec![float_add(5), int_add(1)]
    );
}

#[test]
fn different_marshal_hash_is_a_different_code_object() {
    let mut edited = code("f", 1, 1, 1, vec![]);
    edited.marshal = b"edited source".to_vec();
    edited.key.marshal_hash = s6_profiles::hash::marshal_hash(&edited.marshal);
    let a = run("a", vec![code("f", 1, 1, 1, vec![])], 1, 1);
    let b = run("b", vec![edited], 1, 1);
    let (_, m) = merge(&[(abi(), a), (abi(), b)]).unwrap();
    assert_eq!(m.code.len(), 2);
}

#[test]
fn merging_one_profile_with_itself_doubles_it() {
    let p = sample_profile();
    let (_, m) = merge(&[(abi(), p.clone()), (abi(), p.clone())]).unwrap();
    assert_eq!(m.total_samples, 2 * p.total_samples);
    assert_eq!(m.code.len(), p.code.len());
    for c in &p.code {
        let mc = find(&m, &c.key.qualname);
        assert_eq!(mc.self_samples, 2 * c.self_samples);
        assert_eq!(mc.sites.len(), c.sites.len());
        for (ms, s) in mc.sites.iter().zip(&c.sites) {
            let total: u32 = s.observations.iter().map(|o| o.count).sum();
            let mtotal: u32 = ms.observations.iter().map(|o| o.count).sum();
            assert_eq!(mtotal, 2 * total);
            assert_eq!(ms.observations.len(), s.observations.len());
        }
    }
}

#[test]
fn mixed_abi_is_refused_naming_both() {
    let err = merge(&[(abi(), sample_profile()), (other_abi(), sample_profile())]).unwrap_err();
    assert!(matches!(err, MergeError::MixedAbi { index: 1, .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("3.11.2") && msg.contains("3.11.7") && !msg.contains('\n'),
        "{msg}"
    );
}

#[test]
fn mixed_interval_and_empty_are_refused() {
    let mut slow = sample_profile();
    slow.sample_interval_us = 5000;
    let err = merge(&[(abi(), sample_profile()), (abi(), slow)]).unwrap_err();
    assert_eq!(
        err,
        MergeError::MixedInterval {
            index: 1,
            first: 1000,
            found: 5000
        }
    );
    assert_eq!(merge(&[]).unwrap_err(), MergeError::Empty);
}

#[test]
fn same_key_with_different_bytes_is_refused() {
    let mut forged = code("f", 1, 1, 1, vec![]);
    forged.marshal.push(0);
    let a = run("a", vec![code("f", 1, 1, 1, vec![])], 1, 1);
    let b = run("b", vec![forged], 1, 1);
    let err = merge(&[(abi(), a), (abi(), b)]).unwrap_err();
    assert!(
        matches!(
            err,
            MergeError::Inconsistent {
                what: "marshal bytes",
                ..
            }
        ),
        "{err:?}"
    );
}
