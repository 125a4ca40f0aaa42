//! `s6c build -o CACHE_DIR [--all] [--min-share F] [--explain] [--skip-pass PASS] [--stress-guards] PROFILE...`: compile the hot
//! code of one or more profiles (of one interpreter) into a cache directory. The work is in
//! `s6_compiler::driver`; this file parses arguments, draws the progress bar and prints the
//! summary.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use s6_compiler::driver::{self, BuildOptions};

#[derive(clap::Args)]
pub struct Args {
    /// Cache directory to write (created if missing; a rebuild replaces only the objects its
    /// earlier manifest named, and never touches other files).
    #[arg(short = 'o', long = "output", value_name = "CACHE_DIR")]
    out: PathBuf,
    /// Compile every code object in the profile, however cold.
    #[arg(long)]
    all: bool,
    /// Compile code objects with at least this inclusive share of the samples: a fraction
    /// (`0.01`) or a percentage (`1%`). Default 1%.
    // Parsed in `run`, so that a bad value is one error line like every other error.
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    min_share: Option<String>,
    /// List every skipped function with its reason.
    #[arg(long)]
    explain: bool,
    /// Worker threads (default: all CPUs).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Leave this optimization pass out of the pipeline (repeatable; `s6c inspect ir` lists
    /// the pipeline): to measure what a pass buys, or to work around a suspected miscompile.
    #[arg(long = "skip-pass", value_name = "PASS")]
    skip_pass: Vec<String>,
    /// Put an `S6_DEOPT_STRESS` poll in front of every guard, so that a run under
    /// `S6_DEOPT_STRESS=N` also fails guards on purpose (for testing; production builds
    /// leave the polls out).
    #[arg(long)]
    stress_guards: bool,
    /// Profiles (`.s6prof`) to build from; several are merged.
    #[arg(required = true, value_name = "PROFILE")]
    profiles: Vec<PathBuf>,
}

/// `0.01` or `1%` -> 0.01; anything outside 0..=1 (or not a number) is refused.
fn parse_share(s: &str) -> anyhow::Result<f64> {
    let (num, scale) = match s.strip_suffix('%') {
        Some(n) => (n, 0.01),
        None => (s, 1.0),
    };
    let share = num.trim().parse::<f64>().ok().map(|v| v * scale);
    match share {
        Some(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => anyhow::bail!(
            "--min-share `{s}` is not a share between 0 and 1: give a fraction like 0.01 or a percentage like 1%"
        ),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let min_share = match &args.min_share {
        Some(s) => parse_share(s)?,
        None => driver::DEFAULT_MIN_SHARE,
    };
    let (abi, profile) = driver::read_profiles(&args.profiles)?;
    let mut opts = BuildOptions::new(&args.out);
    opts.all = args.all;
    opts.min_share = min_share;
    opts.threads = args.jobs;
    opts.stress_guards = args.stress_guards;
    for name in &args.skip_pass {
        let before = opts.pipeline.len();
        opts.pipeline.retain(|p| p != name);
        if opts.pipeline.len() == before {
            anyhow::bail!(
                "--skip-pass `{name}` is not a pass of the pipeline (it has: {})",
                BuildOptions::new(&args.out).pipeline.join(", ")
            );
        }
    }

    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} compiling [{bar:40}] {pos}/{len} {per_sec}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar
    });
    let progress = |done: usize, total: usize| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let result = driver::build(&abi, &profile, &opts, &progress);
    // Cleared before the error line too, so that it stands alone.
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // Build errors name the file or directory they are about.
    let report = result?;
    // Write errors (a closed pipe: `s6c build ... | head`) are not build errors.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", report.summary());
    let per_core = report
        .speed_per_core()
        .map_or_else(String::new, |s| format!(", {s:.0} per CPU-second"));
    let _ = writeln!(
        out,
        "{} object(s) in {}; {} function(s) through the compiler in {:.2}s on {} thread(s): {:.0} functions/s{per_core} (translate+passes {:.2}s, lower+codegen {:.2}s)",
        report.objects,
        args.out.display(),
        report.attempted,
        report.compile_time.as_secs_f64(),
        report.threads,
        report.speed(),
        report.ir_time.as_secs_f64(),
        report.codegen_time.as_secs_f64(),
    );
    if report.compiled.is_empty() {
        let _ = writeln!(out, "{}", nothing_compiled(&report, args.all, args.explain));
    }
    if let Some(note) = unseen_share(&profile) {
        let _ = writeln!(out, "{note}");
    }
    if args.explain {
        let mut skipped: Vec<_> = report.skipped.iter().collect();
        skipped.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, reason) in skipped {
            let _ = writeln!(
                out,
                "skipped {} ({}:{}): {reason}",
                driver::full_name(key),
                key.filename,
                key.firstlineno
            );
        }
        for d in &report.inlining {
            let (caller, callee) = (driver::full_name(&d.caller), driver::full_name(&d.callee));
            let _ = match &d.refusal {
                None => writeln!(out, "inlined {callee} into {caller} (code unit {})", d.at),
                Some(why) => writeln!(
                    out,
                    "not inlined: {callee} into {caller} (code unit {}): {why}",
                    d.at
                ),
            };
        }
    }
    Ok(())
}

