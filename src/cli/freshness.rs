//! `feastops freshness SOURCE`: report online feature views whose materialized data is
//! older than their ttl (or `--max-age`); exit 1 when any is stale or never materialized.

use anyhow::{Context, Result, bail};

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::freshness::{self, report};
use crate::sources::{self, SourceSpec};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// Prometheus text exposition (node_exporter textfile collector, Pushgateway).
    Prometheus,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The live registry: a registry.db, a SQL URL, an s3:// gs:// az:// object, a
    /// grpc:// registry server, or a feature_store.yaml naming one.
    #[arg(value_name = "SOURCE")]
    pub source: String,
    /// Allowed age for every view (e.g. 90m, 2h, 1d) instead of each view's ttl.
    #[arg(long, value_name = "AGE")]
    pub max_age: Option<String>,
    /// Only this project's views.
    #[arg(long)]
    pub project: Option<String>,
    /// Measure ages at this RFC 3339 time instead of now (reproducible reports).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub source_args: super::source_options::SourceArgs,
}

pub fn run(args: &Args) -> Result<u8> {
    let max_age = args
        .max_age
        .as_deref()
        .map(freshness::parse_duration)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--max-age {e}"))?;
    let now = match &args.now {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .with_context(|| {
                format!("--now `{t}` is not an RFC 3339 time (e.g. 2026-01-31T12:00:00Z)")
            })?
            .timestamp(),
        None => chrono::Utc::now().timestamp(),
    };
    let spec = SourceSpec::parse(&args.source)?;
    let opts = args.source_args.options(None);
    let registry = sources::load_registry_proto(&spec, &opts)?;
    let a = freshness::assess(&registry, now, max_age, args.project.as_deref());
    if let Some(p) = &args.project
        && a.views.is_empty()
        && a.offline_only.is_empty()
    {
        bail!("{}: no feature view of project `{p}`", spec.display());
    }
    let out = match args.format {
        Format::Text => report::text(&a),
        Format::Json => report::json(&a),
        Format::Prometheus => report::prometheus(&a),
    };
    print!("{out}");
    Ok(if a.stale().next().is_some() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
