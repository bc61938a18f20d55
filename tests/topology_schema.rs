//! Shipped artefacts stay in sync with their generators.

#[path = "topology_common/mod.rs"]
mod common;

use common::*;
use sha2::{Digest, Sha256};

#[test]
fn shipped_spec_schema_equals_the_generated_one() {
    let shipped = std::fs::read_to_string(repo().join("schemas/topology.schema.json")).unwrap();
    assert_eq!(
        shipped,
        feastops::topology::spec::json_schema_text(),
        "regenerate with `cargo run -- render --print-schema > schemas/topology.schema.json`"
    );
}

#[test]
fn embedded_crd_is_the_stripped_repo_crd() {
    let text = std::fs::read_to_string(crd_file()).unwrap();
    let stripped = feastops::topology::validate::crd::strip_crd(&text, "repo CRD").unwrap();
    assert_eq!(
        feastops::topology::validate::crd::render_stripped(&stripped),
        feastops::topology::validate::crd::EMBEDDED_V0_66,
        "regenerate with `cargo run --bin strip-crd -- crds/feast-v0.66/featurestores.feast.dev.yaml src/topology/crd/v0_66.json`"
    );
    assert!(
        !feastops::topology::validate::crd::EMBEDDED_V0_66
            .contains("\"description\": \"FeatureStore is")
    );
}

#[test]
fn vendored_crd_is_the_v0_66_release_file() {
    let bytes = std::fs::read(crd_file()).unwrap();
    let hash = format!("{:x}", Sha256::digest(&bytes));
    assert_eq!(
        hash,
        "697899312053baa9eeced9630301505a16ad3873fce5ab501241fe44677e8fe8"
    );
}

#[test]
fn embedded_crd_has_all_cel_rules() {
    let n = feastops::topology::validate::crd::EMBEDDED_V0_66
        .matches("\"rule\":")
        .count();
    let full = std::fs::read_to_string(crd_file())
        .unwrap()
        .matches("- message:")
        .count();
    assert!(n >= 76, "{n} rules embedded");
    assert!(n >= full, "{n} embedded vs {full} in the CRD");
}

#[test]
fn vendored_crd_and_samples_match_shared_when_present() {
    // CI clones the repo with shared/ beside it; locally the worktree may not have it.
    let shared = repo().join("../shared/feast");
    if !shared.exists() {
        eprintln!("shared/feast not beside the repo; vendored copies checked by hash only");
        return;
    }
    assert_eq!(
        std::fs::read(shared.join("featurestores.feast.dev.yaml")).unwrap(),
        std::fs::read(crd_file()).unwrap()
    );
    for e in std::fs::read_dir(shared.join("samples")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        let ours = fixture(&format!("operator-samples/{name}"));
        assert_eq!(
            std::fs::read(&p).unwrap(),
            std::fs::read(&ours).unwrap(),
            "{name}"
        );
    }
}
