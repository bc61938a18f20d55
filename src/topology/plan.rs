//! Decide everything: which namespaces and FeatureStores exist, their stores, secrets,
//! ports, scaling, auth, network policies, exposure and identity. The result is the
//! context the templates render; templates make no decisions beyond layout.

use serde_json::{Value, json};

use crate::topology::backup;
use crate::topology::clouds::{self, CloudProfile};
use crate::topology::netpol::{self, REGISTRY_NAME};
use crate::topology::ports;
use crate::topology::spec::*;

fn online_type(s: OnlineStore) -> &'static str {
    match s {
        OnlineStore::Redis => "redis",
        OnlineStore::Dynamodb => "dynamodb",
        OnlineStore::Bigtable => "bigtable",
        OnlineStore::Postgres => "postgres",
    }
}

pub(crate) fn offline_type(s: OfflineStore) -> &'static str {
    match s {
        OfflineStore::Duckdb => "duckdb",
        OfflineStore::Redshift => "redshift",
        OfflineStore::Athena => "athena",
        OfflineStore::Bigquery => "bigquery",
        OfflineStore::Postgres => "postgres",
        OfflineStore::Spark => "spark",
        OfflineStore::Trino => "trino",
        OfflineStore::Snowflake => "snowflake.offline",
    }
}

fn res(req_cpu: &str, req_mem: &str, lim_cpu: &str, lim_mem: &str) -> Value {
    json!({"requests": {"cpu": req_cpu, "memory": req_mem}, "limits": {"cpu": lim_cpu, "memory": lim_mem}})
}

/// Store snippets for the `feast-<name>-stores` Secret: `${VAR}` placeholders only; the
/// values come from the credentials Secret through `envFrom`.
fn online_snippet(s: OnlineStore, spec: &TopologySpec, ns: &str) -> (String, Vec<&'static str>) {
    match s {
        OnlineStore::Redis => {
            let ssl = if spec.cloud == Cloud::Onprem {
                "false"
            } else {
                "true"
            };
            (
                format!(
                    "connection_string: \"${{REDIS_HOST}}:${{REDIS_PORT}},ssl={ssl},password=${{REDIS_PASSWORD}}\"\nkey_ttl_seconds: 604800\n"
                ),
                vec!["REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD"],
            )
        }
        OnlineStore::Dynamodb => (
            format!("region: {}\nbatch_size: 100\n", spec.aws.region),
            vec![],
        ),
        OnlineStore::Bigtable => (
            format!(
                "project_id: {}\ninstance: ${{BIGTABLE_INSTANCE}}\n",
                spec.gcp.project_id
            ),
            vec!["BIGTABLE_INSTANCE"],
        ),
        OnlineStore::Postgres => (
            format!(
                "host: ${{ONLINE_PG_HOST}}\nport: 5432\ndatabase: feast_online_{}\ndb_schema: public\nuser: ${{ONLINE_PG_USER}}\npassword: ${{ONLINE_PG_PASSWORD}}\nsslmode: require\n",
                ns.replace('-', "_")
            ),
            vec!["ONLINE_PG_HOST", "ONLINE_PG_USER", "ONLINE_PG_PASSWORD"],
        ),
    }
}

fn offline_snippet(s: OfflineStore, spec: &TopologySpec) -> (String, Vec<&'static str>) {
    match s {
        OfflineStore::Duckdb => (String::new(), vec![]),
        OfflineStore::Redshift => (format!("cluster_id: ${{REDSHIFT_CLUSTER_ID}}\nregion: {}\ndatabase: feast\nuser: ${{REDSHIFT_USER}}\ns3_staging_location: ${{S3_STAGING_LOCATION}}\niam_role: ${{REDSHIFT_IAM_ROLE}}\n", spec.aws.region),
            vec!["REDSHIFT_CLUSTER_ID", "REDSHIFT_USER", "S3_STAGING_LOCATION", "REDSHIFT_IAM_ROLE"]),
        OfflineStore::Athena => (format!("region: {}\ndata_source: AwsDataCatalog\ndatabase: feast\ns3_staging_location: ${{S3_STAGING_LOCATION}}\n", spec.aws.region), vec!["S3_STAGING_LOCATION"]),
        OfflineStore::Bigquery => (format!("project_id: {}\ndataset: ${{BIGQUERY_DATASET}}\nlocation: {}\n", spec.gcp.project_id, spec.gcp.region), vec!["BIGQUERY_DATASET"]),
        OfflineStore::Postgres => ("host: ${OFFLINE_PG_HOST}\nport: 5432\ndatabase: feast_offline\ndb_schema: public\nuser: ${OFFLINE_PG_USER}\npassword: ${OFFLINE_PG_PASSWORD}\nsslmode: require\n".into(),
            vec!["OFFLINE_PG_HOST", "OFFLINE_PG_USER", "OFFLINE_PG_PASSWORD"]),
        OfflineStore::Spark => ("spark_conf:\n  spark.master: ${SPARK_MASTER}\n  spark.sql.session.timeZone: UTC\n".into(), vec!["SPARK_MASTER"]),
        OfflineStore::Trino => ("host: ${TRINO_HOST}\nport: 8443\ncatalog: hive\nconnector:\n  type: hive\n".into(), vec!["TRINO_HOST"]),
        OfflineStore::Snowflake => (crate::topology::batch::plan::snowflake_snippet(&spec.snowflake),
            crate::topology::batch::plan::SNOWFLAKE_ENV.to_vec()),
    }
}

