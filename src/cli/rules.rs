//! `feastops rules`: list the catalog.

use std::io::Write;

use anyhow::Result;
use owo_colors::OwoColorize;

use super::EXIT_OK;
use crate::lint::Catalog;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<u8> {
    let catalog = Catalog::get();
    let mut out = anstream::stdout().lock();
    if args.json {
        let rows: Vec<_> = catalog
            .rules
            .iter()
            .map(|r| serde_json::json!({"code": r.code, "name": r.name, "level": r.level, "summary": r.summary}))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
    } else {
        for r in &catalog.rules {
            writeln!(
                out,
                "{}  {:<32} {:<8} {}",
                r.code.bold(),
                r.name,
                r.level.as_str(),
                r.summary
            )?;
        }
        writeln!(
            out,
            "\nFeatureStore CR rules (`feastops validate`, `feastops render`):"
        )?;
        for r in crate::topology::crlint::catalog() {
            writeln!(
                out,
                "{}  {:<32} {:<8} {}",
                r.code.bold(),
                r.name,
                "error",
                r.summary
            )?;
        }
    }
    Ok(EXIT_OK)
}
