//! `feastops validate`: upstream samples pass; hand-made invalid manifests fail with the
//! right message; `--crd` and `--policy` work.

#[path = "topology_common/mod.rs"]
mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn all_upstream_samples_validate() {
    // Schema + CEL + strict core kinds: no errors at all.
    feastops()
        .args(["validate", "--policy", "off"])
        .arg(fixture("operator-samples"))
        .assert()
        .success()
        .stdout(predicate::str::contains("25 FeatureStore"))
        .stdout(predicate::str::contains("0 errors"));
    // Policy as warnings: still exit 0 (samples are examples, not production setups).
    feastops()
        .args(["validate", "--policy", "warn"])
        .arg(fixture("operator-samples"))
        .assert()
        .success()
        .stdout(predicate::str::contains("warning:"));
    // Against the full CRD file too.
    feastops()
        .args(["validate", "--policy", "off", "--crd"])
        .arg(crd_file())
        .arg(fixture("operator-samples"))
        .assert()
        .success();
}

fn fails_with(file: &str, check: &str, needle: &str) {
    feastops()
        .arg("validate")
        .arg(fixture(&format!("invalid/{file}")))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("[{check}]")))
        .stdout(predicate::str::contains(needle));
}

#[test]
fn unknown_field_is_rejected() {
    fails_with(
        "unknown-field.yaml",
        "schema",
        "spec.services.onlineStore.server: unknown field `replicaCount`",
    );
}

#[test]
fn file_registry_with_replicas_violates_cel() {
    fails_with(
        "file-registry-scaled.yaml",
        "cel",
        "Scaling requires DB-backed or remote registry",
    );
}

#[test]
fn autoscaling_with_replicas_violates_cel() {
    fails_with(
        "replicas-and-autoscaling.yaml",
        "cel",
        "replicas > 1 and services.scaling.autoscaling are mutually exclusive",
    );
}

#[test]
fn pdb_with_both_fields_violates_cel() {
    fails_with(
        "pdb-both.yaml",
        "cel",
        "Exactly one of minAvailable or maxUnavailable must be set",
    );
}

#[test]
fn bad_enum_is_rejected() {
    fails_with(
        "bad-enum.yaml",
        "schema",
        "spec.services.onlineStore.server.logLevel",
    );
}

#[test]
fn latest_tag_is_a_policy_error() {
    fails_with(
        "latest-tag.yaml",
        "policy:image-tag",
        "uses the `latest` tag",
    );
}

#[test]
fn missing_resources_is_a_policy_error() {
    fails_with(
        "missing-resources.yaml",
        "policy:resources",
        "spec.services.onlineStore.server.resources: missing resources (no limits.cpu)",
    );
}

#[test]
fn networkpolicy_on_a_service_port_is_a_policy_error() {
    fails_with(
        "netpol-service-port.yaml",
        "policy:netpol-ports",
        "port 80 is not a container port of FeatureStore `np-port`",
    );
}

#[test]
fn pdb_min_available_not_below_hpa_min_is_a_policy_error() {
    fails_with(
        "pdb-not-below-hpa.yaml",
        "policy:pdb-below-replicas",
        "PDB minAvailable 2 is not below the minimum replica count 2",
    );
}

#[test]
fn core_kind_unknown_field_is_rejected() {
    fails_with(
        "netpol-unknown-field.yaml",
        "core",
        "spec.ingres: unknown field `ingres`",
    );
}