/// Samples whose code the profile does not hold cannot be compiled: says how many there were
/// and, when the profile holds no library code, which flag records it. Quiet below 20%.
pub(crate) fn unseen_share(profile: &s6_profiles::model::Profile) -> Option<String> {
    let total = profile.total_samples;
    if total < 20 {
        return None;
    }
    let seen: u64 = profile.code.iter().map(|c| c.self_samples).sum();
    let outside = 1.0 - seen.min(total) as f64 / total as f64;
    if outside < 0.2 {
        return None;
    }
    let pct = outside * 100.0;
    Some(if profile.code.iter().any(|c| c.is_library) {
        format!(
            "note: {pct:.0}% of the samples were in code the profile does not hold (C code, or code that ran before the profiler saw it): no cache can speed that part up"
        )
    } else {
        format!(
            "note: {pct:.0}% of the samples were outside the program's own files (libraries, the standard library, C code), which this profile did not record: re-profile with `s6c profile --include-libs` to compile hot library functions too"
        )
    })
}

/// Why a build compiled nothing, and what would change that; the cache it wrote is empty but
/// valid (the runtime loads it and runs everything in the interpreter).
fn nothing_compiled(report: &driver::BuildReport, all: bool, explain: bool) -> String {
    let cold = report
        .skipped
        .iter()
        .any(|(_, r)| matches!(r, driver::SkipReason::Cold { .. }));
    let hint = if report.total == 0 {
        "the profile holds no code objects (did the program run long enough to be sampled?)"
    } else if cold && !all {
        "lower --min-share or pass --all to compile colder code"
    } else if explain {
        "the reasons are listed below"
    } else {
        "pass --explain to see each function's reason"
    };
    format!("nothing compiled: the cache is empty and the program will run as before; {hint}")
}

#[cfg(test)]
mod tests {
    use s6_profiles::model::{CodeKey, CodeProfile, Profile};

    fn profile(total: u64, own: u64, library: Option<u64>) -> Profile {
        let code = |qualname: &str, samples: u64, is_library: bool| CodeProfile {
            key: CodeKey {
                filename: format!("{qualname}.py"),
                module: "m".into(),
                qualname: qualname.into(),
                firstlineno: 1,
                marshal_hash: 0,
            },
            marshal: vec![],
            is_library,
            self_samples: samples,
            inclusive_samples: samples,
            sites: vec![],
        };
        let mut codes = vec![code("own", own, false)];
        codes.extend(library.map(|n| code("lib", n, true)));
        Profile {
            runs: vec![],
            sample_interval_us: 1000,
            total_samples: total,
            snapshots: 1,
            code: codes,
        }
    }

    #[test]
    fn unseen_library_time_names_the_flag() {
        let note = super::unseen_share(&profile(100, 10, None)).unwrap();
        assert!(note.starts_with("note: 90% of the samples"), "{note}");
        assert!(note.contains("--include-libs"), "{note}");
        let note = super::unseen_share(&profile(100, 10, Some(40))).unwrap();
        assert!(
            note.contains("50%") && !note.contains("--include-libs"),
            "{note}"
        );
        assert_eq!(super::unseen_share(&profile(100, 85, None)), None);
        assert_eq!(
            super::unseen_share(&profile(10, 0, None)),
            None,
            "too few samples to say"
        );
    }
}
