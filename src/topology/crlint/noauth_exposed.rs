//! `authz.noAuth` lets every caller do everything; beside an Ingress or a
//! Route into the same namespace, that is everyone who reaches the load
//! balancer.

use super::{Cr, Hit};

pub const NAME: &str = "cr-noauth-exposed";

pub fn check(cr: &Cr) -> Vec<Hit> {
    if cr.spec()["authz"].get("noAuth").is_none_or(|v| v == false) {
        return vec![];
    }
    let ns = cr.namespace();
    let exposed = cr.others.iter().any(|o| {
        matches!(o["kind"].as_str(), Some("Ingress" | "Route" | "HTTPRoute"))
            && o["metadata"]["namespace"].as_str().unwrap_or("") == ns
    });
    if !exposed {
        return vec![];
    }
    vec![Hit {
        path: "spec.authz.noAuth".into(),
        message: "no authorization, and an Ingress/Route exposes this namespace: use kubernetes or oidc authz".into(),
    }]
}
