//! Every kind of bad profile file gets its own one-line error and exit code 2, from every
//! command that reads profiles.

mod common;

use std::path::Path;

use common::*;
use s6_profiles::format::{encode_profile, write_manifest};
use s6_profiles::manifest::Manifest;
use s6_profiles::model::Profile;

fn empty_profile() -> Profile {
    Profile {
        runs: vec![vec!["a.py".into()]],
        sample_interval_us: 1000,
        total_samples: 0,
        snapshots: 0,
        code: vec![],
    }
}

fn inspect(path: &Path) -> String {
    one_line_error(
        &s6c()
            .args(["inspect", "profile"])
            .arg(path)
            .output()
            .unwrap(),
    )
}

#[test]
fn each_damage_has_its_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let good = encode_profile(&empty_profile(), &abi()).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };

    let err = inspect(&dir.path().join("missing.s6prof"));
    assert!(err.contains("missing.s6prof not found"), "{err}");

    let err = inspect(&write("empty.s6prof", b""));
    assert!(err.contains("is empty"), "{err}");

    let err = inspect(&write("cut.s6prof", &good[..good.len() - 3]));
    assert!(
        err.contains("is truncated") && err.contains(&format!("of {} bytes", good.len())),
        "{err}"
    );

    let mut flipped = good.clone();
    let mid = good.len() - 6;
    flipped[mid] ^= 0x10;
    let err = inspect(&write("flip.s6prof", &flipped));
    assert!(err.contains("corrupt") && err.contains("checksum"), "{err}");

    let err = inspect(&write(
        "elf.s6prof",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
    ));
    assert!(
        err.contains("not an s6 profile") && err.contains("ELF"),
        "{err}"
    );

    let manifest = dir.path().join("manifest.s6m");
    write_manifest(
        &manifest,
        &Manifest {
            abi: abi(),
            native_abi: 1,
            objects: vec![],
        },
    )
    .unwrap();
    let err = inspect(&manifest);
    assert!(err.contains("cache manifest"), "{err}");

    let mut newer = good.clone();
    newer[4] = 9;
    let crc = crc32(&newer[..20]);
    newer[20..24].copy_from_slice(&crc.to_le_bytes());
    let err = inspect(&write("newer.s6prof", &newer));
    assert!(err.contains("format version 9, newer"), "{err}");

    let mut appended = good.clone();
    appended.extend_from_slice(b"\n");
    let err = inspect(&write("appended.s6prof", &appended));
    assert!(err.contains("unexpected bytes after its end"), "{err}");

    let err = inspect(dir.path());
    assert!(err.contains("cannot read profile"), "{err}");
}

#[test]
fn merge_reports_bad_inputs_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.s6prof");
    std::fs::write(&good, encode_profile(&empty_profile(), &abi()).unwrap()).unwrap();
    let bad = dir.path().join("bad.s6prof");
    std::fs::write(&bad, b"hello").unwrap();
    let out = dir.path().join("out.s6prof");
    let o = s6c()
        .args(["profile", "merge", "-o"])
        .arg(&out)
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    let err = one_line_error(&o);
    assert!(
        err.contains("bad.s6prof") && err.contains("text file"),
        "{err}"
    );
    assert!(!out.exists(), "no output written on error");
}

/// zlib's CRC-32, bit by bit (independent of the crate the format uses).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
