//! What the observability set of a render holds for each topology and spec choice.

#[path = "topology_common/mod.rs"]
mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

fn standard(extra: &[&str]) -> Vec<String> {
    ["--topology", "standard", "--cloud", "aws"]
        .iter()
        .chain(GIT_REPO_SETS.iter())
        .chain(extra.iter())
        .map(|s| s.to_string())
        .collect()
}

fn yaml(p: &Path) -> Value {
    serde_yaml_ng::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn alerts(rules: &Value) -> Vec<String> {
    rules["groups"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["alert"].as_str().unwrap().to_string())
        .collect()
}

fn rule<'a>(rules: &'a Value, name: &str) -> &'a Value {
    rules["groups"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["alert"] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn standard_on_redis_gets_every_alert_with_a_runbook_section() {
    let (_d, out) = render_dir(&standard(&[]));
    let pr = yaml(&out.join("manifests/feast/prometheusrule-feast-feast.yaml"));
    let file = yaml(&out.join("observability/rules/feast-feast.rules.yaml"));
    assert_eq!(
        pr["spec"]["groups"], file["groups"],
        "the rule file is the PrometheusRule's group"
    );
    let names = alerts(&file);
    assert_eq!(names.len(), 11, "{names:?}");
    let runbook = std::fs::read_to_string(out.join("RUNBOOK.md")).unwrap();
    for r in file["groups"][0]["rules"].as_array().unwrap() {
        let name = r["alert"].as_str().unwrap();
        assert!(
            runbook.contains(&format!("\n## {name}\n")),
            "RUNBOOK.md has no section for {name}"
        );
        assert_eq!(
            r["annotations"]["runbook_url"],
            format!("RUNBOOK.md#{}", name.to_lowercase())
        );
        assert!(
            r["annotations"]["summary"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
        assert!(
            r["annotations"]["description"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
    }
    // Hourly schedule + 30 min slack; Redis store reads at the guide's 10 ms.
    assert!(
        rule(&file, "FeastMaterializationStale")["expr"]
            .as_str()
            .unwrap()
            .contains("> 5400")
    );
    assert!(
        rule(&file, "FeastOnlineStoreReadLatencyHigh")["expr"]
            .as_str()
            .unwrap()
            .ends_with("> 0.01")
    );
    let cm = yaml(&out.join("manifests/feast/configmap-feast-dashboard.yaml"));
    assert_eq!(cm["metadata"]["labels"]["grafana_dashboard"], "1");
    assert!(!out.join("observability/otel-collector.yaml").exists());
}

#[test]
fn spec_thresholds_selectors_and_labels_reach_the_rules() {
    let (_d, out) = render_dir(&standard(&[
        "--set",
        "stores.online=dynamodb",
        "--set",
        "materialization.schedule=30 2 * * *",
        "--set",
        "observability.thresholds.materializationSlackMinutes=60",
        "--set",
        "observability.thresholds.hpaAtMaxMinutes=30",
        "--set",
        "observability.thresholds.errorRatio=0.05",
        "--set",
        "observability.ruleLabels.release=kps",
        "--set",
        "observability.selectors.kubeStateMetrics=job=\"ksm\", cluster=\"$namespace-c\"",
        "--set",
        "observability.runbookBaseUrl=https://wiki.example.com/feast",
    ]));
    let pr = yaml(&out.join("manifests/feast/prometheusrule-feast-feast.yaml"));
    assert_eq!(pr["metadata"]["labels"]["release"], "kps");
    let file = yaml(&out.join("observability/rules/feast-feast.rules.yaml"));
    let names = alerts(&file);
    assert!(
        !names.iter().any(|n| n.starts_with("FeastRedis")),
        "DynamoDB has no Redis alerts: {names:?}"
    );
    // Daily schedule: 24 h + 60 min.
    let stale = rule(&file, "FeastMaterializationStale")["expr"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(stale.contains("> 90000"), "{stale}");
    assert!(
        stale.contains(r#"job="ksm", cluster="feast-c", namespace="feast", cronjob="feast-feast""#),
        "{stale}"
    );
    assert_eq!(rule(&file, "FeastHpaAtMaxReplicas")["for"], "30m");
    assert!(
        rule(&file, "FeastFeatureServerErrorRate")["expr"]
            .as_str()
            .unwrap()
            .ends_with("> 0.05")
    );
    assert!(
        rule(&file, "FeastOnlineStoreReadLatencyHigh")["expr"]
            .as_str()
            .unwrap()
            .ends_with("> 0.02")
    );
    assert_eq!(
        rule(&file, "FeastFeatureServerDown")["annotations"]["runbook_url"],
        "https://wiki.example.com/feast#feastfeatureserverdown"
    );
}

#[test]
fn disabled_renders_nothing_of_it() {
    let (_d, out) = render_dir(&standard(&["--set", "observability.enabled=false"]));
    assert!(!out.join("RUNBOOK.md").exists());
    assert!(!out.join("observability").exists());
    assert!(
        !out.join("manifests/feast/prometheusrule-feast-feast.yaml")
            .exists()
    );
    assert!(
        !out.join("manifests/feast/configmap-feast-dashboard.yaml")
            .exists()
    );
}

#[test]
fn enterprise_shared_registry_gets_tenant_alerts_instrumentation_and_a_collector() {
    let args: Vec<String> = [
        "--topology",
        "enterprise",
        "--cloud",
        "gcp",
        "--shared-registry",
        "--tenants",
        "team-a,team-b",
    ]
    .iter()
    .chain(GIT_REPO_SETS.iter())
    .map(|s| s.to_string())
    .collect();
    let (_d, out) = render_dir(&args);
    let registry = yaml(&out.join("observability/rules/feast-registry.rules.yaml"));
    assert_eq!(
        alerts(&registry),
        vec!["FeastRegistryDatabaseDown"],
        "the registry serves no online features"
    );
    let tenant = yaml(&out.join("observability/rules/team-a-team-a.rules.yaml"));
    assert!(
        !alerts(&tenant).contains(&"FeastRegistryDatabaseDown".to_string()),
        "tenants use the remote registry"
    );
    assert!(
        rule(&tenant, "FeastFeatureServerDown")["expr"]
            .as_str()
            .unwrap()
            .contains(r#"namespace="team-a", job="feast-team-a-online""#)
    );
    for t in ["team-a", "team-b"] {
        let i = yaml(&out.join(format!(
            "manifests/{t}/instrumentation-feast-instrumentation.yaml"
        )));
        assert_eq!(
            i["spec"]["exporter"]["endpoint"],
            "http://feast-otel-collector.monitoring.svc.cluster.local:4318"
        );
    }
    let c = yaml(&out.join("observability/otel-collector.yaml"));
    assert_eq!(c["kind"], "OpenTelemetryCollector");
    assert_eq!(
        c["spec"]["config"]["exporters"]["otlp/jaeger"]["endpoint"],
        "jaeger-collector.monitoring.svc.cluster.local:4317"
    );
    let kustomization = std::fs::read_to_string(out.join("kustomization.yaml")).unwrap();
    assert!(
        !kustomization.contains("otel-collector"),
        "the collector is not applied with the rest"
    );
    let prereq = std::fs::read_to_string(out.join("PREREQUISITES.md")).unwrap();
    assert!(
        prereq.contains("prometheusrules.monitoring.coreos.com"),
        "{prereq}"
    );
    assert!(prereq.contains("Namespace monitoring"), "{prereq}");
}
