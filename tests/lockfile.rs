//! Snapshots: deterministic, documented by a shipped JSON Schema, accepted
//! back as a source with the same findings as the registry they came from.

mod common;

use std::path::Path;

use common::{bin, fixture};
use feastops::lint::{CompareOptions, compare};
use feastops::sources::{SourceSpec, load, lockfile};

fn snapshot(name: &str, dir: &Path) -> std::path::PathBuf {
    let out = dir.join(format!("{name}.lock.json"));
    bin()
        .args(["snapshot", "--from"])
        .arg(fixture(name))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0);
    out
}

#[test]
fn snapshot_round_trips_to_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["base", "multi", "feature_removed", "dangling"] {
        let lock = snapshot(name, dir.path());
        assert_eq!(
            load(&SourceSpec::File(lock)).unwrap(),
            common::registry(name),
            "{name}"
        );
    }
}

#[test]
fn snapshot_is_byte_identical_across_runs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(
        std::fs::read(snapshot("multi", a.path())).unwrap(),
        std::fs::read(snapshot("multi", b.path())).unwrap()
    );
}

#[test]
fn lock_sources_give_the_same_findings_as_registries() {
    let dir = tempfile::tempdir().unwrap();
    let base_lock = load(&SourceSpec::File(snapshot("base", dir.path()))).unwrap();
    for variant in [
        "feature_removed",
        "feature_reordered",
        "dtype_promoted",
        "department_removed",
        "metadata_only",
    ] {
        let from_registry = compare(
            &common::registry("base"),
            &common::registry(variant),
            &CompareOptions::default(),
        )
        .unwrap();
        let from_lock = compare(
            &base_lock,
            &common::registry(variant),
            &CompareOptions::default(),
        )
        .unwrap();
        assert_eq!(from_registry, from_lock, "{variant}");
    }
}

#[test]
fn shipped_schema_matches_the_code() {
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/lock.schema.json"),
    )
    .unwrap();
    assert_eq!(
        shipped,
        lockfile::json_schema(),
        "regenerate with: cargo run --example write-schemas"
    );
}

#[test]
fn every_snapshot_validates_against_the_shipped_schema() {
    let schema: serde_json::Value = serde_json::from_str(&lockfile::json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("base").parent().unwrap()).unwrap() {
        let name = entry
            .unwrap()
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let lock: serde_json::Value =
            serde_json::from_slice(&std::fs::read(snapshot(&name, dir.path())).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&lock)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
    let bad = serde_json::json!({"kind": "feastops-lock", "version": 1, "projects": {}, "surprise": true});
    assert!(
        !validator.is_valid(&bad),
        "unknown top-level keys are rejected"
    );
}

#[test]
fn project_filter_and_stdout() {
    let out = bin()
        .args(["snapshot", "--project", "recruiting", "-o", "-", "--from"])
        .arg(fixture("multi"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["projects"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["recruiting"]
    );
}

#[test]
fn failed_snapshot_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, b"garbage").unwrap();
    let out = dir.path().join("schema.lock.json");
    bin()
        .args(["snapshot", "--from"])
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    bin()
        .args(["snapshot", "--project", "nope", "--from"])
        .arg(fixture("base"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the input remains"
    );
}

/// A newer lock format is named as such whether or not its shape still reads, and a
/// shape error of a supported version stays a shape error.
#[test]
fn a_newer_lock_version_is_reported_before_its_shape() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"{"kind": "feastops-lock", "version": 9, "projects": {"p": {"name": "p", "brand_new": 1}}}"#,
            "lock file version 9 is not supported",
        ),
        (
            r#"{"kind": "feastops-lock", "version": 2, "projects": {"p": {"name": "p", "brand_new": 1}}}"#,
            "brand_new",
        ),
        (
            r#"{"kind": "feastops-lock", "projects": {}}"#,
            "missing integer `version`",
        ),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let f = dir.path().join(format!("{i}.lock.json"));
        std::fs::write(&f, text).unwrap();
        let out = bin()
            .args(["snapshot", "-o", "-", "--from"])
            .arg(&f)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{text}: {err}");
    }
}
