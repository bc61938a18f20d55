//! `feastops freshness` on registries where the real feast 0.67 applied and materialized
//! (scripts/fixtures/freshness.py): trips_fresh and trips_forever materialized up to
//! 2026-11-01T12:00Z, trips_stale up to 2026-10-01T00:00Z, trips_never never, and the
//! offline-only trips_offline; ttl 1 day except trips_forever (0 = forever).

use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::Value;

const NOW: &str = "2026-11-01T13:00:00Z";

fn registry(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feast/registries")
        .join(name)
}

fn sqlite_url() -> String {
    format!(
        "sqlite:///{}",
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/feast/freshness/sql-registry.sqlite")
            .display()
    )
}

fn feastops() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("feastops").unwrap()
}

fn json(source: &str, extra: &[&str]) -> (i32, Value) {
    let out = feastops()
        .args(["freshness", source, "--now", NOW, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

fn statuses(v: &Value) -> Vec<(String, String)> {
    v["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap().to_string(),
                x["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn stale_and_never_materialized_views_fail_with_exit_1_judged_by_their_ttl() {
    let (code, v) = json(registry("freshness.db").to_str().unwrap(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        statuses(&v),
        pairs(&[
            ("trips_forever", "unbounded"),
            ("trips_fresh", "fresh"),
            ("trips_never", "never"),
            ("trips_stale", "stale"),
        ])
    );
    let fresh = &v["views"][1];
    assert_eq!(fresh["last_materialized"], 1_793_534_400); // 2026-11-01T12:00:00Z
    assert_eq!(fresh["age_seconds"], 3600);
    assert_eq!(fresh["ttl_seconds"], 86400);
    assert_eq!(fresh["intervals"], 1);
    assert_eq!(v["views"][3]["age_seconds"], 31 * 86400 + 13 * 3600);
    assert_eq!(
        v["offline_only"],
        serde_json::json!(["freshness/trips_offline"])
    );
    assert_eq!(v["stale"], 2);
}

#[test]
fn the_sql_registry_reports_what_the_file_registry_does() {
    let (code, v) = json(&sqlite_url(), &[]);
    assert_eq!(code, 1);
    let (_, file) = json(registry("freshness.db").to_str().unwrap(), &[]);
    assert_eq!(v["views"], file["views"]);
}

/// A service started by scripts/test (scripts/services/): under CI a missing one fails.
fn service(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{var} is not set: run the tests through scripts/test"
            );
            eprintln!("skipped: {var} not set (scripts/test starts the service)");
            None
        }
    }
}

/// Object storage (moto S3) and the real `feast serve_registry` (gRPC `Proto`): the
/// same report as the file they serve.
#[test]
fn s3_and_grpc_registries_report_what_the_file_registry_does() {
    let (_, file) = json(registry("freshness.db").to_str().unwrap(), &[]);
    for var in [
        "FEASTOPS_TEST_S3_FRESHNESS_URL",
        "FEASTOPS_TEST_GRPC_FRESHNESS_URL",
    ] {
        let Some(url) = service(var) else { continue };
        let (code, v) = json(&url, &[]);
        assert_eq!(code, 1, "{var}");
        assert_eq!(v["views"], file["views"], "{var}");
    }
}

#[test]
fn max_age_replaces_the_ttl_for_every_view() {
    let src = registry("freshness.db");
    let (_, v) = json(src.to_str().unwrap(), &["--max-age", "2h"]);
    assert_eq!(
        statuses(&v),
        pairs(&[
            ("trips_forever", "fresh"),
            ("trips_fresh", "fresh"),
            ("trips_never", "never"),
            ("trips_stale", "stale")
        ])
    );
    let (_, v) = json(src.to_str().unwrap(), &["--max-age", "30m"]);
    assert_eq!(
        statuses(&v),
        pairs(&[
            ("trips_forever", "stale"),
            ("trips_fresh", "stale"),
            ("trips_never", "never"),
            ("trips_stale", "stale")
        ])
    );
}

#[test]
fn a_fresh_view_goes_stale_once_its_ttl_has_passed() {
    let out = feastops()
        .args([
            "freshness",
            registry("freshness_fresh.db").to_str().unwrap(),
            "--now",
            "2026-11-02T11:59:59Z",
        ])
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("fresh              freshness/trips_fresh"),
        "{text}"
    );
    assert!(text.contains("2 online view(s), 0 stale"), "{text}");
    feastops()
        .args([
            "freshness",
            registry("freshness_fresh.db").to_str().unwrap(),
            "--now",
            "2026-11-02T12:00:01Z",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "STALE              freshness/trips_fresh",
        ));
}

#[test]
fn text_report_names_every_state() {
    feastops()
        .args(["freshness", registry("freshness.db").to_str().unwrap(), "--now", NOW])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("NEVER MATERIALIZED freshness/trips_never: never materialized; ttl 1d0h"))
        .stdout(predicate::str::contains("STALE              freshness/trips_stale: last materialized end 2026-10-01T00:00:00Z (31d13h ago); ttl 1d0h"))
        .stdout(predicate::str::contains("no ttl; pass --max-age"))
        .stdout(predicate::str::contains("1 offline-only view(s) not checked"));
}

#[test]
fn prometheus_exposition_holds_the_gauges_and_passes_promtool() {
    let out = feastops()
        .args([
            "freshness",
            registry("freshness.db").to_str().unwrap(),
            "--now",
            NOW,
            "--format",
            "prometheus",
        ])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for line in [
        "feast_feature_view_last_materialized_timestamp{project=\"freshness\",feature_view=\"trips_fresh\"} 1793534400",
        "feast_feature_view_materialization_age_seconds{project=\"freshness\",feature_view=\"trips_stale\"} 2725200",
        "feast_feature_view_stale{project=\"freshness\",feature_view=\"trips_never\"} 1",
        "feast_feature_view_stale{project=\"freshness\",feature_view=\"trips_fresh\"} 0",
        "feast_feature_view_max_age_seconds{project=\"freshness\",feature_view=\"trips_fresh\"} 86400",
        "feast_feature_view_freshness_report_timestamp 1793538000",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
    // A never-materialized view has no timestamp (rather than a fake 0).
    assert!(!text.contains(
        "last_materialized_timestamp{project=\"freshness\",feature_view=\"trips_never\"}"
    ));
    let promtool =
        PathBuf::from(std::env::var("FEASTOPS_PROMTOOL").unwrap_or("/usr/bin/promtool".into()));
    if !promtool.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "promtool missing under CI"
        );
        return;
    }
    let mut child = std::process::Command::new(&promtool)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let r = child.wait_with_output().unwrap();
    assert!(
        r.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    );
}

