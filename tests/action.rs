//! The GitHub Action's lint step (`action/run.sh`) under a simulated
//! runner: GITHUB_STEP_SUMMARY and GITHUB_OUTPUT point at temp files and
//! FEASTOPS_BIN at the binary under test, so nothing is downloaded.

#[path = "ci_common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Run {
    out: Output,
    summary: String,
    outputs: BTreeMap<String, String>,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
}

fn run_action(dir: &Path, inputs: &[(&str, &str)]) -> Run {
    let summary = dir.join("step_summary.md");
    let output = dir.join("github_output");
    std::fs::write(&summary, "").unwrap();
    std::fs::write(&output, "").unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg(common::root().join("action/run.sh"))
        .current_dir(dir)
        .env("FEASTOPS_BIN", env!("CARGO_BIN_EXE_feastops"))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_TEMP", dir);
    for (k, v) in inputs {
        cmd.env(format!("FEASTOPS_INPUT_{k}"), v);
    }
    let out = cmd.output().expect("bash runs");
    let outputs = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Run {
        out,
        summary: std::fs::read_to_string(&summary).unwrap(),
        outputs,
    }
}

fn reg(v: &str) -> String {
    common::registry_path(v).display().to_string()
}

#[test]
fn breaking_change_fails_with_annotations_summary_outputs_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_action(
        dir.path(),
        &[
            ("AGAINST", &reg("base")),
            ("PATH", &reg("feature_removed")),
            ("SARIF_FILE", "feastops.sarif"),
        ],
    );
    assert_eq!(r.out.status.code(), Some(1), "{}", r.stderr());
    assert_eq!(r.outputs["verdict"], "fail");
    assert_eq!(r.outputs["findings-count"], "3");
    assert!(
        r.stdout()
            .starts_with("::error title=FO101 feature-removed"),
        "{}",
        r.stdout()
    );
    assert!(
        r.summary.contains("❌ **feastops: breaking changes**"),
        "{}",
        r.summary
    );
    assert!(r.summary.contains("```diff"), "{}", r.summary);
    let sarif = std::fs::read_to_string(dir.path().join("feastops.sarif")).unwrap();
    assert!(sarif.contains("\"ruleId\": \"feature-removed\""));
    // The work directory is cleaned up.
    let left: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("feastops.")
        })
        .filter(|p| p.is_dir())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn no_change_passes() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_action(
        dir.path(),
        &[
            ("AGAINST", &reg("base")),
            ("PATH", &reg("base")),
            ("ANNOTATIONS", "false"),
        ],
    );
    assert_eq!(r.out.status.code(), Some(0), "{}", r.stderr());
    assert_eq!(r.outputs["verdict"], "pass");
    assert_eq!(r.outputs["findings-count"], "0");
    assert!(r.summary.contains("no breaking changes"), "{}", r.summary);
    assert!(
        !r.stdout().contains("::"),
        "annotations were off: {}",
        r.stdout()
    );
}

#[test]
fn inputs_map_to_flags() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_action(
        dir.path(),
        &[
            ("AGAINST", &reg("base")),
            ("PATH", &reg("online_disabled")),
            ("MODE", "training"),
            ("FAIL_ON", "info"),
            ("SUMMARY", "false"),
        ],
    );
    // training makes online-disabled info, and fail-on info fails on it.
    assert_eq!(r.out.status.code(), Some(1), "{}", r.stderr());
    assert!(
        r.stdout().starts_with("::notice title=FO204"),
        "{}",
        r.stdout()
    );
    assert_eq!(r.summary, "");
}

#[test]
fn a_baseline_that_cannot_be_read_fails_the_step_and_never_passes() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_action(
        dir.path(),
        &[("AGAINST", "no/such/registry.db"), ("PATH", &reg("base"))],
    );
    assert_eq!(r.out.status.code(), Some(2));
    assert_eq!(r.outputs["verdict"], "error");
    assert_eq!(r.outputs["findings-count"], "");
    assert!(r.summary.contains("could not compare"), "{}", r.summary);
    assert!(r.summary.contains("no/such/registry.db"), "{}", r.summary);
    assert!(!r.summary.contains("no breaking changes"), "{}", r.summary);
    assert!(
        r.stdout()
            .contains("::error title=feastops could not compare the schemas::")
    );
    // A missing input is the same kind of failure.
    let r = run_action(dir.path(), &[("PATH", &reg("base"))]);
    assert_eq!(r.out.status.code(), Some(2));
    assert_eq!(r.outputs["verdict"], "error");
}

#[test]
fn hostile_inputs_stay_inert() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = [
        ("AGAINST", "\"; rm -rf / ; touch pwned_against; \""),
        ("PATH", "$(touch pwned_path)"),
        ("FAIL_ON", "error; touch pwned_fail_on"),
        ("MODE", "`touch pwned_mode`"),
        ("SARIF_FILE", "$(touch pwned_sarif).sarif"),
        ("CONFIG", "'; touch pwned_config; '"),
    ];
    let r = run_action(dir.path(), &hostile);
    assert_eq!(r.out.status.code(), Some(2), "{}", r.stderr());
    assert_eq!(r.outputs["verdict"], "error");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with("pwned")),
        "an input was executed: {names:?}"
    );
    // The value reached feastops literally (clap rejects it as a value).
    assert!(r.stderr().contains("touch pwned_fail_on"), "{}", r.stderr());
    // Each input alone, so every one reaches feastops, not just the first.
    for (k, v) in hostile {
        let mut inputs = vec![("AGAINST", reg("base")), ("PATH", reg("base"))];
        inputs.retain(|(n, _)| *n != k);
        inputs.push((k, v.to_string()));
        let inputs: Vec<(&str, &str)> = inputs.iter().map(|(a, b)| (*a, b.as_str())).collect();
        run_action(dir.path(), &inputs);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n.starts_with("pwned")),
            "{k}: {names:?}"
        );
    }
    // A valid file name, however odd, is used literally.
    assert!(dir.path().join("$(touch pwned_sarif).sarif").is_file());
}
