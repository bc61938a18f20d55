//! Every rendered combination, written out as `render -o` writes it, passes
//! the Kubernetes linters platform teams run on manifests: checkov (its
//! kubernetes framework) and kubernetes-validate in strict mode, with zero
//! failures. The tools come from PyPI, pinned in scripts/test, which exports
//! FEASTOPS_K8S_TOOLS; under CI a missing tool is a failure, not a skip.

#[path = "topology_common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;

use common::*;

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
    // Schema-checked by tests/observability_crds.rs (prometheus-operator) or
    // structurally by the render (OpenTelemetry).
    "PrometheusRule",
    "Instrumentation",
];

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
    assert_eq!(dirs.len(), 24);

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
