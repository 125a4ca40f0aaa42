//! `s6c inspect ir` and `s6c inspect asm` on bad input: a missing, damaged or foreign profile, a
//! missing or damaged cache, an object that is missing, altered or not an object, an unknown or
//! ambiguous `--function` (the error lists what `--function` accepts), an unknown `--after`:
//! each is one error line with exit code 2. Also that the good path prints what it promises.
//!
//! Profiles are built here from `python3`'s marshal bytes with `s6-profiles` (two modules that
//! both define `f`, an async generator, a class body), so no installed runtime is needed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use s6_profiles::format::{read_manifest, write_manifest, write_profile};
use s6_profiles::hash::fnv1a64;
use s6_profiles::manifest::MANIFEST_FILE;
use s6_profiles::model::{CodeProfile, Profile};

const SRC: &str = "\
def f(x):
    return x + 1

def h(n):
    t = 0
    for i in range(n):
        t += f(i)
    return t

async def gen():
    yield 1

class K:
    def meth(self):
        return 2
";

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// `app.s6prof` (modules `app` and `other`, both with `f`) and its cache `cache/`.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let fx = Fixture { dir };
        let m = |name: &str| marshal_of(SRC, name);
        let entry = |module: &str, qual: &str, line: u32| -> CodeProfile {
            let mut c = code_profile(module, qual, line, m(qual), 5, 10, vec![]);
            c.key.filename = format!("/src/{module}.py");
            c
        };
        let mut code = vec![
            entry("app", "f", 1),
            entry("app", "h", 4),
            entry("app", "gen", 10),
            entry("app", "K.meth", 14),
            entry("other", "f", 1),
        ];
        code.sort_by(|a, b| a.key.cmp(&b.key));
        let profile = Profile {
            runs: vec![vec!["app.py".into()]],
            sample_interval_us: 1000,
            total_samples: 10,
            snapshots: 1,
            code,
        };
        write_profile(&fx.profile(), &profile, &abi()).unwrap();
        let o = fx.run(&["build", "--all", "-o", "cache", "app.s6prof"]);
        assert!(o.status.success(), "{}", stderr(&o));
        fx
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn profile(&self) -> PathBuf {
        self.path().join("app.s6prof")
    }

    fn cache(&self) -> PathBuf {
        self.path().join("cache")
    }

    fn run(&self, args: &[&str]) -> Output {
        s6c().current_dir(self.path()).args(args).output().unwrap()
    }

    fn ir(&self, profile: &str, function: &str) -> Output {
        self.run(&["inspect", "ir", profile, "--function", function])
    }

    fn asm(&self, cache: &str, function: &str) -> Output {
        self.run(&["inspect", "asm", cache, "--function", function])
    }

    /// A copy of the cache in `name`, changed by `edit(dir)`.
    fn cache_copy(&self, name: &str, edit: impl FnOnce(&Path)) -> String {
        let to = self.path().join(name);
        std::fs::create_dir(&to).unwrap();
        for e in std::fs::read_dir(self.cache()).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
        edit(&to);
        name.to_string()
    }
}

/// Asserts a one-line error containing every one of `parts`, followed by advice.
fn error_with(o: &Output, parts: &[&str]) -> String {
    let err = one_line_error(o);
    eprint!("{err}"); // shown with --nocapture: the messages as users see them
    for p in parts {
        assert!(err.contains(p), "missing {p:?} in {err}");
    }
    assert!(
        err.trim_end()
            .rsplit_once(": ")
            .is_some_and(|(_, todo)| todo.len() > 8),
        "no advice: {err}"
    );
    err
}

