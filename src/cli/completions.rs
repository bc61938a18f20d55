//! `feastops completions SHELL`: shell completion scripts.

use anyhow::Result;
use clap::CommandFactory;

use super::{Cli, EXIT_OK};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args) -> Result<u8> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "feastops", &mut std::io::stdout());
    Ok(EXIT_OK)
}
