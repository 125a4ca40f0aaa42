//! The container refuses every kind of damage with its own error, never panics, and round-trips.

mod common;

use common::{abi, other_abi, sample_profile};
use s6_profiles::format::*;
use s6_profiles::manifest::{
    Binding, BindingEntry, ExitKind, ExitSite, FunctionEntry, Manifest, ObjectEntry,
};

fn manifest() -> Manifest {
    Manifest {
        abi: abi(),
        native_abi: 1,
        objects: vec![ObjectEntry {
            file: "__main__.o".into(),
            hash: 42,
            module: "__main__".into(),
            source: "/home/u/app.py".into(),
            binding_slots: 2,
            functions: vec![FunctionEntry {
                key: common::key("f", 1, b"x"),
                symbol: "s6::__main__.f".into(),
                bindings: vec![
                    BindingEntry {
                        slot: 0,
                        binding: Binding::Type("builtins.int".into()),
                    },
                    BindingEntry {
                        slot: 1,
                        binding: Binding::Builtin("len".into()),
                    },
                ],
                exits: vec![ExitSite {
                    index: 3,
                    kind: ExitKind::Deopt,
                    reason: "type guard".into(),
                }],
                code_units: 12,
            }],
        }],
    }
}

fn good() -> Vec<u8> {
    encode_profile(&sample_profile(), &abi()).unwrap()
}

/// Rewrites the version field and fixes the header checksum, as a real other-version writer would.
fn with_version(mut bytes: Vec<u8>, version: u16) -> Vec<u8> {
    bytes[4..6].copy_from_slice(&version.to_le_bytes());
    let crc = crc32fast::hash(&bytes[..20]);
    bytes[20..24].copy_from_slice(&crc.to_le_bytes());
    bytes
}

fn one_line(e: &FormatError) -> String {
    let s = e.to_string();
    assert!(!s.contains('\n'), "multi-line message: {s}");
    s
}

#[test]
fn profile_round_trips_in_memory_and_on_disk() {
    let bytes = good();
    assert_eq!(&bytes[..4], b"S6PF");
    let (stamp, p) = decode_profile(&bytes).unwrap();
    assert_eq!(stamp, abi());
    assert_eq!(p, sample_profile());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.s6prof");
    write_profile(&path, &sample_profile(), &abi()).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "file is exactly the encoding"
    );
    assert_eq!(read_profile(&path).unwrap(), (abi(), sample_profile()));
    // Overwrite leaves no temporary files behind.
    write_profile(&path, &sample_profile(), &other_abi()).unwrap();
    assert_eq!(read_profile(&path).unwrap().0, other_abi());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let header = read_header(FileKind::Profile, &path).unwrap();
    assert_eq!(
        header,
        Header {
            kind: FileKind::Profile,
            version: FORMAT_VERSION,
            abi: other_abi()
        }
    );
}

#[test]
fn manifest_round_trips_and_is_not_a_profile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("manifest.s6m");
    write_manifest(&path, &manifest()).unwrap();
    assert_eq!(read_manifest(&path).unwrap(), manifest());
    assert_eq!(&std::fs::read(&path).unwrap()[..4], b"S6MF");

    let err = read_profile(&path).unwrap_err();
    assert!(matches!(err, FormatError::WrongMagic { .. }), "{err:?}");
    assert!(
        one_line(&err).contains("it is an s6 cache manifest"),
        "{err}"
    );
    let err = decode_manifest(&good()).unwrap_err();
    assert!(one_line(&err).contains("it is an s6 profile"), "{err}");
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.s6prof");
    let err = read_profile(&path).unwrap_err();
    assert!(matches!(err, FormatError::Missing { .. }), "{err:?}");
    let msg = one_line(&err);
    assert!(
        msg.contains("nope.s6prof") && msg.contains("not found") && msg.contains("s6c profile"),
        "{msg}"
    );
    let err = read_manifest(&path).unwrap_err();
    assert!(one_line(&err).contains("s6c build"), "{err}");
}

#[test]
fn directory_is_a_read_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_profile(dir.path()).unwrap_err();
    assert!(matches!(err, FormatError::Read { .. }), "{err:?}");
    one_line(&err);
}

#[test]
fn every_truncation_is_refused_as_truncated() {
    let bytes = good();
    for len in 0..bytes.len() {
        let err = decode_profile(&bytes[..len]).unwrap_err();
        let ok = match len {
            0 => matches!(err, FormatError::Empty { .. }),
            _ => matches!(err, FormatError::Truncated { .. }),
        };
        assert!(ok, "length {len}: {err:?}");
        let msg = one_line(&err);
        if len >= HEADER_LEN {
            assert!(
                msg.contains(&format!("{len} of {} bytes", bytes.len())),
                "{msg}"
            );
        }
    }
}