fn sql_snippet(db: &str) -> (String, Vec<&'static str>) {
    (
        format!(
            "path: postgresql+psycopg://${{REGISTRY_PG_USER}}:${{REGISTRY_PG_PASSWORD}}@${{REGISTRY_PG_HOST}}:5432/{db}?sslmode=require\ncache_ttl_seconds: 300\ncache_mode: thread\nsqlalchemy_config_kwargs:\n  pool_pre_ping: true\n"
        ),
        vec![
            "REGISTRY_PG_HOST",
            "REGISTRY_PG_USER",
            "REGISTRY_PG_PASSWORD",
        ],
    )
}

/// The kind of FeatureStore in a topology.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    /// Minimal / Standard: one store with everything.
    Single,
    /// Enterprise isolated tenant: its own SQL registry.
    Tenant,
    /// Enterprise shared: tenant that uses the shared registry remotely.
    RemoteTenant,
    /// Enterprise shared: the registry FeatureStore in the system namespace.
    SharedRegistry,
}

struct Ctx<'a> {
    spec: &'a TopologySpec,
    cloud: CloudProfile,
    auth: AuthMode,
    tls: bool,
}

fn auth_mode(spec: &TopologySpec) -> AuthMode {
    spec.auth
        .unwrap_or(match (spec.topology, spec.enterprise.registry) {
            (Topology::Enterprise, RegistryMode::Isolated) => AuthMode::Oidc,
            _ => AuthMode::Kubernetes,
        })
}

