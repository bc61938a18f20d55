//! `feastops check-models`: is this model servable by this service? Checks
//! models against one schema, without a baseline (for a model's own CI).

use std::path::Path;

use anyhow::{Result, bail};

use super::formats::{self, FormatSpec};
use super::lint::FailOnArg;
use super::models::{ModelArgs, Models};
use super::{EXIT_FINDINGS, EXIT_OK};
use crate::config;
use crate::policy::{self, Policy};
use crate::report::{Context, FailOn};
use crate::sources::{self, SourceSpec};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema that serves the models (a feature repo directory, a
    /// registry.db, a lock file, git:REF[:PATH], or any live registry URL
    /// `lint --against` takes).
    #[arg(value_name = "SOURCE")]
    pub source: String,
    #[command(flatten)]
    pub models: ModelArgs,
    /// Look services up in this project only.
    #[arg(long)]
    pub project: Option<String>,
    /// Exit 1 when a finding at or above this level exists [default: the
    /// config's `fail-on`, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Output format, optionally with its file: `--format sarif=models.sarif`.
    /// Repeatable; at most one format may write to stdout [default: text].
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = formats::parse_spec)]
    pub format: Vec<FormatSpec>,
    /// Configuration file (its `models.bind` and rule levels apply)
    /// [default: .feastops.yaml in SOURCE's directory, then in the working
    /// directory].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<std::path::PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,
    #[command(flatten)]
    pub repo: super::RepoArgs,
    #[command(flatten)]
    pub source_args: super::source_options::SourceArgs,
}

pub fn run(args: Args) -> Result<u8> {
    let plan = formats::plan(&args.format, &[], &[], &[])?;
    let dir = Path::new(&args.source);
    let dir = if dir.is_dir() {
        Some(dir)
    } else {
        dir.parent()
    };
    let loaded = if args.no_config {
        None
    } else {
        let dirs = policy::default_config_dirs(dir);
        let dirs: Vec<&Path> = dirs.iter().map(|d| d.as_path()).collect();
        match config::discover(args.config.as_deref(), &dirs) {
            Some(p) => Some(config::load(&p)?),
            None => None,
        }
    };
    let policy = Policy::new(loaded.as_ref(), None)?;
    let models = Models::resolve(&args.models, loaded.as_ref())?;
    if models.is_empty() {
        bail!(
            "no model to check: pass --model SERVICE=PATH or list models under `models.bind` in .feastops.yaml"
        );
    }
    let spec = SourceSpec::parse(&args.source)?;
    let mut opts = args.source_args.options(args.project.as_deref());
    let repo_dir = match &spec {
        SourceSpec::Repo(d) => Some(d.clone()),
        _ => None,
    };
    args.repo.apply(&mut opts, repo_dir);
    let schema = sources::load_with(&spec, &opts)?;
    for note in &schema.notes {
        eprintln!("info: {}: {note}", spec.display());
    }
    let findings = models.check(&schema, args.project.as_deref())?;
    let mut outcome = policy.apply(
        findings,
        &policy::Inputs {
            repo_dir: None,
            display_prefix: "",
            proposed: &schema,
        },
    );
    models.after_policy(&mut outcome, "", &[&schema]);
    let fail_on = args
        .fail_on
        .map(FailOn::from)
        .or(policy.fail_on)
        .unwrap_or_default();
    let fallback = models.bindings[0].path.to_string_lossy().to_string();
    let ctx = Context {
        fail_on,
        mode: policy.mode.as_str(),
        suppressed: &outcome.suppressed,
        tool_version: env!("CARGO_PKG_VERSION"),
        fallback_artifact: Some(&fallback),
    };
    super::lint::emit(&plan, &outcome.findings, &ctx)?;
    Ok(if fail_on.fails(&outcome.findings) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
