//! The `observability` section of the topology spec: whether the alert, dashboard and
//! tracing set is rendered, its thresholds, and the label selectors that tie it to the
//! Prometheus, Grafana and exporters a cluster runs.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Alerts, dashboard and tracing for the Feast deployment (Standard and Enterprise;
/// Minimal serves no metrics, so nothing is rendered there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObservabilitySpec {
    /// Render the PrometheusRule, the Grafana dashboard, RUNBOOK.md and (Enterprise) the
    /// OpenTelemetry Instrumentation.
    #[serde(default = "d_true")]
    pub enabled: bool,
    /// Labels put on every PrometheusRule so the Prometheus `ruleSelector` picks them up
    /// (kube-prometheus-stack matches `release: <helm release>`).
    #[serde(default)]
    pub rule_labels: BTreeMap<String, String>,
    /// Base of every alert's `runbook_url`; the alert's anchor in RUNBOOK.md is appended.
    /// Default: the RUNBOOK.md next to the manifests, as a relative link.
    #[serde(default = "d_runbook")]
    #[schemars(length(min = 1))]
    pub runbook_base_url: String,
    #[serde(default)]
    pub thresholds: ThresholdsSpec,
    #[serde(default)]
    pub selectors: SelectorsSpec,
    #[serde(default)]
    pub dashboard: DashboardSpec,
    /// Enterprise: OTLP gRPC endpoint the OpenTelemetry collector sends traces to.
    /// Default: `jaeger-collector.<network.monitoringNamespace>.svc.cluster.local:4317`.
    #[serde(default)]
    pub traces_endpoint: Option<String>,
}

fn d_true() -> bool {
    true
}
fn d_runbook() -> String {
    "RUNBOOK.md".into()
}

impl Default for ObservabilitySpec {
    fn default() -> Self {
        ObservabilitySpec {
            enabled: true,
            rule_labels: BTreeMap::new(),
            runbook_base_url: d_runbook(),
            thresholds: ThresholdsSpec::default(),
            selectors: SelectorsSpec::default(),
            dashboard: DashboardSpec::default(),
            traces_endpoint: None,
        }
    }
}

/// Alert thresholds. Latency defaults come from the topology guide's online store latency
/// table (p99 per store type) for store reads, and its remote (HTTP) row for whole requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThresholdsSpec {
    /// p99 of `/get-online-features` requests, in seconds (default 0.05).
    #[serde(default = "d_request_p99")]
    #[schemars(range(min = 0.001, max = 60.0))]
    pub request_p99_seconds: f64,
    /// p99 of online store reads, in seconds. Default per store: Redis 0.01, DynamoDB 0.02,
    /// PostgreSQL 0.03, Bigtable 0.03.
    #[serde(default)]
    #[schemars(range(min = 0.0001, max = 60.0))]
    pub store_read_p99_seconds: Option<f64>,
    /// Share of feature server requests that fail (0–1, default 0.01).
    #[serde(default = "d_error_ratio")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub error_ratio: f64,
    /// Minutes a materialization may run late past the longest gap of its schedule before
    /// the features count as stale (default 30).
    #[serde(default = "d_slack")]
    #[schemars(range(min = 1, max = 10080))]
    pub materialization_slack_minutes: u32,
    /// Used share of Redis `maxmemory` that warns (0–1, default 0.9).
    #[serde(default = "d_memory_ratio")]
    #[schemars(range(min = 0.1, max = 1.0))]
    pub redis_memory_ratio: f64,
    /// Minutes the HPA may sit at its maximum replicas before it alerts (default 15).
    #[serde(default = "d_hpa_minutes")]
    #[schemars(range(min = 1, max = 1440))]
    pub hpa_at_max_minutes: u32,
}

fn d_request_p99() -> f64 {
    0.05
}
fn d_error_ratio() -> f64 {
    0.01
}
fn d_slack() -> u32 {
    30
}
fn d_memory_ratio() -> f64 {
    0.9
}
fn d_hpa_minutes() -> u32 {
    15
}

impl Default for ThresholdsSpec {
    fn default() -> Self {
        ThresholdsSpec {
            request_p99_seconds: d_request_p99(),
            store_read_p99_seconds: None,
            error_ratio: d_error_ratio(),
            materialization_slack_minutes: d_slack(),
            redis_memory_ratio: d_memory_ratio(),
            hpa_at_max_minutes: d_hpa_minutes(),
        }
    }
}

/// PromQL label matchers (without braces) that select each exporter's series, e.g.
/// `job="kube-state-metrics"`. Empty matches every series of the metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SelectorsSpec {
    #[serde(default = "d_ksm")]
    #[schemars(pattern(r#"^$|^[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*"(\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*")*$"#))]
    pub kube_state_metrics: String,
    /// redis_exporter series of this deployment's Redis.
    #[serde(default = "d_redis")]
    #[schemars(pattern(r#"^$|^[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*"(\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*")*$"#))]
    pub redis_exporter: String,
    /// postgres_exporter series of the registry database (`pg_up`).
    #[serde(default = "d_postgres")]
    #[schemars(pattern(r#"^$|^[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*"(\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*")*$"#))]
    pub registry_db_exporter: String,
}

fn d_ksm() -> String {
    r#"job="kube-state-metrics""#.into()
}
fn d_redis() -> String {
    r#"job="redis-exporter""#.into()
}
fn d_postgres() -> String {
    r#"job="postgres-exporter""#.into()
}

impl Default for SelectorsSpec {
    fn default() -> Self {
        SelectorsSpec {
            kube_state_metrics: d_ksm(),
            redis_exporter: d_redis(),
            registry_db_exporter: d_postgres(),
        }
    }
}

/// The Grafana dashboard ConfigMap, found by the Grafana sidecar through a label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DashboardSpec {
    /// Label the sidecar watches (the Grafana chart's default `grafana_dashboard: "1"`).
    #[serde(default = "d_dash_labels")]
    pub labels: BTreeMap<String, String>,
}

fn d_dash_labels() -> BTreeMap<String, String> {
    BTreeMap::from([("grafana_dashboard".to_string(), "1".to_string())])
}

impl Default for DashboardSpec {
    fn default() -> Self {
        DashboardSpec {
            labels: d_dash_labels(),
        }
    }
}
