//! Feast 0.67 precomputed services (`FeatureService(precompute_online=True)`),
//! on registries the real feast wrote with Redis (scripts/fixtures/
//! precompute_repo). The verdicts are held to what Feast served at each step
//! (tests/fixtures/feast/precompute_served.json, recorded by the fixture
//! script): a service Feast refuses to read is an error, one it serves with
//! stale stored values a warning.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use feastops::lint::{Finding, Level};
use feastops::sources::{SourceSpec, load, lockfile};

const RULE: &str = "precomputed-vector-stale";

fn served() -> serde_json::Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feast/precompute_served.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Whether Feast answered a read of `svc_pre` (full feature names: the one
/// mode in which 0.67 reads its own stored vectors) at a fixture step.
fn feast_serves(step: &str) -> bool {
    served()[step]["svc_pre full_feature_names=True"]
        .get("ok")
        .is_some()
}

/// The level Feast's behaviour calls for after the change to `step`.
fn expected_level(step: &str) -> Level {
    assert!(
        feast_serves("precompute_base"),
        "the base step serves its stored vectors"
    );
    if feast_serves(step) {
        Level::Warning
    } else {
        Level::Error
    }
}

fn on_pre(findings: &[Finding]) -> Vec<(&str, Level)> {
    findings
        .iter()
        .filter(|f| f.rule == RULE)
        .map(|f| (f.object.name.as_str(), f.level))
        .collect()
}

#[test]
fn a_feature_added_to_a_precomputed_service_is_an_error_because_feast_refuses_the_reads() {
    assert_eq!(expected_level("precompute_changed"), Level::Error);
    let findings = lint("precompute_base", "precompute_changed");
    assert_eq!(
        on_pre(&findings),
        [("svc_pre", Level::Error)],
        "{findings:#?}"
    );
    let f = findings.iter().find(|f| f.rule == RULE).unwrap();
    assert!(
        f.message.contains("features changed (2 → 3)"),
        "{}",
        f.message
    );
    assert!(
        f.hint
            .as_deref()
            .unwrap_or_default()
            .contains("precompute_feature_service(\"svc_pre\")")
    );
    // The plain service is judged as always, and nothing else is precomputed.
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "feature-service-vector-changed" && f.object.name == "svc_plain")
    );
}

#[test]
fn a_type_change_is_a_warning_because_feast_serves_the_stored_values() {
    assert_eq!(expected_level("precompute_retyped"), Level::Warning);
    let findings = lint("precompute_base", "precompute_retyped");
    assert_eq!(
        on_pre(&findings),
        [("svc_pre", Level::Warning)],
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .find(|f| f.rule == RULE)
            .unwrap()
            .message
            .contains("`b` changed type")
    );
}

#[test]
fn the_static_reader_reads_precompute_online_and_agrees_with_the_registry() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feast/repos/precompute_changed");
    let repo = load(&SourceSpec::Repo(dir)).unwrap();
    let svc = &repo.projects["precompute"].feature_services;
    assert!(svc["svc_pre"].precompute_online);
    assert!(!svc["svc_plain"].precompute_online);
    let reg = registry("precompute_changed");
    assert!(reg.projects["precompute"].feature_services["svc_pre"].precompute_online);
    // The proposed repo against the live registry before the change: same verdict.
    let findings =
        feastops::lint::compare(&registry("precompute_base"), &repo, &Default::default()).unwrap();
    assert_eq!(
        on_pre(&findings),
        [("svc_pre", Level::Error)],
        "{findings:#?}"
    );
}

#[test]
fn lock_files_are_version_2_keep_the_flag_and_version_1_files_still_read() {
    let reg = registry("precompute_base");
    let bytes = lockfile::to_bytes(&reg);
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(
        v["projects"]["precompute"]["feature_services"]["svc_pre"]["precompute_online"],
        true
    );
    assert!(
        v["projects"]["precompute"]["feature_services"]["svc_plain"]
            .get("precompute_online")
            .is_none()
    );
    let back = lockfile::parse(Path::new("x.lock.json"), &bytes).unwrap();
    assert!(back.projects["precompute"].feature_services["svc_pre"].precompute_online);

    // Version 1 (written before this field): read as services without it.
    let mut old = v.clone();
    old["version"] = 1.into();
    old["projects"]["precompute"]["feature_services"]["svc_pre"]
        .as_object_mut()
        .unwrap()
        .remove("precompute_online");
    let old = lockfile::parse(
        Path::new("old.lock.json"),
        &serde_json::to_vec(&old).unwrap(),
    )
    .unwrap();
    assert!(!old.projects["precompute"].feature_services["svc_pre"].precompute_online);
    // A service turned precomputed since the lock was written: Feast reads nothing until it is.
    let findings = feastops::lint::compare(&old, &reg, &Default::default()).unwrap();
    assert_eq!(
        on_pre(&findings),
        [("svc_pre", Level::Error)],
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .find(|f| f.rule == RULE)
            .unwrap()
            .message
            .contains("now has precompute_online=True")
    );

    // A newer format asks for an upgrade.
    let mut newer = v;
    newer["version"] = 3.into();
    let err = lockfile::parse(
        Path::new("new.lock.json"),
        &serde_json::to_vec(&newer).unwrap(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("reads versions 1 to 2"), "{err}");
}
