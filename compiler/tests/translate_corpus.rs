//! Corpus test: every code object of ~30 real standard-library modules (compiled by the
//! interpreter at test time) must translate to IR that verifies, or be skipped with a stated
//! reason. Prints the counts (`cargo test -p s6-compiler --test translate_corpus -- --nocapture`).

mod translate_common;

use s6_compiler::translate::{TranslateError, translate};
use s6_py311::marshal::load_code;
use std::collections::BTreeMap;

const MODULES: &[&str] = &[
    "argparse",
    "ast",
    "base64",
    "bisect",
    "calendar",
    "collections",
    "configparser",
    "contextlib",
    "copy",
    "csv",
    "dataclasses",
    "datetime",
    "decimal",
    "difflib",
    "email.message",
    "enum",
    "fractions",
    "functools",
    "gettext",
    "heapq",
    "inspect",
    "ipaddress",
    "json.decoder",
    "json.encoder",
    "logging",
    "pathlib",
    "pickle",
    "pprint",
    "random",
    "re._parser",
    "shlex",
    "statistics",
    "string",
    "tarfile",
    "textwrap",
    "threading",
    "tokenize",
    "typing",
    "urllib.parse",
    "uuid",
    "zipfile",
];

#[test]
fn stdlib_corpus_translates_or_is_skipped_with_a_reason() {
    let all = translate_common::from_modules(MODULES);
    assert!(
        all.len() > 3000,
        "expected thousands of code objects, got {}",
        all.len()
    );
    let mut compiled = 0usize;
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut deopts: BTreeMap<String, usize> = BTreeMap::new();
    let mut insts = 0usize;
    for m in &all {
        let code = load_code(&m.bytes).expect("marshal");
        let symbol = format!("s6::{}.{}", m.origin, m.qualname);
        match translate(&code, &[], &symbol) {
            Ok(f) => {
                compiled += 1;
                let text = s6_strongjit::print(&f);
                insts += text.lines().count();
                for line in text
                    .lines()
                    .filter(|l| l.trim_start().starts_with("deopt "))
                {
                    if let Some(r) = line.split('"').nth(1) {
                        *deopts.entry(r.to_string()).or_default() += 1;
                    }
                }
            }
            Err(TranslateError::Skip { reason }) => {
                *skipped
                    .entry(reason.split(':').next().unwrap().to_string())
                    .or_default() += 1;
            }
            Err(e) => failures.push(format!("{symbol}: {e}")),
        }
    }
    println!("modules: {}  code objects: {}", MODULES.len(), all.len());
    println!("translated and verified: {compiled} ({insts} IR lines)");
    for (reason, n) in &skipped {
        println!("skipped ({reason}): {n}");
    }
    for (reason, n) in &deopts {
        println!("deopt sites {reason}: {n}");
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        compiled * 2 > all.len(),
        "most code objects are plain functions"
    );
}
