//! Strict validation of Kubernetes core kinds: the object is deserialized into the
//! k8s-openapi type (types and enums checked) and serialized back; any key of the input
//! that does not survive the round trip is a field the type does not have.

use k8s_openapi::Resource;
use k8s_openapi::api::{
    apps::v1 as apps, autoscaling::v2 as autoscaling, batch::v1 as batch, core::v1 as core,
    networking::v1 as net, policy::v1 as policy, rbac::v1 as rbac,
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// A problem in a core-kind object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreProblem {
    pub path: String,
    pub message: String,
}

fn check<T: DeserializeOwned + Serialize>(obj: &Value) -> Vec<CoreProblem> {
    let typed: T = match serde_path_to_error::deserialize(obj.clone()) {
        Ok(t) => t,
        Err(e) => {
            let path = e.path().to_string();
            return vec![CoreProblem {
                path: if path == "." { String::new() } else { path },
                message: e.into_inner().to_string(),
            }];
        }
    };
    let back = match serde_json::to_value(&typed) {
        Ok(v) => v,
        Err(e) => {
            return vec![CoreProblem {
                path: String::new(),
                message: format!("cannot re-serialize: {e}"),
            }];
        }
    };
    let mut problems = Vec::new();
    unknown_fields(obj, &back, String::new(), &mut problems);
    problems
}

fn unknown_fields(input: &Value, back: &Value, path: String, out: &mut Vec<CoreProblem>) {
    match (input, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match b.get(k) {
                    Some(bv) => unknown_fields(v, bv, p, out),
                    None if v.is_null() => {}
                    None => out.push(CoreProblem {
                        path: p,
                        message: format!("unknown field `{k}`"),
                    }),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                unknown_fields(x, y, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

macro_rules! kinds {
    ($($t:ty),* $(,)?) => {
        /// Strictly check `obj` if its apiVersion/kind is a supported core kind.
        /// Returns `None` for kinds this module does not know.
        pub fn validate(api_version: &str, kind: &str, obj: &Value) -> Option<Vec<CoreProblem>> {
            $(
                if api_version == <$t as Resource>::API_VERSION && kind == <$t as Resource>::KIND {
                    return Some(check::<$t>(obj));
                }
            )*
            None
        }

        /// `apiVersion kind` of every supported core kind.
        pub fn supported() -> Vec<String> {
            vec![$(format!("{} {}", <$t as Resource>::API_VERSION, <$t as Resource>::KIND)),*]
        }
    };
}

kinds!(
    core::Namespace,
    core::ServiceAccount,
    core::Secret,
    core::ConfigMap,
    core::Service,
    core::PersistentVolumeClaim,
    rbac::Role,
    rbac::RoleBinding,
    rbac::ClusterRole,
    rbac::ClusterRoleBinding,
    net::NetworkPolicy,
    net::Ingress,
    policy::PodDisruptionBudget,
    autoscaling::HorizontalPodAutoscaler,
    apps::Deployment,
    batch::CronJob,
    batch::Job,
);

pub(super) fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        })
}

/// Metadata checks the API server applies to every object (CRD schemas leave `metadata`
/// as a bare object): strict ObjectMeta, a DNS-1123 name, a DNS-1123 label namespace.
/// Returns `(path, message)` pairs.
pub fn check_metadata(obj: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(meta) = obj.get("metadata") else {
        return vec![("metadata".into(), "missing metadata".into())];
    };
    for p in check::<k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>(meta) {
        let path = if p.path.is_empty() {
            "metadata".to_string()
        } else {
            format!("metadata.{}", p.path)
        };
        out.push((path, p.message));
    }
    match meta.get("name").and_then(Value::as_str) {
        None if meta.get("generateName").is_none() => {
            out.push(("metadata.name".into(), "missing metadata.name".into()))
        }
        Some(n) if !is_dns1123_subdomain(n) => out.push((
            "metadata.name".into(),
            format!("`{n}` is not a valid name (lowercase letters, digits, '-' and '.')"),
        )),
        _ => {}
    }
    if let Some(ns) = meta.get("namespace").and_then(Value::as_str)
        && (ns.len() > 63 || ns.contains('.') || !is_dns1123_subdomain(ns))
    {
        out.push((
            "metadata.namespace".into(),
            format!("`{ns}` is not a valid namespace name (DNS-1123 label)"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_field_in_networkpolicy_port_is_reported() {
        let np = json!({"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",
            "metadata":{"name":"x","namespace":"n"},
            "spec":{"podSelector":{},"ingress":[{"ports":[{"port":6566,"extraField":1}]}]}});
        let p = validate("networking.k8s.io/v1", "NetworkPolicy", &np).unwrap();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].path, "spec.ingress[0].ports[0].extraField");
    }

    #[test]
    fn wrong_type_is_reported_with_path() {
        let ns =
            json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x","labels":{"a":1}}});
        let p = validate("v1", "Namespace", &ns).unwrap();
        assert_eq!(p.len(), 1);
        assert!(p[0].path.contains("labels"), "{p:?}");
    }

    #[test]
    fn valid_object_passes_and_unknown_kind_is_none() {
        let sa = json!({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"x","namespace":"n"},
            "imagePullSecrets":[{"name":"pull"}]});
        assert!(validate("v1", "ServiceAccount", &sa).unwrap().is_empty());
        assert!(validate("feast.dev/v1", "FeatureStore", &sa).is_none());
    }
}
