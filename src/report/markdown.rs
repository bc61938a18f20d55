//! `--format markdown`: a job summary (`$GITHUB_STEP_SUMMARY`) or pull
//! request comment: verdict line, a table of findings, each affected
//! feature service's vector before and after, and what was suppressed.

use std::fmt::Write;

use super::Summary;
use super::context::Context;
use super::vector::{self, Tag};
use crate::lint::{Finding, ObjectRef};

/// Rows in the findings table; the rest are counted, not listed, to stay
/// far below GitHub's 1 MiB summary limit.
pub const MAX_ROWS: usize = 200;

pub fn render(findings: &[Finding], ctx: &Context) -> String {
    let mut out = String::new();
    let s = Summary::of(findings);
    let fails = findings.iter().any(|f| ctx.fails_at(f.level));
    let counts = format!(
        "{} error(s), {} warning(s), {} info",
        s.error, s.warning, s.info
    );
    let verdict = if fails {
        format!("❌ **feastops: breaking changes** — {counts}")
    } else if findings.is_empty() {
        "✅ **feastops: no breaking changes** — no findings".to_string()
    } else {
        format!(
            "✅ **feastops: no breaking changes** at or above `{}` — {counts}",
            ctx.fail_on.as_str()
        )
    };
    let _ = writeln!(out, "### {verdict}\n");
    let _ = writeln!(
        out,
        "Mode `{}`, failing on `{}`{}.\n",
        ctx.mode,
        ctx.fail_on.as_str(),
        if ctx.suppressed.is_empty() {
            String::new()
        } else {
            format!(", {} suppressed", ctx.suppressed.len())
        }
    );
    if !findings.is_empty() {
        let _ = writeln!(out, "| Level | Rule | Object | Finding | Location |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for f in findings.iter().take(MAX_ROWS) {
            let mut msg = cell(&f.message);
            if let Some(h) = &f.hint {
                msg.push_str("<br>*hint:* ");
                msg.push_str(&cell(h));
            }
            let _ = writeln!(
                out,
                "| {} | `{}` {} | {} | {} | {} |",
                f.level,
                f.code(),
                f.rule,
                object_cell(&f.project, &f.object),
                msg,
                f.location
                    .as_ref()
                    .map(|l| format!("`{}:{}`", cell(&l.file), l.line))
                    .unwrap_or_default()
            );
        }
        if findings.len() > MAX_ROWS {
            let _ = writeln!(
                out,
                "\n…and {} more finding(s); run `feastops lint` locally for the full list.",
                findings.len() - MAX_ROWS
            );
        }
        out.push('\n');
    }
    let actions = super::required_actions(findings);
    if !actions.is_empty() {
        let _ = writeln!(out, "**Required before this ships:**\n");
        for (action, codes) in actions {
            let _ = writeln!(out, "- {} ({})", action.as_str(), codes.join(", "));
        }
        out.push('\n');
    }
    vectors(&mut out, findings);
    suppressed(&mut out, ctx);
    out
}

fn vectors(out: &mut String, findings: &[Finding]) {
    let mut seen: Vec<(&str, &ObjectRef)> = Vec::new();
    for f in findings {
        let Some(v) = &f.vector else { continue };
        if seen.contains(&(f.project.as_str(), &f.object)) {
            continue;
        }
        seen.push((&f.project, &f.object));
        if seen.len() == 1 {
            let _ = writeln!(out, "#### Feature vectors (index: view:feature dtype)\n");
        }
        let lines = vector::diff(v);
        let body: Vec<String> = lines
            .iter()
            .map(|l| {
                let sign = match l.tag {
                    Tag::Same => ' ',
                    Tag::Removed => '-',
                    Tag::Added => '+',
                };
                format!("{sign} {:>3} {}", l.index, l.text)
            })
            .collect();
        let fence = fence_for(&body.join("\n"));
        let _ = writeln!(
            out,
            "{} (project `{}`)\n\n{fence}diff\n{}\n{fence}\n",
            code(&f.object.to_string()),
            cell(&f.project),
            body.join("\n")
        );
    }
}

fn suppressed(out: &mut String, ctx: &Context) {
    if ctx.suppressed.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details><summary>{} suppressed finding(s)</summary>\n",
        ctx.suppressed.len()
    );
    let _ = writeln!(out, "| Rule | Object | Finding | Reason | By |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for s in ctx.suppressed.iter().take(MAX_ROWS) {
        let f = &s.finding;
        let _ = writeln!(
            out,
            "| `{}` {} | {} | {} | {} | `{}` |",
            f.code(),
            f.rule,
            object_cell(&f.project, &f.object),
            cell(&f.message),
            cell(&s.reason),
            cell(&s.by)
        );
    }
    let _ = writeln!(out, "\n</details>\n");
}

fn object_cell(project: &str, object: &ObjectRef) -> String {
    format!("{} ({})", code(&object.to_string()), cell(project))
}

/// Inline code that survives backticks in the text.
fn code(s: &str) -> String {
    let s = cell(s);
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Text safe inside a table cell: no pipes, newlines or raw HTML.
fn cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// A code fence longer than any backtick run in `body`.
fn fence_for(body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc <b>"), "a\\|b<br>c &lt;b&gt;");
    }

    #[test]
    fn fences_outgrow_backticks() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("x ```` y"), "`````");
    }
}
