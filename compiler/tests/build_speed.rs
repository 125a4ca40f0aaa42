//! Build speed and coverage on real code nobody here wrote: every pyperformance benchmark
//! program found in `.venv` plus a set of stdlib modules, all code objects, `--all`.
//! Ignored by default (slow in debug builds); run with
//! `cargo test -p s6-compiler --release --test build_speed -- --ignored --nocapture`.
//! With `S6_WRITE_PROFILE=path` the profile is also written there (for `s6c build`).

mod build_support;
mod emit_common;

use build_support::*;
use emit_common::libpython_exports;
use object::{Object, ObjectSymbol};
use s6_compiler::driver::{self, BuildOptions};

const STDLIB: &[&str] = &[
    "json/decoder",
    "json/encoder",
    "argparse",
    "difflib",
    "textwrap",
    "string",
    "fractions",
    "statistics",
    "heapq",
    "bisect",
    "random",
    "csv",
    "pprint",
    "dataclasses",
    "enum",
    "functools",
    "collections/__init__",
    "ipaddress",
    "shlex",
    "tokenize",
    "ast",
    "inspect",
    "pathlib",
    "email/_header_value_parser",
    "decimal",
    "_pydecimal",
    "calendar",
    "configparser",
    "gettext",
];

fn sources() -> Vec<(String, String)> {
    let lib = std::process::Command::new(python())
        .args([
            "-c",
            "import sysconfig;print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let mut files: Vec<(String, String)> = STDLIB
        .iter()
        .map(|m| {
            (
                m.replace('/', ".").trim_end_matches(".__init__").to_owned(),
                format!("{lib}/{m}.py"),
            )
        })
        .filter(|(_, p)| std::path::Path::new(p).exists())
        .collect();
    let bench = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../.venv/lib/python3.11/site-packages/pyperformance/data-files/benchmarks"
    );
    if let Ok(dirs) = std::fs::read_dir(bench) {
        for d in dirs.flatten() {
            if let Ok(fs) = std::fs::read_dir(d.path()) {
                for f in fs.flatten() {
                    let p = f.path();
                    if p.extension().is_some_and(|e| e == "py") {
                        let module = format!(
                            "{}.{}",
                            d.file_name().to_string_lossy(),
                            p.file_stem().unwrap().to_string_lossy()
                        );
                        files.push((module, p.to_string_lossy().into_owned()));
                    }
                }
            }
        }
    }
    files.sort();
    files
}

#[test]
#[ignore]
fn build_all_of_real_code() {
    let Some(abi) = abi() else {
        return eprintln!("skipped: no python3");
    };
    let files = sources();
    let profile = profile_of(&files).expect("profile");
    if let Ok(path) = std::env::var("S6_WRITE_PROFILE") {
        s6_profiles::format::write_profile(std::path::Path::new(&path), &profile, &abi).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    for threads in [1, 2] {
        let mut opts = BuildOptions::new(dir.path().join(format!("cache{threads}")));
        opts.all = true;
        opts.threads = threads;
        let r = driver::build(&abi, &profile, &opts, &|_, _| {}).unwrap();
        println!("{} files; threads={threads}: {}", files.len(), r.summary());
        println!(
            "  compile phase {:.2}s for {} functions = {:.0}/s ({:.0}/s/thread); total {:.2}s, {} objects",
            r.compile_time.as_secs_f64(),
            r.attempted,
            r.speed(),
            r.speed() / threads as f64,
            r.total_time.as_secs_f64(),
            r.objects
        );
        assert!(
            r.compiled.len() * 2 > r.attempted,
            "most functions should compile"
        );
        // Every import of every object is a libpython export or a runtime helper.
        let exports = libpython_exports();
        for e in std::fs::read_dir(dir.path().join(format!("cache{threads}")))
            .unwrap()
            .flatten()
        {
            if e.path().extension().is_none_or(|x| x != "o") {
                continue;
            }
            let bytes = std::fs::read(e.path()).unwrap();
            let file = object::File::parse(&*bytes).unwrap();
            for s in file
                .symbols()
                .filter(|s| s.is_undefined() && !s.name().unwrap().is_empty())
            {
                let name = s.name().unwrap();
                let ok =
                    name.starts_with("s6_rt_") || exports.as_ref().is_none_or(|x| x.contains(name));
                assert!(ok, "{name} in {}", e.path().display());
            }
        }
    }
}
