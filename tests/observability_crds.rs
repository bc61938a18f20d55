//! Every rendered PrometheusRule passes the prometheus-operator schema as published on
//! npm (`@kubernetes-models/prometheus-operator`, run by scripts/k8s-models/validate.mjs;
//! locked in scripts/k8s-models/, installed by scripts/test into FEASTOPS_K8S_MODELS).
//! The schemas check required fields, types and patterns (`for` durations, string label
//! values); like the CRD they come from they do not reject unknown fields, so those are
//! checked here against the fields a rule group and a rule have. Under CI a missing
//! install is a failure, not a skip.

#[path = "topology_common/mod.rs"]
mod common;
#[path = "topology_common/k8s_models.rs"]
mod k8s_models;

use std::path::Path;

use common::*;
use k8s_models::{models_dir as models, validate};
use serde_json::{Value, json};

/// Keys of a rule group and a rule in prometheus-operator's `monitoring.coreos.com/v1`.
const GROUP_KEYS: &[&str] = &[
    "name",
    "interval",
    "rules",
    "limit",
    "partial_response_strategy",
    "query_offset",
    "labels",
];
const RULE_KEYS: &[&str] = &[
    "record",
    "alert",
    "expr",
    "for",
    "keep_firing_for",
    "labels",
    "annotations",
];

fn unknown_keys(rule: &Value, source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (gi, g) in rule["spec"]["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for k in g
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| !GROUP_KEYS.contains(&k.as_str()))
        {
            out.push(format!("{source}: spec.groups[{gi}].{k} is not a field"));
        }
        for (ri, r) in g["rules"].as_array().into_iter().flatten().enumerate() {
            for k in r
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| !RULE_KEYS.contains(&k.as_str()))
            {
                out.push(format!(
                    "{source}: spec.groups[{gi}].rules[{ri}].{k} is not a field"
                ));
            }
        }
    }
    out
}

fn manifests(dir: &Path, out: &mut Vec<(String, Value)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            manifests(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            let v: Value = serde_yaml_ng::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            out.push((p.display().to_string(), v));
        }
    }
}

#[test]
fn every_rendered_prometheus_rule_passes_the_prometheus_operator_schema() {
    let Some(dir) = models() else { return };
    let root = tempfile::tempdir().unwrap();
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for (name, args) in combinations() {
        let out = root.path().join(&name);
        render_into(&args, &out);
        let mut all = Vec::new();
        manifests(&out.join("manifests"), &mut all);
        for (source, v) in all
            .into_iter()
            .filter(|(_, v)| v["apiVersion"] == "monitoring.coreos.com/v1")
        {
            problems.extend(unknown_keys(&v, &source));
            docs.push(json!({"file": source, "doc": v}));
        }
    }
    assert_eq!(
        docs.len(),
        (1 + 2 + 3) * 3 * 2,
        "PrometheusRules: Standard 1, Enterprise isolated 2, shared 3 (registry + tenants), per cloud, connected and air-gapped"
    );
    let report = validate(&dir, &docs);
    assert_eq!(report["failures"], json!([]), "{report:#}");
    assert_eq!(
        report["checked"]["monitoring.coreos.com/v1 PrometheusRule"],
        docs.len(),
        "{report:#}"
    );
    assert!(problems.is_empty(), "{problems:?}");
}

/// The validator is not a rubber stamp: it rejects what the API server would.
#[test]
fn the_schema_check_rejects_a_broken_rule() {
    let Some(dir) = models() else { return };
    let base = json!({"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
        "metadata": {"name": "x", "namespace": "y"},
        "spec": {"groups": [{"name": "g", "rules": [{"alert": "A", "expr": "up == 0", "for": "5m"}]}]}});
    let report = validate(&dir, &[json!({"file": "good", "doc": base})]);
    assert_eq!(report["failures"], json!([]), "{report:#}");
    let mut bad_for = base.clone();
    bad_for["spec"]["groups"][0]["rules"][0]["for"] = json!("5 minutes");
    let mut no_name = base.clone();
    no_name["spec"]["groups"][0]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let mut int_label = base.clone();
    int_label["spec"]["groups"][0]["rules"][0]["labels"] = json!({"severity": 1});
    for (what, doc) in [("for", bad_for), ("name", no_name), ("labels", int_label)] {
        let report = validate(&dir, &[json!({"file": what, "doc": doc})]);
        let error = report["failures"][0]["error"].as_str().unwrap_or_default();
        assert!(error.contains(what), "{what}: {report:#}");
    }
    let mut extra = base.clone();
    extra["spec"]["groups"][0]["rules"][0]["severity"] = json!("x");
    assert_eq!(
        unknown_keys(&extra, "s"),
        vec!["s: spec.groups[0].rules[0].severity is not a field"]
    );
}
