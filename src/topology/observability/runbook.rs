//! RUNBOOK.md: what each alert means and what to do, the metrics behind the alerts and
//! where they come from, and what the cluster must run for the signals to exist.

use std::fmt::Write;

use super::alerts::{Target, anchor};
use super::metrics::METRICS;
use super::spec::ObservabilitySpec;

/// `(alert, meaning, steps)`; every alert [`super::alerts::alerts`] can emit has one.
pub const SECTIONS: &[(&str, &str, &[&str])] = &[
    (
        "FeastMaterializationStale",
        "The materialization CronJob has not completed a run for longer than its schedule's longest gap plus the slack (`observability.thresholds.materializationSlackMinutes`), or never since it was created. The online store keeps serving the last values it received: models read stale features without any error.",
        &[
            "`kubectl -n NAMESPACE get cronjob feast-NAME` — is it suspended? `kubectl -n NAMESPACE get jobs --sort-by=.status.startTime` shows the recent runs.",
            "Re-run materialization now: `kubectl -n NAMESPACE create job --from=cronjob/feast-NAME feast-NAME-manual-$(date +%s)` and follow it with `kubectl logs -f job/...`.",
            "Check which views are behind with `feastops freshness <registry>` (exit 1 lists the stale ones).",
        ],
    ),
    (
        "FeastMaterializationFailed",
        "The most recent materialization Job failed and nothing has succeeded since. Until a run succeeds, features age.",
        &[
            "Read the failed Job's logs: `kubectl -n NAMESPACE logs job/JOB` (the job name is in the alert's series).",
            "Common causes: the online store refused writes (Redis at `maxmemory` with `noeviction`), offline store credentials expired, the CronJob's ServiceAccount lost its `pods/exec` Role.",
            "After the fix, re-run: `kubectl -n NAMESPACE create job --from=cronjob/feast-NAME feast-NAME-retry-$(date +%s)`.",
        ],
    ),
    (
        "FeastFeatureViewStale",
        "The feature server's own freshness gauge (`feast_feature_freshness_seconds`, from the registry's materialization intervals) says a view's last materialized end is older than the allowed age, even if the CronJob succeeded (a view left out of the run, an empty source, a run with an old end date).",
        &[
            "`feastops freshness <registry> --max-age <age>` shows each view's last materialized end and its ttl.",
            "Materialize the view explicitly: `feast materialize-incremental $(date -u +%Y-%m-%dT%H:%M:%S) --views VIEW` in the server pod.",
            "If the view is no longer used, remove it from the repo (the gauge disappears with it).",
        ],
    ),
    (
        "FeastFeatureServerDown",
        "Prometheus has no successful scrape of the feature server's metrics port: the pods are down, or the ServiceMonitor the Feast Operator creates (`feast-NAME-online`, only when the prometheus-operator CRDs exist at reconcile time) is missing or not selected by Prometheus's `serviceMonitorSelector`.",
        &[
            "`kubectl -n NAMESPACE get pods -l feast.dev/name=NAME` and `kubectl -n NAMESPACE get servicemonitor feast-NAME-online`.",
            "If the ServiceMonitor is missing, install the prometheus-operator CRDs and let the operator reconcile (touch the FeatureStore), or label the ServiceMonitor as your Prometheus selects.",
            "If pods crash, `kubectl logs` the `online` container: registry or store credentials are the usual cause.",
        ],
    ),
    (
        "FeastFeatureServerErrorRate",
        "A share of feature server requests above `observability.thresholds.errorRatio` ends in an error. Clients get errors or defaults instead of features.",
        &[
            "Look at `feast_feature_server_request_total` by `endpoint` on the dashboard to find the failing endpoint.",
            "Check the registry (FeastRegistryDatabaseDown), the online store's reachability from the pod, and recent `feast apply` changes (a removed view breaks requests that name it: lint schema changes with `feastops lint`).",
        ],
    ),
    (
        "FeastFeatureServerLatencyHigh",
        "The p99 of `/get-online-features` is above `observability.thresholds.requestP99Seconds` (default 50 ms, the guide's remote-HTTP row).",
        &[
            "Compare with the store read p99 panel: if the store is slow too, see FeastOnlineStoreReadLatencyHigh.",
            "If the HPA is at its maximum (FeastHpaAtMaxReplicas), raise `scaling.maxReplicas`.",
            "Large entity batches raise latency: the entities-per-request panel shows them.",
        ],
    ),
    (
        "FeastOnlineStoreReadLatencyHigh",
        "Online store reads are slower than the guide's p99 for the store type (Redis 10 ms, DynamoDB 20 ms, PostgreSQL 30 ms) or `observability.thresholds.storeReadP99Seconds`.",
        &[
            "Redis: check CPU and `latency doctor`; memory near the limit slows eviction-heavy instances.",
            "DynamoDB: check throttled reads (CloudWatch `ReadThrottleEvents`) and the table's capacity mode.",
            "Cross-zone placement of servers and store adds latency: keep them in the same zone or region.",
        ],
    ),
    (
        "FeastRedisMemoryNearLimit",
        "Redis uses more than `observability.thresholds.redisMemoryRatio` of `maxmemory`. At the limit, with an `allkeys-*` policy Redis drops feature values; with `noeviction` writes (materialization) fail.",
        &[
            "Raise `maxmemory` (or the managed instance size: ElastiCache node type, Memorystore capacity).",
            "Set `key_ttl_seconds` in the online store config so expired feature values free memory (the guide's Redis sizing: ~100 bytes per feature value).",
            "Keep the eviction policy at `noeviction` or `volatile-*` so only keys with a TTL can be evicted, never live features without one.",
        ],
    ),
    (
        "FeastRedisEvictions",
        "Redis evicted keys: feature values were dropped, and inference reads missing features (nulls or defaults) until the next materialization writes them again.",
        &[
            "Raise `maxmemory` now, then re-run materialization to restore the evicted values.",
            "Set `maxmemory-policy` to `noeviction` (writes fail loudly instead) or `volatile-lru`/`volatile-ttl` with `key_ttl_seconds` set, never `allkeys-*` for a feature store.",
        ],
    ),
    (
        "FeastRegistryDatabaseDown",
        "postgres_exporter cannot reach the registry database, or no exporter is scraped for it. `feast apply` and materialization bookkeeping fail; servers serve from their cached registry until `cache_ttl_seconds` runs out, then fail.",
        &[
            "Check the database (`kubectl -n NAMESPACE get cluster` for CloudNativePG, the RDS / Cloud SQL console otherwise) and the `REGISTRY_PG_*` credentials.",
            "Restore from backup if the database is lost: see BACKUP.md.",
            "If you run no postgres_exporter, deploy one for the registry database and set `observability.selectors.registryDbExporter` to its series.",
        ],
    ),
    (
        "FeastHpaAtMaxReplicas",
        "The feature server HPA has run at `maxReplicas` for `observability.thresholds.hpaAtMaxMinutes`: it cannot absorb more load.",
        &[
            "Raise `scaling.maxReplicas` (and check the cluster autoscaler can add nodes).",
            "Check the latency panels: CPU-bound servers may need more workers per pod (higher CPU limits).",
        ],
    ),
];

