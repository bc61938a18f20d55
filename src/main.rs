use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "feastops",
    version,
    about = "Lint Feast schema changes and render Feast Operator deployment topologies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render a production deployment topology (manifests, backup plan, permissions).
    Render(feastops::cli::render::RenderArgs),
    /// Validate manifests: FeatureStore CRD schema + CEL rules, strict core kinds, policy.
    Validate(feastops::cli::validate::ValidateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Render(a) => feastops::cli::render::run(a),
        Command::Validate(a) => feastops::cli::validate::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
