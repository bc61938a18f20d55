//! Command-line interface: one module per subcommand. Library errors are
//! turned into one line on stderr and exit code 2 here, at the edge.

mod check_models;
mod completions;
mod explain;
mod formats;
mod freshness;
mod lint;
mod models;
mod output;
pub mod render;
mod rules;
mod snapshot;
mod source_options;
pub mod validate;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Exit codes, like most linters.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "feastops",
    version,
    about = "Lint Feast feature-store schema changes; render Feast Operator topologies"
)]
pub struct Cli {
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare a proposed schema with a baseline and flag breaking changes.
    Lint(lint::Args),
    /// Check trained models against the feature services that serve them
    /// (no baseline: "is this model servable by this service?").
    CheckModels(check_models::Args),
    /// Write a schema as a lock file (deterministic JSON).
    Snapshot(snapshot::Args),
    /// List the rule catalog.
    Rules(rules::Args),
    /// Print a rule's documentation.
    Explain(explain::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Render a production deployment topology (manifests, backup plan, permissions).
    Render(render::RenderArgs),
    /// Validate manifests: FeatureStore CRD schema + CEL rules, strict core kinds, policy.
    Validate(validate::ValidateArgs),
    /// Report online feature views whose last materialization is older than their ttl or
    /// --max-age (exit 1 when any is stale or never materialized).
    Freshness(freshness::Args),
}

/// How feature repo sources are read (shared by `lint` and `snapshot`).
#[derive(Debug, Clone, clap::Args)]
pub struct RepoArgs {
    /// Read feature repos by running your own `feast apply` into a temporary
    /// local registry (for definitions built by loops or helper functions).
    #[arg(long)]
    pub via_feast: bool,
    /// With --via-feast: the Python interpreter that has feast installed
    /// (default: `feast` from PATH).
    #[arg(long, value_name = "PATH", requires = "via_feast")]
    pub python: Option<std::path::PathBuf>,
}

impl RepoArgs {
    /// Adds what reading feature repos needs to the source options.
    pub fn apply(
        &self,
        opts: &mut crate::sources::SourceOptions,
        proposed_dir: Option<std::path::PathBuf>,
    ) {
        opts.proposed_dir = proposed_dir;
        opts.via_feast = self
            .via_feast
            .then(|| crate::sources::via_feast::FeastCommand {
                python: self.python.clone(),
            });
    }
}

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    // Parsed via ArgMatches so `lint` can pair each --output with the
    // --format before it by position.
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let order = matches
        .subcommand_matches("lint")
        .map(|m| lint::ArgOrder {
            format_at: m
                .indices_of("format")
                .map(|i| i.collect())
                .unwrap_or_default(),
            output_at: m
                .indices_of("output")
                .map(|i| i.collect())
                .unwrap_or_default(),
        })
        .unwrap_or_default();
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    let result = match cli.command {
        Command::Lint(a) => lint::run(a, order).map(ExitCode::from),
        Command::CheckModels(a) => check_models::run(a).map(ExitCode::from),
        Command::Snapshot(a) => snapshot::run(a).map(ExitCode::from),
        Command::Rules(a) => rules::run(a).map(ExitCode::from),
        Command::Explain(a) => explain::run(a).map(ExitCode::from),
        Command::Completions(a) => completions::run(a).map(ExitCode::from),
        Command::Render(a) => render::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Freshness(a) => freshness::run(&a).map(ExitCode::from),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let mut msg = format!("{e}");
            for cause in e.chain().skip(1) {
                msg.push_str(&format!(": {cause}"));
            }
            anstream::eprintln!("feastops: error: {msg}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}