/// Build the whole render context.
pub fn build(spec: &TopologySpec) -> Value {
    let cloud = clouds::profile(spec);
    // OpenShift turns TLS on by default; elsewhere TLS comes with Standard.
    let tls = !cloud.cert_manager_tls || spec.topology != Topology::Minimal;
    let ctx = Ctx {
        spec,
        cloud,
        auth: auth_mode(spec),
        tls,
    };
    let mut stores = Vec::new();
    match spec.topology {
        Topology::Minimal | Topology::Standard => {
            stores.push(store(
                &ctx,
                Role::Single,
                &spec.name,
                &spec.namespace,
                &spec.project,
            ));
        }
        Topology::Enterprise => {
            if spec.enterprise.registry == RegistryMode::Shared {
                stores.push(store(
                    &ctx,
                    Role::SharedRegistry,
                    REGISTRY_NAME,
                    &spec.namespace,
                    "feast_shared_registry",
                ));
            }
            for t in &spec.enterprise.tenants {
                let role = if spec.enterprise.registry == RegistryMode::Shared {
                    Role::RemoteTenant
                } else {
                    Role::Tenant
                };
                stores.push(store(&ctx, role, &t.0, &t.0, &t.0.replace('-', "_")));
            }
        }
    }
    let mut namespaces: Vec<Value> = stores
        .iter()
        .map(|s| {
            let mut labels = serde_json::Map::new();
            labels.insert("app.kubernetes.io/part-of".into(), json!("feast"));
            for (k, v) in &ctx.cloud.psa_labels {
                labels.insert((*k).into(), json!(v));
            }
            if s["role"] == "tenant" || s["role"] == "remoteTenant" {
                labels.insert("feast.dev/tenant".into(), json!("true"));
            }
            json!({"name": s["namespace"], "labels": labels})
        })
        .collect();
    namespaces.dedup_by(|a, b| a["name"] == b["name"]);
    let images = images(&ctx);
    let net = clouds::network::facts(spec);
    let policies_on = spec.topology != Topology::Minimal || spec.network.minimal_policies;
    let network_policies: Vec<Value> = if policies_on {
        stores
            .iter()
            .flat_map(|s| {
                let mut set = netpol::for_store(spec, &ctx.cloud, &net, s);
                let extra = crate::topology::batch::netpol::for_store(spec, &net, s, &set);
                set.extend(extra);
                set
            })
            .collect()
    } else {
        Vec::new()
    };
    let backup = backup::plan(spec, &ctx.cloud, &stores);
    let flows = crate::topology::flows::model::build(spec, &stores, &net, policies_on);
    let examples: Vec<Value> = net
        .examples
        .iter()
        .chain(crate::topology::spec_checks::example_values(spec).iter())
        .map(|(path, value)| json!({"path": path, "value": value}))
        .collect();
    json!({
        "topology": match spec.topology { Topology::Minimal => "minimal", Topology::Standard => "standard", Topology::Enterprise => "enterprise" },
        "cloud": ctx.cloud.name,
        "cloudDisplay": ctx.cloud.display,
        "isAws": spec.cloud == Cloud::Aws,
        "isGcp": spec.cloud == Cloud::Gcp,
        "isOnprem": spec.cloud == Cloud::Onprem,
        "sharedRegistry": spec.topology == Topology::Enterprise && spec.enterprise.registry == RegistryMode::Shared,
        "systemNamespace": spec.namespace,
        "airgapped": spec.airgapped.enabled,
        "pullSecret": spec.airgapped.pull_secret,
        "externalSecrets": spec.secrets.mode == SecretsMode::ExternalSecret,
        "secretStore": spec.secrets.store,
        "secretPrefix": spec.secrets.prefix,
        "clusterIssuer": spec.exposure.cluster_issuer,
        "certManagerTls": ctx.cloud.cert_manager_tls && ctx.tls,
        "aws": spec.aws,
        "gcp": spec.gcp,
        "namespaces": namespaces,
        "stores": stores,
        "networkPolicies": network_policies,
        "images": images,
        "featureServerImage": mirror(spec, &spec.images.feature_server),
        "cronJobImage": mirror(spec, &spec.images.cron_job),
        "operatorImage": operator_image(spec),
        "backup": backup,
        "flows": serde_json::to_value(&flows).unwrap_or(Value::Null),
        "networkNotes": {"lb": net.lb_note, "cloudApis": net.cloud_api_note, "credentials": net.credential_note,
                         "dns": net.dns, "podCidrs": net.pod_cidrs, "apiServerCidrs": net.api_server_cidrs,
                         // Only for pod ranges the spec gives: example ones are already a warning.
                         "storeCuts": if spec.network.pod_cidrs.is_some() && policies_on {
                             crate::topology::spec_checks::store_cuts(&spec.network.store_cidrs, &net.pod_cidrs)
                                 .into_iter().map(|(path, cidr, pod)| json!({"path": path, "cidr": cidr, "pod": pod})).collect::<Vec<_>>()
                         } else { Vec::new() }},
        "exampleValues": examples,
    })
}

/// Memory one gunicorn worker of the online server needs: each holds its
/// own registry copy and store clients (the production guide plans
/// 256–512 MB per worker).
const WORKER_MIB: u64 = 512;

/// Workers for the online server: the usual `2 × cores + 1`, but no more
/// than the memory limit holds. `-1` would have Feast count the *node's*
/// CPUs (`cpu_count()`), not the container's limit, and run out of memory.
fn workers_for(resources: &Value) -> u64 {
    let cpu_millis = parse_cpu_millis(resources["limits"]["cpu"].as_str().unwrap_or("1"));
    let mem_mib = parse_mib(resources["limits"]["memory"].as_str().unwrap_or("512Mi"));
    let by_cpu = 2 * (cpu_millis / 1000).max(1) + 1;
    by_cpu.min(mem_mib / WORKER_MIB).max(1)
}

fn parse_cpu_millis(q: &str) -> u64 {
    match q.strip_suffix('m') {
        Some(m) => m.parse().unwrap_or(1000),
        None => q
            .parse::<f64>()
            .map(|c| (c * 1000.0) as u64)
            .unwrap_or(1000),
    }
}

