//! Feast reads a service-account token's roles from the RoleBindings of the
//! server's namespace whose subject is that very ServiceAccount
//! (feast/permissions/auth/kubernetes_token_parser.py, `get_roles`). A
//! binding of a Feast role to the group `system:serviceaccounts[:ns]` lets
//! Kubernetes RBAC through but gives the pods no Feast role: every call is
//! refused with 403.

use super::{Cr, Hit};

pub const NAME: &str = "cr-client-group-binding";

pub fn check(cr: &Cr) -> Vec<Hit> {
    let roles: Vec<&str> = cr.spec()["authz"]["kubernetes"]["roles"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r.as_str()).collect())
        .unwrap_or_default();
    if roles.is_empty() {
        return vec![];
    }
    let ns = cr.namespace();
    let mut out = Vec::new();
    for rb in cr.others.iter().filter(|o| {
        o["kind"] == "RoleBinding"
            && o["metadata"]["namespace"].as_str().unwrap_or("") == ns
            && o["roleRef"]["kind"] == "Role"
            && o["roleRef"]["name"]
                .as_str()
                .is_some_and(|r| roles.contains(&r))
    }) {
        let groups = rb["subjects"].as_array().into_iter().flatten().filter(|s| {
            s["kind"] == "Group"
                && s["name"].as_str().is_some_and(|n| {
                    n == "system:serviceaccounts" || n.starts_with("system:serviceaccounts:")
                })
        });
        for g in groups {
            out.push(Hit {
                path: format!(
                    "RoleBinding {}/{} subject Group {}",
                    ns,
                    rb["metadata"]["name"].as_str().unwrap_or(""),
                    g["name"].as_str().unwrap_or("")
                ),
                message: "Feast matches only ServiceAccount subjects for service-account tokens: bind each client ServiceAccount (kind: ServiceAccount, name, namespace)".into(),
            });
        }
    }
    out
}
