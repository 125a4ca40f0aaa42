//! `s6c`: the command-line front of the toolchain. One file per subcommand; this file only
//! parses the command line and dispatches, and turns any error into one line on stderr.

mod build;
mod inspect_asm;
mod inspect_ir;
mod inspect_profile;
mod merge;
mod profile;

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
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Profile(args) => profile::run(args),
        Command::Build(args) => build::run(args),
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
