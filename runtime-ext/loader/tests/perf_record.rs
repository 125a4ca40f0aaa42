//! End to end with the real tool: `perf record -k 1 -e cpu-clock` on a hot native loop (this
//! test binary running `perf_child`), then `perf inject --jit` and `perf report` must attribute
//! most samples to the `s6::` symbol, with its Python `file:line`, and DWARF call graphs must
//! continue through the native frame into its caller. Skipped, with the reason
//! printed, where perf is absent or not permitted to record.

mod common;

use std::process::Command;

use common::{Body, object, resolver, spec};
use s6_loader::perf::Mode;
use s6_loader::{LoadOptions, LoadedObject};

const CHILD_ENV: &str = "S6_LOADER_PERF_CHILD";

#[test]
fn perf_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let bytes = object(&[spec("s6::perfrec.sum_to", 50, Body::SumTo)]);
    let opts = LoadOptions {
        gdb: false,
        perf: Mode::Jitdump,
    };
    let obj = LoadedObject::load_with(&bytes, "perfrec", &resolver(vec![]), &opts).unwrap();
    // SAFETY: (i64) -> i64.
    let f: extern "C" fn(i64) -> i64 =
        unsafe { std::mem::transmute(obj.symbol_address("s6::perfrec.sum_to").unwrap()) };
    let start = std::time::Instant::now();
    let mut total = 0i64;
    while start.elapsed().as_secs_f64() < 1.5 {
        total = total.wrapping_add(f(std::hint::black_box(1_000_000)));
    }
    assert_ne!(total, 0);
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if out.status.success() {
        Ok(text)
    } else {
        Err(text + &String::from_utf8_lossy(&out.stderr))
    }
}

#[test]
fn perf_attributes_samples_to_native_code() {
    if Command::new("perf").arg("--version").output().is_err() {
        println!("skipped: perf is not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("s6-loader-perf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("perf.data");
    let jit_data = dir.join("perf.jit.data");
    let exe = std::env::current_exe().unwrap();
    let recorded = run(Command::new("perf")
        .args([
            "record",
            "-q",
            "-k",
            "1",
            "-e",
            "cpu-clock",
            "-F",
            "250",
            "--call-graph",
            "dwarf,4096",
            "-o",
        ])
        .arg(&data)
        .arg("--")
        .arg(&exe)
        .args(["perf_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .env("JITDUMPDIR", &dir));
    if let Err(e) = recorded {
        println!("skipped: perf record is not permitted here: {e}");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    run(Command::new("perf")
        .args(["inject", "--jit", "-i"])
        .arg(&data)
        .arg("-o")
        .arg(&jit_data))
    .unwrap();
    let report = run(Command::new("perf")
        .args([
            "report",
            "--stdio",
            "--no-children",
            "--sort",
            "symbol,srcline",
            "-i",
        ])
        .arg(&jit_data))
    .unwrap();
    let script = run(Command::new("perf").args(["script", "-i"]).arg(&jit_data)).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let pct = |l: &str| {
        l.split_whitespace()
            .next()
            .and_then(|p| p.trim_end_matches('%').parse::<f64>().ok())
    };
    let ours: Vec<&str> = report
        .lines()
        .filter(|l| l.contains("s6::perfrec.sum_to"))
        .collect();
    let share: f64 = ours.iter().filter_map(|l| pct(l)).sum();
    println!("perf: {share:.1}% of samples in s6::perfrec.sum_to");
    assert!(share > 50.0, "samples in native code: {share}%\n{report}");
    assert!(
        ours.iter().any(|l| l.contains("testmod.py:51")),
        "no Python line:\n{report}"
    );
    // --call-graph dwarf unwinds through the native frame with the jitdump's unwind table.
    let chains: Vec<&str> = script
        .split("\n\n")
        .filter(|c| c.contains("s6::perfrec.sum_to"))
        .collect();
    let through = chains.iter().filter(|c| c.contains("perf_child")).count();
    println!(
        "perf: {through} of {} native samples unwound into the caller",
        chains.len()
    );
    assert!(
        through * 2 > chains.len(),
        "dwarf unwinding stops at the native frame"
    );
}
