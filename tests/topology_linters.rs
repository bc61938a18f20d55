//! Every rendered combination, written out as `render -o` writes it, passes
//! the Kubernetes linters platform teams run on manifests: checkov (its
//! kubernetes framework) and kubernetes-validate in strict mode, with zero
//! failures. The tools come from PyPI, pinned in scripts/test, which exports
//! FEASTOPS_K8S_TOOLS; under CI a missing tool is a failure, not a skip.

#[path = "topology_common/mod.rs"]
mod common;
#[path = "topology_common/k8s_models.rs"]
mod k8s_models;

use std::path::Path;
use std::process::Command;

use common::*;
use k8s_models::{models_dir, validate};

/// checkov check IDs that do not apply to these renders, each with why.
/// Empty: anything checkov fails is a defect of the render.
const NOT_APPLICABLE: &[(&str, &str)] = &[];

/// Kinds kubernetes-validate has no schema for. feastops validates the
/// FeatureStore against the embedded operator CRD itself; the others are
/// third-party CRDs it lists as not schema-checked.
const THIRD_PARTY_KINDS: &[&str] = &[
    "FeatureStore",
    "Certificate",
    "ExternalSecret",
    "PodIdentityAssociation",
    "Schedule",
    "Cluster",
    "ScheduledBackup",
    "ObjectStore",
    "Route",
    "BackendConfig",
    "HealthCheckPolicy",
    "ManagedCertificate",
    "FrontendConfig",
    "IAMPolicyMember",
    "IAMServiceAccount",
    "Bundle",
    "RayCluster",
    // Schema-checked below (prometheus-operator) and by tests/observability_crds.rs;
    // OpenTelemetry has no published schema reachable here.
    "PrometheusRule",
    "Instrumentation",
];

/// Batch-engine renders checked beside the 24 combinations.
fn engine_renders() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (cloud, engine, sets) in [
        (
            "aws",
            "spark",
            &["materialization.spark.image=registry.example.com/feast-spark:0.67.0"][..],
        ),
        (
            "gcp",
            "ray",
            &[
                "materialization.ray.image=docker.io/rayproject/ray:2.49.2-py311",
                "images.featureServer=registry.example.com/feast-ray:0.67.0",
            ][..],
        ),
        ("onprem", "snowflake", &["stores.offline=snowflake"][..]),
    ] {
        let mut a: Vec<String> = ["--topology", "standard", "--cloud", cloud]
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.extend(GIT_REPO_SETS.iter().map(|s| s.to_string()));
        a.extend(["--set".into(), format!("materialization.engine={engine}")]);
        for s in sets {
            a.extend(["--set".into(), s.to_string()]);
        }
        out.push((format!("standard-{cloud}-{engine}"), a));
    }
    out
}

fn tools() -> Option<std::path::PathBuf> {
    match std::env::var_os("FEASTOPS_K8S_TOOLS") {
        Some(d) => Some(d.into()),
        None if std::env::var_os("CI").is_some() => {
            panic!("FEASTOPS_K8S_TOOLS is not set: run the tests through scripts/test")
        }
        None => {
            eprintln!("skipped: FEASTOPS_K8S_TOOLS not set (scripts/test sets it)");
            None
        }
    }
}

fn render_all(root: &Path) -> Vec<std::path::PathBuf> {
    combinations()
        .into_iter()
        .chain(engine_renders())
        .map(|(name, args)| {
            let out = root.join(&name);
            render_into(&args, &out);
            out
        })
        .collect()
}

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

