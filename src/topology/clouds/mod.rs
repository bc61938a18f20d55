//! Per-cloud choices: default stores, store endpoints and ports, DNS, load-balancer
//! sources, exposure, pod security, identity and backup mechanisms.

pub mod aws;
pub mod gcp;
pub mod network;
pub mod onprem;

use serde_json::Value;

use crate::topology::spec::{Cloud, OfflineStore, OnlineStore, TopologySpec};

/// What a cloud decides. Values are JSON fragments the templates print as they are.
#[derive(Debug, Clone)]
pub struct CloudProfile {
    pub name: &'static str,
    pub display: &'static str,
    pub default_online: OnlineStore,
    pub default_offline: OfflineStore,
    /// Registry database product name for docs (RDS PostgreSQL…).
    pub registry_db: &'static str,
    /// Peer for Prometheus scraping.
    pub monitoring_peer: fn(&TopologySpec) -> Value,
    /// Pod Security Admission labels for Feast namespaces (empty on OpenShift: SCC).
    pub psa_labels: Vec<(&'static str, &'static str)>,
    /// `services.securityContext` for FeatureStores (fsGroup added when PVCs are used).
    pub pod_security_context: Value,
    pub uses_fs_group: bool,
    /// TLS by cert-manager Certificates (false: the operator's OpenShift service-serving certs).
    pub cert_manager_tls: bool,
    /// Ingress kind: `alb`, `gce` or `route`.
    pub exposure: &'static str,
}

pub fn profile(spec: &TopologySpec) -> CloudProfile {
    match spec.cloud {
        Cloud::Aws => aws::profile(spec),
        Cloud::Gcp => gcp::profile(spec),
        Cloud::Onprem => onprem::profile(spec),
    }
}

/// Ports the Feast pod needs to reach a store of this kind in the store CIDRs or
/// namespaces; 443 means "a cloud API" and is admitted by the cloud-API rule instead.
pub fn online_ports(s: OnlineStore, cloud: Cloud) -> Vec<u16> {
    match (s, cloud) {
        // Memorystore with in-transit encryption serves on 6378.
        (OnlineStore::Redis, Cloud::Gcp) => vec![6378, 6379],
        (OnlineStore::Redis, _) => vec![6379],
        (OnlineStore::Postgres, _) => vec![5432],
        (OnlineStore::Dynamodb | OnlineStore::Bigtable, _) => vec![443],
    }
}

pub fn offline_ports(s: OfflineStore) -> Vec<u16> {
    match s {
        OfflineStore::Duckdb => vec![],
        // Feast's Redshift offline store talks to the Redshift Data API (HTTPS), never 5439.
        OfflineStore::Redshift => vec![443],
        OfflineStore::Postgres => vec![5432],
        OfflineStore::Trino => vec![8443],
        OfflineStore::Athena | OfflineStore::Bigquery | OfflineStore::Spark => vec![443],
        // Snowflake is neither a store address nor a cloud API: its own policy admits it
        // (batch::netpol), to `snowflake.cidrs`.
        OfflineStore::Snowflake => vec![],
    }
}

/// Vanilla Kubernetes pod security context for the Feast pod (image runs as UID 1001).
pub fn vanilla_security_context() -> Value {
    serde_json::json!({"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}})
}