#[test]
fn project_filter_and_its_errors() {
    let (code, v) = json(
        registry("freshness.db").to_str().unwrap(),
        &["--project", "freshness"],
    );
    assert_eq!((code, v["views"].as_array().unwrap().len()), (1, 4));
    feastops()
        .args([
            "freshness",
            registry("freshness.db").to_str().unwrap(),
            "--project",
            "nope",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no feature view of project `nope`",
        ));
}

#[test]
fn sources_without_materialization_records_and_bad_flags_exit_2() {
    let repo =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feast/freshness/repo");
    feastops()
        .args(["freshness", repo.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "a feature repo holds no materialization records",
        ));
    // The REST API leaves the intervals out: refused before any connection.
    feastops()
        .args(["freshness", "http://127.0.0.1:9/"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "REST API (it returns no materialization intervals)",
        ));
    let f = registry("freshness.db");
    for (flag, value, msg) in [
        (
            "--now",
            "yesterday",
            "--now `yesterday` is not an RFC 3339 time",
        ),
        ("--max-age", "2y", "unknown unit"),
        ("--max-age", "0h", "must be positive"),
    ] {
        feastops()
            .args(["freshness", f.to_str().unwrap(), flag, value])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(msg));
    }
    let missing = std::env::temp_dir().join("feastops-no-such-registry.db");
    feastops()
        .args(["freshness", missing.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("feastops-no-such-registry.db"));
}
