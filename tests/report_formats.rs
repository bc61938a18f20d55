//! Golden tests: every output format on every fixture variant. Snapshots
//! live in tests/snapshots/; review changes with `cargo insta review`. In CI
//! (`CI` set) insta never writes snapshots, so a mismatch fails the run.

#[path = "ci_common/mod.rs"]
mod common;

use feastops::report;

#[test]
fn every_format_on_every_variant() {
    for (base, variant) in common::pairs() {
        let old = common::registry(base);
        let new = common::registry(variant);
        let outcome = common::lint(&old, &new);
        let ctx = common::context(&outcome, Some("feast/feature_store.yaml"));
        let f = &outcome.findings;
        let sarif: serde_json::Value =
            serde_json::from_str(&report::sarif::render(f, &ctx)).unwrap();
        let results = serde_json::to_string_pretty(&sarif["runs"][0]["results"]).unwrap();
        let text = anstream::adapter::strip_str(&report::text::render(f, ctx.fail_on)).to_string();
        let all = format!(
            "=== text ===\n{text}\n=== json ===\n{}\n=== github ===\n{}\n=== markdown ===\n{}\n=== junit ===\n{}\n=== gitlab ===\n{}\n=== sarif results ===\n{results}\n",
            report::json::render(f),
            report::github::render(f),
            report::markdown::render(f, &ctx),
            report::junit::render(f, &ctx),
            report::gitlab::render(f, &ctx),
        );
        insta::assert_snapshot!(format!("{base}__{variant}"), all);
    }
}

/// The whole SARIF document once, rules and all.
#[test]
fn full_sarif_document() {
    let outcome = common::lint(
        &common::registry("base"),
        &common::registry("feature_reordered"),
    );
    let ctx = common::context(&outcome, Some("feast/feature_store.yaml"));
    insta::assert_snapshot!(report::sarif::render(&outcome.findings, &ctx));
}

#[test]
fn no_findings_say_so_in_every_format() {
    let base = common::registry("base");
    let outcome = common::lint(&base, &base);
    assert!(outcome.findings.is_empty());
    let ctx = common::context(&outcome, None);
    assert!(report::markdown::render(&[], &ctx).contains("no breaking changes"));
    assert_eq!(report::github::render(&[]), "");
    assert!(report::junit::render(&[], &ctx).contains("tests=\"1\" failures=\"0\""));
    assert_eq!(report::gitlab::render(&[], &ctx), "[]\n");
}