/// Air-gapped Enterprise: what the OpenTelemetry Operator pulls that the render cannot pin.
pub const AIRGAPPED_OTEL: &str = "\n## Air-gapped tracing\n\nThe `Instrumentation` makes the OpenTelemetry Operator inject its Python auto-instrumentation init container, whose image (`autoinstrumentation-python`, versioned with the operator) is not in IMAGES.txt: mirror the one your operator release names and start the operator with `--auto-instrumentation-python-image=<mirror>/…`, or the feature server pods cannot start.\n";

pub fn markdown(
    header: &str,
    targets: &[Target],
    o: &ObservabilitySpec,
    files: &[String],
) -> String {
    let mut s = format!("<!-- {header} -->\n\n# Runbook\n\n");
    s.push_str(
        "Alerts rendered for this deployment, what each means and what to do. Every alert's \
         `runbook_url` points to its section here.\n\n| FeatureStore | namespace | alerts |\n|---|---|---|\n",
    );
    for t in targets {
        let names: Vec<String> = super::alerts::alerts(t, o)
            .iter()
            .map(|a| format!("[{0}](#{1})", a.name, anchor(a.name)))
            .collect();
        let _ = writeln!(s, "| {} | {} | {} |", t.name, t.namespace, names.join(", "));
    }
    s.push_str("\nRule files for a Prometheus without the operator (and for `promtool`):\n\n");
    for f in files {
        let _ = writeln!(s, "- `{f}`");
    }
    for (name, meaning, steps) in SECTIONS {
        let _ = write!(s, "\n## {name}\n\n{meaning}\n\n");
        for step in *steps {
            let _ = writeln!(s, "1. {step}");
        }
    }
    s.push_str(
        "\n## Signals and where they come from\n\n| metric | source | measures |\n|---|---|---|\n",
    );
    for (m, src, what) in METRICS {
        let _ = writeln!(s, "| `{m}` | {} | {what} |", src.label());
    }
    let _ = write!(
        s,
        "\n## What the cluster must run\n\n\
         - **prometheus-operator** (PrometheusRule, ServiceMonitor CRDs). The Feast Operator v0.66 creates the \
         ServiceMonitor `feast-NAME-online` (port `metrics`, path `/metrics`) itself when the ServiceMonitor CRD \
         exists when it starts; none is rendered here. Label it (or set `serviceMonitorSelector`) so your Prometheus selects it.\n\
         - **kube-state-metrics** ({ksm}): CronJob, Job and HPA series.\n\
         - **redis_exporter** ({redis}) for a Redis online store. ElastiCache and Memorystore for Redis publish \
         memory and eviction metrics to CloudWatch / Cloud Monitoring only; run redis_exporter against the endpoint \
         (it reads `INFO`), or bring those metrics in with the CloudWatch exporter / Google Cloud Managed Service for Prometheus \
         and adapt the two Redis alerts to their names.\n\
         - **DynamoDB and Bigtable** online stores have no memory limit or evictions to watch; their throttling \
         (`ReadThrottleEvents`, Bigtable CPU load) lives in CloudWatch / Cloud Monitoring and is not covered by these rules.\n\
         - **postgres_exporter** ({pg}) for the SQL registry database.\n\
         - **Grafana** with the dashboard sidecar watching the label {labels} in the FeatureStore's system namespace.\n\
         - Selectors are set in `observability.selectors`; `$namespace` in one is replaced by each FeatureStore's namespace.\n",
        ksm = code_or_all(&o.selectors.kube_state_metrics),
        redis = code_or_all(&o.selectors.redis_exporter),
        pg = code_or_all(&o.selectors.registry_db_exporter),
        labels = o
            .dashboard
            .labels
            .iter()
            .map(|(k, v)| format!("`{k}: \"{v}\"`"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    s
}

fn code_or_all(sel: &str) -> String {
    if sel.trim().is_empty() {
        "every series".into()
    } else {
        format!("`{{{sel}}}`")
    }
}
