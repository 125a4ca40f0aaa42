//! `s6c inspect asm CACHE_DIR --function QUALNAME`: disassembly (Intel syntax) of one compiled
//! function, annotated with bytecode indexes, Python `file:line`, call targets and exit sites.

use std::path::PathBuf;

use s6_compiler::driver;

#[derive(clap::Args)]
pub struct Args {
    /// Cache directory written by `s6c build`.
    cache_dir: PathBuf,
    /// `qualname` or `module.qualname`, optionally `#firstlineno`.
    #[arg(long, value_name = "QUALNAME")]
    function: String,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let text = driver::inspect_asm(&args.cache_dir, &args.function).map_err(anyhow::Error::msg)?;
    // A closed pipe (`| head`) is not an error.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    Ok(())
}
