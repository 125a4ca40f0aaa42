//! `s6c profile merge -o OUT A.s6prof B.s6prof...`: unites profiles of several runs or processes
//! of one program (see `s6_profiles::merge`), naming the offending file when they cannot be.

use std::path::PathBuf;

use anyhow::anyhow;
use s6_profiles::format::{read_profile, write_profile};
use s6_profiles::merge::{MergeError, merge};

#[derive(clap::Args)]
pub struct Args {
    /// Where to write the merged profile (may be one of the inputs).
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// Profiles to merge, all made with the same interpreter.
    #[arg(value_name = "PROFILE", required = true)]
    inputs: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let profiles = args
        .inputs
        .iter()
        .map(|p| read_profile(p))
        .collect::<Result<Vec<_>, _>>()?;
    let name = |i: usize| args.inputs[i].display().to_string();
    let (abi, merged) = merge(&profiles).map_err(|e| match e {
        MergeError::MixedAbi { index, first, found } => anyhow!(
            "cannot merge: {} was made by {found}, but {} by {first}: merge only profiles of one interpreter",
            name(index),
            name(0)
        ),
        MergeError::MixedInterval { index, first, found } => anyhow!(
            "cannot merge: {} was sampled every {found} us, but {} every {first} us: re-profile with the same --interval-us",
            name(index),
            name(0)
        ),
        MergeError::Inconsistent { index, qualname, filename, firstlineno, what } => anyhow!(
            "cannot merge: {} and an earlier input disagree about {qualname} ({filename}:{firstlineno}): same key, different {what}; one of them is damaged",
            name(index)
        ),
        MergeError::Empty => anyhow!("{e}"),
    })?;
    write_profile(&args.output, &merged, &abi)?;
    eprintln!(
        "s6c: merged {} profiles ({} runs, {} code objects) into {}",
        args.inputs.len(),
        merged.runs.len(),
        merged.code.len(),
        args.output.display()
    );
    Ok(())
}
