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
    restore: Vec<String>,
    verify: &str,
) -> Value {
    json!({"name": name, "priority": priority, "rpo": rpo, "rto": rto, "mechanism": mechanism,
           "settings": settings, "restore": restore, "verify": verify})
}

/// The point in time every restore command below targets (a shell line, run first).
pub const RESTORE_TIME: &str = "RESTORE_TIME=$(date -u -d '15 minutes ago' +%Y-%m-%dT%H:%M:%SZ)";

/// `kubectl rollout restart` of every Feast deployment in the namespaces.
fn restart(namespaces: &[&str]) -> Vec<String> {
    namespaces
        .iter()
        .map(|ns| format!("kubectl rollout restart deployment -n {ns} -l app.kubernetes.io/managed-by=feast-operator"))
        .collect()
}

/// Restore commands of the registry database, per mechanism.
fn registry_restore(
    spec: &TopologySpec,
    namespaces: &[&str],
    cnpg_namespaces: &[String],
) -> Vec<String> {
    let db = &spec.backup.registry_db_instance;
    let mut steps = vec![RESTORE_TIME.to_string()];
    match spec.cloud {
        Cloud::Aws => {
            steps.push(format!("aws rds restore-db-instance-to-point-in-time --region {} --source-db-instance-identifier {db} --target-db-instance-identifier {db}-restored --restore-time \"$RESTORE_TIME\"", spec.aws.region));
            steps.push(format!("aws rds wait db-instance-available --region {} --db-instance-identifier {db}-restored", spec.aws.region));
            steps.push(format!("aws rds describe-db-instances --region {} --db-instance-identifier {db}-restored --query 'DBInstances[0].Endpoint.Address' --output text  # the new REGISTRY_PG_HOST", spec.aws.region));
        }
        Cloud::Gcp => {
            steps.push(format!("gcloud sql instances clone {db} {db}-restored --project {} --point-in-time \"$RESTORE_TIME\"", spec.gcp.project_id));
            steps.push(format!("gcloud sql instances describe {db}-restored --project {} --format='value(ipAddresses[0].ipAddress)'  # the new REGISTRY_PG_HOST", spec.gcp.project_id));
        }
        Cloud::Onprem => {
            for ns in cnpg_namespaces {
                steps.push(format!("sed \"s/RESTORE_TIME_VALUE/$RESTORE_TIME/\" restore/{ns}-registry-db-recovery.yaml | kubectl apply -f -"));
                steps.push(format!("kubectl wait -n {ns} --for=condition=Ready cluster.postgresql.cnpg.io/{}-restored --timeout=30m", spec.backup.registry_db_cluster));
            }
        }
    }
    let secret_step = match spec.secrets.mode {
        crate::topology::spec::SecretsMode::ExternalSecret => format!(
            "# set REGISTRY_PG_HOST under `{}/` in the secret manager to the restored host, then re-sync:\nkubectl annotate externalsecret -A -l app.kubernetes.io/part-of=feast force-sync=$(date +%s) --overwrite",
            spec.secrets.prefix
        ),
        crate::topology::spec::SecretsMode::Template => {
            "# set REGISTRY_PG_HOST to the restored host in every feast-*-credentials Secret, then re-apply them".to_string()
        }
    };
    steps.push(secret_step);
    steps.extend(restart(namespaces));
    steps
}

fn velero_restore(spec: &TopologySpec, namespaces: &[&str], resources: &str) -> Vec<String> {
    let vns = &spec.backup.velero_namespace;
    vec![
        format!("velero backup get -n {vns} --selector velero.io/schedule-name=feast-backup"),
        format!(
            "velero restore create -n {vns} --from-schedule feast-backup --include-namespaces {} --include-resources {resources} --wait",
            namespaces.join(",")
        ),
    ]
}

