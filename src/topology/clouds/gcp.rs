//! GCP / GKE: Memorystore Redis, BigQuery, Cloud SQL PostgreSQL registry, Workload Identity
//! (annotated ServiceAccount), GCE Ingress (annotation class), cert-manager TLS,
//! Google front-end / health-check ranges as load-balancer sources.

use super::{CloudProfile, ip_peers, vanilla_security_context};
use crate::topology::spec::{OfflineStore, OnlineStore, TopologySpec};

pub fn profile(spec: &TopologySpec) -> CloudProfile {
    let lb = spec
        .network
        .load_balancer_cidrs
        .clone()
        .unwrap_or_else(|| vec!["35.191.0.0/16".into(), "130.211.0.0/22".into()]);
    CloudProfile {
        name: "gcp",
        display: "GCP / GKE",
        default_online: OnlineStore::Redis,
        default_offline: OfflineStore::Bigquery,
        registry_db: "Cloud SQL for PostgreSQL",
        dns_peer: serde_json::json!({
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}
        }),
        dns_ports: vec![53],
        lb_peers: ip_peers(&lb),
        monitoring_peer: |s| serde_json::json!({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": s.network.monitoring_namespace}}}),
        psa_labels: vec![
            ("pod-security.kubernetes.io/enforce", "baseline"),
            ("pod-security.kubernetes.io/warn", "restricted"),
            ("pod-security.kubernetes.io/audit", "restricted"),
        ],
        pod_security_context: vanilla_security_context(),
        uses_fs_group: true,
        cert_manager_tls: true,
        exposure: "gce",
    }
}