#[test]
fn policy_warn_does_not_fail_but_schema_errors_still_do() {
    feastops()
        .args(["validate", "--policy", "warn"])
        .arg(fixture("invalid/latest-tag.yaml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("warning:"));
    feastops()
        .args(["validate", "--policy", "off"])
        .arg(fixture("invalid/unknown-field.yaml"))
        .assert()
        .code(1);
}

#[test]
fn crd_flag_validates_against_the_given_crd() {
    // A CRD whose feastProject pattern only allows names starting with "x": the same valid
    // sample now fails, so the flag really replaces the embedded CRD.
    let text = std::fs::read_to_string(crd_file()).unwrap();
    let strict = text.replacen("pattern: ^[A-Za-z0-9][A-Za-z0-9_-]*$", "pattern: ^x", 1);
    assert_ne!(text, strict, "the pattern is in the CRD");
    let dir = tempfile::tempdir().unwrap();
    let crd = dir.path().join("crd.yaml");
    std::fs::write(&crd, strict).unwrap();
    let sample = fixture("operator-samples/v1_featurestore.yaml");
    feastops()
        .args(["validate", "--policy", "off"])
        .arg(&sample)
        .assert()
        .success();
    feastops()
        .args(["validate", "--policy", "off", "--crd"])
        .arg(&crd)
        .arg(&sample)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("spec.feastProject"));
    // A file that is not a CRD is bad input.
    feastops()
        .args(["validate", "--crd"])
        .arg(&sample)
        .arg(&sample)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not CustomResourceDefinition"));
}

#[test]
fn unreadable_input_is_exit_2() {
    feastops()
        .args(["validate", "/nonexistent/feast.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "a: [unclosed").unwrap();
    feastops()
        .arg("validate")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid YAML"));
}

#[test]
fn rendered_output_dir_validates_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    render_cmd()
        .args(["--topology", "enterprise", "--cloud", "aws"])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    feastops()
        .arg("validate")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 errors, 0 warnings"));
}

/// The CR linter on the operator's own samples: they are demos, so every one
/// without a repo source is flagged, plus the real traps the samples show.
#[test]
fn cr_linter_finds_the_traps_in_the_upstream_samples() {
    let out = feastops()
        .args(["validate", "--policy", "warn"])
        .arg(fixture("operator-samples"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut hits: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| {
            let file = l.split("operator-samples/").nth(1)?.split(' ').next()?;
            let rule = l.split("[policy:cr-").nth(1)?.split(']').next()?;
            Some((file.to_string(), format!("cr-{rule}")))
        })
        .collect();
    let demo_repos = hits
        .iter()
        .filter(|(_, r)| r == "cr-no-feature-repo")
        .count();
    hits.retain(|(_, r)| r != "cr-no-feature-repo");
    hits.sort();
    let pair = |f: &str, r: &str| (f.to_string(), r.to_string());
    assert_eq!(
        hits,
        vec![
            pair("v1_featurestore_git_token.yaml", "cr-mutable-git-ref"),
            // registry, online and offline store each on a PVC, no backup
            pair("v1_featurestore_pvc_persistence.yaml", "cr-pvc-no-backup"),
            pair("v1_featurestore_pvc_persistence.yaml", "cr-pvc-no-backup"),
            pair("v1_featurestore_pvc_persistence.yaml", "cr-pvc-no-backup"),
            pair(
                "v1_featurestore_scaling_hpa.yaml",
                "cr-apply-on-init-scaled"
            ),
            pair(
                "v1_featurestore_scaling_static.yaml",
                "cr-apply-on-init-scaled"
            ),
        ]
    );
    // 25 samples: 3 clone git, 1 is packaged; the other 21 deploy `feast init`.
    assert_eq!(demo_repos, 21);
}

#[test]
fn explain_documents_cr_rules() {
    feastops()
        .args(["explain", "CR005"])
        .assert()
        .success()
        .stdout(predicate::str::contains("cr-cronjob-applies"))
        .stdout(predicate::str::contains("feast apply"));
}

#[test]
fn kube_version_selects_the_apis_and_fields_the_cluster_serves() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("hpa.yaml");
    std::fs::write(
        &f,
        "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: ml}\n\
         spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  minReplicas: 1\n  maxReplicas: 3\n",
    )
    .unwrap();
    // Still served by 1.25: not a kube-version finding.
    let out = feastops()
        .args(["validate", "--policy", "off", "--kube-version", "1.25"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("[kube-version]"));
    feastops()
        .args(["validate", "--policy", "off", "--kube-version", "v1.26.3"])
        .arg(&f)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "autoscaling/v2beta2 HorizontalPodAutoscaler is not served by Kubernetes 1.26 (removed in 1.26): use autoscaling/v2",
        ));
    feastops()
        .args(["validate", "--kube-version", "1.24"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Kubernetes 1.24 is outside what is checked (1.25…1.34)",
        ));
    // Every render is served by the oldest and the newest release checked.
    for (_, args) in combinations().into_iter().step_by(5) {
        let (_d, out) = render_dir(&args);
        for kv in ["1.25", "1.34"] {
            feastops()
                .args(["validate", "--kube-version", kv])
                .arg(&out)
                .assert()
                .success()
                .stdout(predicate::str::contains("[kube-version]").not());
        }
    }
    render_cmd()
        .args([
            "--topology",
            "minimal",
            "--cloud",
            "aws",
            "--kube-version",
            "1.34",
        ])
        .assert()
        .success();
}

#[test]
fn kube_version_knows_which_release_added_or_dropped_each_field() {
    let dir = tempfile::tempdir().unwrap();
    let deployment = |pod_extra: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d, namespace: ml}}\nspec:\n  selector: {{matchLabels: {{app: d}}}}\n  template:\n    metadata: {{labels: {{app: d}}}}\n    spec:\n      containers:\n      - name: c\n        image: registry.example/c:1\n{pod_extra}"
        )
    };
    let resize = dir.path().join("resize.yaml");
    std::fs::write(
        &resize,
        deployment("        resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]\n"),
    )
    .unwrap();
    feastops()
        .args(["validate", "--policy", "off", "--kube-version", "1.26"])
        .arg(&resize)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "spec.template.spec.containers[0].resizePolicy",
        ))
        .stdout(predicate::str::contains("added in 1.27"));
    feastops()
        .args(["validate", "--policy", "off", "--kube-version", "1.27"])
        .arg(&resize)
        .assert()
        .success();
    // Served until 1.31, gone from the newest types: valid at 1.30, unknown from 1.31.
    let claims = dir.path().join("claims.yaml");
    std::fs::write(
        &claims,
        deployment("      resourceClaims:\n      - name: gpu\n        source: {resourceClaimTemplateName: gpu}\n"),
    )
    .unwrap();
    feastops()
        .args(["validate", "--policy", "off", "--kube-version", "1.30"])
        .arg(&claims)
        .assert()
        .success();
    feastops()
        .args(["validate", "--policy", "off", "--kube-version", "1.31"])
        .arg(&claims)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("unknown field `source`"));
}
