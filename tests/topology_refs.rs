//! Reference integrity: every object a render references is rendered, produced by a
//! rendered object, or listed in its PREREQUISITES.md; `validate DIR` enforces it.

#[path = "topology_common/mod.rs"]
mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn every_render_resolves_its_references_and_validate_enforces_the_list() {
    for (name, args) in combinations() {
        let (_dir, out) = render_dir(&args);
        let pre = std::fs::read_to_string(out.join("PREREQUISITES.md")).unwrap();
        assert!(
            pre.contains("`CustomResourceDefinition featurestores.feast.dev`"),
            "{name}"
        );
        assert!(pre.contains("`Namespace velero`"), "{name}");
        if name.contains("onprem") && !name.starts_with("minimal") {
            assert!(
                pre.contains("feast-backup-s3"),
                "{name}: the ObjectStore's Secret is a prerequisite"
            );
            assert!(
                pre.contains("`Cluster "),
                "{name}: the CNPG cluster is a prerequisite"
            );
        }
        if !name.contains("onprem") && !name.starts_with("minimal") {
            assert!(pre.contains("`ClusterIssuer feast-ca-issuer`"), "{name}");
        }
        feastops()
            .arg("validate")
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::contains("[refs]").not());
    }
}

#[test]
fn a_missing_rendered_object_or_an_unlisted_prerequisite_fails_validate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    render_cmd()
        .args(["--topology", "standard", "--cloud", "aws", "-o"])
        .arg(&out)
        .assert()
        .success();
    let pre = out.join("PREREQUISITES.md");
    let text = std::fs::read_to_string(&pre).unwrap();
    std::fs::write(
        &pre,
        text.lines()
            .filter(|l| !l.contains("ClusterSecretStore"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    std::fs::remove_file(out.join("manifests/feast/certificate-feast-feast-tls.yaml")).unwrap();
    feastops()
        .arg("validate")
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "references `ClusterSecretStore feast-secret-store`",
        ))
        .stdout(predicate::str::contains(
            "references `Secret feast/feast-feast-tls`",
        ));
}
