//! Human output: grouped by project, then object; vector changes as a diff.
//! Styles are ANSI; the caller's stream (anstream) strips them when the
//! output is not a terminal or colour is off.

use std::fmt::Write;

use owo_colors::{OwoColorize, Style};
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::{FailOn, Summary};
use crate::lint::{Finding, Level, VectorChange};

fn level_style(level: Level) -> Style {
    match level {
        Level::Error => Style::new().red().bold(),
        Level::Warning => Style::new().yellow().bold(),
        Level::Info => Style::new().cyan(),
    }
}

pub fn render(findings: &[Finding], fail_on: FailOn) -> String {
    let mut out = String::new();
    let mut last_project = None;
    let mut last_object = None;
    for f in findings {
        if last_project != Some(&f.project) {
            if last_project.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", format!("project {}", f.project).bold());
            last_project = Some(&f.project);
            last_object = None;
        }
        if last_object != Some(&f.object) {
            let _ = writeln!(out, "  {}", f.object.bold());
            last_object = Some(&f.object);
        }
        let tag = format!("{}[{} {}]", f.level, f.code(), f.rule);
        let _ = writeln!(out, "    {} {}", tag.style(level_style(f.level)), f.message);
        if let Some(loc) = &f.location {
            let _ = writeln!(out, "      {} {}:{}", "-->".blue(), loc.file, loc.line);
        }
        if let Some(h) = &f.hint {
            let _ = writeln!(out, "      {} {h}", "hint:".green());
        }
        if let Some(v) = &f.vector {
            vector_diff(&mut out, v);
        }
    }
    if !findings.is_empty() {
        out.push('\n');
    }
    for (action, codes) in super::required_actions(findings) {
        let _ = writeln!(
            out,
            "{} {} ({})",
            "required:".bold(),
            action.as_str(),
            codes.join(", ")
        );
    }
    let s = Summary::of(findings);
    let verdict = if fail_on.fails(findings) {
        "FAIL".red().bold().to_string()
    } else {
        "ok".green().bold().to_string()
    };
    let _ = writeln!(
        out,
        "{verdict}: {} error(s), {} warning(s), {} info (failing on: {})",
        s.error,
        s.warning,
        s.info,
        fail_on.as_str()
    );
    out
}

/// The service's vector before and after, one line per index.
fn vector_diff(out: &mut String, v: &VectorChange) {
    let before: Vec<String> = v.before.iter().map(|e| e.to_string()).collect();
    let after: Vec<String> = v.after.iter().map(|e| e.to_string()).collect();
    let _ = writeln!(out, "      vector (index: view:feature dtype):");
    for op in capture_diff_slices(Algorithm::Myers, &before, &after) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    let (o, n) = (old_index + k, new_index + k);
                    // A shifted index is the silent break: show where it went.
                    let index = if o == n {
                        format!("{n:>3}")
                    } else {
                        format!("{o}→{n}").yellow().to_string()
                    };
                    let _ = writeln!(out, "        {index} {}", before[o].dimmed());
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => deleted(out, &before, old_index, old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => inserted(out, &after, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                deleted(out, &before, old_index, old_len);
                inserted(out, &after, new_index, new_len);
            }
        }
    }
}

fn deleted(out: &mut String, lines: &[String], start: usize, len: usize) {
    for (k, line) in lines.iter().enumerate().skip(start).take(len) {
        let _ = writeln!(out, "      {} {}", format!("- {k:>3}").red(), line.red());
    }
}

fn inserted(out: &mut String, lines: &[String], start: usize, len: usize) {
    for (k, line) in lines.iter().enumerate().skip(start).take(len) {
        let _ = writeln!(
            out,
            "      {} {}",
            format!("+ {k:>3}").green(),
            line.green()
        );
    }
}
