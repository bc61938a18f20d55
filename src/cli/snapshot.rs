//! `feastops snapshot`: write a schema as a lock file.

use std::path::PathBuf;

use anyhow::{Result, bail};

use super::{EXIT_OK, output};
use crate::sources::{self, SourceSpec, lockfile};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema to snapshot (a registry.db, a lock file, a feature repo
    /// directory, or git:REF[:PATH]).
    #[arg(long, value_name = "SOURCE")]
    pub from: String,
    #[command(flatten)]
    pub repo: super::RepoArgs,
    /// Where to write the lock file (`-` for stdout).
    #[arg(short, long, value_name = "FILE", default_value = "schema.lock.json")]
    pub output: PathBuf,
    /// Keep only this project.
    #[arg(long)]
    pub project: Option<String>,
    #[command(flatten)]
    pub source: super::source_options::SourceArgs,
}

pub fn run(args: Args) -> Result<u8> {
    let spec = SourceSpec::parse(&args.from)?;
    let mut opts = args.source.options(args.project.as_deref());
    args.repo.apply(&mut opts, None);
    let mut registry = sources::load_with(&spec, &opts)?;
    if let Some(p) = &args.project
        && !registry.retain_project(p)
    {
        bail!("project `{p}` not found in {}", spec.display());
    }
    output::write_atomic(&args.output, &lockfile::to_bytes(&registry))?;
    Ok(EXIT_OK)
}
