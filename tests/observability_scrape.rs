//! The metric names the rendered alerts and dashboard read from Feast exist: the real
//! `feast serve --metrics` (Feast 0.67, FEASTOPS_FEAST) serves a small materialized repo,
//! takes successful and failing requests, and its /metrics scrape must hold every
//! `feast_*` family the rules and dashboard use, with the label values they match on.
//! Feast fixes the metrics port at 8000, so the server runs in its own network namespace
//! when `unshare` can make one (root, as in CI).

#[path = "topology_common/mod.rs"]
mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use common::*;
use feastops::topology::observability::metrics::feast_metric_families;

fn feast() -> Option<PathBuf> {
    match std::env::var_os("FEASTOPS_FEAST") {
        Some(f) => Some(PathBuf::from(f)),
        None if std::env::var_os("CI").is_some() => {
            panic!("FEASTOPS_FEAST is not set: run the tests through scripts/test")
        }
        None => {
            eprintln!("skipped: FEASTOPS_FEAST not set");
            None
        }
    }
}

/// The scrape text of a real feature server.
fn scrape(feast: &std::path::Path) -> String {
    let python = feast.with_file_name("python");
    let work = tempfile::tempdir().unwrap();
    let driver = repo().join("tests/fixtures/observability/scrape.py");
    let repo_dir = repo().join("tests/fixtures/feast/freshness/repo");
    let args = [
        python.to_str().unwrap(),
        driver.to_str().unwrap(),
        work.path().to_str().unwrap(),
        repo_dir.to_str().unwrap(),
    ];
    let isolated = Command::new("unshare")
        .args(["--net", "true"])
        .status()
        .is_ok_and(|s| s.success());
    let out = if isolated {
        let script = "ip link set lo up && exec \"$@\"";
        Command::new("unshare")
            .args(["--net", "sh", "-c", script, "sh"])
            .args(args)
            .output()
            .unwrap()
    } else {
        Command::new(args[0]).args(&args[1..]).output().unwrap()
    };
    assert!(
        out.status.success(),
        "scrape driver failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `feast_…` names in a query, with histogram suffixes removed.
fn feast_names(expr: &str, out: &mut BTreeSet<String>) {
    let bytes = expr.as_bytes();
    let mut i = 0;
    while let Some(pos) = expr[i..].find("feast_") {
        let start = i + pos;
        let boundary =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        let end = start
            + expr[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(expr.len() - start);
        if boundary {
            let name = &expr[start..end];
            let family = ["_bucket", "_count", "_sum"]
                .iter()
                .find_map(|s| name.strip_suffix(s))
                .unwrap_or(name);
            out.insert(family.to_string());
        }
        i = end;
    }
}

#[test]
fn every_feast_metric_the_rules_and_dashboard_use_is_in_a_real_scrape() {
    let Some(feast) = feast() else { return };
    // What the renders use: every rule expression and dashboard query of Standard and
    // Enterprise.
    let mut used = BTreeSet::new();
    for (name, args) in combinations()
        .into_iter()
        .filter(|(n, _)| n.ends_with("-aws") && !n.starts_with("minimal"))
    {
        let (_d, out) = render_dir(&args);
        for entry in std::fs::read_dir(out.join("observability/rules")).unwrap() {
            feast_names(
                &std::fs::read_to_string(entry.unwrap().path()).unwrap(),
                &mut used,
            );
        }
        let cm = std::fs::read_dir(out.join("manifests"))
            .unwrap()
            .map(|d| d.unwrap().path().join("configmap-feast-dashboard.yaml"))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{name}: no dashboard ConfigMap"));
        let cm = std::fs::read_to_string(cm).unwrap();
        feast_names(&cm, &mut used);
    }
    // The catalog documented in RUNBOOK.md and docs lists exactly those.
    let catalog: BTreeSet<String> = feast_metric_families()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(used, catalog, "rules/dashboard vs metrics::METRICS");

    let text = scrape(&feast);
    let families: BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let missing: Vec<&String> = used
        .iter()
        .filter(|m| !families.contains(m.as_str()))
        .collect();
    assert!(missing.is_empty(), "not in the scrape: {missing:?}\n{text}");
    // The label values the rules match on are the ones Feast writes.
    for series in [
        "feast_feature_server_request_total{endpoint=\"/get-online-features\",status=\"success\"} 3.0",
        "feast_feature_server_request_total{endpoint=\"/get-online-features\",status=\"error\"} 1.0",
        "feast_feature_freshness_seconds{feature_view=\"trips_fresh\",project=\"freshness\"}",
        "feast_feature_server_request_latency_seconds_bucket{endpoint=\"/get-online-features\"",
        "feast_feature_server_online_store_read_duration_seconds_bucket{le=",
    ] {
        assert!(
            text.contains(series),
            "no `{series}` in the scrape:\n{text}"
        );
    }
}
