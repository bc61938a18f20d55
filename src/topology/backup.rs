//! The backup plan: for every stateful component, the cloud's mechanism, RPO, RTO and a
//! restore runbook. Rendered as `backup-plan.yaml` (machine-readable, not applied),
//! `BACKUP.md` (runbook with a restore drill) and in-cluster CRs (Velero Schedule,
//! CloudNativePG ScheduledBackup, Redis persistence ConfigMap).

use serde_json::{Value, json};

use crate::topology::clouds::CloudProfile;
use crate::topology::spec::{Cloud, Topology, TopologySpec};

/// One component row; every field is one column of BACKUP.md, hence the arity.
#[allow(clippy::too_many_arguments)]
fn component(
    name: &str,
    priority: u8,
    rpo: &str,
    rto: &str,
    mechanism: &str,
    settings: Value,
    restore: &str,
    verify: &str,
) -> Value {
    json!({"name": name, "priority": priority, "rpo": rpo, "rto": rto, "mechanism": mechanism,
           "settings": settings, "restore": restore, "verify": verify})
}

/// Build the backup plan for the rendered stores.
pub fn plan(spec: &TopologySpec, cloud: &CloudProfile, stores: &[Value]) -> Value {
    let t = spec.topology;
    let days = spec.backup.retention_days;
    let namespaces: Vec<&str> = {
        let mut v: Vec<&str> = stores
            .iter()
            .filter_map(|s| s["namespace"].as_str())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let any_sql = stores.iter().any(|s| s["registry"]["sql"] == true);
    let any_file = stores.iter().any(|s| s["registry"]["file"] == true);
    let online_type = stores
        .iter()
        .find_map(|s| {
            if s["online"]["enabled"] == true {
                s["online"]["type"].as_str()
            } else {
                None
            }
        })
        .unwrap_or("redis");
    let offline_type = stores
        .iter()
        .find_map(|s| s["offline"]["type"].as_str())
        .unwrap_or("duckdb");
    let mut comps = Vec::new();

    if any_sql {
        let (mech, settings) = match spec.cloud {
            Cloud::Aws => (
                "rds-automated-backups",
                json!({"retentionDays": days, "pitr": true, "multiAZ": t == Topology::Enterprise, "crossRegionCopy": t == Topology::Enterprise}),
            ),
            Cloud::Gcp => (
                "cloudsql-pitr",
                json!({"retentionDays": days.min(7), "pitr": true, "highAvailability": t == Topology::Enterprise, "crossRegionReplica": t == Topology::Enterprise}),
            ),
            Cloud::Onprem => (
                "cnpg-barman-plugin",
                json!({"scheduledBackup": "0 0 2 * * *", "walArchiving": true, "retentionPolicy": format!("{days}d"), "cluster": spec.backup.registry_db_cluster}),
            ),
        };
        comps.push(component("registry-db", 1, "5m", if t == Topology::Enterprise { "30m" } else { "1h" }, mech, settings,
            "restore the database to a new instance at the chosen time, point the REGISTRY_PG_HOST credential at it, then restart the Feast deployments (kubectl rollout restart deploy -l app.kubernetes.io/managed-by=feast-operator)",
            "`feast registry-dump` (or `feast feature-views list`) in a server pod lists the expected objects"));
    }
    if any_file {
        comps.push(component("registry-file", 1, "24h", "4h", "velero-fs-backup",
            json!({"pvc": "feast-<name>-registry", "schedule": "0 2 * * *"}),
            "restore the namespace's PVC with `velero restore create --from-schedule feast-daily --include-resources persistentvolumeclaims,persistentvolumes`, then restart the deployment",
            "`feast feature-views list` in the server pod"));
    }
    let (mech, settings) = match (spec.cloud, online_type) {
        (Cloud::Aws, "dynamodb") => ("dynamodb-pitr", json!({"pitr": true, "retentionDays": 35})),
        (Cloud::Aws, _) => (
            "elasticache-snapshots",
            json!({"snapshotRetentionLimit": days, "snapshotWindow": "03:00-04:00", "multiAZ": t != Topology::Minimal}),
        ),
        (Cloud::Gcp, "bigtable") => ("bigtable-backups", json!({"retentionDays": days})),
        (Cloud::Gcp, _) => (
            "memorystore-rdb",
            json!({"tier": if t == Topology::Minimal { "BASIC" } else { "STANDARD_HA" }, "rdbSnapshotPeriod": "SIX_HOURS"}),
        ),
        (Cloud::Onprem, _) => (
            "redis-rdb-aof",
            json!({"save": "3600 1 300 100 60 10000", "appendonly": t != Topology::Minimal, "appendfsync": "everysec"}),
        ),
    };
    comps.push(component("online-store", 2, "0 (rebuildable by materialization)", if t == Topology::Minimal { "hours" } else { "minutes to hours" },
        if t == Topology::Minimal { "rematerialize" } else { mech },
        if t == Topology::Minimal { json!({}) } else { settings },
        "restore the latest snapshot (or start empty), then run `feast materialize <start> <end>` for the feature views' TTL window",
        "read a known entity with `feast get-online-features` and compare with the offline store"));
    let (mech, settings) = match (spec.cloud, offline_type) {
        (_, "duckdb") => ("velero-fs-backup", json!({"pvc": "feast-<name>-offline"})),
        (Cloud::Aws, "redshift") => (
            "redshift-snapshots",
            json!({"automatedSnapshotRetentionDays": days, "crossRegionCopy": t == Topology::Enterprise}),
        ),
        (Cloud::Gcp, "bigquery") => (
            "bigquery-time-travel",
            json!({"timeTravelDays": 7, "crossRegionReplication": t == Topology::Enterprise}),
        ),
        _ => ("provider-sla", json!({})),
    };
    comps.push(component(
        "offline-store",
        3,
        "per warehouse SLA",
        "per warehouse SLA",
        mech,
        settings,
        "follow the warehouse's restore procedure; Feast needs no action once the tables are back",
        "`feast get-historical-features` for a known entity dataframe",
    ));
    let velero_schedule = if t == Topology::Enterprise {
        "0 */6 * * *"
    } else {
        "0 2 * * *"
    };
    comps.push(component("kubernetes-objects", 4, if t == Topology::Enterprise { "6h" } else { "24h" }, "15m", "gitops+velero",
        json!({"schedule": velero_schedule, "ttl": "720h", "includedNamespaces": namespaces}),
        "re-apply this directory from git (`kubectl apply -k .`), or `velero restore create --from-schedule feast-backup`; the operator recreates Deployments, Services, HPA and PDB",
        "`kubectl get featurestores -A` shows every store Ready"));
    let cnpg = spec.cloud == Cloud::Onprem && any_sql;
    // One ObjectStore + ScheduledBackup per namespace holding a registry database cluster.
    let mut cnpg_namespaces: Vec<String> = stores
        .iter()
        .filter(|s| s["registry"]["sql"] == true)
        .filter_map(|s| s["namespace"].as_str())
        .map(|ns| {
            spec.backup
                .registry_db_namespace
                .clone()
                .unwrap_or_else(|| ns.to_string())
        })
        .collect();
    cnpg_namespaces.sort();
    cnpg_namespaces.dedup();
    let redis_config =
        spec.cloud == Cloud::Onprem && online_type == "redis" && t != Topology::Minimal;
    json!({
        "components": comps,
        "drillEvery": match t { Topology::Minimal => "year", Topology::Standard => "half-year", Topology::Enterprise => "quarter" },
        "velero": {"namespace": spec.backup.velero_namespace, "schedule": velero_schedule, "storageLocation": spec.backup.storage_location,
                   "fsBackup": any_file || offline_type == "duckdb", "includedNamespaces": namespaces},
        "cnpg": cnpg,
        "cnpgNamespaces": cnpg_namespaces,
        "redisConfig": redis_config,
        "dbCluster": spec.backup.registry_db_cluster,
        "retentionDays": days,
        "registryDb": cloud.registry_db,
    })
}