/// Namespace of the CloudNativePG registry database of the store in `store_ns`: the spec's,
/// or `<store_ns>-db`. Never the store's own namespace by default: its default-deny policy
/// would cut the database off from its own operator, replicas and backups.
pub fn registry_db_namespace(spec: &TopologySpec, store_ns: &str) -> String {
    spec.backup
        .registry_db_namespace
        .clone()
        .unwrap_or_else(|| format!("{store_ns}-db"))
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
    let cnpg = spec.cloud == Cloud::Onprem && any_sql;
    // One ObjectStore + ScheduledBackup per namespace holding a registry database cluster.
    let mut cnpg_namespaces: Vec<String> = stores
        .iter()
        .filter(|s| s["registry"]["sql"] == true)
        .filter_map(|s| s["namespace"].as_str())
        .map(|ns| registry_db_namespace(spec, ns))
        .collect();
    cnpg_namespaces.sort();
    cnpg_namespaces.dedup();

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
            registry_restore(spec, &namespaces, &cnpg_namespaces),
            "`feast registry-dump` (or `feast feature-views list`) in a server pod lists the expected objects"));
    }
    if any_file {
        let pvcs: Vec<String> = stores
            .iter()
            .filter(|s| s["registry"]["file"] == true)
            .map(|s| {
                format!(
                    "{}/feast-{}-registry",
                    s["namespace"].as_str().unwrap_or_default(),
                    s["name"].as_str().unwrap_or_default()
                )
            })
            .collect();
        let mut steps = velero_restore(
            spec,
            &namespaces,
            "persistentvolumeclaims,persistentvolumes,pods",
        );
        steps.extend(restart(&namespaces));
        comps.push(component(
            "registry-file",
            1,
            "24h",
            "4h",
            "velero-fs-backup",
            json!({"pvcs": pvcs, "schedule": "feast-backup"}),
            steps,
            "`feast feature-views list` in the server pod",
        ));
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
        {
            let mut v = vec!["restore the latest snapshot, or start empty".to_string()];
            v.extend(stores.iter().filter(|s| s["online"]["enabled"] == true).map(|s| format!(
                "kubectl exec -n {} deploy/feast-{} -c online -- feast materialize-incremental $(date -u +%Y-%m-%dT%H:%M:%S)  # reloads each view's TTL window",
                s["namespace"].as_str().unwrap_or_default(), s["name"].as_str().unwrap_or_default())));
            v
        },
        "read a known entity with `feast get-online-features` and compare with the offline store"));
    let offline_pvcs: Vec<String> = stores
        .iter()
        .filter(|s| s["offline"]["file"] == true)
        .map(|s| {
            format!(
                "{}/feast-{}-offline",
                s["namespace"].as_str().unwrap_or_default(),
                s["name"].as_str().unwrap_or_default()
            )
        })
        .collect();
    let (mech, settings) = match (spec.cloud, offline_type) {
        (_, "duckdb") => (
            "velero-fs-backup",
            json!({"pvcs": offline_pvcs, "schedule": "feast-backup"}),
        ),
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
        if offline_type == "duckdb" {
            velero_restore(spec, &namespaces, "persistentvolumeclaims,persistentvolumes,pods")
        } else {
            vec!["restore the warehouse tables with the warehouse's own procedure; Feast needs no action once they are back".into()]
        },
        "`feast get-historical-features` for a known entity dataframe",
    ));
    let velero_schedule = if t == Topology::Enterprise {
        "0 */6 * * *"
    } else {
        "0 2 * * *"
    };
    comps.push(component("kubernetes-objects", 4, if t == Topology::Enterprise { "6h" } else { "24h" }, "15m", "gitops+velero",
        json!({"schedule": velero_schedule, "ttl": "720h", "includedNamespaces": namespaces}),
        {
            let mut v = vec!["kubectl apply -k .  # from git: the operator recreates Deployments, Services, HPA and PDB".to_string()];
            v.extend(velero_restore(spec, &namespaces, "featurestores.feast.dev,secrets,configmaps,serviceaccounts"));
            v
        },
        "`kubectl get featurestores -A` shows every store Ready"));
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
        "s3Destination": spec.backup.s3_destination.trim_end_matches('/'),
        "s3Endpoint": spec.backup.s3_endpoint,
        "restoreTime": RESTORE_TIME,
        "registryDb": cloud.registry_db,
    })
}
