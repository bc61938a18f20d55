//! The Grafana dashboard: the alerts' signals per FeatureStore namespace (a tenant in
//! Enterprise), shipped in a ConfigMap the Grafana sidecar loads by label.

use serde_json::{Value, json};

use super::spec::ObservabilitySpec;

/// `(title, unit, PromQL)` of every panel; `$namespace` is the dashboard variable.
pub fn panels(o: &ObservabilitySpec, redis: bool) -> Vec<(&'static str, &'static str, String)> {
    let ksm = o.selectors.kube_state_metrics.clone();
    let with = |base: &str, extra: &str| {
        if base.trim().is_empty() {
            extra.to_string()
        } else {
            format!("{base}, {extra}")
        }
    };
    let feast = r#"namespace=~"$namespace", job=~"feast-.+-online""#;
    let mut v = vec![
        (
            "Requests per second by endpoint and status",
            "reqps",
            format!(
                "sum by (namespace, endpoint, status) (rate(feast_feature_server_request_total{{{feast}}}[5m]))"
            ),
        ),
        (
            "Error ratio",
            "percentunit",
            format!(
                "sum by (namespace) (rate(feast_feature_server_request_total{{{feast}, status=\"error\"}}[5m])) / sum by (namespace) (rate(feast_feature_server_request_total{{{feast}}}[5m]))"
            ),
        ),
        (
            "get-online-features p99 latency",
            "s",
            format!(
                "histogram_quantile(0.99, sum by (namespace, le) (rate(feast_feature_server_request_latency_seconds_bucket{{{feast}, endpoint=\"/get-online-features\"}}[5m])))"
            ),
        ),
        (
            "Online store read p99 latency",
            "s",
            format!(
                "histogram_quantile(0.99, sum by (namespace, le) (rate(feast_feature_server_online_store_read_duration_seconds_bucket{{{feast}}}[5m])))"
            ),
        ),
        (
            "Entities per request (p50)",
            "none",
            format!(
                "histogram_quantile(0.5, sum by (namespace, le) (rate(feast_online_features_entity_count_bucket{{{feast}}}[5m])))"
            ),
        ),
        (
            "Feature view age since last materialization",
            "s",
            format!(
                "max by (namespace, project, feature_view) (feast_feature_freshness_seconds{{{feast}}})"
            ),
        ),
        (
            "Time since last successful materialization",
            "s",
            format!(
                "time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{{{}}})",
                with(&ksm, r#"namespace=~"$namespace", cronjob=~"feast-.+""#)
            ),
        ),
        (
            "Failed materialization jobs",
            "none",
            format!(
                "sum by (namespace) (kube_job_status_failed{{{}}})",
                with(
                    &ksm,
                    r#"namespace=~"$namespace", job_name=~"feast-.+-[0-9]+""#
                )
            ),
        ),
        (
            "Feature server replicas vs HPA maximum",
            "none",
            format!(
                "max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{{{hpa}}}) / max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{{{hpa}}})",
                hpa = with(
                    &ksm,
                    r#"namespace=~"$namespace", horizontalpodautoscaler=~"feast-.+""#
                )
            ),
        ),
        ("Feature server scrape up", "none", format!("up{{{feast}}}")),
    ];
    if redis {
        let r = &o.selectors.redis_exporter;
        v.push((
            "Redis memory used / maxmemory",
            "percentunit",
            format!(
                "max by (instance) (redis_memory_used_bytes{{{r}}}) / max by (instance) (redis_memory_max_bytes{{{r}}} > 0)"
            ),
        ));
        v.push((
            "Redis evicted keys (5m)",
            "none",
            format!("sum by (instance) (increase(redis_evicted_keys_total{{{r}}}[5m]))"),
        ));
    }
    v
}

/// The dashboard JSON model (schemaVersion 39, Grafana 10+), deterministic.
pub fn dashboard(uid: &str, o: &ObservabilitySpec, redis: bool) -> Value {
    let panels: Vec<Value> = panels(o, redis)
        .into_iter()
        .enumerate()
        .map(|(i, (title, unit, expr))| {
            json!({
                "id": i + 1,
                "type": "timeseries",
                "title": title,
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "gridPos": {"h": 8, "w": 12, "x": (i % 2) * 12, "y": (i / 2) * 8},
                "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
                "targets": [{"refId": "A", "expr": expr, "legendFormat": "__auto"}],
            })
        })
        .collect();
    json!({
        "uid": uid,
        "title": "Feast feature store",
        "tags": ["feast", "feastops"],
        "schemaVersion": 39,
        "version": 1,
        "editable": false,
        "time": {"from": "now-6h", "to": "now"},
        "refresh": "1m",
        "templating": {"list": [
            {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Data source"},
            {"name": "namespace", "type": "query", "label": "FeatureStore namespace",
             "datasource": {"type": "prometheus", "uid": "${datasource}"},
             "query": {"query": "label_values(feast_feature_server_request_total, namespace)", "refId": "namespace"},
             "definition": "label_values(feast_feature_server_request_total, namespace)",
             "multi": true, "includeAll": true, "refresh": 2, "sort": 1},
        ]},
        "panels": panels,
    })
}
