//! Fields of the checked core kinds that only some Kubernetes releases have, read from
//! each release's OpenAPI schema by `scripts/kube-fields/generate.py` into
//! `kube_fields.json`. A field newer than the chosen release is refused by strict field
//! validation (kubectl's default since 1.27) or dropped by older clients; a field the
//! release still serves but the 1.34 types no longer have is not an unknown field there.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::kube_version::{KubeVersion, Problem};

#[derive(Debug, Deserialize)]
struct Table {
    // The releases the table was generated for; a test ties them to OLDEST..=NEWEST.
    #[cfg_attr(not(test), allow(dead_code))]
    oldest: u32,
    #[cfg_attr(not(test), allow(dead_code))]
    newest: u32,
    kinds: BTreeMap<String, KindFields>,
}

#[derive(Debug, Default, Deserialize)]
struct KindFields {
    /// Path (`[]` for any list item) → first release that has it.
    added: BTreeMap<String, u32>,
    /// Path → first release that no longer has it.
    removed: BTreeMap<String, u32>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        // Generated and checked in; `table_covers_the_supported_releases` parses it.
        serde_json::from_str(include_str!("kube_fields.json")).unwrap_or(Table {
            oldest: 0,
            newest: 0,
            kinds: BTreeMap::new(),
        })
    })
}

fn kind_fields(api: &str, kind: &str) -> Option<&'static KindFields> {
    table().kinds.get(&format!("{api} {kind}"))
}

/// `spec.containers[3].name` → `spec.containers[].name`.
fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

fn walk(
    fields: &KindFields,
    v: KubeVersion,
    value: &Value,
    shown: &str,
    norm: &str,
    out: &mut Vec<Problem>,
) {
    match value {
        Value::Object(map) => {
            for (k, child) in map {
                let (s, n) = if shown.is_empty() {
                    (k.clone(), k.clone())
                } else {
                    (format!("{shown}.{k}"), format!("{norm}.{k}"))
                };
                if n == "status" || n == "metadata" {
                    continue;
                }
                if let Some(&since) = fields.added.get(&n)
                    && v.minor < since
                    && !child.is_null()
                {
                    out.push((
                        s,
                        format!(
                            "`{k}` is not in the Kubernetes {v} API (added in 1.{since}): the API server refuses it under strict field validation or drops it"
                        ),
                    ));
                    continue;
                }
                walk(fields, v, child, &s, &n, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(
                    fields,
                    v,
                    item,
                    &format!("{shown}[{i}]"),
                    &format!("{norm}[]"),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// Fields of `obj` that release `v` does not have yet.
pub fn newer_fields(v: KubeVersion, api: &str, kind: &str, obj: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(fields) = kind_fields(api, kind) {
        walk(fields, v, obj, "", "", &mut out);
    }
    out
}

/// Is `path` (as the strict core-kind check reports it) a field that release `v` still
/// serves although the newest types dropped it?
pub fn still_served(v: KubeVersion, api: &str, kind: &str, path: &str) -> bool {
    let Some(fields) = kind_fields(api, kind) else {
        return false;
    };
    let norm = normalize(path);
    fields.removed.iter().any(|(p, &gone)| {
        v.minor < gone
            && (norm == *p
                || norm
                    .strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('[')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::validate::kube_version::{NEWEST, OLDEST};
    use serde_json::json;

    fn v(minor: u32) -> KubeVersion {
        KubeVersion { minor }
    }

    #[test]
    fn table_covers_the_supported_releases() {
        let t = table();
        assert_eq!((t.oldest, t.newest), (OLDEST, NEWEST));
        let supported = crate::topology::validate::core_kinds::supported();
        assert_eq!(t.kinds.len(), supported.len());
        for k in supported {
            assert!(
                t.kinds.contains_key(&k),
                "{k} missing from kube_fields.json"
            );
        }
    }

    #[test]
    fn a_field_newer_than_the_release_is_reported_where_it_is() {
        let dep = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a"},
            {"name": "b", "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}]}
        ]}}}});
        let p = newer_fields(v(26), "apps/v1", "Deployment", &dep);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "spec.template.spec.containers[1].resizePolicy");
        assert!(p[0].1.contains("added in 1.27"), "{}", p[0].1);
        assert!(newer_fields(v(27), "apps/v1", "Deployment", &dep).is_empty());
        let svc = json!({"spec": {"trafficDistribution": "PreferClose"}});
        assert_eq!(newer_fields(v(29), "v1", "Service", &svc).len(), 1);
        assert!(newer_fields(v(30), "v1", "Service", &svc).is_empty());
    }

    #[test]
    fn a_field_dropped_later_is_still_served_before_its_removal() {
        let path = "spec.template.spec.resourceClaims[0].source.resourceClaimName";
        assert!(still_served(v(30), "apps/v1", "Deployment", path));
        assert!(!still_served(v(31), "apps/v1", "Deployment", path));
        assert!(!still_served(
            v(30),
            "apps/v1",
            "Deployment",
            "spec.template.spec.bogus"
        ));
        assert!(!still_served(v(30), "v1", "Namespace", path));
    }

    #[test]
    fn indices_are_dropped_for_lookup() {
        assert_eq!(normalize("a.b[12].c[0]"), "a.b[].c[]");
    }
}
