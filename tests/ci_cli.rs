//! `feastops lint` with configuration, modes, suppressions and several
//! output formats, end to end through the binary.

#[path = "ci_common/mod.rs"]
mod common;

use std::path::Path;

use assert_cmd::Command;
use feastops::lint::{Finding, Level, ObjectKind, ObjectRef};
use feastops::model::Location;
use feastops::sources::lockfile;
use predicates::prelude::*;

fn feastops(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("feastops").unwrap();
    c.current_dir(dir).env_remove("CI");
    c
}

fn reg(variant: &str) -> String {
    common::registry_path(variant).display().to_string()
}

#[test]
fn modes_change_levels_and_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "lint",
        "--against",
        &reg("base"),
        "--proposed",
        &reg("online_disabled"),
    ];
    feastops(dir.path()).args(args).assert().code(1);
    feastops(dir.path())
        .args(args)
        .args(["--mode", "training", "--format", "github"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "::notice title=FO204 online-disabled",
        ));
    // From the config file too; the command line wins over it.
    std::fs::write(dir.path().join(".feastops.yaml"), "mode: training\n").unwrap();
    feastops(dir.path()).args(args).assert().code(0);
    feastops(dir.path())
        .args(args)
        .args(["--mode", "serving"])
        .assert()
        .code(1);
    feastops(dir.path())
        .args(args)
        .arg("--no-config")
        .assert()
        .code(1);
    // ttl-shortened: a warning when serving, an error for training.
    let ttl = [
        "lint",
        "--against",
        &reg("base"),
        "--proposed",
        &reg("ttl_shortened"),
        "--no-config",
    ];
    feastops(dir.path()).args(ttl).assert().code(0);
    feastops(dir.path())
        .args(ttl)
        .args(["--mode", "training"])
        .assert()
        .code(1);
}

#[test]
fn unknown_config_key_is_a_usage_error_with_a_suggestion_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cfg.yaml"), "mode: serving\nignore:\n  - rule: feature-removed\n    objekt: feature_view/x\n    reason: r\n").unwrap();
    feastops(dir.path())
        .args(["lint", "--against", &reg("base"), "--proposed", &reg("feature_removed")])
        .args(["--config", "cfg.yaml", "--format", "sarif=out.sarif"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "feastops: error: cfg.yaml:4:5: ignore[0]: unknown key `objekt`; did you mean `object`?",
        ));
    assert!(!dir.path().join("out.sarif").exists());
}

#[test]
fn config_levels_ignores_and_unused_ignores() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".feastops.yaml"),
        "fail-on: warning\nrules:\n  feature-service-vector-changed: off\nignore:\n  - rule: feature-removed\n    object: feature_view/employee_*\n    feature: overtime\n    reason: attrition_model_v2 no longer reads overtime\n  - rule: ttl-shortened\n    object: feature_view/employee_features\n    reason: approved long ago\n",
    )
    .unwrap();
    let out = feastops(dir.path())
        .args([
            "lint",
            "--against",
            &reg("base"),
            "--proposed",
            &reg("feature_removed"),
        ])
        .args(["--format", "github", "--format", "markdown=summary.md"])
        .assert()
        // The unused entry is a warning and fail-on is warning.
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        !out.contains("feature-removed ("),
        "suppressed finding annotated: {out}"
    );
    assert!(!out.contains("FO302"), "disabled rule reported: {out}");
    assert!(
        out.contains("::warning file=.feastops.yaml,line=9,title=FO902 unused-ignore"),
        "{out}"
    );
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(md.contains("1 suppressed"), "{md}");
    assert!(
        md.contains("attrition_model_v2 no longer reads overtime"),
        "{md}"
    );
}

/// A feature repo whose lock file locates objects in `features.py`, with
/// suppression comments on those lines.
fn repo_with_comments(dir: &Path) {
    let base = common::registry("base");
    std::fs::write(dir.join("base.lock.json"), lockfile::to_bytes(&base)).unwrap();
    let mut new = common::registry("feature_removed");
    let p = new.projects.get_mut("employee_attrition").unwrap();
    let at = |line| {
        Some(Location {
            file: "features.py".into(),
            line,
        })
    };
    p.feature_views
        .get_mut("employee_features")
        .unwrap()
        .location = at(2);
    p.feature_services
        .get_mut("attrition_model_v1")
        .unwrap()
        .location = at(3);
    p.feature_services
        .get_mut("attrition_model_lite")
        .unwrap()
        .location = at(4);
    std::fs::create_dir(dir.join("feast")).unwrap();
    std::fs::write(
        dir.join("feast/proposed.lock.json"),
        lockfile::to_bytes(&new),
    )
    .unwrap();
    std::fs::write(
        dir.join("feast/features.py"),
        "# employee attrition\n\
         employee_features = FeatureView(  # feastops: ignore[feature-removed] attrition_model_v2 replaces v1\n\
         attrition_model_v1 = FeatureService(  # feastops: ignore[ttl-shortened] long approved\n\
         attrition_model_lite = FeatureService(  # feastops: ignore[feature-removd] typo\n",
    )
    .unwrap();
}