fn parse_mib(q: &str) -> u64 {
    if let Some(g) = q.strip_suffix("Gi") {
        g.parse::<u64>().map(|g| g * 1024).unwrap_or(0)
    } else if let Some(m) = q.strip_suffix("Mi") {
        m.parse().unwrap_or(0)
    } else {
        q.parse::<u64>().map(|b| b / (1024 * 1024)).unwrap_or(0)
    }
}

/// What the CronJob runs (through `kubectl exec` into the server pod).
const MATERIALIZE: &str = "feast materialize-incremental $(date -u +'%Y-%m-%dT%H:%M:%S')";

fn mirror(spec: &TopologySpec, image: &str) -> String {
    if !spec.airgapped.enabled {
        return image.to_string();
    }
    let path = match image.split_once('/') {
        Some((host, rest)) if host.contains('.') || host.contains(':') => rest,
        _ => image,
    };
    format!("{}/{}", spec.airgapped.mirror, path)
}

/// The image name the operator's `dist/install.yaml` uses, which a
/// kustomize `images:` entry must match.
const OPERATOR_INSTALL_IMAGE: &str = "quay.io/feastdev/feast-operator";

/// The operator image as a kustomize `images:` entry: the name in
/// install.yaml, its mirrored name, and the digest.
fn operator_image(spec: &TopologySpec) -> Value {
    let mirrored = mirror(spec, &spec.images.operator);
    let name_of = |i: &str| -> String {
        match i.split_once('@') {
            Some((n, _)) => n.to_string(),
            None => match i.rsplit_once(':') {
                Some((n, t)) if !t.contains('/') => n.to_string(),
                _ => i.to_string(),
            },
        }
    };
    let digest = mirrored.split_once('@').map(|(_, d)| d.to_string());
    json!({"name": OPERATOR_INSTALL_IMAGE, "newName": name_of(&mirrored), "digest": digest})
}

fn images(ctx: &Ctx) -> Vec<String> {
    let spec = ctx.spec;
    let mut v = vec![
        mirror(spec, &spec.images.feature_server),
        mirror(spec, &spec.images.cron_job),
        mirror(spec, &spec.images.operator),
    ];
    if let Some(img) = &spec.airgapped.feature_repo_image
        && spec.airgapped.enabled
    {
        v.push(img.clone());
    }
    v.extend(crate::topology::batch::plan::images(spec, &|i| {
        mirror(spec, i)
    }));
    v.sort();
    v.dedup();
    v
}

/// The offline store a spec gets: its own choice, else duckdb on Minimal and
/// the cloud's default (`cloud_default`) above.
pub(crate) fn offline_store(spec: &TopologySpec, cloud_default: OfflineStore) -> OfflineStore {
    spec.stores
        .offline
        .unwrap_or(if spec.topology == Topology::Minimal {
            OfflineStore::Duckdb
        } else {
            cloud_default
        })
}

/// Minimal keeps its registry in a file on a PVC unless the spec asks for SQL.
pub(crate) fn file_registry(spec: &TopologySpec) -> bool {
    spec.topology == Topology::Minimal && spec.stores.registry != Some(RegistryStore::Sql)
}

