//! Batch engines: where materialization does its work (`materialization.engine`).
//! [`spec`] holds the settings, [`checks`] what Feast and the operator refuse,
//! [`plan`] the ConfigMap and RayCluster a FeatureStore gets, [`netpol`] the
//! NetworkPolicies the engine's pods need.

pub mod checks;
pub mod netpol;
pub mod plan;
pub mod spec;

/// The `type:` of a batch-engine config (the first line `plan` writes, or any
/// `type:` line of a hand-written one).
pub fn engine_type(config: &str) -> Option<&str> {
    config
        .lines()
        .find_map(|l| l.strip_prefix("type:"))
        .map(|t| t.trim().trim_matches('"'))
}
