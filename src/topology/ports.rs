//! Container ports of the pod the Feast Operator creates for a FeatureStore (all servers
//! share one pod). NetworkPolicies match these pod ports, never the Services' 80/443.

/// `(plain, tls)` container ports.
pub const ONLINE: (u16, u16) = (6566, 6567);
pub const REGISTRY_GRPC: (u16, u16) = (6570, 6571);
pub const REGISTRY_REST: (u16, u16) = (6572, 6573);
pub const OFFLINE: (u16, u16) = (8815, 8816);
pub const UI: (u16, u16) = (8888, 8443);
pub const METRICS: u16 = 8000;

/// Pick the plain or TLS port.
pub fn pick(pair: (u16, u16), tls: bool) -> u16 {
    if tls { pair.1 } else { pair.0 }
}