#[test]
fn ir_of_a_function_and_its_errors() {
    let fx = Fixture::new();
    let o = fx.ir("app.s6prof", "app.h");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("function \"s6::app.h\""),
        "{}",
        stdout(&o)
    );

    error_with(&fx.ir("nope.s6prof", "f"), &["nope.s6prof not found"]);
    let good = std::fs::read(fx.profile()).unwrap();
    std::fs::write(fx.path().join("cut.s6prof"), &good[..30]).unwrap();
    error_with(&fx.ir("cut.s6prof", "f"), &["is truncated"]);
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 1;
    std::fs::write(fx.path().join("flip.s6prof"), &flipped).unwrap();
    error_with(&fx.ir("flip.s6prof", "f"), &["is corrupt"]);
    let manifest = format!("cache/{MANIFEST_FILE}");
    error_with(
        &fx.ir(&manifest, "f"),
        &["not an s6 profile", "cache manifest"],
    );
    let object = fx.cache().join(
        &read_manifest(&fx.cache().join(MANIFEST_FILE))
            .unwrap()
            .objects[0]
            .file,
    );
    error_with(
        &fx.ir(object.to_str().unwrap(), "f"),
        &["not an s6 profile", "ELF"],
    );

    // A profile of another Python version.
    let (_, profile) = s6_profiles::format::read_profile(&fx.profile()).unwrap();
    let mut py312 = abi();
    py312.python_version = "3.12.1 (main) [GCC 12.2.0]".into();
    py312.hexversion = 0x030c01f0;
    py312.bytecode_magic = 3531;
    write_profile(&fx.path().join("py312.s6prof"), &profile, &py312).unwrap();
    error_with(
        &fx.ir("py312.s6prof", "f"),
        &[
            "py312.s6prof",
            "Python 3.12.1",
            "CPython 3.11 bytecode only",
        ],
    );

    // Unknown: the closest names first; ambiguous: every match, exactly.
    let err = error_with(&fx.ir("app.s6prof", "meth"), &["no function `meth`"]);
    let (_, list) = err.split_once("one of ").unwrap();
    assert!(list.starts_with("app.K.meth"), "{err}");
    error_with(
        &fx.ir("app.s6prof", "f"),
        &["`f` is ambiguous", "app.f#1", "other.f#1"],
    );
    let o = fx.ir("app.s6prof", "other.f");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("s6::other.f"), "{}", stdout(&o));

    error_with(
        &fx.ir("app.s6prof", "gen"),
        &["app.gen is never compiled", "async generator"],
    );
    let o = fx.run(&[
        "inspect",
        "ir",
        "app.s6prof",
        "--function",
        "app.h",
        "--after",
        "bogus",
    ]);
    error_with(&o, &["pass `bogus`", "input", "dce"]);
}

#[test]
fn asm_of_a_function_and_its_errors() {
    let fx = Fixture::new();
    let o = fx.asm("cache", "app.h");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("s6::app.h: "), "{out}");
    assert!(out.contains("app.py:7"), "no line annotations: {out}");
    // The manifest itself names the cache too.
    let o = fx.asm(&format!("cache/{MANIFEST_FILE}"), "app.h");
    assert_eq!(stdout(&o), out);

    error_with(
        &fx.asm("nocache", "f"),
        &["nocache/manifest.s6m not found", "s6c build"],
    );
    std::fs::create_dir(fx.path().join("emptydir")).unwrap();
    error_with(&fx.asm("emptydir", "f"), &["not found"]);
    error_with(
        &fx.asm("app.s6prof", "f"),
        &["not an s6 cache manifest", "s6 profile"],
    );

    let m = fx.cache_copy("cut", |d| {
        let p = d.join(MANIFEST_FILE);
        let b = std::fs::read(&p).unwrap();
        std::fs::write(&p, &b[..b.len() - 5]).unwrap();
    });
    error_with(&fx.asm(&m, "f"), &["truncated", "s6c build"]);

    let manifest = read_manifest(&fx.cache().join(MANIFEST_FILE)).unwrap();
    let obj = manifest
        .objects
        .iter()
        .find(|o| o.module == "app")
        .unwrap()
        .file
        .clone();
    let c = fx.cache_copy("altered", |d| {
        let mut b = std::fs::read(d.join(&obj)).unwrap();
        let mid = b.len() / 2;
        b[mid] ^= 0x80;
        std::fs::write(d.join(&obj), b).unwrap();
    });
    error_with(
        &fx.asm(&c, "app.h"),
        &["does not match the manifest's hash", "s6c build"],
    );
    let c = fx.cache_copy("gone", |d| std::fs::remove_file(d.join(&obj)).unwrap());
    error_with(
        &fx.asm(&c, "app.h"),
        &["cannot read", "incomplete", "s6c build"],
    );

    // Junk whose hash the manifest agrees with: not an object file.
    let c = fx.cache_copy("junk", |d| {
        let junk = b"this is not an ELF object".repeat(4);
        std::fs::write(d.join(&obj), &junk).unwrap();
        let mut m = manifest.clone();
        m.objects.iter_mut().find(|o| o.file == obj).unwrap().hash = fnv1a64(&junk);
        write_manifest(&d.join(MANIFEST_FILE), &m).unwrap();
    });
    error_with(&fx.asm(&c, "app.h"), &["not an object file", "s6c build"]);

    // Not compiled (an async generator) or unknown: the compiled functions are listed.
    let err = error_with(&fx.asm("cache", "gen"), &["no function `gen` in the cache"]);
    assert!(err.contains("app.h") && err.contains("app.K.meth"), "{err}");
    error_with(
        &fx.asm("cache", "f"),
        &["`f` is ambiguous", "app.f#1", "other.f#1"],
    );

    // A cache with no functions at all.
    let c = fx.cache_copy("none", |d| {
        let mut m = manifest.clone();
        m.objects.clear();
        write_manifest(&d.join(MANIFEST_FILE), &m).unwrap();
    });
    error_with(
        &fx.asm(&c, "f"),
        &["none holds no compiled functions", "--all"],
    );
}
