//! A file registry or store on a PVC keeps the only copy of its data in
//! the cluster; without a backup that covers the namespace, losing the
//! volume loses the registry (every definition, every permission).

use super::{Cr, Hit};

pub const NAME: &str = "cr-pvc-no-backup";

const PVC_PATHS: [(&str, &[&str]); 3] = [
    (
        "registry",
        &["registry", "local", "persistence", "file", "pvc"],
    ),
    (
        "onlineStore",
        &["onlineStore", "persistence", "file", "pvc"],
    ),
    (
        "offlineStore",
        &["offlineStore", "persistence", "file", "pvc"],
    ),
];

/// A Velero Schedule or Backup whose namespaces include `ns` (or all).
fn backed_up(cr: &Cr, ns: &str) -> bool {
    cr.others.iter().any(|o| {
        let spec = match o["kind"].as_str() {
            Some("Schedule") => &o["spec"]["template"],
            Some("Backup") => &o["spec"],
            _ => return false,
        };
        o["apiVersion"]
            .as_str()
            .is_some_and(|v| v.starts_with("velero.io/"))
            && spec["includedNamespaces"]
                .as_array()
                .is_some_and(|a| a.iter().any(|n| n == ns || n == "*"))
    })
}

pub fn check(cr: &Cr) -> Vec<Hit> {
    let ns = cr.namespace();
    let on_pvc: Vec<&str> = PVC_PATHS
        .iter()
        .filter(|(_, path)| {
            let mut v = &cr.spec()["services"];
            for k in *path {
                v = &v[*k];
            }
            v.is_object()
        })
        .map(|(name, _)| *name)
        .collect();
    if on_pvc.is_empty() || backed_up(cr, ns) {
        return vec![];
    }
    on_pvc
        .into_iter()
        .map(|name| Hit {
            path: format!("spec.services.{name}.persistence.file.pvc"),
            message: format!(
                "{name} keeps its data on a PVC and no Velero Schedule/Backup covers namespace `{ns}`: back it up (with pod volume data) or use a SQL registry"
            ),
        })
        .collect()
}
