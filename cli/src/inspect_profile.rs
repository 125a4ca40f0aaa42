//! `s6c inspect_profile` (not implemented yet).

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("'inspect_profile' is not implemented yet")
}
