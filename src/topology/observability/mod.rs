//! The observability set a render adds from the Standard topology up: a PrometheusRule
//! per FeatureStore ([`alerts`]), the same rules as plain rule files for `promtool` and
//! Prometheus without the operator, a Grafana dashboard ConfigMap ([`dashboard`]),
//! RUNBOOK.md ([`runbook`]) and, for Enterprise, OpenTelemetry ([`otel`]). No
//! ServiceMonitor: the Feast Operator v0.66 creates one per FeatureStore with metrics on.

pub mod alerts;
pub mod dashboard;
pub mod metrics;
pub mod otel;
pub mod runbook;
pub mod schedule;
pub mod spec;

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::topology::spec::{Topology, TopologySpec};
use alerts::Target;

/// What the observability set adds to a render.
#[derive(Debug, Default)]
pub struct Output {
    /// Kubernetes objects, applied with the rest.
    pub objects: Vec<Value>,
    /// Prometheus rule files (`*.rules.yaml`), for promtool and Prometheus without the
    /// operator.
    pub files: BTreeMap<String, Value>,
    /// Kubernetes objects written beside the manifests, not applied with them (the
    /// collector belongs to whoever runs the monitoring namespace).
    pub side_objects: BTreeMap<String, Value>,
    /// Markdown files (RUNBOOK.md), written as they are.
    pub markdown: BTreeMap<String, String>,
}

/// Is the set rendered for this spec? Minimal serves no metrics.
pub fn active(spec: &TopologySpec) -> bool {
    spec.observability.enabled && spec.topology != Topology::Minimal
}

/// The FeatureStores of a render context as alert targets.
pub fn targets(spec: &TopologySpec, ctx: &Value) -> Vec<Target> {
    let slack = i64::from(spec.observability.thresholds.materialization_slack_minutes) * 60;
    // The spec checks refuse a schedule that does not parse; one that never runs has no
    // gap, and then only the slack bounds the age.
    let gap = schedule::longest_gap_minutes(&spec.materialization.schedule).unwrap_or(0) * 60;
    ctx["stores"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| Target {
            name: s["name"].as_str().unwrap_or_default().to_string(),
            namespace: s["namespace"].as_str().unwrap_or_default().to_string(),
            online: s["online"]["enabled"] == true && s["metrics"] == true,
            online_type: s["online"]["type"].as_str().unwrap_or_default().to_string(),
            sql_registry: s["registry"]["sql"] == true,
            autoscaled: !s["scaling"].is_null(),
            max_age_seconds: gap + slack,
        })
        .collect()
}

/// Build the set (empty when [`active`] is false).
pub fn build(spec: &TopologySpec, ctx: &Value, header: &str) -> Output {
    let mut out = Output::default();
    if !active(spec) {
        return out;
    }
    let o = &spec.observability;
    let targets = targets(spec, ctx);
    let mut rule_files = Vec::new();
    for t in &targets {
        let group = alerts::group(t, o);
        if group["rules"].as_array().is_none_or(|r| r.is_empty()) {
            continue;
        }
        let mut labels = serde_json::Map::new();
        labels.insert("app.kubernetes.io/part-of".into(), json!("feast"));
        for (k, v) in &o.rule_labels {
            labels.insert(k.clone(), json!(v));
        }
        out.objects.push(json!({
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "PrometheusRule",
            "metadata": {"name": t.prefixed(), "namespace": t.namespace, "labels": labels},
            "spec": {"groups": [group.clone()]},
        }));
        let file = format!("observability/rules/{}-{}.rules.yaml", t.namespace, t.name);
        out.files.insert(file.clone(), json!({"groups": [group]}));
        rule_files.push(file);
    }
    let stores_ns: Vec<&str> = targets.iter().map(|t| t.namespace.as_str()).collect();
    // The dashboard lives in the system namespace when the render creates it, else in the
    // first tenant's (isolated Enterprise renders no system namespace).
    let dash_ns = if stores_ns.contains(&spec.namespace.as_str()) {
        spec.namespace.clone()
    } else {
        stores_ns.first().copied().unwrap_or_default().to_string()
    };
    let redis = targets.iter().any(|t| t.online && t.online_type == "redis");
    let dash = dashboard::dashboard(&format!("feastops-{dash_ns}"), o, redis);
    let mut dash_labels = serde_json::Map::new();
    dash_labels.insert("app.kubernetes.io/part-of".into(), json!("feast"));
    for (k, v) in &o.dashboard.labels {
        dash_labels.insert(k.clone(), json!(v));
    }
    out.objects.push(json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "feast-dashboard", "namespace": dash_ns, "labels": dash_labels},
        "data": {"feast.json": serde_json::to_string_pretty(&dash).unwrap_or_default()},
    }));
    if spec.topology == Topology::Enterprise {
        let monitoring = &spec.network.monitoring_namespace;
        for t in targets.iter().filter(|t| t.online) {
            out.objects
                .push(otel::instrumentation(&t.namespace, monitoring));
        }
        let traces = o
            .traces_endpoint
            .clone()
            .unwrap_or_else(|| format!("jaeger-collector.{monitoring}.svc.cluster.local:4317"));
        out.side_objects.insert(
            "observability/otel-collector.yaml".into(),
            otel::collector(monitoring, &traces),
        );
    }
    let mut book = runbook::markdown(header, &targets, o, &rule_files);
    if spec.topology == Topology::Enterprise && spec.airgapped.enabled {
        book.push_str(runbook::AIRGAPPED_OTEL);
    }
    out.markdown.insert("RUNBOOK.md".into(), book);
    out
}
