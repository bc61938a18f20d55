//! Every metric the rendered alerts and dashboard read, with where it comes from. The
//! Feast names are read from Feast's `feast/metrics.py` (0.66/0.67) and checked against a
//! real `feast serve --metrics` scrape by `tests/observability_scrape.rs`.

/// Who exposes a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The feature server (`feast serve --metrics`, port 8000), `feast/metrics.py`.
    Feast,
    /// Prometheus itself, per scrape target.
    Prometheus,
    /// kube-state-metrics (CronJob, Job and HPA objects).
    KubeStateMetrics,
    /// oliver006/redis_exporter.
    RedisExporter,
    /// prometheus-community/postgres_exporter.
    PostgresExporter,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Feast => "Feast feature server (`feast/metrics.py`, `feast serve --metrics`)",
            Source::Prometheus => "Prometheus (per scrape target)",
            Source::KubeStateMetrics => "kube-state-metrics",
            Source::RedisExporter => "redis_exporter",
            Source::PostgresExporter => "postgres_exporter",
        }
    }
}

/// `(name as written in queries, source, what it measures)`.
pub const METRICS: &[(&str, Source, &str)] = &[
    (
        "feast_feature_server_request_total",
        Source::Feast,
        "requests per endpoint and status (`success`/`error`)",
    ),
    (
        "feast_feature_server_request_latency_seconds_bucket",
        Source::Feast,
        "request latency histogram per endpoint",
    ),
    (
        "feast_feature_server_online_store_read_duration_seconds_bucket",
        Source::Feast,
        "online store read latency histogram",
    ),
    (
        "feast_feature_freshness_seconds",
        Source::Feast,
        "seconds since the last materialization end, per feature view",
    ),
    (
        "feast_online_features_entity_count_bucket",
        Source::Feast,
        "entities per online request",
    ),
    (
        "up",
        Source::Prometheus,
        "1 when the last scrape of a target succeeded",
    ),
    (
        "kube_cronjob_status_last_successful_time",
        Source::KubeStateMetrics,
        "when the CronJob last completed a Job successfully",
    ),
    (
        "kube_cronjob_created",
        Source::KubeStateMetrics,
        "when the CronJob was created",
    ),
    (
        "kube_job_status_failed",
        Source::KubeStateMetrics,
        "failed pods of a Job",
    ),
    (
        "kube_job_status_start_time",
        Source::KubeStateMetrics,
        "when a Job started",
    ),
    (
        "kube_horizontalpodautoscaler_status_current_replicas",
        Source::KubeStateMetrics,
        "replicas the HPA runs",
    ),
    (
        "kube_horizontalpodautoscaler_spec_max_replicas",
        Source::KubeStateMetrics,
        "the HPA's maximum",
    ),
    (
        "redis_memory_used_bytes",
        Source::RedisExporter,
        "memory Redis uses",
    ),
    (
        "redis_memory_max_bytes",
        Source::RedisExporter,
        "Redis `maxmemory` (0 = unlimited)",
    ),
    (
        "redis_evicted_keys_total",
        Source::RedisExporter,
        "keys evicted under `maxmemory`",
    ),
    (
        "pg_up",
        Source::PostgresExporter,
        "1 when the exporter reached the database",
    ),
];

/// The Feast metric names (the `_bucket` suffix of histograms removed), which a real
/// scrape must hold.
pub fn feast_metric_families() -> Vec<&'static str> {
    METRICS
        .iter()
        .filter(|(_, s, _)| *s == Source::Feast)
        .map(|(n, _, _)| n.strip_suffix("_bucket").unwrap_or(n))
        .collect()
}
