//! `s6c build -o CACHE_DIR [--all] [--min-share F] [--explain] PROFILE...`: compile the hot
//! code of one or more profiles (of one interpreter) into a cache directory. The work is in
//! `s6_compiler::driver`; this file parses arguments, draws the progress bar and prints the
//! summary.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use s6_compiler::driver::{self, BuildOptions};

#[derive(clap::Args)]
pub struct Args {
    /// Cache directory to write (created if missing; objects of an earlier build are replaced).
    #[arg(short = 'o', long = "output", value_name = "CACHE_DIR")]
    out: PathBuf,
    /// Compile every code object in the profile, however cold.
    #[arg(long)]
    all: bool,
    /// Compile code objects with at least this inclusive share of the samples: a fraction
    /// (`0.01`) or a percentage (`1%`). Default 1%.
    #[arg(long, value_name = "F", value_parser = parse_share, default_value = "0.01")]
    min_share: f64,
    /// List every skipped function with its reason.
    #[arg(long)]
    explain: bool,
    /// Worker threads (default: all CPUs).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Profiles (`.s6prof`) to build from; several are merged.
    #[arg(required = true, value_name = "PROFILE")]
    profiles: Vec<PathBuf>,
}

fn parse_share(s: &str) -> Result<f64, String> {
    let (num, scale) = match s.strip_suffix('%') {
        Some(n) => (n, 0.01),
        None => (s, 1.0),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    let v = v * scale;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "`{s}` is not a share between 0 and 1 (or 0% and 100%)"
        ))
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (abi, profile) = driver::read_profiles(&args.profiles)?;
    let mut opts = BuildOptions::new(&args.out);
    opts.all = args.all;
    opts.min_share = args.min_share;
    opts.threads = args.jobs;

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
    let report = driver::build(&abi, &profile, &opts, &progress)
        .with_context(|| format!("building {}", args.out.display()))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
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
    }
    Ok(())
}
