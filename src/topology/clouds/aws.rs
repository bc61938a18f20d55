//! AWS / EKS: ElastiCache Redis, Redshift, RDS PostgreSQL registry, Pod Identity or IRSA,
//! ALB Ingress (ip targets), cert-manager TLS, PSA baseline (restricted warn/audit).

use super::{CloudProfile, ip_peers, vanilla_security_context};
use crate::topology::spec::{OfflineStore, OnlineStore, TopologySpec};

pub fn profile(spec: &TopologySpec) -> CloudProfile {
    let lb = spec
        .network
        .load_balancer_cidrs
        .clone()
        .unwrap_or_else(|| vec!["10.0.0.0/16".into()]);
    CloudProfile {
        name: "aws",
        display: "AWS / EKS",
        default_online: OnlineStore::Redis,
        default_offline: OfflineStore::Redshift,
        registry_db: "Amazon RDS for PostgreSQL",
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
        exposure: "alb",
    }
}
