//! `materialization.engine` and its per-engine settings: where `feast
//! materialize-incremental` does its work. `local` keeps it inside the serving
//! pod (the operator's default); the others hand it to Feast's compute engines.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Feast compute engine that runs materialization.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BatchEngine {
    /// In-process, inside the online server pod the CronJob execs into.
    #[default]
    Local,
    /// Feast's `spark_application` engine: one SparkApplication per run,
    /// through the Kubeflow Spark Operator.
    Spark,
    /// Feast's `ray.engine` against a KubeRay `RayCluster` rendered next to the store.
    Ray,
    /// Feast's `snowflake.engine`: the work runs in a Snowflake warehouse.
    Snowflake,
}

impl BatchEngine {
    pub fn name(self) -> &'static str {
        match self {
            BatchEngine::Local => "local",
            BatchEngine::Spark => "spark",
            BatchEngine::Ray => "ray",
            BatchEngine::Snowflake => "snowflake",
        }
    }
}

/// Spark (Kubeflow Spark Operator, `SparkApplication`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SparkSpec {
    /// Spark image with Feast and its SparkApplication entry point
    /// (`/opt/feast/main.py`); Feast ships its Dockerfile in
    /// `feast/infra/compute_engines/spark_application/`. Required with `engine: spark`.
    #[serde(default)]
    pub image: Option<String>,
    /// `sparkVersion` of the SparkApplication (must match the image).
    #[serde(default = "d_spark_version")]
    pub spark_version: String,
    #[serde(default = "d_driver")]
    pub driver: SparkPods,
    #[serde(default = "d_executor")]
    pub executor: SparkPods,
    /// Seconds Feast waits for one run before it reports a failure.
    #[serde(default = "d_spark_timeout")]
    pub job_timeout_seconds: u32,
}

/// Size of the driver or of each executor. Spark sets the pod's memory
/// request and limit from `memory` plus overhead; the CPU limit is pinned to
/// `cores` so a namespace LimitRange default cannot fall below the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SparkPods {
    /// Executors only (ignored for the driver).
    #[serde(default = "d_one")]
    #[schemars(range(min = 1, max = 1000))]
    pub instances: u32,
    #[serde(default = "d_one")]
    #[schemars(range(min = 1, max = 64))]
    pub cores: u32,
    /// JVM memory in Spark's notation (`2g`, `512m`).
    #[schemars(pattern(r"^[1-9][0-9]*[mg]$"))]
    pub memory: String,
}

fn d_spark_version() -> String {
    "4.0.1".into()
}
fn d_one() -> u32 {
    1
}
fn d_driver() -> SparkPods {
    SparkPods {
        instances: 1,
        cores: 1,
        memory: "2g".into(),
    }
}
fn d_executor() -> SparkPods {
    SparkPods {
        instances: 2,
        cores: 2,
        memory: "4g".into(),
    }
}
fn d_spark_timeout() -> u32 {
    3600
}
impl Default for SparkSpec {
    fn default() -> Self {
        SparkSpec {
            image: None,
            spark_version: d_spark_version(),
            driver: d_driver(),
            executor: d_executor(),
            job_timeout_seconds: d_spark_timeout(),
        }
    }
}

/// Ray (a KubeRay `RayCluster` per FeatureStore).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RaySpec {
    /// Ray image with Feast installed (`feast[ray]`), the same Ray and Python
    /// versions as the feature-server image. Required with `engine: ray`.
    #[serde(default)]
    pub image: Option<String>,
    /// `rayVersion` of the RayCluster (the Ray version in the image).
    #[serde(default = "d_ray_version")]
    #[schemars(pattern(r"^[0-9]+\.[0-9]+\.[0-9]+$"))]
    pub ray_version: String,
    #[serde(default = "d_ray_head")]
    pub head: RayPods,
    #[serde(default = "d_ray_workers")]
    pub workers: RayPods,
}

/// Size and count of Ray pods (`replicas` ignored for the head).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RayPods {
    #[serde(default = "d_one")]
    #[schemars(range(min = 1, max = 1000))]
    pub replicas: u32,
    /// Kubernetes quantity (`2`, `500m`).
    #[schemars(pattern(r"^[0-9]+(\.[0-9]+)?m?$"))]
    pub cpu: String,
    /// Kubernetes quantity (`8Gi`).
    #[schemars(pattern(r"^[0-9]+(Mi|Gi)$"))]
    pub memory: String,
}

fn d_ray_version() -> String {
    "2.49.2".into()
}
fn d_ray_head() -> RayPods {
    RayPods {
        replicas: 1,
        cpu: "2".into(),
        memory: "8Gi".into(),
    }
}
fn d_ray_workers() -> RayPods {
    RayPods {
        replicas: 2,
        cpu: "4".into(),
        memory: "16Gi".into(),
    }
}
impl Default for RaySpec {
    fn default() -> Self {
        RaySpec {
            image: None,
            ray_version: d_ray_version(),
            head: d_ray_head(),
            workers: d_ray_workers(),
        }
    }
}

/// Snowflake (the warehouse does the work; credentials come from the
/// credentials Secret as `SNOWFLAKE_ACCOUNT`, `SNOWFLAKE_USER`, `SNOWFLAKE_PASSWORD`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SnowflakeSpec {
    #[serde(default = "d_sf_warehouse")]
    pub warehouse: String,
    #[serde(default = "d_sf_database")]
    pub database: String,
    #[serde(default)]
    pub role: Option<String>,
    /// Where Snowflake is reached on 443: its PrivateLink endpoint subnets, or
    /// public addresses when unset (Snowflake publishes no fixed ranges).
    #[serde(default)]
    pub cidrs: Option<Vec<String>>,
}
fn d_sf_warehouse() -> String {
    "FEAST_WH".into()
}
fn d_sf_database() -> String {
    "FEAST".into()
}
impl Default for SnowflakeSpec {
    fn default() -> Self {
        SnowflakeSpec {
            warehouse: d_sf_warehouse(),
            database: d_sf_database(),
            role: None,
            cidrs: None,
        }
    }
}
