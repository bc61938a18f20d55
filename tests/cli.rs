//! The binary's contract: exit codes, JSON shape, errors on bad input.

mod common;

use common::{bin, fixture};
use predicates::prelude::*;

fn lint(old: &str, new: &str) -> assert_cmd::Command {
    let mut cmd = bin();
    cmd.args(["lint", "--against"])
        .arg(fixture(old))
        .arg("--proposed")
        .arg(fixture(new));
    cmd
}

#[test]
fn exit_0_when_nothing_reaches_fail_on() {
    lint("base", "base")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ok: 0 error(s)"));
    lint("base", "metadata_only").assert().code(0);
    lint("base", "ttl_shortened").assert().code(0);
}

#[test]
fn exit_1_on_breaking_change() {
    lint("base", "feature_removed")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[FO101 feature-removed]"))
        .stdout(predicate::str::contains("FAIL"));
}

#[test]
fn fail_on_moves_the_threshold() {
    lint("base", "ttl_shortened")
        .arg("--fail-on")
        .arg("warning")
        .assert()
        .code(1);
    lint("base", "metadata_only")
        .arg("--fail-on")
        .arg("warning")
        .assert()
        .code(0);
    lint("base", "metadata_only")
        .arg("--fail-on")
        .arg("info")
        .assert()
        .code(1);
    lint("base", "feature_removed")
        .arg("--fail-on")
        .arg("never")
        .assert()
        .code(0);
}

#[test]
fn text_report_shows_the_vector_before_and_after() {
    let out = lint("base", "feature_removed")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("feature_service/attrition_model_v1"),
        "{text}"
    );
    assert!(
        text.contains("-   2 employee_features:overtime Int64"),
        "{text}"
    );
    // Everything after the removed feature shifted one index left.
    assert!(
        text.contains("3→2 employee_features:promotion_stagnation Float32"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour when NO_COLOR is set and stdout is not a tty"
    );
}

#[test]
fn color_always_emits_ansi() {
    let out = lint("base", "feature_removed")
        .args(["--color", "always"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
}

#[test]
fn json_report_follows_the_contract() {
    let out = lint("base", "feature_renamed")
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys, ["version", "findings", "summary"]);
    let f = &v["findings"].as_array().unwrap()[0];
    let fkeys: Vec<&str> = f.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(
        fkeys,
        [
            "rule",
            "code",
            "level",
            "project",
            "object",
            "message",
            "location",
            "required_action"
        ]
    );
    // An error's follow-up comes from its rule's catalog entry; info asks for nothing.
    for f in v["findings"].as_array().unwrap() {
        let want = match f["level"].as_str().unwrap() {
            "info" => "none".to_string(),
            _ => {
                let toml =
                    std::fs::read_to_string(format!("rules/{}.toml", f["rule"].as_str().unwrap()))
                        .unwrap();
                toml.lines()
                    .find_map(|l| l.strip_prefix("required_action = "))
                    .unwrap()
                    .trim_matches('"')
                    .to_string()
            }
        };
        assert_eq!(f["required_action"], want.as_str(), "{f}");
    }
    assert_eq!(f["project"], "employee_attrition");
    assert!(
        f["location"].is_null(),
        "registries carry no source locations"
    );
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"feature-renamed"));
    assert_eq!(
        v["summary"],
        serde_json::json!({"error": 3, "warning": 0, "info": 0})
    );
}

#[test]
fn json_output_is_deterministic() {
    let a = lint("base", "department_removed")
        .args(["--format", "json"])
        .output()
        .unwrap()
        .stdout;
    let b = lint("base", "department_removed")
        .args(["--format", "json"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(a, b);
}

#[test]
fn project_flag_selects_one_project() {
    lint("multi", "single_of_multi")
        .args(["--project", "employee_attrition"])
        .assert()
        .code(0);
    lint("multi", "single_of_multi")
        .args(["--project", "recruiting"])
        .assert()
        .code(1);
    lint("multi", "single_of_multi")
        .args(["--project", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "project `nope` is in neither schema",
        ));
}

fn bad_input(bytes: &[u8], expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.db");
    std::fs::write(&path, bytes).unwrap();
    let out = bin()
        .args(["lint", "--against"])
        .arg(&path)
        .arg("--proposed")
        .arg(fixture("base"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&path.display().to_string()),
        "names the file: {err}"
    );
    assert!(err.contains(expect), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        out.stdout.is_empty(),
        "no report for an unreadable baseline"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn corrupted_registry_is_exit_2_with_one_line() {
    let good = std::fs::read(fixture("base")).unwrap();
    bad_input(
        &good[..good.len() / 2],
        "not a Feast registry (protobuf decode failed",
    );
    bad_input(b"", "the file is empty");
    bad_input(b"hello, I am not a registry\n", "not a Feast registry");
    bad_input(&[0xff; 64], "not a Feast registry");
}

#[test]
fn bad_lock_files_are_exit_2() {
    bad_input(b"{ not json", "invalid feastops lock file");
    bad_input(
        br#"{"kind": "feastops-lock", "version": 9, "projects": {}}"#,
        "lock file version 9 is not supported",
    );
    bad_input(
        br#"{"kind": "feastops-lock", "version": 1, "projects": {}, "extra": 1}"#,
        "unknown field `extra`",
    );
    bad_input(
        br#"{"kind": "feastops-lock", "version": 1, "projects": {"p": {"name": "p", "feature_views": {"v": {"name": "v", "kind": "feature_view", "features": [{"name": "f", "dtype": "Tensor"}], "online": true, "offline": false}}}}}"#,
        "unknown Feast type `Tensor`",
    );
}

#[test]
fn missing_file_and_directory_are_exit_2() {
    bin()
        .args([
            "lint",
            "--against",
            "/nonexistent/registry.db",
            "--proposed",
        ])
        .arg(fixture("base"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/nonexistent/registry.db: no such file",
        ));
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["lint", "--against"])
        .arg(dir.path())
        .arg("--proposed")
        .arg(fixture("base"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("directory"));
}

#[test]
fn usage_errors_are_exit_2() {
    bin().args(["lint", "--against", "x"]).assert().code(2);
    bin()
        .args([
            "lint",
            "--against",
            "x",
            "--proposed",
            "y",
            "--fail-on",
            "sometimes",
        ])
        .assert()
        .code(2);
}

#[test]
fn rules_and_explain() {
    bin()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("FO101").and(predicate::str::contains("feature-removed")));
    bin()
        .args(["explain", "feature-reordered"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Why it matters").and(predicate::str::contains("How to fix")),
        );
    bin()
        .args(["explain", "fo302"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("feature-service-vector-changed"));
    bin()
        .args(["explain", "reordered"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `feature-reordered`"));
}
