//! Value formats the API server enforces and the OpenAPI types leave as plain strings:
//! label keys and values, annotation keys and their total size, and resource quantities
//! (apimachinery's `validation.IsQualifiedName`/`IsValidLabelValue`, `ValidateAnnotations`,
//! `resource.ParseQuantity`).

use serde_json::Value;

use super::core_kinds::CoreProblem;

/// Annotations of one object may not exceed 256 KiB (keys and values together).
pub const MAX_ANNOTATION_BYTES: usize = 262_144;

fn p(path: String, message: String) -> CoreProblem {
    CoreProblem { path, message }
}

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most 63 characters.
fn is_label_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A label or annotation key: `[prefix/]name`, the prefix a DNS subdomain.
pub fn key_problem(k: &str) -> Option<String> {
    let (prefix, name) = match k.rsplit_once('/') {
        Some((pre, name)) => (Some(pre), name),
        None => (None, k),
    };
    if let Some(pre) = prefix
        && !super::core_kinds::is_dns1123_subdomain(pre)
    {
        return Some(format!(
            "key `{k}`: the prefix must be a DNS subdomain (lowercase letters, digits, '-', '.')"
        ));
    }
    (!is_label_name(name)).then(|| {
        format!("key `{k}`: the name must be 1–63 letters, digits, '-', '_' or '.', starting and ending alphanumeric")
    })
}

/// A label value: empty, or a label name.
pub fn value_problem(v: &str) -> Option<String> {
    (!v.is_empty() && !is_label_name(v)).then(|| {
        format!("value `{v}`: at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric")
    })
}

/// `resource.ParseQuantity`: a signed decimal number and an optional suffix (binary
/// `Ki`…`Ei`, decimal `n u m k M G T P E`, or an exponent `e3`/`E-2`).
pub fn is_quantity(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let digits_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(digits_end);
    let dots = num.matches('.').count();
    if num.is_empty() || num == "." || dots > 1 {
        return false;
    }
    match suffix {
        "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u" | "m" | "k" | "M" | "G" | "T"
        | "P" | "E" => true,
        _ => suffix
            .strip_prefix(['e', 'E'])
            .map(|e| e.strip_prefix(['+', '-']).unwrap_or(e))
            .is_some_and(|e| !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())),
    }
}

fn labels(v: &Value, at: &str, out: &mut Vec<CoreProblem>) {
    for (k, val) in v.as_object().into_iter().flatten() {
        if let Some(m) = key_problem(k) {
            out.push(p(format!("{at}.{k}"), m));
        }
        if let Some(m) = val.as_str().and_then(value_problem) {
            out.push(p(format!("{at}.{k}"), m));
        }
    }
}

fn annotations(v: &Value, at: &str, out: &mut Vec<CoreProblem>) {
    let mut size = 0;
    for (k, val) in v.as_object().into_iter().flatten() {
        size += k.len() + val.as_str().map_or(0, str::len);
        if let Some(m) = key_problem(k) {
            out.push(p(format!("{at}.{k}"), m));
        }
    }
    if size > MAX_ANNOTATION_BYTES {
        out.push(p(
            at.to_string(),
            format!("{size} bytes of annotations exceed the 256 KiB limit"),
        ));
    }
}

fn resources(pod: &Value, at: &str, out: &mut Vec<CoreProblem>) {
    for list in ["initContainers", "containers"] {
        for (i, c) in pod[list].as_array().into_iter().flatten().enumerate() {
            for kind in ["requests", "limits"] {
                for (name, q) in c["resources"][kind].as_object().into_iter().flatten() {
                    let bad = match q {
                        Value::String(s) => !is_quantity(s),
                        Value::Number(_) => false,
                        _ => true,
                    };
                    if bad {
                        let shown = q.as_str().map_or_else(|| q.to_string(), str::to_string);
                        out.push(p(
                            format!("{at}.{list}[{i}].resources.{kind}.{name}"),
                            format!("`{shown}` is not a quantity (e.g. 500m, 256Mi, 1)"),
                        ));
                    }
                }
            }
        }
    }
}

/// Format problems of one object (any kind: metadata; workloads: their pod templates).
pub fn check(kind: &str, obj: &Value) -> Vec<CoreProblem> {
    let mut out = Vec::new();
    labels(&obj["metadata"]["labels"], "metadata.labels", &mut out);
    annotations(
        &obj["metadata"]["annotations"],
        "metadata.annotations",
        &mut out,
    );
    let template = match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            Some(("spec.template", &obj["spec"]["template"]))
        }
        "CronJob" => Some((
            "spec.jobTemplate.spec.template",
            &obj["spec"]["jobTemplate"]["spec"]["template"],
        )),
        _ => None,
    };
    if let Some((at, t)) = template {
        labels(
            &t["metadata"]["labels"],
            &format!("{at}.metadata.labels"),
            &mut out,
        );
        resources(&t["spec"], &format!("{at}.spec"), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_parse_as_the_api_server_parses_them() {
        for ok in [
            "1", "500m", "0.5", ".5", "256Mi", "1Gi", "2k", "1e3", "1E-2", "+1", "100n",
        ] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in ["", "500 MB", "1GB", "m", "1.2.3", "1e", "abc", "1Gib", "."] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }

    #[test]
    fn label_keys_and_values_follow_the_qualified_name_rules() {
        assert!(key_problem("app").is_none());
        assert!(key_problem("feast.dev/name").is_none());
        assert!(key_problem("app.kubernetes.io/part-of").is_none());
        assert!(
            key_problem("Feast.dev/name").is_some(),
            "prefix is lowercase"
        );
        assert!(key_problem("-app").is_some());
        assert!(key_problem(&"a".repeat(64)).is_some());
        assert!(value_problem("").is_none());
        assert!(value_problem("v1.2_b").is_none());
        assert!(value_problem("has space").is_some());
        assert!(value_problem(&"a".repeat(64)).is_some());
    }

    #[test]
    fn problems_are_reported_where_they_are() {
        let dep = json!({"metadata": {"labels": {"ok": "yes", "bad key!": "x"},
            "annotations": {"note": "x".repeat(MAX_ANNOTATION_BYTES)}},
            "spec": {"template": {"metadata": {"labels": {"app": "not ok"}},
            "spec": {"containers": [{"resources": {"limits": {"memory": "1GB", "cpu": 2}}}]}}}});
        let paths: Vec<String> = check("Deployment", &dep)
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert_eq!(
            paths,
            [
                "metadata.labels.bad key!",
                "metadata.annotations",
                "spec.template.metadata.labels.app",
                "spec.template.spec.containers[0].resources.limits.memory"
            ]
        );
    }
}