fn store(ctx: &Ctx, role: Role, name: &str, ns: &str, project: &str) -> Value {
    let spec = ctx.spec;
    let minimal = spec.topology == Topology::Minimal;
    let enterprise = spec.topology == Topology::Enterprise;
    let online = spec.stores.online.unwrap_or(ctx.cloud.default_online);
    let offline = offline_store(spec, ctx.cloud.default_offline);
    let registry_file = file_registry(spec);
    let stores_secret = format!("feast-{name}-stores");
    let creds_secret = format!("feast-{name}-credentials");

    // Secret keys and the env vars they need.
    let mut keys: Vec<Value> = Vec::new();
    let mut env: Vec<&str> = Vec::new();
    let online_enabled = role != Role::SharedRegistry;
    {
        let (snip, vars) = online_snippet(online, spec, ns);
        keys.push(json!({"key": online_type(online), "content": snip}));
        env.extend(vars);
    }
    let offline_db = offline != OfflineStore::Duckdb && role != Role::SharedRegistry;
    if offline_db {
        let (snip, vars) = offline_snippet(offline, spec);
        keys.push(json!({"key": offline_type(offline), "content": snip}));
        env.extend(vars);
    }
    let local_registry = role != Role::RemoteTenant;
    let sql_registry = local_registry && !registry_file;
    if sql_registry {
        let (snip, vars) = sql_snippet(&format!("feast_registry_{}", ns.replace('-', "_")));
        keys.push(json!({"key": "sql", "content": snip}));
        env.extend(vars);
    }
    if role != Role::SharedRegistry {
        env.extend(crate::topology::batch::plan::env(spec));
    }
    env.sort();
    env.dedup();

    let (res_online, res_registry, res_offline) = match spec.topology {
        Topology::Minimal => (
            res("500m", "512Mi", "1", "1Gi"),
            res("250m", "256Mi", "500m", "512Mi"),
            res("250m", "256Mi", "500m", "512Mi"),
        ),
        Topology::Standard => (
            res("1", "1Gi", "2", "2Gi"),
            res("500m", "512Mi", "1", "1Gi"),
            res("500m", "512Mi", "1", "1Gi"),
        ),
        Topology::Enterprise => (
            res("2", "2Gi", "4", "4Gi"),
            res("1", "1Gi", "2", "2Gi"),
            res("1", "1Gi", "2", "2Gi"),
        ),
    };

    // Scaling: Standard 2–10 @70%, PDB maxUnavailable 1; Enterprise 3–20 @65%, PDB minAvailable 2.
    let scaling = match (spec.topology, role) {
        (Topology::Minimal, _) | (_, Role::SharedRegistry) => Value::Null,
        (Topology::Standard, _) => json!({
            "min": spec.scaling.min_replicas.unwrap_or(2),
            "max": spec.scaling.max_replicas.unwrap_or(10).max(spec.scaling.min_replicas.unwrap_or(2)),
            "cpu": spec.scaling.cpu_utilization.unwrap_or(70)}),
        (Topology::Enterprise, _) => json!({
            "min": spec.scaling.min_replicas.unwrap_or(3),
            "max": spec.scaling.max_replicas.unwrap_or(20).max(spec.scaling.min_replicas.unwrap_or(3)),
            "cpu": spec.scaling.cpu_utilization.unwrap_or(65)}),
    };
    let replicas = if role == Role::SharedRegistry {
        json!(3)
    } else {
        Value::Null
    };
    let pdb = match (spec.topology, role) {
        (Topology::Minimal, _) => Value::Null,
        (Topology::Standard, _) => json!({"maxUnavailable": 1}),
        (Topology::Enterprise, _) => json!({"minAvailable": 2}),
    };

    let mut sc = ctx.cloud.pod_security_context.clone();
    let uses_pvc = registry_file || offline == OfflineStore::Duckdb;
    if ctx.cloud.uses_fs_group && uses_pvc {
        sc["fsGroup"] = json!(1001);
    }

    let airgapped = spec.airgapped.enabled;
    // The operator takes a server's `image` over the packaged repo image
    // (services.go: serverConfigs.Image, else getFeatureServerImageForSpec),
    // and with init containers off the servers start in the packaged repo's
    // path: a packaged repo must be what the servers run.
    let image = match spec.feature_repo_image() {
        Some(packaged) => packaged.to_string(),
        None => mirror(spec, &spec.images.feature_server),
    };
    let pull_policy = if airgapped { "IfNotPresent" } else { "Always" };
    let tls = ctx.tls;
    let tls_secret = if ctx.cloud.cert_manager_tls && tls {
        json!(format!("feast-{name}-tls"))
    } else {
        Value::Null
    };

    let auth = match ctx.auth {
        AuthMode::Kubernetes => {
            json!({"mode": "kubernetes", "roles": ["feast-admin-role", "feast-user-role"]})
        }
        AuthMode::Oidc => {
            json!({"mode": "oidc", "issuerUrl": spec.oidc.issuer_url, "secret": spec.oidc.secret_name})
        }
        AuthMode::None => json!({"mode": "none"}),
    };

    let p_online = ports::pick(ports::ONLINE, tls);
    let p_reg = ports::pick(ports::REGISTRY_GRPC, tls);
    let p_rest = ports::pick(ports::REGISTRY_REST, tls);
    let p_off = ports::pick(ports::OFFLINE, tls);
    let rest = local_registry && (minimal || role == Role::SharedRegistry || enterprise);
    let offline_server = !minimal && role != Role::SharedRegistry;

    let host = match role {
        Role::Single => spec.exposure.host.clone(),
        _ => format!("{name}.{}", spec.exposure.host),
    };
    let exposure = if minimal || role == Role::SharedRegistry {
        Value::Null
    } else {
        json!({"host": host, "service": format!("feast-{name}-online"), "servicePort": if tls { 443 } else { 80 },
               "targetPort": if tls { "https" } else { "http" }, "internal": spec.exposure.internal, "rateLimit": enterprise})
    };
    let identity = match spec.cloud {
        Cloud::Aws => json!({
            "mode": match spec.aws.identity { AwsIdentity::PodIdentity => "podIdentity", AwsIdentity::Irsa => "irsa" },
            "roleArn": format!("arn:aws:iam::{}:role/feast-{}-{}", spec.aws.account_id, ns, name)}),
        Cloud::Gcp => json!({"mode": "workloadIdentity",
            "gsa": format!("feast-{}@{}.iam.gserviceaccount.com", name, spec.gcp.project_id)}),
        _ => Value::Null,
    };
    // Pre-created ServiceAccounts: air-gapped pull secrets, IRSA or GKE annotations.
    let precreate_sa = airgapped
        || (spec.cloud == Cloud::Aws && spec.aws.identity == AwsIdentity::Irsa)
        || spec.cloud == Cloud::Gcp;
    let sa_annotations = match spec.cloud {
        Cloud::Aws if spec.aws.identity == AwsIdentity::Irsa => {
            json!({"eks.amazonaws.com/role-arn": identity["roleArn"], "eks.amazonaws.com/sts-regional-endpoints": "true"})
        }
        Cloud::Gcp => json!({"iam.gke.io/gcp-service-account": identity["gsa"]}),
        _ => json!({}),
    };

    let remote = if role == Role::RemoteTenant {
        json!({"name": REGISTRY_NAME, "namespace": spec.namespace,
               "caConfigMap": "feast-registry-ca",
               "caKey": if ctx.cloud.cert_manager_tls { "ca.crt" } else { "service-ca.crt" }})
    } else {
        Value::Null
    };

    let pod_annotations = if enterprise {
        json!({"instrumentation.opentelemetry.io/inject-python": "true"})
    } else {
        Value::Null
    };

    let client_namespaces = spec.network.admitted_client_namespaces();
    let client_sas: Vec<Value> = spec
        .network
        .client_service_accounts
        .iter()
        .map(|sa| json!({"namespace": sa.namespace, "name": sa.name}))
        .collect();
    json!({
        "name": name,
        "namespace": ns,
        "project": project,
        "role": match role { Role::Single => "single", Role::Tenant => "tenant", Role::RemoteTenant => "remoteTenant", Role::SharedRegistry => "sharedRegistry" },
        "isSharedRegistry": role == Role::SharedRegistry,
        "prefixed": format!("feast-{name}"),
        "image": image,
        "imagePullPolicy": pull_policy,
        "packaged": match spec.feature_repo_image() { Some(img) => json!({"image": img, "path": spec.airgapped.feature_repo_path}), None => Value::Null },
        "git": spec.feature_repo.git.as_ref().map(|g| json!({"url": g.url, "ref": g.git_ref, "path": g.path})),
        "applyOnInit": spec.feature_repo.apply_on_init,
        "disableInitContainers": airgapped && spec.airgapped.disable_init_containers,
        "securityContext": sc,
        "podAnnotations": pod_annotations,
        "scaling": scaling,
        "replicas": replicas,
        "pdb": pdb,
        "auth": auth,
        "tls": tls,
        "tlsSecret": tls_secret,
        "metrics": !minimal && online_enabled,
        "online": {"enabled": online_enabled, "type": online_type(online), "resources": res_online, "port": p_online,
                    "workers": if minimal { 1 } else { workers_for(&res_online) }},
        "offline": {"db": offline_db, "file": offline == OfflineStore::Duckdb && role != Role::SharedRegistry,
                    "type": offline_type(offline), "server": offline_server, "resources": res_offline, "port": p_off},
        "registry": {"local": local_registry, "sql": sql_registry, "file": registry_file, "rest": rest,
                     "resources": res_registry, "port": p_reg, "restPort": p_rest, "remote": remote},
        "storesSecret": stores_secret,
        "credentialsSecret": creds_secret,
        "secretKeys": keys,
        "env": env,
        "hasEnv": !env.is_empty(),
        "cronJob": {"schedule": spec.materialization.schedule, "timeZone": spec.materialization.time_zone,
                    "image": mirror(spec, &spec.images.cron_job), "resources": res("100m", "128Mi", "500m", "256Mi"),
                    // Materialization only: the operator's default also runs `feast apply`
                    // from the pod's repo copy, bypassing review.
                    "commands": [MATERIALIZE]},
        "exposure": exposure,
        "batch": crate::topology::batch::plan::for_store(spec, ns, name, role != Role::SharedRegistry, &|i| mirror(spec, i)),
        "identity": identity,
        "precreateServiceAccount": precreate_sa,
        "saAnnotations": sa_annotations,
        "clientNamespaces": client_namespaces,
        "clientServiceAccounts": client_sas,
        "storePorts": {
            "online": if online_enabled { clouds::online_ports(online, spec.cloud) } else { vec![] },
            "offline": if offline_db { clouds::offline_ports(offline) } else { vec![] },
            "registry": if sql_registry { vec![5432u16] } else { vec![] },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_follow_the_container_limits_not_the_node() {
        // Standard: 2 CPUs would give 5, 2Gi holds 4 workers of 512Mi.
        assert_eq!(workers_for(&res("1", "1Gi", "2", "2Gi")), 4);
        // Enterprise: 4 CPUs give 9, 4Gi holds 8.
        assert_eq!(workers_for(&res("2", "2Gi", "4", "4Gi")), 8);
        assert_eq!(workers_for(&res("2", "2Gi", "1500m", "8Gi")), 3);
        assert_eq!(workers_for(&res("100m", "128Mi", "500m", "256Mi")), 1);
    }

    fn spec(extra: Value) -> TopologySpec {
        let mut doc = json!({"topology": "standard", "cloud": "aws"});
        crate::topology::spec::merge(&mut doc, extra);
        if doc["airgapped"]["enabled"] != true {
            let repo = json!({"featureRepo": {"git": {"url": "https://git.example.com/r.git",
                "ref": "0123456789abcdef0123456789abcdef01234567"}}});
            crate::topology::spec::merge(&mut doc, repo);
        }
        crate::topology::spec::parse(&doc, "test").unwrap()
    }

    #[test]
    fn mirror_rewrites_registry_hosts_only_when_airgapped() {
        let off = spec(json!({}));
        assert_eq!(
            mirror(&off, "quay.io/feastdev/feature-server:0.66.0"),
            "quay.io/feastdev/feature-server:0.66.0"
        );
        let d = "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let on = spec(json!({"airgapped": {"enabled": true, "mirror": "reg.corp",
            "featureRepoImage": format!("reg.corp/repo{d}")},
            "images": {"featureServer": format!("quay.io/feastdev/feature-server{d}"),
                "cronJob": format!("quay.io/openshift/origin-cli{d}"),
                "operator": format!("quay.io/feastdev/feast-operator{d}")}}));
        assert_eq!(
            mirror(&on, "quay.io/feastdev/feature-server:0.66.0"),
            "reg.corp/feastdev/feature-server:0.66.0"
        );
        assert_eq!(mirror(&on, "library/redis:7"), "reg.corp/library/redis:7");
        assert_eq!(mirror(&on, "localhost:5000/x:1"), "reg.corp/x:1");
    }

    #[test]
    fn tls_switches_every_policy_port_to_the_tls_container_port() {
        let ctx = build(&spec(json!({})));
        let ports: Vec<u64> = ctx["networkPolicies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] == "allow-clients")
            .flat_map(|p| p["ingress"][0]["ports"].as_array().unwrap().clone())
            .map(|p| p["port"].as_u64().unwrap())
            .collect();
        assert_eq!(ports, vec![6567, 6571, 8816]);
    }

    #[test]
    fn enterprise_defaults_differ_by_registry_mode() {
        let iso = build(&spec(json!({"topology": "enterprise"})));
        assert_eq!(iso["stores"][0]["auth"]["mode"], "oidc");
        assert_eq!(iso["stores"][0]["scaling"]["min"], 3);
        let shared = build(&spec(
            json!({"topology": "enterprise", "enterprise": {"registry": "shared"}}),
        ));
        assert_eq!(shared["stores"][0]["role"], "sharedRegistry");
        assert_eq!(shared["stores"][1]["auth"]["mode"], "kubernetes");
        assert_eq!(
            shared["stores"][1]["registry"]["remote"]["name"],
            "registry"
        );
    }
}
