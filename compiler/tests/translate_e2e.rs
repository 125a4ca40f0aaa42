//! End to end through the real pipeline: programs exercising the translator's opcodes and
//! helpers (`tests/golden/translate/e2e/*.py`, one of them driving ~3400 standard-library
//! functions) are profiled, built with `s6c build --all` and
//! run with the cache, normally and (from a `--stress-guards` build) with `S6_DEOPT_STRESS`; stdout, stderr and exit status must
//! equal the plain interpreter's and native code must have run. Needs the installed toolchain
//! (`make setup` puts `s6c` and the runtime in `.venv`); without it the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn venv_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin")
}

fn run(cmd: &mut Command) -> Output {
    cmd.env_remove("S6_CACHE").output().expect("spawn")
}

fn same(what: &str, a: &Output, b: &Output) {
    assert_eq!(a.status.code(), b.status.code(), "{what}: exit status");
    assert_eq!(
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&b.stdout),
        "{what}: stdout"
    );
    assert_eq!(
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr),
        "{what}: stderr"
    );
}

fn native_entries(stats: &Path) -> u64 {
    let text = std::fs::read_to_string(stats).expect("S6_STATS report");
    let key = "\"native_entries\":";
    let at = text.find(key).expect("native_entries key") + key.len();
    text[at..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn check_program(name: &str, include_libs: bool) {
    let bin = venv_bin();
    let dir = tempfile::tempdir().unwrap();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/translate/e2e")
        .join(name);
    let prog = dir.path().join(name);
    std::fs::copy(&src, &prog).unwrap();
    let py = bin.join("python");
    let plain = run(Command::new(&py).arg(&prog).current_dir(dir.path()));
    let profile = dir.path().join("p.s6prof");
    let mut cmd = Command::new(bin.join("s6c"));
    cmd.arg("profile");
    if include_libs {
        cmd.arg("--include-libs");
    }
    let p = run(cmd
        .arg("-o")
        .arg(&profile)
        .arg(&prog)
        .current_dir(dir.path()));
    assert!(
        p.status.success(),
        "profile: {}",
        String::from_utf8_lossy(&p.stderr)
    );
    // The production build, and one with stress polls in front of every guard for the
    // stress runs.
    let build = |cache: &Path, flags: &[&str]| {
        let b = run(Command::new(bin.join("s6c"))
            .args(["build", "--all"])
            .args(flags)
            .arg("-o")
            .arg(cache)
            .arg(&profile));
        assert!(
            b.status.success(),
            "build: {}",
            String::from_utf8_lossy(&b.stderr)
        );
        String::from_utf8_lossy(&b.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    };
    let cache = dir.path().join("cache");
    let stress_cache = dir.path().join("cache_stress");
    eprintln!("{name}: {}", build(&cache, &[]));
    build(&stress_cache, &["--stress-guards"]);
    for stress in [None, Some("1"), Some("3")] {
        let stats = dir.path().join("stats.json");
        let mut cmd = Command::new(&py);
        cmd.arg(&prog)
            .current_dir(dir.path())
            .env("S6_STATS", &stats);
        if let Some(n) = stress {
            cmd.env("S6_DEOPT_STRESS", n);
        }
        let cache = if stress.is_some() {
            &stress_cache
        } else {
            &cache
        };
        let got = cmd.env("S6_CACHE", cache).output().unwrap();
        same(&format!("{name} stress={stress:?}"), &plain, &got);
        let entries = native_entries(&stats);
        eprintln!("{name} stress={stress:?}: {entries} native entries");
        assert!(entries > 0, "{name}: no native code ran");
    }
}

#[test]
fn compiled_programs_behave_like_the_interpreter() {
    if !venv_bin().join("s6c").exists() {
        eprintln!("translate_e2e: .venv/bin/s6c missing (run `make setup`); not run");
        return;
    }
    check_program("opcodes.py", false);
    check_program("settrace.py", false);
    // ~3400 standard-library functions (argparse, json, re, difflib, dataclasses, ...).
    check_program("stdlib_app.py", true);
}
