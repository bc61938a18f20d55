//! `--kube-version`: what a Kubernetes minor version serves. API versions are
//! removed on a schedule and some fields only take effect from a given
//! release; an object the cluster cannot serve fails at apply time, and a
//! field it does not know is dropped silently. Facts from the Kubernetes
//! deprecated API migration guide and the feature-gate table
//! (kubernetes.io/docs/reference/using-api/deprecation-guide/,
//! kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/).

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

/// A Kubernetes 1.x release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubeVersion {
    pub minor: u32,
}

/// Oldest and newest releases checked: core kinds are decoded with the
/// Kubernetes 1.34 types, and nothing older than 1.25 (the end of
/// PodSecurityPolicy) is still supported by a Feast operator.
pub const OLDEST: u32 = 25;
pub const NEWEST: u32 = 34;

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion { minor: 30 }
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

impl FromStr for KubeVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad =
            || format!("`{s}` is not a Kubernetes version: give 1.{OLDEST}…1.{NEWEST} (e.g. 1.30)");
        let t = s.trim().trim_start_matches('v');
        let mut parts = t.split('.');
        let (Some("1"), Some(minor)) = (parts.next(), parts.next()) else {
            return Err(bad());
        };
        let minor: u32 = minor.parse().map_err(|_| bad())?;
        if parts.next().is_some_and(|p| p.parse::<u32>().is_err()) || parts.next().is_some() {
            return Err(bad());
        }
        if !(OLDEST..=NEWEST).contains(&minor) {
            return Err(format!(
                "Kubernetes 1.{minor} is outside what is checked (1.{OLDEST}…1.{NEWEST})"
            ));
        }
        Ok(KubeVersion { minor })
    }
}

/// `(apiVersion, kind or "*", served from, removed in)`; `None` = before 1.25 / never.
const APIS: &[(&str, &str, Option<u32>, Option<u32>)] = &[
    ("batch/v1beta1", "CronJob", None, Some(25)),
    ("policy/v1beta1", "PodDisruptionBudget", None, Some(25)),
    ("policy/v1beta1", "PodSecurityPolicy", None, Some(25)),
    (
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        None,
        Some(25),
    ),
    (
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        None,
        Some(26),
    ),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", None, Some(25)),
    ("events.k8s.io/v1beta1", "Event", None, Some(25)),
    ("node.k8s.io/v1beta1", "RuntimeClass", None, Some(25)),
    (
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        None,
        Some(27),
    ),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "*", None, Some(26)),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "*", None, Some(29)),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "*",
        Some(26),
        Some(32),
    ),
    ("flowcontrol.apiserver.k8s.io/v1", "*", Some(29), None),
    ("networking.k8s.io/v1beta1", "*", None, Some(22)),
    ("extensions/v1beta1", "*", None, Some(22)),
    ("rbac.authorization.k8s.io/v1beta1", "*", None, Some(22)),
    ("apiextensions.k8s.io/v1beta1", "*", None, Some(22)),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicy",
        Some(30),
        None,
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicyBinding",
        Some(30),
        None,
    ),
];

/// The replacement to name in a removal message.
fn replacement(api: &str, kind: &str) -> &'static str {
    match (api, kind) {
        (_, "CronJob") => "batch/v1",
        (_, "PodDisruptionBudget") => "policy/v1",
        (_, "HorizontalPodAutoscaler") => "autoscaling/v2",
        (_, "PodSecurityPolicy") => "Pod Security Admission (namespace labels)",
        (_, "EndpointSlice") => "discovery.k8s.io/v1",
        (a, _) if a.starts_with("flowcontrol") => "flowcontrol.apiserver.k8s.io/v1",
        (a, _) if a.starts_with("networking") || a.starts_with("extensions") => {
            "networking.k8s.io/v1"
        }
        (a, _) if a.starts_with("rbac") => "rbac.authorization.k8s.io/v1",
        (a, _) if a.starts_with("apiextensions") => "apiextensions.k8s.io/v1",
        _ => "the current version of the API",
    }
}

/// A problem: (path, message).
pub type Problem = (String, String);

fn api_problems(v: KubeVersion, api: &str, kind: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    for (a, k, from, removed) in APIS {
        if *a != api || (*k != "*" && *k != kind) {
            continue;
        }
        if let Some(r) = removed
            && v.minor >= *r
        {
            out.push((
                "apiVersion".into(),
                format!(
                    "{api} {kind} is not served by Kubernetes {v} (removed in 1.{r}): use {}",
                    replacement(api, kind)
                ),
            ));
        }
        if let Some(f) = from
            && v.minor < *f
        {
            out.push((
                "apiVersion".into(),
                format!("{api} {kind} is served from Kubernetes 1.{f}, not by {v}"),
            ));
        }
    }
    out
}

/// The pod spec inside a workload object, if any, with its path.
fn pod_spec<'a>(kind: &str, obj: &'a Value) -> Option<(&'static str, &'a Value)> {
    match kind {
        "Pod" => Some(("spec", &obj["spec"])),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            Some(("spec.template.spec", &obj["spec"]["template"]["spec"]))
        }
        "CronJob" => Some((
            "spec.jobTemplate.spec.template.spec",
            &obj["spec"]["jobTemplate"]["spec"]["template"]["spec"],
        )),
        _ => None,
    }
}

