//! On-prem / OpenShift: in-cluster Redis and PostgreSQL (CloudNativePG), Routes with
//! reencrypt, the operator's service-serving-cert TLS, SCC restricted-v2 (no fixed UIDs),
//! OpenShift DNS on 5353, router and monitoring namespaces by policy-group label.

use super::CloudProfile;
use crate::topology::spec::{OfflineStore, OnlineStore, TopologySpec};

pub fn profile(_spec: &TopologySpec) -> CloudProfile {
    CloudProfile {
        name: "onprem",
        display: "On-prem / OpenShift",
        default_online: OnlineStore::Redis,
        default_offline: OfflineStore::Postgres,
        registry_db: "PostgreSQL (CloudNativePG)",
        monitoring_peer: |_| serde_json::json!({"namespaceSelector": {"matchLabels": {"network.openshift.io/policy-group": "monitoring"}}}),
        psa_labels: vec![],
        pod_security_context: serde_json::json!({"runAsNonRoot": true}),
        uses_fs_group: false,
        cert_manager_tls: false,
        exposure: "route",
    }
}
