//! The alert set of one FeatureStore, as Prometheus rules. Each alert names one failure,
//! reads metrics listed in [`super::metrics`] and links to its RUNBOOK.md section.

use serde_json::{Value, json};

use super::spec::ObservabilitySpec;

/// What the alerts of one FeatureStore need to know about it.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub namespace: String,
    /// Serves online features (and so metrics on port 8000).
    pub online: bool,
    /// Online store type (`redis`, `dynamodb`, …).
    pub online_type: String,
    /// Runs the registry on its own SQL database.
    pub sql_registry: bool,
    /// Has an HPA (its maximum is checked).
    pub autoscaled: bool,
    /// Longest time the last successful materialization may be old, in seconds.
    pub max_age_seconds: i64,
}

impl Target {
    /// The CronJob, HPA and Deployment the operator names `feast-<name>`.
    pub fn prefixed(&self) -> String {
        format!("feast-{}", self.name)
    }
    /// Matchers of the feature server's own series, as scraped through the operator's
    /// ServiceMonitor (`job` is the online Service's name).
    pub fn feast_selector(&self) -> String {
        format!(
            r#"namespace="{}", job="feast-{}-online""#,
            self.namespace, self.name
        )
    }
}

/// One alerting rule.
#[derive(Debug, Clone)]
pub struct Alert {
    pub name: &'static str,
    pub expr: String,
    pub for_: String,
    pub severity: &'static str,
    pub summary: String,
    pub description: String,
}

/// Default p99 of an online store read, from the guide's store latency table (Redis
/// Cluster, DynamoDB, PostgreSQL; Bigtable, absent from the table, gets PostgreSQL's).
pub fn default_store_read_p99(online_type: &str) -> f64 {
    match online_type {
        "redis" => 0.01,
        "dynamodb" => 0.02,
        _ => 0.03,
    }
}

fn join(a: &str, b: &str) -> String {
    match (a.trim().is_empty(), b.trim().is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}, {b}"),
    }
}

/// A spec selector with `$namespace` replaced by the FeatureStore's namespace.
fn selector(raw: &str, t: &Target) -> String {
    raw.replace("$namespace", &t.namespace)
}

