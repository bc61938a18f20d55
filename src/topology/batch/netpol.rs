//! NetworkPolicies for a batch engine's pods, added to a FeatureStore
//! namespace's default-deny set. Spark and Ray pods do the reads and writes
//! the server does with `engine: local`, so they get the server's egress
//! (stores, credentials, cloud APIs, the shared registry), plus traffic among
//! themselves; the server reaches the Ray head's client port. DNS and the API
//! server are already open to every pod of the namespace (the Spark driver
//! creates its executors through the API server).

use serde_json::{Value, json};

use crate::topology::batch::plan::{RAY_CLIENT_PORT, RAY_POD_LABEL, ray_cluster_name};
use crate::topology::clouds::network::{NetworkFacts, ip_peers_cut, public_peer, tcp};
use crate::topology::spec::{OfflineStore, TopologySpec};

/// The plan's key for a policy's reason (the `feast.dev/why` annotation).
const WHY_KEY: &str = "why";

/// Pods Spark runs for Feast: Spark labels its driver and executor pods `spark-role`.
fn spark_pods() -> Value {
    json!({"matchExpressions": [{"key": "spark-role", "operator": "In", "values": ["driver", "executor"]}]})
}

fn policy(
    name: &str,
    ns: &str,
    why: &str,
    selector: Value,
    types: &[&str],
    ingress: Value,
    egress: Value,
) -> Value {
    json!({"name": name, "namespace": ns, WHY_KEY: why, "podSelector": selector, "policyTypes": types,
           "ingress": ingress, "egress": egress})
}

/// The server's egress policies a batch pod needs too.
const CLONED: &[&str] = &[
    "allow-egress-stores",
    "allow-egress-credentials",
    "allow-egress-cloud-apis",
    "allow-egress-shared-registry",
    "allow-egress-snowflake",
];

/// Snowflake on 443: `snowflake.cidrs` (PrivateLink subnets), else public addresses.
fn snowflake_policy(spec: &TopologySpec, net: &NetworkFacts, ns: &str, feast: &Value) -> Value {
    let (peers, where_) = match &spec.snowflake.cidrs {
        Some(c) => (ip_peers_cut(c, &net.pod_cidrs), c.join(", ")),
        None => (
            vec![public_peer(&net.pod_cidrs)],
            "public addresses".to_string(),
        ),
    };
    policy(
        "allow-egress-snowflake",
        ns,
        &format!("Snowflake ({where_}) on 443"),
        feast.clone(),
        &["Egress"],
        Value::Null,
        json!([{"to": peers, "ports": tcp(&[443])}]),
    )
}

/// Whether a planned store talks to Snowflake (its offline store or its engine).
pub fn reaches_snowflake(s: &Value) -> bool {
    let offline = s["offline"]["db"] == true
        && s["offline"]["type"] == crate::topology::plan::offline_type(OfflineStore::Snowflake);
    offline || s["batch"]["engine"] == "snowflake"
}

/// Policies to add to `base` (the store's own set) for its batch engine and Snowflake.
pub fn for_store(spec: &TopologySpec, net: &NetworkFacts, s: &Value, base: &[Value]) -> Vec<Value> {
    let ns = s["namespace"].as_str().unwrap_or_default();
    let name = s["name"].as_str().unwrap_or_default();
    let feast = json!({"matchLabels": {"feast.dev/name": name}});
    let mut out = Vec::new();
    if reaches_snowflake(s) {
        out.push(snowflake_policy(spec, net, ns, &feast));
    }
    let (engine, pods) = match s["batch"]["engine"].as_str() {
        Some("spark") => ("spark", spark_pods()),
        Some("ray") => (
            "ray",
            json!({"matchLabels": {RAY_POD_LABEL: ray_cluster_name(name)}}),
        ),
        _ => return out,
    };
    out.push(policy(
        &format!("allow-{engine}-internal"),
        ns,
        &format!(
            "{engine} pods talk to each other on any port (scheduler, shuffle, object transfer)"
        ),
        pods.clone(),
        &["Ingress", "Egress"],
        json!([{"from": [{"podSelector": pods}]}]),
        json!([{"to": [{"podSelector": pods}]}]),
    ));
    let cloned: Vec<Value> = base
        .iter()
        .chain(out.iter())
        .filter(|p| {
            CLONED.contains(&p["name"].as_str().unwrap_or_default()) && p["podSelector"] == feast
        })
        .map(|p| {
            let mut c = p.clone();
            c["name"] = json!(format!(
                "{}-{engine}",
                p["name"].as_str().unwrap_or_default()
            ));
            c[WHY_KEY] = json!(format!(
                "{} — for the {engine} pods too",
                p[WHY_KEY].as_str().unwrap_or_default()
            ));
            c["podSelector"] = pods.clone();
            c
        })
        .collect();
    out.extend(cloned);
    if engine == "ray" {
        out.push(policy(
            "allow-ray-client",
            ns,
            "the Feast server connects to the Ray head (ray:// client port)",
            pods.clone(),
            &["Ingress"],
            json!([{"from": [{"podSelector": feast}], "ports": tcp(&[RAY_CLIENT_PORT])}]),
            Value::Null,
        ));
        out.push(policy(
            "allow-egress-ray-client",
            ns,
            "the Feast server submits materialization to the Ray head",
            feast.clone(),
            &["Egress"],
            Value::Null,
            json!([{"to": [{"podSelector": pods}], "ports": tcp(&[RAY_CLIENT_PORT])}]),
        ));
    }
    out
}
