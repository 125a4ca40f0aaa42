//! `s6c build` on bad input: every missing, damaged, foreign or mixed profile, every output path
//! that cannot hold a cache and every bad option is one error line with exit code 2 and writes
//! nothing; an output directory with other files keeps them; a build that compiles nothing
//! succeeds, says why, and writes a cache the runtime accepts; a closed stdout is no panic.
//!
//! The profile is a real one made by `s6c profile` with `.venv/bin/python` (the installed
//! runtime); without `.venv` it is built from `python3`'s marshal bytes with `s6-profiles`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use common::*;
use s6_profiles::format::{read_manifest, read_profile, write_manifest, write_profile};
use s6_profiles::index::INDEX_FILE;
use s6_profiles::manifest::MANIFEST_FILE;
use s6_profiles::model::{AbiStamp, Profile};

const APP: &str = "\
def f(x):
    return x + 1

def g():
    s = 0
    for i in range(200000):
        s += f(i)
    return s

class A:
    def m(self):
        return 1

async def co():
    yield 1

def run(c):
    try:
        c.__anext__().send(None)
    except StopIteration as e:
        return e.value

print(g(), A().m(), run(co()))
";

/// `.venv/bin/python` of the repository, if `make setup` made it (`S6_TEST_NO_VENV=1` acts as
/// if it had not, to exercise the fallback).
fn venv_python() -> Option<PathBuf> {
    if std::env::var_os("S6_TEST_NO_VENV").is_some() {
        return None;
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    p.exists().then_some(p)
}

/// A temporary directory with `app.py` and its profile `app.s6prof`.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.py"), APP).unwrap();
        let fx = Fixture { dir };
        match venv_python() {
            Some(py) => {
                let o = s6c()
                    .current_dir(fx.path())
                    .args(["profile", "--python"])
                    .arg(py)
                    .args(["-o", "app.s6prof", "app.py"])
                    .output()
                    .unwrap();
                assert!(o.status.success(), "s6c profile: {}", stderr(&o));
            }
            None => {
                eprintln!("note: no .venv (run `make setup`): profile built from marshal bytes");
                let m = |name: &str| marshal_of(APP.replace("print(", "(").as_str(), name);
                let mut code = vec![
                    code_profile("__main__", "f", 1, m("f"), 5, 5, vec![]),
                    code_profile("__main__", "g", 4, m("g"), 4, 9, vec![]),
                    code_profile("__main__", "A.m", 11, m("A.m"), 0, 0, vec![]),
                    code_profile("__main__", "co", 14, m("co"), 0, 0, vec![]),
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
            }
        }
        fx
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn profile(&self) -> PathBuf {
        self.path().join("app.s6prof")
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// The profile rewritten by `edit` into `name`.
    fn edited(&self, name: &str, edit: impl FnOnce(&mut AbiStamp, &mut Profile)) -> PathBuf {
        let (mut abi, mut profile) = read_profile(&self.profile()).unwrap();
        edit(&mut abi, &mut profile);
        let p = self.path().join(name);
        write_profile(&p, &profile, &abi).unwrap();
        p
    }

    /// `s6c build ARGS` in the fixture's directory.
    fn build(&self, args: &[&str]) -> Output {
        s6c()
            .current_dir(self.path())
            .arg("build")
            .args(args)
            .output()
            .unwrap()
    }
}

/// Asserts a one-line error that contains every one of `parts` and says what to do (a `:`
/// followed by advice).
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
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `never.s6prof`: the profile with only code that is never compiled (module body, class
/// body, async generator).
fn never_compiled(fx: &Fixture) -> PathBuf {
    fx.edited("never.s6prof", |_, p| {
        p.code
            .retain(|c| ["<module>", "A", "co"].contains(&c.key.qualname.as_str()));
    })
}

#[test]
fn damaged_and_wrong_profiles_are_one_line_and_write_nothing() {
    let fx = Fixture::new();
    let good = std::fs::read(fx.profile()).unwrap();
    let build = |p: &Path| fx.build(&["-o", "cache", p.to_str().unwrap()]);

    error_with(
        &build(&fx.path().join("nope.s6prof")),
        &["nope.s6prof not found", "s6c profile"],
    );
    let cut = fx.file("cut.s6prof", &good[..good.len() / 2]);
    error_with(&build(&cut), &["cut.s6prof is truncated"]);
    let mut flipped = good.clone();
    let mid = good.len() / 2;
    flipped[mid] ^= 0x04;
    let flip = fx.file("flip.s6prof", &flipped);
    error_with(&build(&flip), &["flip.s6prof is corrupt", "checksum"]);
    let empty = fx.file("empty.s6prof", b"");
    error_with(&build(&empty), &["empty.s6prof is empty"]);
    error_with(&build(fx.path()), &["is a directory", ".s6prof file"]);

    // Things that are not profiles: an ELF object and a cache manifest.
    let cache = fx.path().join("real");
    let o = fx.build(&["--all", "-o", "real", "app.s6prof"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest = read_manifest(&cache.join(MANIFEST_FILE)).unwrap();
    let object = cache.join(&manifest.objects[0].file);
    error_with(&build(&object), &["is not an s6 profile", "ELF"]);
    error_with(
        &build(&cache.join(MANIFEST_FILE)),
        &["is not an s6 profile", "cache manifest"],
    );

    assert!(!fx.path().join("cache").exists(), "no cache for bad input");
}

#[test]
fn foreign_and_mixed_interpreters_are_refused_by_name() {
    let fx = Fixture::new();
    let py312 = fx.edited("py312.s6prof", |abi, _| {
        abi.python_version = "3.12.1 (main) [GCC 12.2.0]".into();
        abi.hexversion = 0x030c01f0;
        abi.bytecode_magic = 3531;
        abi.build_id = "cpython-312".into();
    });
    let err = error_with(
        &fx.build(&["-o", "cache", py312.to_str().unwrap()]),
        &["py312.s6prof", "Python 3.12.1", "3.11"],
    );
    assert!(
        err.contains("profile the program with a CPython 3.11"),
        "{err}"
    );

    fx.edited("other.s6prof", |abi, _| {
        abi.build_id = "another-build".into()
    });
    let err = error_with(
        &fx.build(&["-o", "cache", "app.s6prof", "other.s6prof"]),
        &[
            "two interpreters",
            "other.s6prof",
            "another-build",
            "app.s6prof",
        ],
    );
    assert!(err.contains("one interpreter"), "{err}");
    // Same interpreter twice is fine (a merge).
    let again = fx.edited("again.s6prof", |_, _| {});
    let o = fx.build(&[
        "--all",
        "-o",
        "merged",
        "app.s6prof",
        again.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A merge error names the files behind its `#n`.
    fx.edited("slow.s6prof", |_, p| p.sample_interval_us *= 2);
    error_with(
        &fx.build(&["-o", "cache", "app.s6prof", "slow.s6prof"]),
        &["#1 = slow.s6prof", "--interval-us"],
    );
    assert!(!fx.path().join("cache").exists());
}

#[test]
fn output_paths_that_cannot_hold_a_cache() {
    let fx = Fixture::new();
    let file = fx.file("taken", b"precious");
    error_with(
        &fx.build(&["-o", "taken", "app.s6prof"]),
        &["taken is a file"],
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"precious");
    error_with(
        &fx.build(&["-o", "taken/sub", "app.s6prof"]),
        &["cannot create cache directory taken/sub"],
    );
    // A `manifest.s6m` that is not ours is never overwritten.
    let dir = fx.path().join("mine");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join(MANIFEST_FILE), b"my notes").unwrap();
    error_with(
        &fx.build(&["-o", "mine", "app.s6prof"]),
        &["not an s6 cache manifest"],
    );
    assert_eq!(std::fs::read(dir.join(MANIFEST_FILE)).unwrap(), b"my notes");

    // A directory nobody can create files in (procfs; even root), and one that cannot exist.
    error_with(
        &fx.build(&["-o", "/proc/self", "app.s6prof"]),
        &["cache directory /proc/self is not writable"],
    );
    error_with(
        &fx.build(&["-o", "/proc/s6c-cache", "app.s6prof"]),
        &["cannot create cache directory /proc/s6c-cache"],
    );
    // A read-only directory (root ignores permissions: then there is nothing to check).
    let ro = fx.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), b"").is_ok() {
        eprintln!("skipped the read-only check: running as root");
    } else {
        error_with(
            &fx.build(&["--all", "-o", "ro", "app.s6prof"]),
            &["ro is not writable"],
        );
        assert!(names_in(&ro).is_empty());
    }
}

#[test]
fn other_files_in_the_output_directory_are_kept() {
    let fx = Fixture::new();
    let dir = fx.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), b"keep me").unwrap();
    // A file with the name the object would get.
    std::fs::write(dir.join("__main__.o"), b"not ours").unwrap();

    let o = fx.build(&["--all", "-o", "out", "app.s6prof"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest = read_manifest(&dir.join(MANIFEST_FILE)).unwrap();
    assert_eq!(manifest.objects.len(), 1);
    let ours = manifest.objects[0].file.clone();
    assert_ne!(ours, "__main__.o");
    assert_eq!(std::fs::read(dir.join("__main__.o")).unwrap(), b"not ours");
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"keep me");
    let after_first = names_in(&dir);

    // A rebuild replaces its own object (same name) and nothing else.
    let o = fx.build(&["--all", "-o", "out", "app.s6prof"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names_in(&dir), after_first);
    let again = read_manifest(&dir.join(MANIFEST_FILE)).unwrap();
    assert_eq!(again.objects[0].file, ours);

    // A rebuild that compiles nothing removes its object only.
    let never = never_compiled(&fx);
    let o = fx.build(&["--all", "-o", "out", never.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        names_in(&dir),
        ["__main__.o", INDEX_FILE, MANIFEST_FILE, "notes.txt"]
    );

    // A damaged manifest is rebuilt; the files it may have named are kept.
    std::fs::write(dir.join(MANIFEST_FILE), b"S6MF\x01\x00").unwrap();
    let o = fx.build(&["--all", "-o", "out", "app.s6prof"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read_manifest(&dir.join(MANIFEST_FILE)).is_ok());
    assert_eq!(std::fs::read(dir.join("__main__.o")).unwrap(), b"not ours");
}

#[test]
fn min_share_must_be_a_share() {
    let fx = Fixture::new();
    for bad in ["2", "abc", "-0.5", "150%", "NaN", "inf", "", "1%%"] {
        let o = fx.build(&["--min-share", bad, "-o", "cache", "app.s6prof"]);
        error_with(&o, &["--min-share", "between 0 and 1"]);
    }
    assert!(!fx.path().join("cache").exists());
    let o = fx.build(&["--min-share=0.5%", "-o", "cache", "app.s6prof"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn nothing_to_compile_is_a_valid_empty_cache() {
    let fx = Fixture::new();
    never_compiled(&fx);
    let o = fx.build(&["--all", "--explain", "-o", "cache", "never.s6prof"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("compiled 0 of"), "{out}");
    assert!(
        out.contains("nothing compiled: the cache is empty"),
        "{out}"
    );
    assert!(out.contains("async generator"), "{out}");
    assert!(out.contains("skipped __main__.co"), "{out}");
    let manifest = read_manifest(&fx.path().join("cache").join(MANIFEST_FILE)).unwrap();
    assert!(manifest.objects.is_empty());

    // Cold code without --all: the advice is to lower the threshold.
    fx.edited("cold.s6prof", |_, p| {
        p.code.iter_mut().for_each(|c| c.inclusive_samples = 0);
    });
    let o = fx.build(&["-o", "cold", "cold.s6prof"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("lower --min-share or pass --all"),
        "{}",
        stdout(&o)
    );

    let Some(py) = venv_python() else {
        return eprintln!("skipped the runtime check: no .venv (run `make setup`)");
    };
    let run = |cache: &str| {
        std::process::Command::new(&py)
            .current_dir(fx.path())
            .env("S6_CACHE", cache)
            .arg("app.py")
            .output()
            .unwrap()
    };
    let o = run("cache");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "the runtime refused the empty cache");
    assert!(stdout(&o).starts_with("20000100000 1 1"), "{}", stdout(&o));
    // The same run refuses a damaged cache with a warning (so the check above means something).
    let mut m = manifest;
    m.native_abi += 1;
    write_manifest(&fx.path().join("cache").join(MANIFEST_FILE), &m).unwrap();
    let o = run("cache");
    assert!(o.status.success());
    assert!(stderr(&o).contains("s6: warning"), "{}", stderr(&o));
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let fx = Fixture::new();
    for args in [
        &["build", "--all", "--explain", "-o", "c1", "app.s6prof"][..],
        &["inspect", "ir", "app.s6prof", "--function", "g"][..],
        &["inspect", "asm", "c1", "--function", "g"][..],
    ] {
        let mut child = s6c()
            .current_dir(fx.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    // And through a real `| head -1`.
    let o = std::process::Command::new("sh")
        .current_dir(fx.path())
        .arg("-c")
        .arg(format!(
            "{} inspect asm c1 --function g | head -1",
            env!("CARGO_BIN_EXE_s6c")
        ))
        .output()
        .unwrap();
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stdout(&o));
    assert!(stdout(&o).contains("s6::__main__.g"), "{}", stdout(&o));
    assert_eq!(stderr(&o), "");
}
