//! The SARIF output is valid SARIF 2.1.0, checked two ways without copying
//! the schema into the repo:
//! - serde-sarif (types generated from the official schema): the document
//!   deserializes and serializes back to the same JSON, so no property is
//!   unknown to the schema or has the wrong type;
//! - Microsoft's sarif-multitool `validate` (installed by
//!   scripts/services/sarif, path in FEASTOPS_SARIF_MULTITOOL): the schema
//!   plus SARIF's own rules; any error or warning fails the test.

#[path = "ci_common/mod.rs"]
mod common;

use std::process::Command;

use feastops::report;
use serde_json::Value;

/// SARIF for every variant, plus one with suppressions and locations.
fn documents() -> Vec<(String, String)> {
    common::pairs()
        .into_iter()
        .map(|(base, variant)| {
            let outcome = common::lint(&common::registry(base), &common::registry(variant));
            let ctx = common::context(&outcome, Some("feast/feature_store.yaml"));
            (
                format!("{base}__{variant}"),
                report::sarif::render(&outcome.findings, &ctx),
            )
        })
        .chain(std::iter::once(model_document()))
        .collect()
}

/// The model contract's findings, located at model files.
fn model_document() -> (String, String) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema = feastops::sources::load(&feastops::sources::SourceSpec::Repo(
        root.join("examples/feature_repo"),
    ))
    .unwrap();
    let bindings: Vec<feastops::contract::Binding> = [
        ("attrition_model_lite", "lite_lgbm_reordered"),
        ("attrition_model_lite", "lite_mlflow_dtype"),
        ("attrition_model_v1", "v1_onnx_width"),
        ("attrition_model_v1", "v1_mlflow_nosig"),
    ]
    .into_iter()
    .map(|(service, m)| feastops::contract::Binding {
        service: service.into(),
        path: std::path::PathBuf::from("tests/fixtures/models").join(m),
    })
    .map(|mut b| {
        b.path = root.join(&b.path);
        b
    })
    .collect();
    let findings = feastops::contract::check_models(&schema, &bindings, None).unwrap();
    assert!(findings.len() >= 4);
    let outcome = feastops::policy::Outcome {
        findings,
        suppressed: Vec::new(),
    };
    let ctx = common::context(&outcome, None);
    (
        "models".to_string(),
        report::sarif::render(&outcome.findings, &ctx),
    )
}

#[test]
fn round_trips_through_the_schema_types() {
    for (name, text) in documents() {
        let original: Value = serde_json::from_str(&text).unwrap();
        let typed: serde_sarif::sarif::Sarif =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not SARIF 2.1.0: {e}"));
        let back = serde_json::to_value(&typed).unwrap();
        assert_eq!(
            back, original,
            "{name}: properties unknown to the SARIF schema were dropped"
        );
    }
}

#[test]
fn sarif_multitool_accepts_every_document() {
    let tool = std::env::var("FEASTOPS_SARIF_MULTITOOL").unwrap_or_else(|_| {
        panic!(
            "FEASTOPS_SARIF_MULTITOOL is not set: run scripts/test, or scripts/services/sarif/install \
             and `eval \"$(scripts/services/sarif/start)\"` first"
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for (name, text) in documents() {
        let p = dir.path().join(format!("{name}.sarif"));
        std::fs::write(&p, text).unwrap();
        inputs.push(p);
    }
    let log = dir.path().join("validation.sarif");
    let out = Command::new(&tool)
        .arg("validate")
        .args(&inputs)
        .arg("--output")
        .arg(&log)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
    assert!(
        out.status.success(),
        "sarif-multitool failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    let problems: Vec<String> = log["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["results"].as_array().cloned().unwrap_or_default())
        // SARIF's default level is warning.
        .filter(|r| matches!(r["level"].as_str(), None | Some("error") | Some("warning")))
        .map(|r| format!("{} {} {}", r["ruleId"], r["message"], r["locations"]))
        .collect();
    assert!(
        problems.is_empty(),
        "sarif-multitool found:\n{}",
        problems.join("\n")
    );
    // A broken document must be caught, or this test could not fail.
    let bad = dir.path().join("bad.sarif");
    std::fs::write(
        &bad,
        r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":1}}}]}"#,
    )
    .unwrap();
    let bad_log = dir.path().join("bad-validation.sarif");
    Command::new(&tool)
        .arg("validate")
        .arg(&bad)
        .arg("--output")
        .arg(&bad_log)
        .output()
        .unwrap();
    let bad_log = std::fs::read_to_string(&bad_log).unwrap();
    assert!(
        bad_log.contains("JSON1001"),
        "the validator did not flag a bad document"
    );
}

#[test]
fn fingerprints_ignore_lines_and_messages() {
    let outcome = common::lint(
        &common::registry("base"),
        &common::registry("feature_removed"),
    );
    let mut f = outcome.findings[0].clone();
    let before = report::fingerprint(&f);
    f.location = Some(feastops::model::Location {
        file: "x.py".into(),
        line: 99,
    });
    f.message = "reworded".into();
    assert_eq!(report::fingerprint(&f), before);
    f.feature = Some("other".into());
    assert_ne!(report::fingerprint(&f), before);
}
