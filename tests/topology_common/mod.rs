#![allow(dead_code)]
//! Shared helpers for the topology integration tests.

use std::path::PathBuf;

pub const DIGEST_IMAGE: &str = "registry.internal.example.com/feast/feature-repo@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(p: &str) -> PathBuf {
    repo().join("tests/fixtures").join(p)
}

pub fn crd_file() -> PathBuf {
    repo().join("crds/feast-v0.66/featurestores.feast.dev.yaml")
}

pub fn feastops() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("feastops").expect("binary builds")
}

/// Air-gapped renders pin every image by digest.
pub const AIRGAPPED_IMAGE_SETS: [&str; 6] = [
    "--set",
    "images.featureServer=quay.io/feastdev/feature-server@sha256:1111111111111111111111111111111111111111111111111111111111111111",
    "--set",
    "images.cronJob=quay.io/openshift/origin-cli@sha256:2222222222222222222222222222222222222222222222222222222222222222",
    "--set",
    "images.operator=quay.io/feastdev/feast-operator@sha256:3333333333333333333333333333333333333333333333333333333333333333",
];

/// The feature repo every connected test render deploys: git at a full SHA.
pub const GIT_REPO_SETS: [&str; 4] = [
    "--set",
    "featureRepo.git.url=https://git.example.com/ml/feature-repo.git",
    "--set",
    "featureRepo.git.ref=0123456789abcdef0123456789abcdef01234567",
];

/// `feastops render` with the test feature repo (connected renders).
pub fn render_cmd() -> assert_cmd::Command {
    let mut c = feastops();
    c.arg("render").args(GIT_REPO_SETS);
    c
}

/// Every combination the tests render: (label, CLI args).
pub fn combinations() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for airgapped in [false, true] {
        for cloud in ["aws", "gcp", "onprem"] {
            let mut variants: Vec<(String, Vec<&str>)> = vec![
                ("minimal".into(), vec!["--topology", "minimal"]),
                ("standard".into(), vec!["--topology", "standard"]),
                (
                    "enterprise-isolated".into(),
                    vec!["--topology", "enterprise", "--tenants", "team-a,team-b"],
                ),
                (
                    "enterprise-shared".into(),
                    vec![
                        "--topology",
                        "enterprise",
                        "--shared-registry",
                        "--tenants",
                        "team-a,team-b",
                    ],
                ),
            ];
            for (label, args) in variants.drain(..) {
                let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
                a.extend(["--cloud".to_string(), cloud.to_string()]);
                let mut name = format!("{label}-{cloud}");
                if !airgapped {
                    a.extend(GIT_REPO_SETS.iter().map(|s| s.to_string()));
                }
                if airgapped {
                    a.push("--airgapped".into());
                    a.push("--set".into());
                    a.push(format!("airgapped.featureRepoImage={DIGEST_IMAGE}"));
                    a.extend(AIRGAPPED_IMAGE_SETS.iter().map(|s| s.to_string()));
                    name.push_str("-airgapped");
                }
                out.push((name, a));
            }
        }
    }
    out
}

/// `feastops render ARGS -o OUT` into `OUT`, which must succeed.
pub fn render_into(args: &[String], out: &std::path::Path) {
    feastops()
        .arg("render")
        .args(args)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
}

/// Renders into a fresh temporary directory: (the directory, its `out`).
pub fn render_dir(args: &[String]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    render_into(args, &out);
    (dir, out)
}
