//! `s6c inspect_asm` (not implemented yet).

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("'inspect_asm' is not implemented yet")
}
