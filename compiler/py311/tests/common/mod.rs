//! Shared test support: running the Python interpreter (env `S6_PYTHON`, else `python3`) and
//! generating the code-object fixtures once per test binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn python() -> String {
    std::env::var("S6_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the interpreter with `args`, returning stdout; panics with stderr on failure.
pub fn run_python(args: &[&str]) -> String {
    let out = Command::new(python())
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} (set S6_PYTHON): {e}", python()));
    assert!(
        out.status.success(),
        "{} {:?} failed: {}",
        python(),
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Real stdlib modules covering functions, generators, coroutines, comprehensions, lambdas,
/// class bodies, closures, try/except/finally, with, match and big functions (EXTENDED_ARG).
pub const CORPUS: &[&str] = &[
    "json.decoder",
    "textwrap",
    "argparse",
    "collections",
    "dataclasses",
    "asyncio.tasks",
    "re._parser",
    "email._header_value_parser",
    "contextlib",
    "inspect",
    "typing",
    "pydoc_data.topics",
    "compiler/py311/tests/data/edge_cases.py",
];

pub fn fixtures() -> &'static serde_json::Value {
    static F: OnceLock<serde_json::Value> = OnceLock::new();
    F.get_or_init(|| dump_fixtures(CORPUS, true))
}

/// Runs `tools/dump_code_fixtures.py` over `modules` and parses its JSON.
pub fn dump_fixtures(modules: &[&str], adaptive: bool) -> serde_json::Value {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "s6-py311-fixtures-{}-{}.json",
        std::process::id(),
        modules.len()
    ));
    let script = repo_root().join("tools/dump_code_fixtures.py");
    let mut args = vec![script.to_str().unwrap(), path.to_str().unwrap()];
    if adaptive {
        args.push("--adaptive");
    }
    args.extend_from_slice(modules);
    run_python(&args);
    let text = std::fs::read_to_string(&path).expect("fixture file");
    let _ = std::fs::remove_file(&path);
    serde_json::from_str(&text).expect("fixture JSON")
}

pub fn hex(s: &serde_json::Value) -> Vec<u8> {
    let s = s.as_str().expect("hex string");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

pub fn u(v: &serde_json::Value) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("expected unsigned int, got {v}"))
}

/// Every code record of every module, with its module name.
pub fn code_records() -> Vec<(&'static str, &'static serde_json::Value)> {
    let mut out = Vec::new();
    for m in fixtures()["modules"].as_array().unwrap() {
        let name = m["module"].as_str().unwrap();
        for c in m["codes"].as_array().unwrap() {
            out.push((name, c));
        }
    }
    out
}

/// The interpreter's include directory (`sysconfig.get_paths()['include']`).
pub fn include_dir() -> PathBuf {
    PathBuf::from(
        run_python(&[
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['include'])",
        ])
        .trim(),
    )
}

/// Compiles `source` against the interpreter's headers (`-DPy_BUILD_CORE`, internal headers
/// visible) and returns the program's stdout. `None`, with the reason printed, when no C
/// compiler or headers are available.
pub fn run_c(name: &str, source: &str) -> Option<String> {
    let inc = include_dir();
    if !inc.join("internal/pycore_frame.h").exists() {
        println!("SKIP: no CPython internal headers under {}", inc.display());
        return None;
    }
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let src = dir.join(format!("{name}-{}.c", std::process::id()));
    let exe = dir.join(format!("{name}-{}", std::process::id()));
    std::fs::write(&src, source).unwrap();
    let status = Command::new(&cc)
        .arg(format!("-I{}", inc.display()))
        .arg(format!("-I{}", inc.join("internal").display()))
        .args(["-DPy_BUILD_CORE", "-DNDEBUG", "-o"])
        .arg(&exe)
        .arg(&src)
        .output();
    let out = match status {
        Err(e) => {
            println!("SKIP: cannot run C compiler {cc}: {e}");
            return None;
        }
        Ok(o) => o,
    };
    assert!(
        out.status.success(),
        "C compile failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().expect("run C program");
    let _ = std::fs::remove_file(&src);
    let _ = std::fs::remove_file(&exe);
    assert!(run.status.success(), "C program failed: {:?}", run.status);
    Some(String::from_utf8(run.stdout).unwrap())
}
