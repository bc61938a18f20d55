//! The NetworkPolicy set of one FeatureStore's namespace: default-deny, then one policy
//! per need, each annotated with why it exists (see docs/topologies.md, "Network").
//! The addresses come from [`clouds::network`]; the ports are the pods' container ports.

use serde_json::{Value, json};

use crate::topology::clouds::CloudProfile;
use crate::topology::clouds::network::{NetworkFacts, ip_peers_cut, tcp};
use crate::topology::ports;
use crate::topology::spec::{Cloud, Topology, TopologySpec};

/// Annotation that says why a policy exists and which choice it encodes.
pub const WHY: &str = "feast.dev/why";

/// Name of the shared registry FeatureStore (Enterprise, shared registry).
pub const REGISTRY_NAME: &str = "registry";

fn np(
    name: &str,
    ns: &str,
    why: &str,
    selector: Value,
    types: &[&str],
    ingress: Value,
    egress: Value,
) -> Value {
    json!({"name": name, "namespace": ns, "why": why, "podSelector": selector, "policyTypes": types,
           "ingress": ingress, "egress": egress})
}

fn ns_peer(ns: &str) -> Value {
    json!({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": ns}}})
}

/// Where stores live: the store CIDRs minus the pod ranges, in-cluster store namespaces,
/// and on-prem the namespace of the CloudNativePG registry database.
fn store_peers(spec: &TopologySpec, net: &NetworkFacts, s: &Value) -> Vec<Value> {
    let mut peers = ip_peers_cut(&spec.network.store_cidrs, &net.pod_cidrs);
    let mut namespaces = spec.network.store_namespaces.clone();
    if spec.cloud == Cloud::Onprem && s["registry"]["sql"] == true {
        let db = crate::topology::backup::registry_db_namespace(
            spec,
            s["namespace"].as_str().unwrap_or_default(),
        );
        if !namespaces.contains(&db) {
            namespaces.push(db);
        }
    }
    peers.extend(namespaces.iter().map(|ns| ns_peer(ns)));
    peers
}

/// Ports the servers of `s` listen on, in container-port terms.
fn serving_ports(s: &Value, tls: bool) -> Vec<u16> {
    let mut serving = Vec::new();
    if s["online"]["enabled"] == true {
        serving.push(ports::pick(ports::ONLINE, tls));
    }
    if s["registry"]["local"] == true {
        serving.push(ports::pick(ports::REGISTRY_GRPC, tls));
        if s["registry"]["rest"] == true {
            serving.push(ports::pick(ports::REGISTRY_REST, tls));
        }
    }
    if s["offline"]["server"] == true {
        serving.push(ports::pick(ports::OFFLINE, tls));
    }
    serving
}

/// Whether a store of `s` is reached through a cloud API (443) rather than an address.
fn needs_cloud_api(spec: &TopologySpec, s: &Value) -> bool {
    let uses_443 = ["online", "offline", "registry"]
        .iter()
        .flat_map(|k| s["storePorts"][k].as_array().cloned().unwrap_or_default())
        .any(|p| p == 443);
    // On AWS and GCP the identity itself is exchanged at a cloud API (STS, IAM Credentials).
    uses_443 || spec.cloud != Cloud::Onprem
}

/// The policy set for one FeatureStore's namespace.
pub fn for_store(
    spec: &TopologySpec,
    cloud: &CloudProfile,
    net: &NetworkFacts,
    s: &Value,
) -> Vec<Value> {
    let ns = s["namespace"].as_str().unwrap_or_default();
    let name = s["name"].as_str().unwrap_or_default();
    let feast = json!({"matchLabels": {"feast.dev/name": name}});
    let tls = s["tls"].as_bool().unwrap_or(false);
    let mut out = vec![np(
        "default-deny",
        ns,
        "deny everything not allowed below",
        json!({}),
        &["Ingress", "Egress"],
        Value::Null,
        Value::Null,
    )];
    let dns_names: Vec<String> = net
        .dns
        .iter()
        .map(|d| {
            serde_json::to_value(d)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        })
        .collect();
    out.push(np(
        "allow-dns",
        ns,
        &format!("DNS resolvers: {}", dns_names.join(", ")),
        json!({}),
        &["Egress"],
        Value::Null,
        json!(net.dns_rules),
    ));
    // TokenReview (kubernetes/OIDC authz) and the CronJob's `kubectl exec` need the API server.
    out.push(np("allow-apiserver-egress", ns, &format!("kube-apiserver endpoints {}", net.api_server_cidrs.join(", ")),
        json!({}), &["Egress"], Value::Null,
        json!([{"to": ip_peers_cut(&net.api_server_cidrs, &[]), "ports": tcp(&net.api_server_ports)}])));

    let serving = serving_ports(s, tls);
    let mut client_peers =
        vec![json!({"namespaceSelector": {"matchLabels": {"feast.dev/client": "true"}}})];
    client_peers.extend(
        spec.network
            .admitted_client_namespaces()
            .iter()
            .map(|c| ns_peer(c)),
    );
    if !serving.is_empty() {
        out.push(np(
            "allow-clients",
            ns,
            "client namespaces (label feast.dev/client=true or network.clientNamespaces)",
            feast.clone(),
            &["Ingress"],
            json!([{"from": client_peers, "ports": tcp(&serving)}]),
            Value::Null,
        ));
    }
    if !s["exposure"].is_null() {
        out.push(np(
            "allow-ingress-controller",
            ns,
            &net.lb_note,
            feast.clone(),
            &["Ingress"],
            json!([{"from": net.lb_peers, "ports": tcp(&[ports::pick(ports::ONLINE, tls)])}]),
            Value::Null,
        ));
    }
    if s["metrics"] == true {
        out.push(np(
            "allow-metrics",
            ns,
            "Prometheus scrapes the metrics port",
            feast.clone(),
            &["Ingress"],
            json!([{"from": [(cloud.monitoring_peer)(spec)], "ports": tcp(&[ports::METRICS])}]),
            Value::Null,
        ));
    }
    let mut store_ports: Vec<u16> = ["online", "offline", "registry"]
        .iter()
        .flat_map(|k| s["storePorts"][k].as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.as_u64().map(|p| p as u16))
        .filter(|p| *p != 443)
        .collect();
    store_ports.sort();
    store_ports.dedup();
    if !store_ports.is_empty() {
        out.push(np(
            "allow-egress-stores",
            ns,
            "online/offline/registry databases (store CIDRs minus pod ranges, store namespaces)",
            feast.clone(),
            &["Egress"],
            Value::Null,
            json!([{"to": store_peers(spec, net, s), "ports": tcp(&store_ports)}]),
        ));
    }
    if !net.credential_rules.is_empty() {
        out.push(np(
            "allow-egress-credentials",
            ns,
            net.credential_note,
            feast.clone(),
            &["Egress"],
            Value::Null,
            json!(net.credential_rules),
        ));
    }
    if needs_cloud_api(spec, s) {
        out.push(np(
            "allow-egress-cloud-apis",
            ns,
            &format!("cloud APIs via {}", net.cloud_api_note),
            feast.clone(),
            &["Egress"],
            Value::Null,
            json!([{"to": net.cloud_api_peers, "ports": tcp(&[443])}]),
        ));
    }
    if s["auth"]["mode"] == "oidc" {
        let where_ = spec
            .network
            .oidc_issuer_cidrs
            .as_ref()
            .map(|c| c.join(", "))
            .unwrap_or_else(|| "public addresses".into());
        out.push(np(
            "allow-egress-oidc-issuer",
            ns,
            &format!("OIDC issuer discovery and JWKS ({where_}) on 443"),
            feast.clone(),
            &["Egress"],
            Value::Null,
            json!([{"to": net.oidc_peers, "ports": tcp(&[443])}]),
        ));
    }
    if spec.topology == Topology::Enterprise {
        out.push(np(
            "allow-egress-otel",
            ns,
            "OpenTelemetry collector (OTLP gRPC/HTTP)",
            feast.clone(),
            &["Egress"],
            Value::Null,
            json!([{"to": [(cloud.monitoring_peer)(spec)], "ports": tcp(&[4317, 4318])}]),
        ));
    }
    // Shared registry: tenants reach the registry pod's gRPC/REST container ports.
    let reg_ports = [
        ports::pick(ports::REGISTRY_GRPC, tls),
        ports::pick(ports::REGISTRY_REST, tls),
    ];
    if s["role"] == "sharedRegistry" {
        out.push(np("allow-tenants-to-registry", ns, "tenant namespaces (label feast.dev/tenant=true) reach the shared registry",
            feast.clone(), &["Ingress"],
            json!([{"from": [{"namespaceSelector": {"matchLabels": {"feast.dev/tenant": "true"}}}], "ports": tcp(&reg_ports)}]), Value::Null));
    }
    if s["role"] == "remoteTenant" {
        out.push(np("allow-egress-shared-registry", ns, "the shared registry in the system namespace", feast.clone(), &["Egress"], Value::Null,
            json!([{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": spec.namespace}},
                            "podSelector": {"matchLabels": {"feast.dev/name": REGISTRY_NAME}}}],
                    "ports": tcp(&reg_ports)}])));
    }
    out
}
