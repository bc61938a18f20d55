//! `--format json`: the stable machine contract (version 1).
//!
//! `{"version": 1, "findings": [{"rule", "code", "level", "project",
//! "object", "message", "location": {"file", "line"} | null, "required_action"}],
//! "summary": {"error", "warning", "info"}}`. Fields are only ever added in a
//! new version.

use serde::Serialize;

use super::Summary;
use crate::lint::Finding;
use crate::model::Location;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    code: &'a str,
    level: &'a str,
    project: &'a str,
    object: String,
    message: &'a str,
    location: Option<&'a Location>,
    /// The rule's follow-up (`rules/*.toml` `required_action`); `none` for info.
    required_action: &'static str,
}

#[derive(Serialize)]
struct JsonSummary {
    error: usize,
    warning: usize,
    info: usize,
}

pub fn render(findings: &[Finding]) -> String {
    let s = Summary::of(findings);
    let report = Report {
        version: 1,
        findings: findings
            .iter()
            .map(|f| JsonFinding {
                rule: f.rule,
                code: f.code(),
                level: f.level.as_str(),
                project: &f.project,
                object: f.object.to_string(),
                message: &f.message,
                location: f.location.as_ref(),
                required_action: f.required_action().key(),
            })
            .collect(),
        summary: JsonSummary {
            error: s.error,
            warning: s.warning,
            info: s.info,
        },
    };
    let mut out = serde_json::to_string_pretty(&report).expect("report serializes");
    out.push('\n');
    out
}
