//! The rendered alert rules, checked by Prometheus's own `promtool` (Debian's
//! `prometheus` package, installed by scripts/test): every rule file of every render
//! passes `promtool check rules`, every dashboard query parses, and `promtool test rules`
//! shows each alert firing on synthetic series of the failure it names and silent on a
//! healthy series. Under CI a missing promtool is a failure, not a skip.

#[path = "topology_common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::{Value, json};

fn promtool() -> Option<PathBuf> {
    let p = std::env::var_os("FEASTOPS_PROMTOOL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/promtool"));
    if p.exists() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "promtool not found at {}: run the tests through scripts/test",
            p.display()
        );
    }
    eprintln!("skipped: promtool not installed (scripts/test installs Debian's prometheus)");
    None
}

fn run(tool: &Path, args: &[&str], files: &[PathBuf]) -> (bool, String) {
    let out = Command::new(tool)
        .args(args)
        .args(files)
        .output()
        .expect("promtool runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn rule_files(dir: &Path) -> Vec<PathBuf> {
    let rules = dir.join("observability/rules");
    let Ok(entries) = std::fs::read_dir(&rules) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

#[test]
fn every_rendered_rule_file_and_dashboard_query_passes_promtool_check() {
    let Some(tool) = promtool() else { return };
    let root = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (name, args) in combinations() {
        let out = root.path().join(&name);
        render_into(&args, &out);
        let files = rule_files(&out);
        if name.starts_with("minimal") {
            assert!(
                files.is_empty(),
                "{name}: Minimal serves no metrics, renders no rules"
            );
            assert!(!out.join("RUNBOOK.md").exists(), "{name}");
            continue;
        }
        assert!(!files.is_empty(), "{name}: no rule files");
        let (ok, text) = run(&tool, &["check", "rules"], &files);
        assert!(ok, "{name}: promtool check rules:\n{text}");
        checked += files.len();

        // The dashboard's queries, as recording rules, with the Grafana variable filled.
        let cm = std::fs::read_dir(out.join("manifests"))
            .unwrap()
            .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
            .map(|e| e.unwrap().path())
            .find(|p| p.ends_with("configmap-feast-dashboard.yaml"))
            .unwrap_or_else(|| panic!("{name}: no dashboard ConfigMap"));
        let cm: Value = serde_yaml_ng::from_str(&std::fs::read_to_string(&cm).unwrap()).unwrap();
        let dash: Value = serde_json::from_str(cm["data"]["feast.json"].as_str().unwrap()).unwrap();
        let rules: Vec<Value> = dash["panels"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                json!({"record": format!("feastops:dashboard_panel_{i}"),
                       "expr": p["targets"][0]["expr"].as_str().unwrap().replace("$namespace", "feast|team-a")})
            })
            .collect();
        assert!(rules.len() >= 10, "{name}: {} panels", rules.len());
        let f = out.join("dashboard-queries.rules.yaml");
        std::fs::write(
            &f,
            serde_yaml_ng::to_string(&json!({"groups": [{"name": "dashboard", "rules": rules}]}))
                .unwrap(),
        )
        .unwrap();
        let (ok, text) = run(&tool, &["check", "rules"], &[f]);
        assert!(ok, "{name}: dashboard queries:\n{text}");
    }
    assert!(checked >= 18, "rule files checked: {checked}");
}

/// Standard on AWS (Redis, SQL registry, HPA, hourly materialization) plus `extra`.
fn standard(extra: &[&str]) -> Vec<String> {
    ["--topology", "standard", "--cloud", "aws"]
        .iter()
        .chain(GIT_REPO_SETS.iter())
        .chain(extra.iter())
        .map(|s| s.to_string())
        .collect()
}

/// One promtool test case: series, when to evaluate, the alert and what must fire.
struct Case {
    what: &'static str,
    alert: &'static str,
    series: Vec<(String, &'static str)>,
    eval_min: u32,
    /// Labels of the firing alert beyond alertname and the rule's own labels; `None` =
    /// silent.
    fires: Option<Vec<(&'static str, &'static str)>>,
}

const KSM: &str = r#"job="kube-state-metrics", namespace="feast""#;
const FEAST: &str = r#"job="feast-feast-online", namespace="feast", instance="10.0.0.1:8000""#;

fn s(metric: &str, labels: &str, values: &'static str) -> (String, &'static str) {
    (format!("{metric}{{{labels}}}"), values)
}

fn cases() -> Vec<Case> {
    let cron = format!(r#"{KSM}, cronjob="feast-feast""#);
    let job = format!(r#"{KSM}, job_name="feast-feast-29000000""#);
    let hpa = format!(r#"{KSM}, horizontalpodautoscaler="feast-feast""#);
    let redis = r#"job="redis-exporter", instance="redis:9121""#;
    let pg = r#"job="postgres-exporter", instance="pg:9187""#;
    let get = r#"endpoint="/get-online-features""#;
    let fv = r#"project="driver_ranking", feature_view="driver_hourly_stats""#;
    vec![
        // The hourly schedule allows 60 min + 30 min slack = 5400 s.
        Case {
            what: "last success at t=0, evaluated at 100 min",
            alert: "FeastMaterializationStale",
            series: vec![
                s("kube_cronjob_created", &cron, "0+0x200"),
                s("kube_cronjob_status_last_successful_time", &cron, "0+0x200"),
            ],
            eval_min: 100,
            fires: Some(vec![("cronjob", "feast-feast")]),
        },
        Case {
            what: "a success every minute",
            alert: "FeastMaterializationStale",
            series: vec![
                s("kube_cronjob_created", &cron, "0+0x200"),
                s(
                    "kube_cronjob_status_last_successful_time",
                    &cron,
                    "0+60x200",
                ),
            ],
            eval_min: 100,
            fires: None,
        },
        Case {
            what: "created at t=0, never succeeded, at 100 min",
            alert: "FeastMaterializationStale",
            series: vec![s("kube_cronjob_created", &cron, "0+0x200")],
            eval_min: 100,
            fires: Some(vec![("cronjob", "feast-feast")]),
        },
        Case {
            what: "created at t=0, not yet due at 60 min",
            alert: "FeastMaterializationStale",
            series: vec![s("kube_cronjob_created", &cron, "0+0x200")],
            eval_min: 60,
            fires: None,
        },
        Case {
            what: "a job started at 3600 s failed; last success at 0",
            alert: "FeastMaterializationFailed",
            series: vec![
                s("kube_cronjob_status_last_successful_time", &cron, "0+0x100"),
                s("kube_job_status_start_time", &job, "3600+0x100"),
                s("kube_job_status_failed", &job, "1+0x100"),
            ],
            eval_min: 70,
            fires: Some(vec![]),
        },
        Case {
            what: "a failed job, then a success at 7200 s",
            alert: "FeastMaterializationFailed",
            series: vec![
                s(
                    "kube_cronjob_status_last_successful_time",
                    &cron,
                    "7200+0x100",
                ),
                s("kube_job_status_start_time", &job, "3600+0x100"),
                s("kube_job_status_failed", &job, "1+0x100"),
            ],
            eval_min: 70,
            fires: None,
        },
        Case {
            what: "a job that did not fail",
            alert: "FeastMaterializationFailed",
            series: vec![
                s("kube_cronjob_status_last_successful_time", &cron, "0+0x100"),
                s("kube_job_status_start_time", &job, "3600+0x100"),
                s("kube_job_status_failed", &job, "0+0x100"),
            ],
            eval_min: 70,
            fires: None,
        },
        Case {
            what: "a view 6000 s old",
            alert: "FeastFeatureViewStale",
            series: vec![s(
                "feast_feature_freshness_seconds",
                &format!("{FEAST}, {fv}"),
                "6000+0x60",
            )],
            eval_min: 30,
            fires: Some(vec![
                ("project", "driver_ranking"),
                ("feature_view", "driver_hourly_stats"),
            ]),
        },
        Case {
            what: "a view 600 s old",
            alert: "FeastFeatureViewStale",
            series: vec![s(
                "feast_feature_freshness_seconds",
                &format!("{FEAST}, {fv}"),
                "600+0x60",
            )],
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "scrapes fail",
            alert: "FeastFeatureServerDown",
            series: vec![s("up", FEAST, "0+0x60")],
            eval_min: 30,
            fires: Some(vec![
                ("job", "feast-feast-online"),
                ("instance", "10.0.0.1:8000"),
            ]),
        },
        Case {
            what: "not scraped at all",
            alert: "FeastFeatureServerDown",
            series: vec![s("up", r#"job="other""#, "1+0x60")],
            eval_min: 30,
            fires: Some(vec![("job", "feast-feast-online")]),
        },
        Case {
            what: "scrapes succeed",
            alert: "FeastFeatureServerDown",
            series: vec![s("up", FEAST, "1+0x60")],
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "10 errors per 100 successes a minute",
            alert: "FeastFeatureServerErrorRate",
            series: vec![
                s(
                    "feast_feature_server_request_total",
                    &format!(r#"{FEAST}, {get}, status="error""#),
                    "0+10x60",
                ),
                s(
                    "feast_feature_server_request_total",
                    &format!(r#"{FEAST}, {get}, status="success""#),
                    "0+100x60",
                ),
            ],
            eval_min: 30,
            fires: Some(vec![]),
        },
        Case {
            what: "no errors",
            alert: "FeastFeatureServerErrorRate",
            series: vec![
                s(
                    "feast_feature_server_request_total",
                    &format!(r#"{FEAST}, {get}, status="error""#),
                    "0+0x60",
                ),
                s(
                    "feast_feature_server_request_total",
                    &format!(r#"{FEAST}, {get}, status="success""#),
                    "0+100x60",
                ),
            ],
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "most requests between 50 and 100 ms",
            alert: "FeastFeatureServerLatencyHigh",
            series: latency(
                "feast_feature_server_request_latency_seconds_bucket",
                &format!("{FEAST}, {get}"),
                "0.1",
            ),
            eval_min: 30,
            fires: Some(vec![]),
        },
        Case {
            what: "every request under 5 ms",
            alert: "FeastFeatureServerLatencyHigh",
            series: latency(
                "feast_feature_server_request_latency_seconds_bucket",
                &format!("{FEAST}, {get}"),
                "0.005",
            ),
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "store reads between 25 and 50 ms",
            alert: "FeastOnlineStoreReadLatencyHigh",
            series: latency(
                "feast_feature_server_online_store_read_duration_seconds_bucket",
                FEAST,
                "0.05",
            ),
            eval_min: 30,
            fires: Some(vec![]),
        },
        Case {
            what: "store reads under 5 ms",
            alert: "FeastOnlineStoreReadLatencyHigh",
            series: latency(
                "feast_feature_server_online_store_read_duration_seconds_bucket",
                FEAST,
                "0.005",
            ),
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "95% of maxmemory",
            alert: "FeastRedisMemoryNearLimit",
            series: vec![
                s("redis_memory_used_bytes", redis, "950+0x60"),
                s("redis_memory_max_bytes", redis, "1000+0x60"),
            ],
            eval_min: 30,
            fires: Some(vec![("instance", "redis:9121")]),
        },
        Case {
            what: "50% of maxmemory",
            alert: "FeastRedisMemoryNearLimit",
            series: vec![
                s("redis_memory_used_bytes", redis, "500+0x60"),
                s("redis_memory_max_bytes", redis, "1000+0x60"),
            ],
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "no maxmemory (0 = unlimited)",
            alert: "FeastRedisMemoryNearLimit",
            series: vec![
                s("redis_memory_used_bytes", redis, "950+0x60"),
                s("redis_memory_max_bytes", redis, "0+0x60"),
            ],
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "5 evictions a minute",
            alert: "FeastRedisEvictions",
            series: vec![s("redis_evicted_keys_total", redis, "0+5x60")],
            eval_min: 30,
            fires: Some(vec![("instance", "redis:9121")]),
        },
        Case {
            what: "no evictions",
            alert: "FeastRedisEvictions",
            series: vec![s("redis_evicted_keys_total", redis, "42+0x60")],
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "pg_up 0",
            alert: "FeastRegistryDatabaseDown",
            series: vec![s("pg_up", pg, "0+0x60")],
            eval_min: 30,
            fires: Some(vec![("job", "postgres-exporter"), ("instance", "pg:9187")]),
        },
        Case {
            what: "no postgres_exporter",
            alert: "FeastRegistryDatabaseDown",
            series: vec![s("up", r#"job="other""#, "1+0x60")],
            eval_min: 30,
            fires: Some(vec![("job", "postgres-exporter")]),
        },
        Case {
            what: "pg_up 1",
            alert: "FeastRegistryDatabaseDown",
            series: vec![s("pg_up", pg, "1+0x60")],
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "10 of 10 replicas for 30 min",
            alert: "FeastHpaAtMaxReplicas",
            series: vec![
                s(
                    "kube_horizontalpodautoscaler_status_current_replicas",
                    &hpa,
                    "10+0x60",
                ),
                s(
                    "kube_horizontalpodautoscaler_spec_max_replicas",
                    &hpa,
                    "10+0x60",
                ),
            ],
            eval_min: 30,
            fires: Some(vec![("horizontalpodautoscaler", "feast-feast")]),
        },
        Case {
            what: "10 of 10 replicas for 10 min only",
            alert: "FeastHpaAtMaxReplicas",
            series: vec![
                s(
                    "kube_horizontalpodautoscaler_status_current_replicas",
                    &hpa,
                    "5+0x20 10+0x10",
                ),
                s(
                    "kube_horizontalpodautoscaler_spec_max_replicas",
                    &hpa,
                    "10+0x60",
                ),
            ],
            eval_min: 30,
            fires: None,
        },
        Case {
            what: "5 of 10 replicas",
            alert: "FeastHpaAtMaxReplicas",
            series: vec![
                s(
                    "kube_horizontalpodautoscaler_status_current_replicas",
                    &hpa,
                    "5+0x60",
                ),
                s(
                    "kube_horizontalpodautoscaler_spec_max_replicas",
                    &hpa,
                    "10+0x60",
                ),
            ],
            eval_min: 30,
            fires: None,
        },
    ]
}

/// A latency histogram where 100 requests a minute fall in the bucket ending at `le`.
fn latency(metric: &str, labels: &str, le: &str) -> Vec<(String, &'static str)> {
    let buckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "+Inf"];
    let at: f64 = le.parse().unwrap();
    buckets
        .iter()
        .map(|b| {
            let v: f64 = if *b == "+Inf" {
                f64::INFINITY
            } else {
                b.parse().unwrap()
            };
            let values = if v >= at { "0+100x60" } else { "0+0x60" };
            (format!("{metric}{{{labels}, le=\"{b}\"}}"), values)
        })
        .collect()
}

#[test]
fn each_alert_fires_on_its_failure_and_stays_silent_on_a_healthy_series() {
    let Some(tool) = promtool() else { return };
    let (_d, out) = render_dir(&standard(&[]));
    let rule_file = out.join("observability/rules/feast-feast.rules.yaml");
    let mut rules: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(&rule_file).unwrap()).unwrap();
    // Annotation templates are checked by `promtool check rules`; here only which alerts
    // fire, with which labels, is compared.
    let mut own_labels = std::collections::BTreeMap::new();
    for r in rules["groups"][0]["rules"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("annotations");
        own_labels.insert(
            r["alert"].as_str().unwrap().to_string(),
            r["labels"].clone(),
        );
    }
    let alerts: std::collections::BTreeSet<String> = own_labels.keys().cloned().collect();
    let covered: std::collections::BTreeSet<String> =
        cases().iter().map(|c| c.alert.to_string()).collect();
    assert_eq!(
        alerts, covered,
        "every rendered alert has cases, and no case names a missing one"
    );
    for c in cases() {
        assert!(
            cases()
                .iter()
                .any(|o| o.alert == c.alert && o.fires.is_none()),
            "{}: a healthy case",
            c.alert
        );
    }
    let stripped = out.join("stripped.rules.yaml");
    std::fs::write(&stripped, serde_yaml_ng::to_string(&rules).unwrap()).unwrap();

    let tests: Vec<Value> = cases()
        .iter()
        .map(|c| {
            let exp: Vec<Value> = match &c.fires {
                None => vec![],
                Some(extra) => {
                    let mut labels = own_labels[c.alert].clone();
                    for (k, v) in extra {
                        labels[*k] = json!(v);
                    }
                    vec![json!({"exp_labels": labels})]
                }
            };
            json!({
                "name": format!("{}: {}", c.alert, c.what),
                "interval": "1m",
                "input_series": c.series.iter().map(|(s, v)| json!({"series": s, "values": v})).collect::<Vec<_>>(),
                "alert_rule_test": [{"eval_time": format!("{}m", c.eval_min), "alertname": c.alert, "exp_alerts": exp}],
            })
        })
        .collect();
    let test_file = out.join("alerts.test.yaml");
    std::fs::write(
        &test_file,
        serde_yaml_ng::to_string(&json!({"rule_files": ["stripped.rules.yaml"], "evaluation_interval": "1m", "tests": tests})).unwrap(),
    )
    .unwrap();
    let (ok, text) = run(&tool, &["test", "rules"], &[test_file]);
    assert!(ok, "promtool test rules:\n{text}");
    assert!(text.contains("SUCCESS"), "{text}");
}

/// The unit tests above would pass on a rule that never fires if its cases were wrong
/// too; a broken rule must fail them.
#[test]
fn a_rule_with_the_wrong_threshold_fails_the_unit_tests() {
    let Some(tool) = promtool() else { return };
    let (_d, out) = render_dir(&standard(&[
        "--set",
        "observability.thresholds.redisMemoryRatio=0.99",
    ]));
    let rule_file = out.join("observability/rules/feast-feast.rules.yaml");
    let mut rules: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(&rule_file).unwrap()).unwrap();
    for r in rules["groups"][0]["rules"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("annotations");
    }
    std::fs::write(
        out.join("r.yaml"),
        serde_yaml_ng::to_string(&rules).unwrap(),
    )
    .unwrap();
    let c = cases()
        .into_iter()
        .find(|c| c.what == "95% of maxmemory")
        .unwrap();
    let mut labels = rules["groups"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["alert"] == c.alert)
        .unwrap()["labels"]
        .clone();
    labels["instance"] = json!("redis:9121");
    let t = json!({"rule_files": ["r.yaml"], "evaluation_interval": "1m", "tests": [{
        "interval": "1m",
        "input_series": c.series.iter().map(|(s, v)| json!({"series": s, "values": v})).collect::<Vec<_>>(),
        "alert_rule_test": [{"eval_time": "30m", "alertname": c.alert, "exp_alerts": [{"exp_labels": labels}]}]}]});
    std::fs::write(out.join("t.yaml"), serde_yaml_ng::to_string(&t).unwrap()).unwrap();
    let (ok, text) = run(&tool, &["test", "rules"], &[out.join("t.yaml")]);
    assert!(!ok, "95% used must not fire at a 99% threshold:\n{text}");
}
