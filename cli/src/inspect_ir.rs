//! `s6c inspect ir PROFILE --function QUALNAME [--after PASS]`: the strongjit IR of one
//! function as `s6c build` would compile it, annotated with its Python source lines.

use std::path::PathBuf;

use s6_compiler::driver;

#[derive(clap::Args)]
pub struct Args {
    /// The profile (`.s6prof`).
    profile: PathBuf,
    /// `qualname` or `module.qualname`, optionally `#firstlineno`.
    #[arg(long, value_name = "QUALNAME")]
    function: String,
    /// Show the IR right after this pass of the pipeline (`input`: before any pass).
    #[arg(long, value_name = "PASS")]
    after: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (_, profile) = driver::read_profiles(std::slice::from_ref(&args.profile))?;
    let text = driver::inspect_ir(&profile, &args.function, args.after.as_deref())
        .map_err(anyhow::Error::msg)?;
    // A closed pipe (`| head`) is not an error.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    Ok(())
}
