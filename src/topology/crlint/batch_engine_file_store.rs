//! Feast's `spark_application` engine refuses file-based stores when it is
//! built (compute_engines/spark_application/compute.py): the driver pod
//! cannot see the server's files. The CR applies; the first materialization
//! fails. The operator copies the batch-engine ConfigMap into
//! feature_store.yaml as is (repo_config.go `setRepoConfigBatchEngine`).

use serde_json::Value;

use super::{Cr, Hit};

pub const NAME: &str = "cr-batch-engine-file-store";

/// The engine type of the FeatureStore's batch-engine ConfigMap, when it is in the set.
fn engine_type<'a>(cr: &Cr<'a>) -> Option<&'a str> {
    let be = &cr.spec()["batchEngine"];
    let name = be["configMapRef"]["name"].as_str()?;
    let key = be["configMapKey"].as_str().unwrap_or("config");
    cr.others
        .iter()
        .find(|o| {
            o["kind"] == "ConfigMap"
                && o["metadata"]["name"] == name
                && o["metadata"]["namespace"].as_str().unwrap_or("") == cr.namespace()
        })
        .and_then(|o| o["data"][key].as_str())
        .and_then(crate::topology::batch::engine_type)
}

/// The file-based stores of a CR: (path, what). A registry or online store
/// without `persistence.store` is file-based (the operator's default).
fn file_stores(spec: &Value) -> Vec<(&'static str, &'static str)> {
    let s = &spec["services"];
    let mut out = Vec::new();
    let local = &s["registry"]["local"];
    if s["registry"]["remote"].is_null() && local["persistence"]["store"].is_null() {
        out.push((
            "spec.services.registry.local.persistence",
            "a file registry",
        ));
    }
    if !s["offlineStore"].is_null() && s["offlineStore"]["persistence"]["store"].is_null() {
        out.push((
            "spec.services.offlineStore.persistence",
            "a file offline store (dask/duckdb)",
        ));
    }
    if !s["onlineStore"].is_null() && s["onlineStore"]["persistence"]["store"].is_null() {
        out.push((
            "spec.services.onlineStore.persistence",
            "a file online store (sqlite)",
        ));
    }
    out
}

pub fn check(cr: &Cr) -> Vec<Hit> {
    if engine_type(cr) != Some("spark_application") {
        return Vec::new();
    }
    file_stores(cr.spec())
        .into_iter()
        .map(|(path, what)| Hit {
            path: path.into(),
            message: format!("{what} with the spark_application batch engine: Feast refuses it when the engine is built (the driver pod cannot read the server's files); use a database store (persistence.store) or the local engine"),
        })
        .collect()
}
