//! Command-line interface: one module per subcommand. Library errors are
//! turned into one line on stderr and exit code 2 here, at the edge.

mod explain;
mod lint;
mod output;
mod rules;
mod snapshot;
mod source_options;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Write a schema as a lock file (deterministic JSON).
    Snapshot(snapshot::Args),
    /// List the rule catalog.
    Rules(rules::Args),
    /// Print a rule's documentation.
    Explain(explain::Args),
}

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    let result = match cli.command {
        Command::Lint(a) => lint::run(a),
        Command::Snapshot(a) => snapshot::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Explain(a) => explain::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
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
