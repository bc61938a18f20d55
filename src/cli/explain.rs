//! `feastops explain RULE`: a rule's documentation.

use std::io::Write;

use anyhow::{Result, bail};
use owo_colors::OwoColorize;

use super::EXIT_OK;
use crate::lint::Catalog;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rule name (e.g. `feature-removed`) or code (e.g. `FO101`).
    pub rule: String,
}

pub fn run(args: Args) -> Result<u8> {
    let catalog = Catalog::get();
    if catalog.find(&args.rule).is_none()
        && let Some(r) = crate::topology::crlint::find(&args.rule)
    {
        return explain_cr(r);
    }
    let Some(r) = catalog.find(&args.rule) else {
        let names: Vec<&str> = catalog.rules.iter().map(|r| r.name.as_str()).collect();
        let close = names
            .iter()
            .find(|n| n.contains(args.rule.as_str()) || args.rule.contains(**n));
        match close {
            Some(c) => bail!(
                "unknown rule `{}`; did you mean `{c}`? (`feastops rules` lists them all)",
                args.rule
            ),
            None => bail!(
                "unknown rule `{}`; `feastops rules` lists them all",
                args.rule
            ),
        }
    };
    let mut out = anstream::stdout().lock();
    writeln!(
        out,
        "{} {} (default level: {})\n",
        r.code.bold(),
        r.name.bold(),
        r.level
    )?;
    writeln!(out, "{}\n", r.summary)?;
    section(&mut out, "Why it matters", r.rationale.trim())?;
    section(&mut out, "Example: before", &indent(&r.example.before))?;
    section(&mut out, "Example: after", &indent(&r.example.after))?;
    writeln!(
        out,
        "{} {}",
        "Required next step:".underline(),
        r.required_action.as_str()
    )?;
    writeln!(out, "\n{}\n{}", "How to fix".underline(), r.fix.trim())?;
    Ok(EXIT_OK)
}

fn explain_cr(r: &crate::topology::crlint::CrRuleDoc) -> Result<u8> {
    let mut out = anstream::stdout().lock();
    writeln!(
        out,
        "{} {} (FeatureStore CR rule, checked by `feastops validate` and `render`)\n",
        r.code.bold(),
        r.name.bold()
    )?;
    writeln!(out, "{}\n", r.summary)?;
    section(&mut out, "Why it matters", r.rationale.trim())?;
    section(&mut out, "Trips the rule", &indent(&r.bad))?;
    section(&mut out, "Passes", &indent(&r.good))?;
    section(&mut out, "How to fix", r.fix.trim())?;
    writeln!(out, "{} {}", "Operator fact:".underline(), r.source)?;
    Ok(EXIT_OK)
}

/// A titled paragraph of the explanation.
fn section(out: &mut impl Write, title: &str, body: &str) -> std::io::Result<()> {
    writeln!(out, "{}\n{}\n", title.underline(), body)
}

fn indent(s: &str) -> String {
    s.trim_end()
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