/// Fields a release drops silently (unknown before its feature is on by
/// default): the object applies and behaves differently. Only features
/// that are off somewhere in 1.25…1.34 are listed; CronJob `timeZone` is
/// on by default from 1.25 and needs no entry.
fn field_problems(v: KubeVersion, kind: &str, obj: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut need = |present: bool, path: String, on: u32, why: &str| {
        if present && v.minor < on {
            out.push((
                path,
                format!("needs Kubernetes 1.{on} ({why}); {v} drops it"),
            ));
        }
    };
    if let Some((at, pod)) = pod_spec(kind, obj) {
        for (i, c) in pod["initContainers"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            need(
                c["restartPolicy"] == "Always",
                format!("{at}.initContainers[{i}].restartPolicy"),
                29,
                "sidecar containers, on by default from 1.29",
            );
        }
    }
    match kind {
        "Job" => need(
            !obj["spec"]["podFailurePolicy"].is_null(),
            "spec.podFailurePolicy".into(),
            26,
            "Job pod failure policy, on by default from 1.26",
        ),
        "Service" => need(
            obj["spec"]["trafficDistribution"].is_string(),
            "spec.trafficDistribution".into(),
            31,
            "Service traffic distribution, on by default from 1.31",
        ),
        _ => {}
    }
    out
}

/// What Kubernetes `v` cannot serve in one object: its API version, fields its schema
/// does not have yet, and fields it has but leaves off by default.
pub fn check(v: KubeVersion, api: &str, kind: &str, obj: &Value) -> Vec<Problem> {
    let mut p = api_problems(v, api, kind);
    let newer = super::kube_fields::newer_fields(v, api, kind, obj);
    // A field missing from the schema is the stronger finding for the same path.
    let gated: Vec<Problem> = field_problems(v, kind, obj)
        .into_iter()
        .filter(|(path, _)| !newer.iter().any(|(n, _)| n == path))
        .collect();
    p.extend(newer);
    p.extend(gated);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(s: &str) -> KubeVersion {
        s.parse().unwrap()
    }

    #[test]
    fn versions_parse_with_or_without_v_and_patch_and_stay_in_range() {
        assert_eq!(v("1.30"), KubeVersion { minor: 30 });
        assert_eq!(v("v1.27.4"), KubeVersion { minor: 27 });
        assert!(
            "1.24"
                .parse::<KubeVersion>()
                .unwrap_err()
                .contains("outside")
        );
        assert!("2.0".parse::<KubeVersion>().is_err());
        assert!("1.x".parse::<KubeVersion>().is_err());
        assert!("1.30.1.2".parse::<KubeVersion>().is_err());
    }

    #[test]
    fn removed_apis_are_refused_from_their_removal_on() {
        let hpa = check(
            v("1.25"),
            "autoscaling/v2beta2",
            "HorizontalPodAutoscaler",
            &json!({}),
        );
        assert!(hpa.is_empty(), "still served in 1.25: {hpa:?}");
        let hpa = check(
            v("1.26"),
            "autoscaling/v2beta2",
            "HorizontalPodAutoscaler",
            &json!({}),
        );
        assert!(
            hpa[0].1.contains("removed in 1.26): use autoscaling/v2"),
            "{hpa:?}"
        );
        let fc = check(
            v("1.32"),
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "FlowSchema",
            &json!({}),
        );
        assert_eq!(fc.len(), 1);
        let vap = check(
            v("1.29"),
            "admissionregistration.k8s.io/v1",
            "ValidatingAdmissionPolicy",
            &json!({}),
        );
        assert!(vap[0].1.contains("served from Kubernetes 1.30"));
        assert!(check(v("1.25"), "batch/v1", "CronJob", &json!({})).is_empty());
    }

    #[test]
    fn fields_a_release_drops_are_reported_before_it_and_time_zones_are_not() {
        let dep = json!({"spec": {"template": {"spec": {"initContainers": [
            {"name": "a"}, {"name": "proxy", "restartPolicy": "Always"}]}}}});
        let p = check(v("1.28"), "apps/v1", "Deployment", &dep);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "spec.template.spec.initContainers[1].restartPolicy");
        assert!(check(v("1.29"), "apps/v1", "Deployment", &dep).is_empty());
        // Before 1.28 the schema lacks the field: one finding, the schema's.
        let p = check(v("1.27"), "apps/v1", "Deployment", &dep);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].1.contains("added in 1.28"), "{p:?}");
        let svc = json!({"spec": {"trafficDistribution": "PreferClose"}});
        assert_eq!(check(v("1.30"), "v1", "Service", &svc).len(), 1);
        let cr = json!({"spec": {"cronJob": {"timeZone": "Etc/UTC"}}});
        assert!(
            check(v("1.25"), "feast.dev/v1", "FeatureStore", &cr).is_empty(),
            "on by default from 1.25"
        );
    }
}