#[test]
fn inline_suppressions_apply_on_the_object_line_and_report_what_they_cannot() {
    let dir = tempfile::tempdir().unwrap();
    repo_with_comments(dir.path());
    let out = feastops(dir.path())
        .args([
            "lint",
            "--against",
            "base.lock.json",
            "--proposed",
            "feast/proposed.lock.json",
        ])
        .args(["--format", "github", "--format", "sarif=out.sarif"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    // Paths are relative to the working directory: feast/ + repo path.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=feast/features.py,line=3,title=FO302")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=feast/features.py,line=4,title=FO302")),
        "{out}"
    );
    assert!(
        !out.contains("FO101"),
        "suppressed finding annotated: {out}"
    );
    assert!(
        out.contains("`# feastops: ignore[ttl-shortened]` at features.py:3 matches no finding"),
        "{out}"
    );
    assert!(
        out.contains("unknown rule `feature-removd`; did you mean `feature-removed`?"),
        "{out}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    let suppressed: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["ruleId"], "feature-removed");
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "attrition_model_v2 replaces v1"
    );
}

#[test]
fn a_suppression_without_reason_is_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    repo_with_comments(dir.path());
    let py = dir.path().join("feast/features.py");
    let text = std::fs::read_to_string(&py)
        .unwrap()
        .replace(" attrition_model_v2 replaces v1", "");
    std::fs::write(&py, text).unwrap();
    feastops(dir.path())
        .args([
            "lint",
            "--against",
            "base.lock.json",
            "--proposed",
            "feast/proposed.lock.json",
            "--format",
            "github",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("title=FO101 feature-removed"))
        .stdout(predicate::str::contains(
            "has no reason, so it is not applied",
        ));
}

#[test]
fn output_pairs_with_its_format_and_files_are_written_only_on_success() {
    let dir = tempfile::tempdir().unwrap();
    feastops(dir.path())
        .args([
            "lint",
            "--against",
            &reg("base"),
            "--proposed",
            &reg("feature_removed"),
        ])
        .args([
            "--format", "sarif", "--output", "a.sarif", "--format", "junit", "-o", "j.xml",
            "--format", "text",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[FO101 feature-removed]"));
    let sarif = std::fs::read_to_string(dir.path().join("a.sarif")).unwrap();
    assert!(sarif.contains("\"version\": \"2.1.0\""));
    assert!(
        std::fs::read_to_string(dir.path().join("j.xml"))
            .unwrap()
            .starts_with("<?xml")
    );
    // An unreadable baseline: exit 2 and no file at all.
    feastops(dir.path())
        .args([
            "lint",
            "--against",
            "missing.db",
            "--proposed",
            &reg("feature_removed"),
        ])
        .args(["--format", "sarif=b.sarif", "--format", "markdown=b.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.db"));
    assert!(!dir.path().join("b.sarif").exists() && !dir.path().join("b.md").exists());
    // Two formats on stdout is a usage error.
    feastops(dir.path())
        .args([
            "lint",
            "--against",
            &reg("base"),
            "--proposed",
            &reg("base"),
            "--format",
            "json",
            "--format",
            "sarif",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("all write to stdout"));
}

/// The GitLab code quality report of the bundled example: issues on the
/// changed lines of the feature repo, paths relative to the working
/// directory, as `artifacts:reports:codequality` expects.
#[test]
fn gitlab_report_points_at_the_changed_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("gl-code-quality-report.json");
    feastops(root)
        .args([
            "lint",
            "examples/feature_repo",
            "--against",
            "examples/production.lock.json",
            "--format",
        ])
        .arg(format!("gitlab={}", report.display()))
        .assert()
        .code(1)
        .stdout("");
    let issues: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let issues = issues.as_array().unwrap();
    let inserted = issues
        .iter()
        .find(|i| i["check_name"] == "feature-inserted")
        .expect("the inserted feature is reported");
    assert_eq!(inserted["severity"], "major");
    assert_eq!(
        inserted["location"]["path"],
        "examples/feature_repo/features.py"
    );
    assert_eq!(inserted["location"]["lines"]["begin"], 80);
    let severities: Vec<&str> = issues
        .iter()
        .map(|i| i["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities.len(), 4, "{issues:?}");
    assert!(severities.contains(&"minor") && severities.contains(&"info"));
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        feastops(Path::new("."))
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("feastops"))
            .stdout(predicate::str::contains("fail-on"));
    }
}

fn finding(level: Level, i: usize) -> Finding {
    Finding::new(
        "feature-removed",
        level,
        "p",
        ObjectRef {
            kind: ObjectKind::FeatureView,
            name: format!("v{i}"),
        },
        format!("finding {i}"),
    )
}

#[test]
fn github_shows_ten_per_level_most_severe_first_and_counts_the_rest() {
    let mut fs: Vec<Finding> = (0..12).map(|i| finding(Level::Info, i)).collect();
    fs.extend((0..13).map(|i| finding(Level::Error, i)));
    fs.push(finding(Level::Warning, 99));
    let out = feastops::report::github::render(&fs);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("::error "));
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::error ")).count(),
        10
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::warning ")).count(),
        1
    );
    // 9 info notices + the one that counts what was left out = 10 notices.
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::notice ")).count(),
        10
    );
    let last = lines.last().unwrap();
    assert!(
        last.contains("6 more finding(s) not annotated (3 error, 0 warning, 3 info)"),
        "{last}"
    );
}