pub fn alerts(t: &Target, o: &ObservabilitySpec) -> Vec<Alert> {
    let th = &o.thresholds;
    let ksm = selector(&o.selectors.kube_state_metrics, t);
    let cron = join(
        &ksm,
        &format!(r#"namespace="{}", cronjob="{}""#, t.namespace, t.prefixed()),
    );
    let jobs = join(
        &ksm,
        &format!(
            r#"namespace="{}", job_name=~"{}-[0-9]+""#,
            t.namespace,
            t.prefixed()
        ),
    );
    let feast = t.feast_selector();
    let max_age = t.max_age_seconds;
    let human_age = human(max_age);
    let mut out = Vec::new();
    if t.online {
        out.push(Alert {
            name: "FeastMaterializationStale",
            expr: format!(
                "(time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{{{cron}}}) > {max_age})\n\
                 or\n\
                 ((time() - max by (namespace, cronjob) (kube_cronjob_created{{{cron}}}) > {max_age})\n  \
                 unless on (namespace, cronjob) kube_cronjob_status_last_successful_time{{{cron}}})"
            ),
            for_: "5m".into(),
            severity: "critical",
            summary: format!(
                "Materialization of {}/{} has not succeeded for over {human_age}",
                t.namespace, t.name
            ),
            description: format!(
                "CronJob {}/{} last completed a run {{{{ $value | humanizeDuration }}}} ago (or never, since it was created that long ago); its schedule allows {human_age} including slack. The online store serves features that stop getting newer.",
                t.namespace,
                t.prefixed()
            ),
        });
        out.push(Alert {
            name: "FeastMaterializationFailed",
            expr: format!(
                "max by (namespace) (kube_job_status_start_time{{{jobs}}} and on (namespace, job_name) (kube_job_status_failed{{{jobs}}} > 0))\n\
                 unless on (namespace)\n\
                 (max by (namespace) (kube_cronjob_status_last_successful_time{{{cron}}})\n  \
                 > on (namespace) max by (namespace) (kube_job_status_start_time{{{jobs}}} and on (namespace, job_name) (kube_job_status_failed{{{jobs}}} > 0)))"
            ),
            for_: "0m".into(),
            severity: "warning",
            summary: format!(
                "The latest materialization run of {}/{} failed",
                t.namespace, t.name
            ),
            description: format!(
                "A Job of CronJob {}/{} failed and no run has succeeded since it started. Features stay as fresh as the last successful run.",
                t.namespace,
                t.prefixed()
            ),
        });
        out.push(Alert {
            name: "FeastFeatureViewStale",
            expr: format!(
                "max by (namespace, project, feature_view) (feast_feature_freshness_seconds{{{feast}}}) > {max_age}"
            ),
            for_: "10m".into(),
            severity: "warning",
            summary: format!(
                "Feature view {{{{ $labels.feature_view }}}} of {}/{} is older than {human_age}",
                t.namespace, t.name
            ),
            description: "The feature server reports the view's last materialization ended {{ $value | humanizeDuration }} ago (feast_feature_freshness_seconds).".into(),
        });
        out.push(Alert {
            name: "FeastFeatureServerDown",
            expr: format!("up{{{feast}}} == 0 or absent(up{{{feast}}})"),
            for_: "5m".into(),
            severity: "critical",
            summary: format!(
                "Feature server metrics of {}/{} are not scraped",
                t.namespace, t.name
            ),
            description: format!(
                "Prometheus has no successful scrape of feast-{}-online (port `metrics`, 8000): the server is down, or the operator's ServiceMonitor is not selected by Prometheus.",
                t.name
            ),
        });
        out.push(Alert {
            name: "FeastFeatureServerErrorRate",
            expr: format!(
                "sum by (namespace) (rate(feast_feature_server_request_total{{{feast}, status=\"error\"}}[5m]))\n  \
                 / sum by (namespace) (rate(feast_feature_server_request_total{{{feast}}}[5m])) > {}",
                th.error_ratio
            ),
            for_: "10m".into(),
            severity: "critical",
            summary: format!(
                "Feature server of {}/{} fails over {}% of requests",
                t.namespace,
                t.name,
                th.error_ratio * 100.0
            ),
            description: "{{ $value | humanizePercentage }} of feature server requests ended in an error over 5 minutes.".into(),
        });
        out.push(Alert {
            name: "FeastFeatureServerLatencyHigh",
            expr: format!(
                "histogram_quantile(0.99, sum by (namespace, le) (rate(feast_feature_server_request_latency_seconds_bucket{{{feast}, endpoint=\"/get-online-features\"}}[5m]))) > {}",
                th.request_p99_seconds
            ),
            for_: "10m".into(),
            severity: "warning",
            summary: format!(
                "p99 of get-online-features on {}/{} is above {}s",
                t.namespace, t.name, th.request_p99_seconds
            ),
            description: "p99 request latency is {{ $value | humanizeDuration }}.".into(),
        });
        let store_p99 = th
            .store_read_p99_seconds
            .unwrap_or_else(|| default_store_read_p99(&t.online_type));
        out.push(Alert {
            name: "FeastOnlineStoreReadLatencyHigh",
            expr: format!(
                "histogram_quantile(0.99, sum by (namespace, le) (rate(feast_feature_server_online_store_read_duration_seconds_bucket{{{feast}}}[5m]))) > {store_p99}"
            ),
            for_: "10m".into(),
            severity: "warning",
            summary: format!(
                "p99 of {} reads from {}/{} is above {store_p99}s",
                t.online_type, t.namespace, t.name
            ),
            description: "p99 online store read latency is {{ $value | humanizeDuration }}.".into(),
        });
        if t.online_type == "redis" {
            let redis = selector(&o.selectors.redis_exporter, t);
            out.push(Alert {
                name: "FeastRedisMemoryNearLimit",
                expr: format!(
                    "max by (instance) (redis_memory_used_bytes{{{redis}}}) / max by (instance) (redis_memory_max_bytes{{{redis}}} > 0) > {}",
                    th.redis_memory_ratio
                ),
                for_: "15m".into(),
                severity: "warning",
                summary: format!(
                    "Redis of {}/{} uses over {}% of maxmemory",
                    t.namespace,
                    t.name,
                    th.redis_memory_ratio * 100.0
                ),
                description: "Redis {{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxmemory; at the limit it evicts or refuses writes, and materialization fails or features disappear.".into(),
            });
            out.push(Alert {
                name: "FeastRedisEvictions",
                expr: format!(
                    "sum by (instance) (increase(redis_evicted_keys_total{{{redis}}}[5m])) > 0"
                ),
                for_: "0m".into(),
                severity: "critical",
                summary: format!("Redis of {}/{} is evicting keys", t.namespace, t.name),
                description: "Redis {{ $labels.instance }} evicted {{ $value }} keys in 5 minutes: feature values are being dropped and inference reads missing features.".into(),
            });
        }
        if t.autoscaled {
            let hpa = join(
                &ksm,
                &format!(
                    r#"namespace="{}", horizontalpodautoscaler="{}""#,
                    t.namespace,
                    t.prefixed()
                ),
            );
            out.push(Alert {
                name: "FeastHpaAtMaxReplicas",
                expr: format!(
                    "max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{{{hpa}}})\n  \
                     >= on (namespace, horizontalpodautoscaler) max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{{{hpa}}})"
                ),
                for_: format!("{}m", th.hpa_at_max_minutes),
                severity: "warning",
                summary: format!(
                    "HPA {}/{} has run at its maximum for {} minutes",
                    t.namespace,
                    t.prefixed(),
                    th.hpa_at_max_minutes
                ),
                description: "The feature server cannot scale further; latency rises under more load.".into(),
            });
        }
    }
    if t.sql_registry {
        let pg = selector(&o.selectors.registry_db_exporter, t);
        out.push(Alert {
            name: "FeastRegistryDatabaseDown",
            expr: format!("pg_up{{{pg}}} == 0 or absent(pg_up{{{pg}}})"),
            for_: "5m".into(),
            severity: "critical",
            summary: format!(
                "Registry database of {}/{} is unreachable",
                t.namespace, t.name
            ),
            description: "postgres_exporter cannot reach the registry database (pg_up is 0 or absent). Registry writes (feast apply, materialization bookkeeping) fail; servers keep their cached registry until it expires.".into(),
        });
    }
    out
}

fn human(seconds: i64) -> String {
    if seconds % 86400 == 0 {
        format!("{}d", seconds / 86400)
    } else if seconds % 3600 == 0 {
        format!("{}h", seconds / 3600)
    } else {
        format!("{}m", seconds / 60)
    }
}

/// The anchor of an alert's RUNBOOK.md section (GitHub's heading slug).
pub fn anchor(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// A Prometheus rule group for one FeatureStore (the PrometheusRule's `spec.groups`
/// entry and the plain rule file's group are the same).
pub fn group(t: &Target, o: &ObservabilitySpec) -> Value {
    let rules: Vec<Value> = alerts(t, o)
        .iter()
        .map(|a| {
            let mut r = json!({
                "alert": a.name,
                "expr": a.expr,
                "labels": {"severity": a.severity, "namespace": t.namespace, "feature_store": t.name},
                "annotations": {
                    "summary": a.summary,
                    "description": a.description,
                    "runbook_url": format!("{}#{}", o.runbook_base_url, anchor(a.name)),
                },
            });
            if a.for_ != "0m" {
                r["for"] = json!(a.for_);
            }
            r
        })
        .collect();
    json!({"name": format!("feast-{}-{}", t.namespace, t.name), "rules": rules})
}
