//! Runs every `tests/filetests/*.sj`: parse, run the pipeline named by `; run: a, b`, print,
//! and match the `; check:`/`; nextln:`/`; not:` directives (see `s6_strongjit::filecheck`)
//! against the result. The pipeline verifies after every pass (debug build).

use s6_strongjit::filecheck::{check, directives};
use s6_strongjit::{parse, print, run_pipeline};
use std::path::Path;

fn run_file(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let pipeline: Vec<&str> = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("; run:"))
        .ok_or("missing `; run: pass, ...` line")?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let dirs = directives(&text);
    if dirs.is_empty() {
        return Err("no check directives".into());
    }
    let mut f = parse(&text).map_err(|e| format!("parse: {e}"))?;
    run_pipeline(&mut f, &pipeline, None).map_err(|e| e.to_string())?;
    let out = print(&f);
    // The output must itself round-trip.
    let again = parse(&out).map_err(|e| format!("output does not parse: {e}\n{out}"))?;
    if again != f {
        return Err(format!("output does not round-trip\n{out}"));
    }
    check(&out, &dirs).map_err(|e| format!("{e}\n--- output ---\n{out}"))
}

#[test]
fn filetests() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/filetests");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sj"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 8,
        "expected the filetests in {}",
        dir.display()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|p| {
            run_file(p)
                .err()
                .map(|e| format!("{}: {e}", p.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} filetests failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}
