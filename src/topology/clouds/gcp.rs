//! GCP / GKE: Memorystore Redis, BigQuery, Cloud SQL PostgreSQL registry, Workload Identity
//! (annotated ServiceAccount), GCE Ingress (annotation class), cert-manager TLS,
//! Google front-end / health-check ranges as load-balancer sources.

use super::{CloudProfile, vanilla_security_context};
use crate::topology::spec::{OfflineStore, OnlineStore, TopologySpec};

pub fn profile(_spec: &TopologySpec) -> CloudProfile {
    CloudProfile {
        name: "gcp",
        display: "GCP / GKE",
        default_online: OnlineStore::Redis,
        default_offline: OfflineStore::Bigquery,
        registry_db: "Cloud SQL for PostgreSQL",
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
