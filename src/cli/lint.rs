//! `feastops lint`: compare a proposed schema with a baseline.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::formats::{self, Format, FormatSpec};
use super::{EXIT_FINDINGS, EXIT_OK, output};
use crate::config;
use crate::lint::{CompareOptions, Finding, compare};
use crate::policy::{self, Mode, Policy};
use crate::report::{self, Context, FailOn};
use crate::sources::repo::DataRead;
use crate::sources::{self, SourceSpec};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The proposed feature repo directory (the one holding
    /// feature_store.yaml), read statically.
    #[arg(value_name = "REPO_DIR", conflicts_with = "proposed")]
    pub path: Option<String>,
    /// The baseline: what production serves now (a registry.db, a lock file,
    /// a feature repo directory, git:REF[:PATH], `registry` for the repo's
    /// live registry, a feature_store.yaml, or a postgresql://, mysql://,
    /// sqlite://, s3://, gs://, az://, grpc://, http(s):// URL).
    #[arg(long, value_name = "SOURCE")]
    pub against: String,
    /// The proposed schema, instead of REPO_DIR (same kinds of source as
    /// --against).
    #[arg(long, value_name = "SOURCE")]
    pub proposed: Option<String>,
    #[command(flatten)]
    pub repo: super::RepoArgs,
    /// Run the data checks on remote data too (s3://, gs://, az:// parquet
    /// footers of the proposed repo's sources) [default: local files only].
    #[arg(long, conflicts_with = "no_data_checks")]
    pub data_checks: bool,
    /// Skip the data checks (data is then read only where Feast infers a
    /// type from it).
    #[arg(long)]
    pub no_data_checks: bool,
    /// Compare only this project (default: every project on either side).
    #[arg(long)]
    pub project: Option<String>,
    /// Judge the change as `feast apply --no-promote` (Feast 0.67) applies it: changed
    /// views are recorded as new versions and the active ones stay.
    #[arg(long)]
    pub no_promote: bool,
    /// Exit 1 when a finding at or above this level exists [default: the
    /// config's `fail-on`, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Output format, optionally with its file: `--format sarif=feastops.sarif`.
    /// Repeatable; at most one format may write to stdout [default: text].
    /// Formats: text, json, sarif, github, markdown, junit, gitlab.
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = formats::parse_spec)]
    pub format: Vec<FormatSpec>,
    /// Write the preceding `--format` to FILE (`-` for stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Compatibility mode: which consumers to protect [default: the
    /// config's `mode`, else serving]. See docs/compatibility.md.
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// Configuration file [default: .feastops.yaml in the repo dir, then in
    /// the working directory].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// The feature repo directory that finding locations are relative to
    /// (inline suppressions are read there) [default: --proposed if it is a
    /// directory, else its parent].
    #[arg(long, value_name = "DIR")]
    pub repo_dir: Option<PathBuf>,
    #[command(flatten)]
    pub source: super::source_options::SourceArgs,
    #[command(flatten)]
    pub models: super::models::ModelArgs,
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

/// Positions of `--format` and `--output` on the command line, to pair them.
#[derive(Debug, Default, Clone)]
pub struct ArgOrder {
    pub format_at: Vec<usize>,
    pub output_at: Vec<usize>,
}

