//! `s6c`: the command-line front of the toolchain. One file per subcommand; this file only
//! parses the command line and dispatches, and turns any error into one line on stderr.

mod build;
mod inspect_asm;
mod inspect_ir;
mod inspect_profile;
mod merge;
mod profile;
mod report;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "s6c",
    version,
    about = "Ahead-of-time, profile-guided native compiler for CPython 3.11"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a program under the profiler (or merge profiles: `s6c profile merge`).
    Profile(profile::Args),
    /// Compile the hot code of one or more profiles into a cache directory.
    Build(build::Args),
    /// What production did with the cache (S6_STATS reports), and what to do about it.
    Report(report::Args),
    /// Show what a stage produced.
    #[command(subcommand)]
    Inspect(Inspect),
}

#[derive(Subcommand)]
enum Inspect {
    /// The hottest functions of a profile, or one function's feedback beside its bytecode.
    Profile(inspect_profile::Args),
    /// strongjit IR of one function, before or after a pass.
    Ir(inspect_ir::Args),
    /// Disassembly of one compiled function, annotated with bytecode offsets and Python lines.
    Asm(inspect_asm::Args),
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => usage_error(err),
    };
    let result = match cli.command {
        Command::Profile(args) => profile::run(args),
        Command::Build(args) => build::run(args),
        Command::Report(args) => report::run(args),
        Command::Inspect(Inspect::Profile(args)) => inspect_profile::run(args),
        Command::Inspect(Inspect::Ir(args)) => inspect_ir::run(args),
        Command::Inspect(Inspect::Asm(args)) => inspect_asm::run(args),
    };
    if let Err(err) = result {
        // One line: the outermost context first, then its causes.
        eprintln!("s6c: error: {err:#}");
        std::process::exit(2);
    }
}

/// Help and version go to stdout as clap prints them; a usage mistake is one line on stderr
/// (clap's first line, without its usage block) and exit status 2, like every other error.
fn usage_error(err: clap::Error) -> ! {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit();
    }
    // clap's message runs until its usage block; fold it onto one line.
    let text = err.render().to_string();
    let what: Vec<&str> = text
        .lines()
        .take_while(|l| !l.starts_with("Usage:"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let what = what.join(" ");
    let what = what.strip_prefix("error: ").unwrap_or(&what);
    eprintln!("s6c: error: {what}; see `s6c --help`");
    std::process::exit(2);
}
