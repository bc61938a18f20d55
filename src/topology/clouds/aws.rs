//! AWS / EKS: ElastiCache Redis, Redshift, RDS PostgreSQL registry, Pod Identity or IRSA,
//! ALB Ingress (ip targets), cert-manager TLS, PSA baseline (restricted warn/audit).

use super::{CloudProfile, vanilla_security_context};
use crate::topology::spec::{OfflineStore, OnlineStore, TopologySpec};

pub fn profile(_spec: &TopologySpec) -> CloudProfile {
    CloudProfile {
        name: "aws",
        display: "AWS / EKS",
        default_online: OnlineStore::Redis,
        default_offline: OfflineStore::Redshift,
        registry_db: "Amazon RDS for PostgreSQL",
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
