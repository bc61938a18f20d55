//! Data in a feature repo, as a user meets it: types Feast infers from
//! parquet files, data that cannot be reached (left unknown, never a
//! finding), and the data checks, each at its line.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feast")
}

fn feastops() -> Command {
    Command::cargo_bin("feastops").unwrap()
}

fn copy_dir(from: &Path, to: &Path, skip: &str) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_name() == skip {
            continue;
        }
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest, skip);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn findings(args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let out = feastops()
        .arg("lint")
        .args(args)
        .args(["--format", "json", "--no-config"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (
        out.status.code().unwrap(),
        report["findings"].as_array().unwrap().clone(),
    )
}

#[test]
fn each_data_check_reports_at_its_line() {
    let repo = fixtures().join("repos/data_checks");
    let base = fixtures().join("registries/data_checks.db");
    let (code, found) = findings(&[repo.to_str().unwrap(), "--against", base.to_str().unwrap()]);
    assert_eq!(code, 1);
    let mut got: Vec<(String, String, u64)> = found
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["object"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("data-dtype-mismatch", "feature_view/wrong_type_view", 52),
        (
            "data-feature-missing",
            "feature_view/missing_column_view",
            44,
        ),
        ("data-join-key-missing", "feature_view/no_join_key_view", 68),
        ("data-timestamp-missing", "data_source/no_timestamp", 18),
        ("data-timestamp-missing", "data_source/string_timestamp", 21),
    ]
    .map(|(r, o, l)| (r.to_string(), o.to_string(), l));
    assert_eq!(got, want);
}

#[test]
fn no_data_checks_turns_them_off() {
    let repo = fixtures().join("repos/data_checks");
    let base = fixtures().join("registries/data_checks.db");
    let (code, found) = findings(&[
        repo.to_str().unwrap(),
        "--against",
        base.to_str().unwrap(),
        "--no-data-checks",
    ]);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
}

#[test]
fn types_inferred_from_data_lint_clean_against_the_registry() {
    let repo = fixtures().join("repos/inferred");
    let base = fixtures().join("registries/inferred.db");
    let (code, found) = findings(&[repo.to_str().unwrap(), "--against", base.to_str().unwrap()]);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
}

#[test]
fn unreachable_data_is_unknown_not_changed() {
    // The repo without its data: join key types, features and a timestamp
    // field are unknown; they come from the baseline, with info lines.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("repos/inferred"), dir.path(), "data");
    let base = fixtures().join("registries/inferred.db");
    feastops()
        .arg("lint")
        .arg(dir.path())
        .args(["--against", base.to_str().unwrap(), "--no-config"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("info:").and(predicate::str::contains("left unknown")));
    // Against itself (unknown on both sides): nothing changed either.
    feastops()
        .arg("lint")
        .arg(dir.path())
        .args(["--against", dir.path().to_str().unwrap(), "--no-config"])
        .assert()
        .code(0);
}

#[test]
fn a_snapshot_marks_unknown_types_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("repos/inferred"), dir.path(), "data");
    let lock = dir.path().join("lock.json");
    feastops()
        .args(["snapshot", "--from", dir.path().to_str().unwrap(), "-o"])
        .arg(&lock)
        .assert()
        .success();
    let text = std::fs::read_to_string(&lock).unwrap();
    assert!(text.contains("\"Inferred\""), "{text}");
    assert!(text.contains("\"inferred_features\": true"), "{text}");
    assert!(text.contains("<inferred>"), "{text}");
    // And it reads back.
    feastops()
        .args(["lint", "--against"])
        .arg(&lock)
        .arg("--proposed")
        .arg(&lock)
        .arg("--no-config")
        .assert()
        .code(0);
}
