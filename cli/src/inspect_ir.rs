//! `s6c inspect_ir` (not implemented yet).

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("'inspect_ir' is not implemented yet")
}
