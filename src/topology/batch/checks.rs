//! What Feast's compute engines and the operator refuse, checked on the spec
//! so a render never deploys an engine that fails at its first run.

use crate::topology::batch::spec::BatchEngine;
use crate::topology::error::SpecProblem;
use crate::topology::spec::{OfflineStore, TopologySpec, is_digest_pinned};

fn problem(path: &str, message: impl Into<String>) -> SpecProblem {
    SpecProblem {
        path: path.into(),
        message: message.into(),
        suggestion: None,
    }
}

/// The image Feast publishes for the servers, built from `feast[minimal]`
/// (feature_servers/multicloud/requirements.txt): it has no `ray` and no `pyspark`.
fn is_published_server_image(image: &str) -> bool {
    image.starts_with("quay.io/feastdev/feature-server:")
        || image.starts_with("quay.io/feastdev/feature-server@")
}

fn image_checks(
    s: &TopologySpec,
    key: &str,
    image: Option<&str>,
    what: &str,
    p: &mut Vec<SpecProblem>,
) {
    match image {
        None => p.push(problem(
            key,
            format!(
                "required with materialization.engine: {}: {what}",
                s.materialization.engine.name()
            ),
        )),
        Some(img) if s.airgapped.enabled && !is_digest_pinned(img) => p.push(problem(
            key,
            format!(
                "`{img}` is not pinned by digest; air-gapped renders need IMAGE@sha256:<64 hex>"
            ),
        )),
        Some(_) => {}
    }
}

/// Problems of the batch-engine settings.
pub fn check(s: &TopologySpec) -> Vec<SpecProblem> {
    let mut p = Vec::new();
    let m = &s.materialization;
    let pods_read_files = crate::topology::plan::offline_store(
        s,
        crate::topology::clouds::profile(s).default_offline,
    ) == OfflineStore::Duckdb;
    match m.engine {
        BatchEngine::Local => {}
        BatchEngine::Spark => {
            image_checks(
                s,
                "materialization.spark.image",
                m.spark.image.as_deref(),
                "a Spark image with Feast and its SparkApplication entry point /opt/feast/main.py (Feast's compute_engines/spark_application/Dockerfile)",
                &mut p,
            );
            // compute_engines/spark_application/compute.py refuses file-based stores: the
            // driver pod cannot see the server's files.
            if crate::topology::plan::file_registry(s) {
                p.push(problem("materialization.engine", "Feast's spark_application engine refuses a file registry (the driver pod cannot read the server's PVC): set stores.registry: sql or use engine: local"));
            }
            if pods_read_files {
                p.push(problem("materialization.engine", "Feast's spark_application engine refuses the duckdb offline store (file-based): choose a database offline store or use engine: local"));
            }
        }
        BatchEngine::Ray => {
            image_checks(
                s,
                "materialization.ray.image",
                m.ray.image.as_deref(),
                "a Ray image with feast[ray] installed, at the Ray and Python versions of the feature-server image",
                &mut p,
            );
            if let Some(img) = &m.ray.image
                && let Some(tag) = img
                    .split('@')
                    .next()
                    .and_then(|n| n.rsplit_once(':'))
                    .map(|(_, t)| t)
                && tag
                    .split('-')
                    .next()
                    .is_some_and(|v| v.chars().next().is_some_and(|c| c.is_ascii_digit()))
                && tag.split('-').next() != Some(m.ray.ray_version.as_str())
            {
                p.push(problem("materialization.ray.rayVersion", format!(
                    "{} does not match the image tag `{tag}`: KubeRay starts the image's Ray, and a Ray client of another version cannot connect",
                    m.ray.ray_version)));
            }
            if s.feature_repo_image().is_none()
                && is_published_server_image(&s.images.feature_server)
            {
                p.push(problem("images.featureServer", format!(
                    "`{}` is built from feast[minimal], which has no `ray`: the server could not connect to the RayCluster; build an image with feast[ray] (same Ray version as materialization.ray.image) and set images.featureServer",
                    s.images.feature_server)));
            }
            if pods_read_files {
                p.push(problem("materialization.engine", "Ray workers cannot read the duckdb offline store on the server's PVC: choose a database offline store or use engine: local"));
            }
        }
        BatchEngine::Snowflake => {
            // compute_engines/snowflake/snowflake_engine.py asserts the offline store type.
            if s.stores.offline != Some(OfflineStore::Snowflake) {
                p.push(problem("materialization.engine", "Feast's Snowflake engine runs only with the Snowflake offline store: set stores.offline: snowflake"));
            }
        }
    }
    if m.engine != BatchEngine::Spark && m.spark != Default::default() {
        p.push(problem(
            "materialization.spark",
            format!(
                "applies only to engine: spark (engine is {})",
                m.engine.name()
            ),
        ));
    }
    if m.engine != BatchEngine::Ray && m.ray != Default::default() {
        p.push(problem(
            "materialization.ray",
            format!(
                "applies only to engine: ray (engine is {})",
                m.engine.name()
            ),
        ));
    }
    p
}
