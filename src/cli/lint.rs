//! `feastops lint`: compare a proposed schema with a baseline.

use std::io::Write;

use anyhow::Result;

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::lint::{CompareOptions, compare};
use crate::report::{self, FailOn};
use crate::sources::{self, SourceSpec};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The baseline: what production serves now (a registry.db, a lock file,
    /// `registry` for the repo's live registry, a feature_store.yaml, or a
    /// postgresql://, mysql://, sqlite://, s3://, gs://, az://, grpc:// URL).
    #[arg(long, value_name = "SOURCE")]
    pub against: String,
    /// The proposed schema (a registry.db or a lock file).
    #[arg(long, value_name = "SOURCE")]
    pub proposed: String,
    /// Compare only this project (default: every project on either side).
    #[arg(long)]
    pub project: Option<String>,
    /// Exit 1 when a finding at or above this level exists.
    #[arg(long, value_enum, default_value_t = FailOnArg::Error)]
    pub fail_on: FailOnArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub source: super::source_options::SourceArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(a: FailOnArg) -> FailOn {
        match a {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> Result<u8> {
    // Read both sides before printing anything: an unreadable baseline must
    // never look like "no changes".
    let opts = args.source.options(args.project.as_deref());
    // `--against registry` reads the live registry of the proposed repo.
    let proposed_dir = std::path::Path::new(&args.proposed);
    let repo_dir = proposed_dir.is_dir().then_some(proposed_dir);
    let against = SourceSpec::parse_in(&args.against, repo_dir)?;
    let old = sources::load_with(&against, &opts)?;
    let new = sources::load_with(&SourceSpec::parse(&args.proposed)?, &opts)?;
    let findings = compare(
        &old,
        &new,
        &CompareOptions {
            project: args.project.clone(),
            live_baseline: against.is_live(),
        },
    )?;
    let fail_on = FailOn::from(args.fail_on);
    let rendered = match args.format {
        Format::Text => report::text::render(&findings, fail_on),
        Format::Json => report::json::render(&findings),
    };
    let mut out = anstream::stdout().lock();
    out.write_all(rendered.as_bytes())?;
    Ok(if fail_on.fails(&findings) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
