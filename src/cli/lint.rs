//! `feastops lint`: compare a proposed schema with a baseline.

use std::io::Write;

use anyhow::Result;

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::lint::{CompareOptions, compare};
use crate::report::{self, FailOn};
use crate::sources::{self, SourceSpec};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The proposed feature repo directory (the one holding
    /// feature_store.yaml), read statically.
    #[arg(value_name = "REPO_DIR", conflicts_with = "proposed")]
    pub repo_dir: Option<String>,
    /// The baseline: what production serves now (a registry.db, a lock file,
    /// a feature repo directory, or git:REF[:PATH]).
    #[arg(long, value_name = "SOURCE")]
    pub against: String,
    /// The proposed schema, instead of REPO_DIR (same kinds of source as
    /// --against).
    #[arg(long, value_name = "SOURCE")]
    pub proposed: Option<String>,
    #[command(flatten)]
    pub repo: super::RepoArgs,
    /// Compare only this project (default: every project on either side).
    #[arg(long)]
    pub project: Option<String>,
    /// Exit 1 when a finding at or above this level exists.
    #[arg(long, value_enum, default_value_t = FailOnArg::Error)]
    pub fail_on: FailOnArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
    let proposed = args
        .proposed
        .as_deref()
        .or(args.repo_dir.as_deref())
        .unwrap_or(".");
    let new_spec = SourceSpec::parse(proposed)?;
    let opts = args.repo.load_options(match &new_spec {
        SourceSpec::Repo(dir) => Some(dir.clone()),
        _ => None,
    });
    let old_spec = SourceSpec::parse(&args.against)?;
    // The two sides are independent: read them on two threads.
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(|| sources::load_with(&old_spec, &opts));
        let new = sources::load_with(&new_spec, &opts);
        (old.join().expect("loading a source never panics"), new)
    });
    let (old, new) = (old?, new?);
    let findings = compare(
        &old,
        &new,
        &CompareOptions {
            project: args.project.clone(),
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
