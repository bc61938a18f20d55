//! What a batch engine adds to one FeatureStore: the operator's `batchEngine`
//! ConfigMap (Feast's compute-engine config, as `feature_store.yaml` takes
//! it), and for Ray the `RayCluster` it connects to.
//!
//! Facts, from the operator's and Feast's source:
//! - the operator reads the ConfigMap key `config` (default) and puts it under
//!   `batch_engine` in the feature_store.yaml it writes
//!   (infra/feast-operator/internal/controller/services/repo_config.go,
//!   `setRepoConfigBatchEngine`), which Feast reads with `${VAR}` expansion
//!   (feast/repo_config.py `load_repo_config`);
//! - for `spark_application` it also creates the Roles the server needs to
//!   create SparkApplications and the driver's ServiceAccount
//!   `feast-<name>-batch-driver` with its Role (batch_engine_rbac.go,
//!   rbac_templates/spark_application.yaml);
//! - Feast's Spark driver pods get the server's feature_store.yaml through a
//!   ConfigMap `feast-sa-<job>` it writes per run (compute_engines/
//!   spark_application/compute.py `_create_configmap`);
//! - KubeRay names a RayCluster's head Service `<cluster>-head-svc`; the Ray
//!   client server listens on 10001.

use serde_json::{Value, json};

use crate::topology::batch::spec::{BatchEngine, RayPods, SparkPods};
use crate::topology::spec::{SnowflakeSpec, TopologySpec};

/// Credentials the Snowflake offline store and engine read from the credentials Secret.
pub const SNOWFLAKE_ENV: [&str; 3] = ["SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD"];

/// Ray client server port on the head (`ray://`).
pub const RAY_CLIENT_PORT: u16 = 10001;

/// Label our Ray pod templates carry, selected by the Ray NetworkPolicies.
pub const RAY_POD_LABEL: &str = "feastops.dev/ray-cluster";

fn snowflake_common(sf: &SnowflakeSpec) -> String {
    let mut out = String::from(
        "account: ${SNOWFLAKE_ACCOUNT}\nuser: ${SNOWFLAKE_USER}\npassword: ${SNOWFLAKE_PASSWORD}\n",
    );
    out.push_str(&format!(
        "warehouse: {}\ndatabase: {}\n",
        json!(sf.warehouse),
        json!(sf.database)
    ));
    if let Some(r) = &sf.role {
        out.push_str(&format!("role: {}\n", json!(r)));
    }
    out
}

/// The `snowflake.offline` block of the stores Secret.
pub fn snowflake_snippet(sf: &SnowflakeSpec) -> String {
    snowflake_common(sf)
}

/// Env vars the engine needs from the credentials Secret.
pub fn env(spec: &TopologySpec) -> Vec<&'static str> {
    match spec.materialization.engine {
        BatchEngine::Snowflake => SNOWFLAKE_ENV.to_vec(),
        _ => Vec::new(),
    }
}

/// Name of the RayCluster of a FeatureStore.
pub fn ray_cluster_name(store: &str) -> String {
    format!("feast-{store}-ray")
}

/// The driver ServiceAccount the operator creates for `spark_application`
/// (`resolveBatchDriverSAName`: `feast-<name>-batch-driver`).
pub fn spark_driver_sa(store: &str) -> String {
    format!("feast-{store}-batch-driver")
}

fn spark_config(spec: &TopologySpec, ns: &str, name: &str, image: &str) -> String {
    let sp = &spec.materialization.spark;
    let SparkPods {
        cores: dcores,
        memory: dmem,
        ..
    } = &sp.driver;
    let SparkPods {
        instances,
        cores: ecores,
        memory: emem,
    } = &sp.executor;
    let mut out = format!(
        "type: spark_application\nimage: {}\nnamespace: {}\nspark_version: {}\ndriver_cores: {dcores}\ndriver_memory: {}\nexecutor_instances: {instances}\nexecutor_cores: {ecores}\nexecutor_memory: {}\njob_timeout_seconds: {}\n",
        json!(image),
        json!(ns),
        json!(sp.spark_version),
        json!(dmem),
        json!(emem),
        sp.job_timeout_seconds,
    );
    // A container with a CPU request but no limit gets the namespace
    // LimitRange default limit (1 CPU), below a 2-core request: the API server
    // refuses the pod. Spark sets the limit from these keys.
    out.push_str(&format!(
        "spark_conf:\n  spark.kubernetes.driver.limit.cores: \"{dcores}\"\n  spark.kubernetes.executor.limit.cores: \"{ecores}\"\n"
    ));
    out.push_str(&format!("labels:\n  feastops.dev/batch: {}\n", json!(name)));
    if spec.airgapped.enabled {
        out.push_str(&format!(
            "image_pull_secrets:\n- {}\n",
            json!(spec.airgapped.pull_secret)
        ));
    }
    out
}

