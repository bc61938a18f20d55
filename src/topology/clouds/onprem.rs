//! On-prem / OpenShift: in-cluster Redis and PostgreSQL (CloudNativePG), Routes with
//! reencrypt, the operator's service-serving-cert TLS, SCC restricted-v2 (no fixed UIDs),
//! OpenShift DNS on 5353, router and monitoring namespaces by policy-group label.

use super::CloudProfile;
use crate::topology::spec::{OfflineStore, OnlineStore, TopologySpec};

pub fn profile(spec: &TopologySpec) -> CloudProfile {
    let lb_peers = match &spec.network.load_balancer_cidrs {
        Some(c) => super::ip_peers(c),
        None => vec![serde_json::json!({
            "namespaceSelector": {"matchLabels": {"policy-group.network.openshift.io/ingress": ""}}
        })],
    };
    CloudProfile {
        name: "onprem",
        display: "On-prem / OpenShift",
        default_online: OnlineStore::Redis,
        default_offline: OfflineStore::Postgres,
        registry_db: "PostgreSQL (CloudNativePG)",
        dns_peer: serde_json::json!({
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "openshift-dns"}}
        }),
        dns_ports: vec![53, 5353],
        lb_peers,
        monitoring_peer: |_| serde_json::json!({"namespaceSelector": {"matchLabels": {"network.openshift.io/policy-group": "monitoring"}}}),
        psa_labels: vec![],
        pod_security_context: serde_json::json!({"runAsNonRoot": true}),
        uses_fs_group: false,
        cert_manager_tls: false,
        exposure: "route",
    }
}
