//! A catalog entry as Markdown: `docs/rules/<name>.md` and SARIF's rule help.

use std::fmt::Write;

use crate::lint::RuleDoc;

pub fn markdown(r: &RuleDoc) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({})\n", r.name, r.code);
    let _ = writeln!(out, "Default level: **{}**\n", r.level);
    let _ = writeln!(out, "{}\n", r.summary.trim());
    let _ = writeln!(out, "## Why it matters\n\n{}\n", r.rationale.trim());
    let _ = writeln!(
        out,
        "## Example\n\nBefore:\n\n```python\n{}\n```\n\nAfter:\n\n```python\n{}\n```\n",
        r.example.before.trim_end(),
        r.example.after.trim_end()
    );
    let _ = writeln!(
        out,
        "## Required next step\n\n{}.\n",
        capitalize(r.required_action.as_str())
    );
    let _ = writeln!(out, "## How to fix\n\n{}\n", r.fix.trim());
    let _ = writeln!(
        out,
        "## Suppressing\n\nIf the change is deliberate, approve it with a reason, either in `.feastops.yaml`:\n\n```yaml\nignore:\n  - rule: {}\n    object: kind/name\n    reason: why this change is safe\n```\n\nor on the object's line: `# feastops: ignore[{}] why this change is safe`.",
        r.name, r.name
    );
    let _ = writeln!(
        out,
        "\n<!-- Generated from rules/{}.toml by `cargo test --test rule_docs`; edit the TOML, not this file. -->",
        r.name
    );
    out
}

/// Plain-text help for tools that show no Markdown.
pub fn text(r: &RuleDoc) -> String {
    format!(
        "{}\n\nWhy it matters: {}\n\nRequired next step: {}.\n\nHow to fix: {}",
        r.summary.trim(),
        r.rationale.trim(),
        r.required_action.as_str(),
        r.fix.trim()
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