fn ray_config(ns: &str, name: &str) -> String {
    format!(
        "type: ray.engine\nray_address: \"ray://{}-head-svc.{ns}.svc.cluster.local:{RAY_CLIENT_PORT}\"\n",
        ray_cluster_name(name)
    )
}

fn snowflake_config(spec: &TopologySpec) -> String {
    format!(
        "type: snowflake.engine\n{}",
        snowflake_common(&spec.snowflake)
    )
}

fn resources(p: &RayPods) -> Value {
    json!({"requests": {"cpu": p.cpu, "memory": p.memory}, "limits": {"cpu": p.cpu, "memory": p.memory}})
}

/// A Ray pod template: our label (for the NetworkPolicies), the store's
/// own ServiceAccount (cloud identity, pull secret) without an API token,
/// and Ray's session directory on an emptyDir.
fn ray_template(
    spec: &TopologySpec,
    cluster: &str,
    container: &str,
    image: &str,
    p: &RayPods,
    ports: Value,
    sa: &str,
) -> Value {
    let mut container = json!({
        "name": container,
        "image": image,
        "imagePullPolicy": "Always",
        "resources": resources(p),
        "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}},
        "volumeMounts": [{"name": "ray-tmp", "mountPath": "/tmp/ray"}],
    });
    if ports.as_array().is_some_and(|a| !a.is_empty()) {
        container["ports"] = ports;
    }
    let mut pod = json!({
        "serviceAccountName": sa,
        "automountServiceAccountToken": false,
        "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [container],
        "volumes": [{"name": "ray-tmp", "emptyDir": {}}],
    });
    if spec.airgapped.enabled {
        pod["imagePullSecrets"] = json!([{"name": spec.airgapped.pull_secret}]);
    }
    json!({"metadata": {"labels": {RAY_POD_LABEL: cluster, "app.kubernetes.io/part-of": "feast"}}, "spec": pod})
}

fn ray_cluster(spec: &TopologySpec, ns: &str, name: &str, image: &str) -> Value {
    let r = &spec.materialization.ray;
    let cluster = ray_cluster_name(name);
    let sa = cluster.clone();
    let head_ports = json!([
        {"name": "gcs", "containerPort": 6379},
        {"name": "dashboard", "containerPort": 8265},
        {"name": "client", "containerPort": RAY_CLIENT_PORT}
    ]);
    json!({
        "name": cluster,
        "namespace": ns,
        "serviceAccount": sa,
        "rayVersion": r.ray_version,
        "headGroupSpec": {
            "rayStartParams": {"dashboard-host": "0.0.0.0"},
            "template": ray_template(spec, &cluster, "ray-head", image, &r.head, head_ports, &sa),
        },
        "workerGroupSpecs": [{
            "groupName": "workers",
            "replicas": r.workers.replicas,
            "minReplicas": r.workers.replicas,
            "maxReplicas": r.workers.replicas,
            "rayStartParams": {},
            "template": ray_template(spec, &cluster, "ray-worker", image, &r.workers, json!([]), &sa),
        }],
    })
}

/// The batch-engine part of one FeatureStore's plan (`Null` for `local`, and
/// for the shared registry, which materializes nothing). `mirror` maps an
/// image to what the cluster pulls.
pub fn for_store(
    spec: &TopologySpec,
    ns: &str,
    name: &str,
    materializes: bool,
    mirror: &dyn Fn(&str) -> String,
) -> Value {
    let engine = spec.materialization.engine;
    if engine == BatchEngine::Local || !materializes {
        return Value::Null;
    }
    let config_map = format!("feast-{name}-batch-engine");
    let (config, ray, driver_sa) = match engine {
        BatchEngine::Spark => {
            let img = mirror(
                spec.materialization
                    .spark
                    .image
                    .as_deref()
                    .unwrap_or_default(),
            );
            (
                spark_config(spec, ns, name, &img),
                Value::Null,
                Value::from(spark_driver_sa(name)),
            )
        }
        BatchEngine::Ray => {
            let img = mirror(
                spec.materialization
                    .ray
                    .image
                    .as_deref()
                    .unwrap_or_default(),
            );
            (
                ray_config(ns, name),
                ray_cluster(spec, ns, name, &img),
                Value::Null,
            )
        }
        BatchEngine::Snowflake => (snowflake_config(spec), Value::Null, Value::Null),
        BatchEngine::Local => unreachable!("returned above"),
    };
    json!({
        "engine": engine.name(),
        "configMap": config_map,
        "config": config,
        "rayCluster": ray,
        "sparkDriverServiceAccount": driver_sa,
    })
}

/// Images the engine pulls (besides the servers'), as the cluster pulls them.
pub fn images(spec: &TopologySpec, mirror: &dyn Fn(&str) -> String) -> Vec<String> {
    let m = &spec.materialization;
    match m.engine {
        BatchEngine::Spark => m.spark.image.iter().map(|i| mirror(i)).collect(),
        BatchEngine::Ray => m.ray.image.iter().map(|i| mirror(i)).collect(),
        _ => Vec::new(),
    }
}