#[test]
fn trailing_bytes_are_refused() {
    let mut bytes = good();
    bytes.extend_from_slice(b"junk");
    let err = decode_profile(&bytes).unwrap_err();
    assert!(
        matches!(err, FormatError::TrailingData { extra: 4, .. }),
        "{err:?}"
    );
    one_line(&err);
}

#[test]
fn every_single_bit_flip_is_refused() {
    let bytes = good();
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = bytes.clone();
            bad[i] ^= bit;
            let err = decode_profile(&bad).unwrap_err();
            let ok = match i {
                0..=3 => matches!(err, FormatError::WrongMagic { .. }),
                4..=23 => matches!(err, FormatError::Checksum { what: "header", .. }),
                _ => matches!(
                    err,
                    FormatError::Checksum {
                        what: "contents",
                        ..
                    }
                ),
            };
            assert!(ok, "flip {bit:#x} at byte {i}: {err:?}");
            one_line(&err);
        }
    }
}

#[test]
fn every_byte_value_at_every_offset_never_panics() {
    let bytes = good();
    for i in 0..bytes.len() {
        for v in [0u8, 0xff, 0x7f, 0x80] {
            let mut bad = bytes.clone();
            if bad[i] == v {
                continue;
            }
            bad[i] = v;
            assert!(
                decode_profile(&bad).is_err(),
                "byte {i} set to {v:#x} accepted"
            );
            let _ = decode_header(FileKind::Profile, &bad);
            let _ = decode_manifest(&bad);
        }
    }
}

#[test]
fn wrong_magic_says_what_the_file_looks_like() {
    let cases: &[(&[u8], &str)] = &[
        (b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x01\0>\0", "ELF"),
        (b"import sys\nprint(sys.argv)\n", "text file"),
        (b"\xa7\x0d\x0d\x0a\0\0\0\0", ".pyc"),
        (b"PK\x03\x04rest", "zip"),
        (
            b"\x00\x01\x02\xff\xfe",
            "unknown file starting with bytes 00 01 02 ff",
        ),
        (b"\x80", "unknown file starting with bytes 80"),
    ];
    for (bytes, expect) in cases {
        let err = decode_profile(bytes).unwrap_err();
        assert!(matches!(err, FormatError::WrongMagic { .. }), "{err:?}");
        let msg = one_line(&err);
        assert!(
            msg.contains(expect) && msg.contains("not an s6 profile"),
            "{msg}"
        );
    }
    // A prefix of the magic is a truncated profile, not a foreign file.
    assert!(matches!(
        decode_profile(b"S6").unwrap_err(),
        FormatError::Truncated { .. }
    ));
}

#[test]
fn newer_and_older_versions_are_named() {
    let err = decode_profile(&with_version(good(), FORMAT_VERSION + 1)).unwrap_err();
    assert!(
        matches!(err, FormatError::NewerVersion { found, .. } if found == FORMAT_VERSION + 1),
        "{err:?}"
    );
    assert!(one_line(&err).contains("newer"), "{err}");
    let err = decode_profile(&with_version(good(), FORMAT_VERSION - 1)).unwrap_err();
    assert!(matches!(err, FormatError::OlderVersion { .. }), "{err:?}");
    assert!(one_line(&err).contains("older"), "{err}");
    // A newer version is named even if its body no longer matches our layout at all.
    let mut future = with_version(good(), 77);
    future.truncate(HEADER_LEN);
    assert!(matches!(
        decode_profile(&future).unwrap_err(),
        FormatError::NewerVersion { found: 77, .. }
    ));
}

/// Manifests have their own version: a manifest of the version before (whose functions had
/// no `code_units`) asks for a rebuild, and names the version this s6c reads.
#[test]
fn manifest_versions_are_their_own() {
    let m = s6_profiles::format::encode_manifest(&manifest()).unwrap();
    assert_eq!(u16::from_le_bytes([m[4], m[5]]), MANIFEST_VERSION);
    let err = decode_manifest(&with_version(m.clone(), MANIFEST_VERSION - 1)).unwrap_err();
    assert!(matches!(err, FormatError::OlderVersion { .. }), "{err:?}");
    let line = one_line(&err);
    assert!(
        line.contains(&format!("reads ({MANIFEST_VERSION})")) && line.contains("older"),
        "{line}"
    );
    assert_eq!(
        u16::from_le_bytes([good()[4], good()[5]]),
        FORMAT_VERSION,
        "profiles keep theirs"
    );
}

#[test]
fn foreign_abi_names_both_interpreters() {
    let bytes = encode_profile(&sample_profile(), &other_abi()).unwrap();
    let header = decode_header(FileKind::Profile, &bytes).unwrap();
    assert_eq!(header.abi, other_abi());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.s6prof");
    let err = check_abi(&header.abi, &abi()).unwrap_err().at(&path);
    assert!(matches!(err, FormatError::ForeignAbi { .. }), "{err:?}");
    let msg = one_line(&err);
    assert!(
        msg.contains("3.11.2")
            && msg.contains("3.11.7")
            && msg.contains("re-profile with this interpreter")
            && msg.contains("x.s6prof"),
        "{msg}"
    );
    assert!(check_abi(&abi(), &abi()).is_ok());
    // Same version string, different build: still refused, and the builds are told apart.
    let mut debug = abi();
    debug.build_id = "cpython-311d".into();
    let msg = check_abi(&debug, &abi()).unwrap_err().to_string();
    assert!(
        msg.contains("cpython-311d") && msg.contains("main"),
        "{msg}"
    );
    let msg = check_manifest_abi(&debug, &abi()).unwrap_err().to_string();
    assert!(msg.contains("rebuild the cache"), "{msg}");
}

#[test]
fn good_checksums_around_a_bad_payload_are_undecodable_not_panics() {
    // Valid frame, payload that is not a Profile: as if a same-version writer had another schema.
    let mut bytes = good();
    let payload_start = bytes.len() - 4 - postcard_len_of_payload();
    for b in &mut bytes[payload_start..payload_start + 8] {
        *b = 0xff;
    }
    let n = bytes.len() - 4;
    let crc = crc32fast::hash(&bytes[..n]);
    bytes[n..].copy_from_slice(&crc.to_le_bytes());
    let err = decode_profile(&bytes).unwrap_err();
    assert!(matches!(err, FormatError::Undecodable { .. }), "{err:?}");
    one_line(&err);
}

fn postcard_len_of_payload() -> usize {
    good().len() - HEADER_LEN - 4 - postcard_stamp_len()
}

fn postcard_stamp_len() -> usize {
    let b = good();
    u32::from_le_bytes(b[16..20].try_into().unwrap()) as usize
}

#[test]
fn write_into_missing_directory_is_a_write_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/dir/app.s6prof");
    let err = write_profile(&path, &sample_profile(), &abi()).unwrap_err();
    assert!(matches!(err, FormatError::Write { .. }), "{err:?}");
    assert!(one_line(&err).contains("cannot write profile"), "{err}");
}

