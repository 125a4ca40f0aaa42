//! Helpers for the CLI tests: run the built `s6c`, make profiles with the profiles crate, and get
//! real marshal bytes from the interpreter named by `S6_PYTHON` (default `python3`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use s6_profiles::hash::marshal_hash;
use s6_profiles::model::*;

pub fn s6c() -> Command {
    Command::new(env!("CARGO_BIN_EXE_s6c"))
}

pub fn python() -> String {
    std::env::var("S6_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// A directory that makes any CPython 3.11 look like it has the s6 runtime (see its files).
pub fn fake_runtime() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fake_runtime")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts `s6c` failed with exit code 2 and exactly one line on stderr; returns that line.
pub fn one_line_error(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    assert!(err.starts_with("s6c: error: "), "{err}");
    err
}

pub fn abi() -> AbiStamp {
    AbiStamp {
        python_version: "3.11.7 (main, Dec  8 2023, 18:56:58) [GCC 12.2.0]".into(),
        hexversion: 0x030b07f0,
        bytecode_magic: 3495,
        build_id: "test-build".into(),
    }
}

/// `marshal.dumps` of the code object of the function that expression `name` names in `src`.
pub fn marshal_of(src: &str, name: &str) -> Vec<u8> {
    let script = format!(
        "import marshal, sys\nns = {{}}\nexec(compile({src:?}, '/app/demo.py', 'exec'), ns)\nsys.stdout.buffer.write(marshal.dumps(eval({name:?}, ns).__code__))"
    );
    let out = Command::new(python())
        .args(["-c", &script])
        .output()
        .expect("run python");
    assert!(out.status.success(), "{}", stderr(&out));
    out.stdout
}

pub fn code_profile(
    module: &str,
    qualname: &str,
    line: u32,
    marshal: Vec<u8>,
    self_s: u64,
    incl: u64,
    sites: Vec<SiteFeedback>,
) -> CodeProfile {
    CodeProfile {
        key: CodeKey {
            filename: "/app/demo.py".into(),
            module: module.into(),
            qualname: qualname.into(),
            firstlineno: line,
            marshal_hash: marshal_hash(&marshal),
        },
        marshal,
        is_library: false,
        self_samples: self_s,
        inclusive_samples: incl,
        sites,
    }
}