pub fn run(args: Args, order: ArgOrder) -> Result<u8> {
    let plan = formats::plan(
        &args.format,
        &order.format_at,
        &args.output,
        &order.output_at,
    )?;
    let proposed = args
        .proposed
        .as_deref()
        .or(args.path.as_deref())
        .unwrap_or(".");
    let repo_dir = args.repo_dir.clone().or_else(|| default_repo_dir(proposed));
    let loaded = if args.no_config {
        None
    } else {
        let dirs = policy::default_config_dirs(repo_dir.as_deref());
        let dirs: Vec<&Path> = dirs.iter().map(|d| d.as_path()).collect();
        match config::discover(args.config.as_deref(), &dirs) {
            Some(p) => Some(config::load(&p)?),
            None => None,
        }
    };
    let policy = Policy::new(loaded.as_ref(), args.mode)?;
    let models = super::models::Models::resolve(&args.models, loaded.as_ref())?;

    // Read both sides before writing anything: an unreadable baseline must
    // never look like "no changes".
    let new_spec = SourceSpec::parse(proposed)?;
    let proposed_dir = match &new_spec {
        SourceSpec::Repo(dir) => Some(dir.clone()),
        _ => None,
    };
    let mut opts = args.source.options(args.project.as_deref());
    args.repo.apply(&mut opts, proposed_dir.clone());
    // `--against registry` reads the live registry of the proposed repo.
    let old_spec = SourceSpec::parse_in(&args.against, proposed_dir.as_deref())?;
    // The two sides are independent: read them on two threads.
    // Data checks judge the proposed side only: the baseline reads data
    // just where Feast would infer from it.
    let mut new_opts = opts.clone();
    new_opts.read_data = if args.no_data_checks {
        DataRead::Needed
    } else if args.data_checks {
        DataRead::All
    } else {
        DataRead::Local
    };
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(|| sources::load_with(&old_spec, &opts));
        let new = sources::load_with(&new_spec, &new_opts);
        (old.join().expect("loading a source never panics"), new)
    });
    let (old, mut new) = (old?, new?);
    if args.no_data_checks {
        // Data read for inference is not judged either.
        for p in new.projects.values_mut() {
            p.data_sources.values_mut().for_each(|s| s.data = None);
        }
    }
    for (side, spec) in [(&old, &old_spec), (&new, &new_spec)] {
        for note in &side.notes {
            eprintln!("info: {}: {note}", spec.display());
        }
    }
    let opts = CompareOptions {
        project: args.project.clone(),
        live_baseline: old_spec.is_live(),
        no_promote: args.no_promote,
    };
    let mut findings = compare(&old, &new, &opts)?;
    // Bound models are checked against the proposed schema: a change that
    // breaks a deployed model fails even when the diff looks harmless.
    if !models.is_empty() {
        let served = crate::lint::as_applied(&old, &new, &opts);
        findings.extend(models.check(&served, args.project.as_deref())?);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    let prefix = repo_dir.as_deref().map(display_prefix).unwrap_or_default();
    let mut outcome = policy.apply(
        findings,
        &policy::Inputs {
            repo_dir: repo_dir.as_deref(),
            display_prefix: &prefix,
            proposed: &new,
        },
    );
    models.after_policy(&mut outcome, &prefix, &[&old, &new]);
    let fail_on = args
        .fail_on
        .map(FailOn::from)
        .or(policy.fail_on)
        .unwrap_or_default();
    let fallback = fallback_artifact(proposed);
    let ctx = Context {
        fail_on,
        mode: policy.mode.as_str(),
        suppressed: &outcome.suppressed,
        tool_version: env!("CARGO_PKG_VERSION"),
        fallback_artifact: fallback.as_deref(),
    };
    emit(&plan, &outcome.findings, &ctx)?;
    Ok(if fail_on.fails(&outcome.findings) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Renders every requested format, then writes them: files atomically, the
/// one without a file to stdout. Rendering everything first means a failure
/// leaves no file half-written.
pub(super) fn emit(plan: &[FormatSpec], findings: &[Finding], ctx: &Context) -> anyhow::Result<()> {
    let rendered: Vec<(&FormatSpec, String)> = plan
        .iter()
        .map(|spec| (spec, render(spec, findings, ctx)))
        .collect();
    let mut stdout = None;
    for (spec, text) in &rendered {
        match &spec.file {
            Some(f) if f != Path::new("-") => {
                let bytes = if spec.format == Format::Text {
                    anstream::adapter::strip_str(text).to_string()
                } else {
                    text.clone()
                };
                output::write_atomic(f, bytes.as_bytes())?;
            }
            _ => stdout = Some((spec.format, text)),
        }
    }
    if let Some((format, text)) = stdout {
        if format == Format::Text {
            anstream::stdout().lock().write_all(text.as_bytes())?;
        } else {
            std::io::stdout().lock().write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

pub(super) fn render(spec: &FormatSpec, findings: &[Finding], ctx: &Context) -> String {
    match spec.format {
        Format::Text => {
            let mut s = report::text::render(findings, ctx.fail_on);
            if !ctx.suppressed.is_empty() {
                s.push_str(&format!(
                    "{} finding(s) suppressed by ignore entries or comments\n",
                    ctx.suppressed.len()
                ));
            }
            s
        }
        Format::Json => report::json::render(findings),
        Format::Sarif => report::sarif::render(findings, ctx),
        Format::Github => report::github::render(findings),
        Format::Markdown => report::markdown::render(findings, ctx),
        Format::Junit => report::junit::render(findings, ctx),
        Format::Gitlab => report::gitlab::render(findings, ctx),
    }
}

/// The proposed source if it is a directory (a feature repo), else the
/// directory of the file (a lock file next to the repo it describes).
fn default_repo_dir(proposed: &str) -> Option<PathBuf> {
    let p = Path::new(proposed);
    if p.is_dir() {
        return Some(p.to_path_buf());
    }
    match p.parent() {
        Some(d) if d.as_os_str().is_empty() => Some(PathBuf::from(".")),
        Some(d) => Some(d.to_path_buf()),
        None => None,
    }
}

/// `dir` as a prefix for repo-relative paths, relative to the working
/// directory when it is inside it: `feast/`, or empty for `.`.
fn display_prefix(dir: &Path) -> String {
    let rel = if dir.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| dir.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| dir.to_path_buf())
    } else {
        dir.to_path_buf()
    };
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    let joined = parts.join("/");
    // An absolute path keeps its root ("/" + parts, without doubling it).
    let joined = joined.replacen("//", "/", 1);
    format!("{joined}/")
}

/// The proposed source as a file to anchor location-less findings to.
fn fallback_artifact(proposed: &str) -> Option<String> {
    let p = Path::new(proposed);
    if p.is_file() {
        return Some(display_prefix(p).trim_end_matches('/').to_string());
    }
    let yaml = p.join("feature_store.yaml");
    yaml.is_file()
        .then(|| display_prefix(&yaml).trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_slash_terminated_and_relative() {
        assert_eq!(display_prefix(Path::new(".")), "");
        assert_eq!(display_prefix(Path::new("./feast")), "feast/");
        assert_eq!(display_prefix(Path::new("a/b")), "a/b/");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(display_prefix(&cwd.join("feast")), "feast/");
    }
}
