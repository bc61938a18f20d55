//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other viewers.
//!
//! One result per finding. `ruleId` is the rule's kebab-case name (its code
//! is in the rule's and result's `properties`). `partialFingerprints`
//! hashes rule + project + object + feature, so code scanning tracks a
//! finding across commits even when lines move. Suppressed findings are
//! included with a `suppressions` entry (config: `external`, comment:
//! `inSource`) so viewers show them as dismissed, with the reason.

use serde_json::{Value, json};

use super::context::{Context, fingerprint, rule_doc_url};
use super::ruledoc;
use crate::lint::{Catalog, Finding, Level};
use crate::policy::{Suppressed, SuppressionKind};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const FINGERPRINT_KEY: &str = "feastopsFinding/v1";

pub fn render(findings: &[Finding], ctx: &Context) -> String {
    let catalog = Catalog::get();
    let rules: Vec<Value> = catalog
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.name,
                "name": pascal(&r.name),
                "shortDescription": { "text": r.summary.trim() },
                "fullDescription": { "text": r.rationale.trim() },
                "help": { "text": ruledoc::text(r), "markdown": ruledoc::markdown(r) },
                "helpUri": rule_doc_url(&r.name),
                "defaultConfiguration": { "level": level(r.level) },
                "properties": { "code": r.code, "tags": ["feast", "schema-compatibility"] },
            })
        })
        .collect();
    let index_of = |name: &str| catalog.rules.iter().position(|r| r.name == name);
    let mut results: Vec<Value> = findings
        .iter()
        .map(|f| result(f, index_of(f.rule), ctx, None))
        .collect();
    results.extend(
        ctx.suppressed
            .iter()
            .map(|s| result(&s.finding, index_of(s.finding.rule), ctx, Some(s))),
    );
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "feastops",
                "version": ctx.tool_version,
                "semanticVersion": ctx.tool_version,
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "properties": { "mode": ctx.mode, "failOn": ctx.fail_on.as_str() },
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("SARIF serializes");
    out.push('\n');
    out
}

fn result(
    f: &Finding,
    rule_index: Option<usize>,
    ctx: &Context,
    sup: Option<&Suppressed>,
) -> Value {
    let mut text = f.message.clone();
    if let Some(h) = &f.hint {
        text.push_str("\nHint: ");
        text.push_str(h);
    }
    let fqn = match &f.feature {
        Some(feat) => format!("{}/{}:{feat}", f.project, f.object),
        None => format!("{}/{}", f.project, f.object),
    };
    let logical = json!([{ "fullyQualifiedName": fqn, "name": f.object.name, "kind": f.object.kind.as_str() }]);
    let physical = match (&f.location, ctx.fallback_artifact) {
        (Some(l), _) => Some(json!({
            "artifactLocation": { "uri": uri(&l.file) },
            "region": { "startLine": l.line.max(1) },
        })),
        // Code scanning rejects results without a file: anchor to the
        // proposed source, whole file.
        (None, Some(file)) => Some(json!({
            "artifactLocation": { "uri": uri(file) },
            "region": { "startLine": 1 },
        })),
        (None, None) => None,
    };
    let location = match physical {
        Some(p) => json!({ "physicalLocation": p, "logicalLocations": logical }),
        None => json!({ "logicalLocations": logical }),
    };
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.level),
        "message": { "text": text },
        "locations": [location],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint(f) },
        "properties": { "code": f.code(), "project": f.project, "object": f.object.to_string(),
                        "requiredAction": f.required_action().key() },
    });
    let obj = r.as_object_mut().expect("an object");
    if let Some(i) = rule_index {
        obj.insert("ruleIndex".into(), json!(i));
    }
    if let Some(s) = sup {
        let kind = match s.kind {
            SuppressionKind::Config => "external",
            SuppressionKind::Inline => "inSource",
        };
        obj.insert(
            "suppressions".into(),
            json!([{ "kind": kind, "justification": s.reason, "location": { "message": { "text": s.by } } }]),
        );
    }
    r
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

/// A relative reference as SARIF wants it: `/`-separated, percent-encoded
/// where URIs require it.
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path).replace('\\', "/");
    // Absolute paths (outside the working directory) need a scheme.
    let mut out = String::from(if path.starts_with('/') { "file://" } else { "" });
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn pascal(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("./feast/features.py"), "feast/features.py");
        assert_eq!(uri("feast/my repo/a#b.py"), "feast/my%20repo/a%23b.py");
        assert_eq!(uri("/tmp/r.db"), "file:///tmp/r.db");
    }

    #[test]
    fn rule_names_become_pascal_case() {
        assert_eq!(pascal("feature-removed"), "FeatureRemoved");
    }
}
