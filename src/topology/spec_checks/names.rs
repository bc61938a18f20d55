//! Namespace names: DNS-1123 labels, and the namespaces a Feast render must never take
//! over (it labels them for Pod Security and puts a default-deny NetworkPolicy in them).

use crate::topology::error::SpecProblem;
use crate::topology::spec::{Topology, TopologySpec};

/// Namespaces (exact or `prefix*`) a render refuses, with the reason.
pub const RESERVED: &[(&str, &str)] = &[
    (
        "kube-*",
        "Kubernetes system namespace: a default-deny there cuts cluster DNS and the control-plane add-ons",
    ),
    (
        "openshift*",
        "OpenShift platform namespace: the cluster operators own it",
    ),
    (
        "default",
        "the default namespace holds the `kubernetes` Service and unscoped workloads",
    ),
    (
        "feast-operator-system",
        "the Feast operator's own namespace",
    ),
    (
        "monitoring",
        "monitoring stack: Prometheus must keep scraping and be scraped",
    ),
    ("prometheus", "monitoring stack"),
    ("cattle-monitoring-system", "Rancher monitoring stack"),
    ("gmp-system", "Google Managed Prometheus"),
    ("gke-gmp-system", "Google Managed Prometheus"),
    ("gke-managed-*", "GKE-managed namespace"),
    ("amazon-cloudwatch", "CloudWatch agent"),
    (
        "cert-manager",
        "cert-manager (issues the Feast certificates)",
    ),
    ("velero", "Velero (backs Feast up)"),
];

fn reserved(ns: &str) -> Option<&'static str> {
    RESERVED.iter().find_map(|(pat, why)| {
        let hit = match pat.strip_suffix('*') {
            Some(prefix) => ns.starts_with(prefix),
            None => ns == *pat,
        };
        hit.then_some(*why)
    })
}

pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn problem(path: &str, message: String) -> SpecProblem {
    SpecProblem {
        path: path.into(),
        message,
        suggestion: None,
    }
}

pub fn check(s: &TopologySpec, p: &mut Vec<SpecProblem>) {
    // Namespaces the render creates and locks down.
    let mut owned: Vec<(String, &str)> = vec![("namespace".into(), s.namespace.as_str())];
    if s.topology == Topology::Enterprise {
        for (i, t) in s.enterprise.tenants.iter().enumerate() {
            owned.push((format!("enterprise.tenants[{i}]"), t.0.as_str()));
        }
    }
    for (path, ns) in &owned {
        if let Some(why) = reserved(ns) {
            p.push(problem(path, format!("`{ns}` is reserved ({why}); a render labels it and puts a default-deny NetworkPolicy in it: choose another namespace")));
        }
    }
    // Namespaces only referred to: they must be valid names.
    let mut referred: Vec<(String, &str)> = vec![
        (
            "network.monitoringNamespace".into(),
            s.network.monitoring_namespace.as_str(),
        ),
        (
            "backup.veleroNamespace".into(),
            s.backup.velero_namespace.as_str(),
        ),
    ];
    for (i, c) in s.network.client_namespaces.iter().enumerate() {
        referred.push((format!("network.clientNamespaces[{i}]"), c));
    }
    for (i, c) in s.network.store_namespaces.iter().enumerate() {
        referred.push((format!("network.storeNamespaces[{i}]"), c));
    }
    if let Some(ns) = &s.backup.registry_db_namespace {
        referred.push(("backup.registryDbNamespace".into(), ns));
    }
    if let Some(db) = &s.backup.registry_db_namespace
        && owned.iter().any(|(_, ns)| ns == db)
    {
        p.push(problem("backup.registryDbNamespace", format!(
            "`{db}` is a Feast namespace: its default-deny NetworkPolicy would cut the database off from its operator, replicas and backups; keep the database in its own namespace")));
    }
    for (path, ns) in owned.iter().chain(referred.iter()) {
        if !is_dns_label(ns) {
            p.push(problem(path, format!("`{ns}` is not a valid namespace name (DNS label: lowercase letters, digits and '-', at most 63)")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_namespaces_have_reasons() {
        assert!(reserved("kube-system").unwrap().contains("DNS"));
        assert!(reserved("openshift-monitoring").is_some());
        assert!(reserved("default").is_some());
        assert!(reserved("monitoring").is_some());
        assert!(reserved("team-a").is_none());
        assert!(reserved("feast").is_none());
    }
}