/// Frames `payload` correctly (lengths and both checksums valid) around the real ABI stamp.
fn framed(payload: &[u8]) -> Vec<u8> {
    let good = good();
    let stamp_len = u32::from_le_bytes(good[16..20].try_into().unwrap()) as usize;
    let mut out = good[..HEADER_LEN + stamp_len].to_vec();
    out.extend_from_slice(payload);
    let total = (out.len() + 4) as u64;
    out[8..16].copy_from_slice(&total.to_le_bytes());
    let h = crc32fast::hash(&out[..20]);
    out[20..24].copy_from_slice(&h.to_le_bytes());
    let c = crc32fast::hash(&out);
    out.extend_from_slice(&c.to_le_bytes());
    out
}

#[test]
fn garbage_payloads_with_valid_checksums_never_panic() {
    let real = {
        let g = good();
        let stamp_len = u32::from_le_bytes(g[16..20].try_into().unwrap()) as usize;
        g[HEADER_LEN + stamp_len..g.len() - 4].to_vec()
    };
    assert_eq!(
        decode_profile(&framed(&real)).unwrap().1,
        sample_profile(),
        "framing helper is right"
    );
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..3000 {
        let payload: Vec<u8> = match round % 3 {
            // Pure noise of assorted lengths.
            0 => (0..next() % 200).map(|_| next() as u8).collect(),
            // The real payload with a few bytes changed: deep, plausible structure.
            1 => {
                let mut p = real.clone();
                for _ in 0..1 + next() % 4 {
                    let i = (next() as usize) % p.len();
                    p[i] = next() as u8;
                }
                p
            }
            // The real payload cut short or with a huge length prefix spliced in.
            _ => {
                let mut p = real[..(next() as usize) % real.len()].to_vec();
                p.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
                p
            }
        };
        // Some edits decode to a different valid profile; what matters is no panic and no
        // error other than "undecodable".
        if let Err(e) = decode_profile(&framed(&payload)) {
            assert!(
                matches!(e, FormatError::Undecodable { .. }),
                "round {round}: {e:?}"
            );
            one_line(&e);
        }
    }
}