#[test]
fn every_render_passes_checkov_and_kubernetes_validate_with_zero_failures() {
    let Some(bin) = tools() else { return };
    // Not `tempdir()`: its `.tmp` prefix is a hidden directory checkov skips.
    let root = tempfile::Builder::new()
        .prefix("renders-")
        .tempdir()
        .unwrap();
    let dirs = render_all(root.path());
    assert_eq!(dirs.len(), 24 + 3);

    let out = Command::new(bin.join("checkov"))
        .args([
            "--framework",
            "kubernetes",
            "--skip-download",
            "--quiet",
            "--compact",
            "-o",
            "json",
            "-d",
        ])
        .arg(root.path())
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .expect("checkov runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "checkov output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let reports = match report {
        serde_json::Value::Array(a) => a,
        one => vec![one],
    };
    let mut resources = 0;
    for r in &reports {
        assert_eq!(r["summary"]["parsing_errors"], 0, "{}", r["summary"]);
        resources += r["summary"]["resource_count"].as_u64().unwrap_or(0);
        let failed: Vec<String> = r["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| !NOT_APPLICABLE.iter().any(|(id, _)| c["check_id"] == *id))
            .map(|c| format!("{} {} {}", c["check_id"], c["resource"], c["file_path"]))
            .collect();
        assert!(
            failed.is_empty(),
            "checkov failures:\n{}",
            failed.join("\n")
        );
    }
    assert!(
        resources > 500,
        "checkov saw the renders: {resources} resources"
    );

    let mut files = Vec::new();
    for d in &dirs {
        yaml_files(&d.join("manifests"), &mut files);
    }
    let out = Command::new(bin.join("kubernetes-validate"))
        .args(["--strict", "--quiet", "-k", "1.30.0"])
        .args(&files)
        .output()
        .expect("kubernetes-validate runs");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let unexpected: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| {
            !(l.starts_with("WARN ")
                && THIRD_PARTY_KINDS
                    .iter()
                    .any(|k| l.contains(&format!("Couldn't find schema for kind {k} "))))
        })
        .collect();
    assert!(
        out.status.success() && unexpected.is_empty(),
        "kubernetes-validate:\n{}",
        unexpected.join("\n")
    );
}

#[test]
fn third_party_objects_pass_the_schemas_of_their_published_crds() {
    let Some(modules) = models_dir() else { return };
    let root = tempfile::tempdir().unwrap();
    let mut docs = Vec::new();
    for d in render_all(root.path()) {
        let mut files = Vec::new();
        yaml_files(&d.join("manifests"), &mut files);
        if d.join("restore").is_dir() {
            yaml_files(&d.join("restore"), &mut files);
        }
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for doc in serde_yaml_ng::Deserializer::from_str(&text) {
                let v: serde_json::Value = serde::Deserialize::deserialize(doc).unwrap();
                if !v.is_null() {
                    docs.push(
                        serde_json::json!({"file": f.strip_prefix(root.path()).unwrap(), "doc": v}),
                    );
                }
            }
        }
    }
    let report = validate(&modules, &docs);
    assert_eq!(report["failures"], serde_json::json!([]), "{report:#}");
    for kind in [
        "cert-manager.io/v1 Certificate",
        "external-secrets.io/v1 ExternalSecret",
        "postgresql.cnpg.io/v1 Cluster",
        "postgresql.cnpg.io/v1 ScheduledBackup",
        "cloud.google.com/v1 BackendConfig",
    ] {
        assert!(
            report["checked"][kind].as_u64().unwrap_or(0) > 0,
            "{kind} was not checked: {report:#}"
        );
    }

    // The validators do catch a broken object: a Certificate without its Secret name.
    let mut broken = docs
        .iter()
        .find(|d| d["doc"]["kind"] == "Certificate")
        .cloned()
        .unwrap();
    broken["doc"]["spec"]
        .as_object_mut()
        .unwrap()
        .remove("secretName");
    let report = validate(&modules, &[broken]);
    let error = report["failures"][0]["error"].as_str().unwrap_or_default();
    assert!(error.contains("secretName"), "{report:#}");
}

/// `validate --kube-version` knows which release added or dropped each field of the core
/// kinds from a table generated out of kubernetes-validate's per-release schemas; the
/// committed table must be what the pinned schemas give.
#[test]
fn the_kube_fields_table_matches_the_pinned_per_release_schemas() {
    let Some(tools) = tools() else { return };
    let python = tools.join("python");
    let root = std::process::Command::new(&python)
        .args([
            "-c",
            "import kubernetes_validate, os; print(os.path.join(os.path.dirname(kubernetes_validate.__file__), 'kubernetes-json-schema'))",
        ])
        .output()
        .unwrap();
    assert!(root.status.success(), "{root:?}");
    let root = String::from_utf8(root.stdout).unwrap();
    let out = std::process::Command::new(&python)
        .arg("scripts/kube-fields/generate.py")
        .arg(root.trim())
        .args(["25", "34"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string("src/topology/validate/kube_fields.json").unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap() == committed,
        "src/topology/validate/kube_fields.json is stale: regenerate with scripts/kube-fields/generate.py"
    );
}
