//! `--format gitlab`: GitLab's code quality report (a JSON array of issues,
//! a subset of the Code Climate spec), for `artifacts:reports:codequality`.
//! GitLab shows the issues in the merge request widget and on the diff.
//!
//! Severity: error → `major`, warning → `minor`, info → `info`. The
//! fingerprint is the finding's identity (rule, project, object, feature;
//! never the line), so GitLab tells new issues from fixed ones across
//! commits; GitLab keeps one issue per fingerprint, so a repeated identity
//! gets its occurrence number mixed in. Suppressed findings are left out:
//! the format has no notion of a dismissed issue.

use std::collections::HashMap;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::context::{Context, fingerprint};
use crate::lint::{Finding, Level};

pub fn render(findings: &[Finding], ctx: &Context) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Value> = findings
        .iter()
        .map(|f| {
            let identity = fingerprint(f);
            let n = seen.entry(identity.clone()).or_default();
            *n += 1;
            let fingerprint = if *n == 1 {
                identity
            } else {
                occurrence(&identity, *n)
            };
            issue(f, fingerprint, ctx)
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).expect("JSON serializes");
    out.push('\n');
    out
}

fn issue(f: &Finding, fingerprint: String, ctx: &Context) -> Value {
    let mut description = format!("{} {}: {}", f.code(), f.rule, f.message);
    if let Some(h) = &f.hint {
        description.push_str(" Hint: ");
        description.push_str(h);
    }
    // GitLab requires a path. Findings from sources without positions
    // (registries) are anchored at the proposed source, like SARIF; a live
    // source with no file at all falls back to the repository root.
    let (path, line) = match (&f.location, ctx.fallback_artifact) {
        (Some(l), _) => (l.file.as_str(), l.line.max(1)),
        (None, Some(file)) => (file, 1),
        (None, None) => (".", 1),
    };
    json!({
        "description": description,
        "check_name": f.rule,
        "fingerprint": fingerprint,
        "severity": severity(f.level),
        "location": {
            "path": path.strip_prefix("./").unwrap_or(path).replace('\\', "/"),
            "lines": { "begin": line },
        },
    })
}

fn severity(l: Level) -> &'static str {
    match l {
        Level::Error => "major",
        Level::Warning => "minor",
        Level::Info => "info",
    }
}

/// A distinct, still deterministic fingerprint for the n-th finding with
/// the same identity.
fn occurrence(identity: &str, n: usize) -> String {
    let h = Sha256::new()
        .chain_update(identity.as_bytes())
        .chain_update(n.to_le_bytes())
        .finalize();
    h[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{ObjectKind, ObjectRef};
    use crate::model::Location;
    use crate::report::FailOn;

    fn ctx(fallback: Option<&str>) -> Context<'_> {
        Context {
            fail_on: FailOn::Error,
            mode: "serving",
            suppressed: &[],
            tool_version: "0.0.0",
            fallback_artifact: fallback,
        }
    }

    fn finding(level: Level, feature: &str, location: Option<(&str, u32)>) -> Finding {
        let mut f = Finding::new(
            "feature-removed",
            level,
            "p",
            ObjectRef {
                kind: ObjectKind::FeatureView,
                name: "v".into(),
            },
            format!("feature `{feature}` was removed"),
        );
        f.feature = Some(feature.to_string());
        f.location = location.map(|(file, line)| Location {
            file: file.to_string(),
            line,
        });
        f
    }

    fn parse(s: &str) -> Vec<Value> {
        serde_json::from_str::<Value>(s)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    #[test]
    fn an_issue_has_every_field_gitlab_requires() {
        let mut f = finding(Level::Error, "a", Some(("./feast/features.py", 12)));
        f.hint = Some("keep it".into());
        let issues = parse(&render(&[f], &ctx(None)));
        assert_eq!(issues.len(), 1);
        let i = &issues[0];
        assert_eq!(
            i["description"],
            "FO101 feature-removed: feature `a` was removed Hint: keep it"
        );
        assert_eq!(i["check_name"], "feature-removed");
        assert_eq!(i["severity"], "major");
        assert_eq!(i["location"]["path"], "feast/features.py");
        assert_eq!(i["location"]["lines"]["begin"], 12);
        assert_eq!(i["fingerprint"].as_str().unwrap().len(), 32);
    }

    #[test]
    fn levels_map_to_gitlab_severities() {
        let findings = [
            finding(Level::Error, "a", None),
            finding(Level::Warning, "b", None),
            finding(Level::Info, "c", None),
        ];
        let issues = parse(&render(&findings, &ctx(Some("registry.db"))));
        let severities: Vec<&str> = issues
            .iter()
            .map(|i| i["severity"].as_str().unwrap())
            .collect();
        assert_eq!(severities, ["major", "minor", "info"]);
    }

    #[test]
    fn findings_without_a_file_are_anchored_at_the_proposed_source() {
        let f = finding(Level::Error, "a", None);
        let i = &parse(&render(std::slice::from_ref(&f), &ctx(Some("regs/new.db"))))[0];
        assert_eq!(i["location"]["path"], "regs/new.db");
        assert_eq!(i["location"]["lines"]["begin"], 1);
        let i = &parse(&render(&[f], &ctx(None)))[0];
        assert_eq!(i["location"]["path"], ".");
    }

    #[test]
    fn fingerprints_ignore_lines_and_stay_unique() {
        let at_10 = finding(Level::Error, "a", Some(("f.py", 10)));
        let at_20 = finding(Level::Error, "a", Some(("f.py", 20)));
        let other = finding(Level::Error, "b", Some(("f.py", 10)));
        let one = parse(&render(std::slice::from_ref(&at_10), &ctx(None)));
        let moved = parse(&render(std::slice::from_ref(&at_20), &ctx(None)));
        assert_eq!(one[0]["fingerprint"], moved[0]["fingerprint"]);
        let both = parse(&render(&[at_10, other, at_20], &ctx(None)));
        let prints: std::collections::BTreeSet<&str> = both
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(prints.len(), 3, "{both:?}");
    }

    #[test]
    fn no_findings_is_an_empty_array() {
        assert_eq!(render(&[], &ctx(None)), "[]\n");
    }
}
