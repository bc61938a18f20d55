//! Batch engines (`materialization.engine`): each renders the operator's
//! batchEngine ConfigMap that Feast 0.67's own config models accept, the
//! KubeRay RayCluster the Ray engine dials, NetworkPolicies under which the
//! engine's pods reach what materialization needs (checked with the flow
//! simulator, expectations stated here), and refuses what Feast refuses.

#[path = "topology_common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use feastops::topology::flows::{
    self,
    model::{Expect, Flow, Model},
};
use feastops::topology::validate;

const SPARK_IMAGE: &str = "registry.example.com/feast-spark:0.67.0";
const RAY_IMAGE: &str = "docker.io/rayproject/ray:2.49.2-py311";
const RAY_SERVER_IMAGE: &str = "registry.example.com/feast-ray-server:0.67.0";

fn engine_args(engine: &str) -> Vec<String> {
    let sets: Vec<String> = match engine {
        "spark" => vec![format!("materialization.spark.image={SPARK_IMAGE}")],
        "ray" => vec![
            format!("materialization.ray.image={RAY_IMAGE}"),
            format!("images.featureServer={RAY_SERVER_IMAGE}"),
        ],
        "snowflake" => vec!["stores.offline=snowflake".into()],
        _ => vec![],
    };
    let mut a = vec![
        "--set".to_string(),
        format!("materialization.engine={engine}"),
    ];
    for s in sets {
        a.push("--set".into());
        a.push(s);
    }
    a
}

fn args(topology: &[&str], cloud: &str, engine: &str) -> Vec<String> {
    let mut a: Vec<String> = topology.iter().map(|s| s.to_string()).collect();
    a.extend(["--cloud".into(), cloud.into()]);
    a.extend(GIT_REPO_SETS.iter().map(|s| s.to_string()));
    a.extend(engine_args(engine));
    a
}

fn doc(out: &Path, rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_yaml_ng::from_str(&text).unwrap()
}

fn feast_python() -> PathBuf {
    let feast = std::env::var("FEASTOPS_FEAST")
        .expect("FEASTOPS_FEAST must point at a feast binary (scripts/test sets it)");
    Path::new(&feast).parent().unwrap().join("python")
}

/// What Feast 0.67 makes of a rendered engine config (and Snowflake offline store).
fn feast_reads(config: &str, offline: Option<&str>) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("engine.yaml");
    std::fs::write(&c, config).unwrap();
    let mut cmd = Command::new(feast_python());
    cmd.arg(repo().join("tests/fixtures/batch/check_engine_config.py"))
        .arg(&c);
    if let Some(o) = offline {
        let p = dir.path().join("offline.yaml");
        std::fs::write(&p, o).unwrap();
        cmd.arg(&p);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "feast refused the rendered config:\n{config}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn each_engine_config_is_what_feast_reads_and_the_ray_engine_dials_the_rendered_cluster() {
    let (_d, out) = render_dir(&args(&["--topology", "standard"], "aws", "spark"));
    let cm = doc(
        &out,
        "manifests/feast/configmap-feast-feast-batch-engine.yaml",
    );
    let fs = doc(&out, "manifests/feast/featurestore-feast.yaml");
    assert_eq!(
        fs["spec"]["batchEngine"]["configMapRef"]["name"],
        "feast-feast-batch-engine"
    );
    let spark = feast_reads(cm["data"]["config"].as_str().unwrap(), None);
    assert_eq!(spark["engine_class"], "SparkApplicationComputeEngineConfig");
    assert_eq!(spark["engine"]["image"], SPARK_IMAGE);
    assert_eq!(spark["engine"]["namespace"], "feast");
    // CPU limits pinned to the cores: the namespace LimitRange default (1 CPU)
    // would otherwise sit below a 2-core executor request.
    assert_eq!(
        spark["engine"]["spark_conf"]["spark.kubernetes.executor.limit.cores"],
        "2"
    );
    let operator = std::fs::read_to_string(out.join("OPERATOR.md")).unwrap();
    assert!(
        operator.contains("`spark_application` from ConfigMap `feast-feast-batch-engine`"),
        "{operator}"
    );
    assert!(
        operator.contains("ServiceAccount `feast-feast-batch-driver`"),
        "{operator}"
    );
    let prereq = std::fs::read_to_string(out.join("PREREQUISITES.md")).unwrap();
    assert!(
        prereq.contains("sparkapplications.sparkoperator.k8s.io"),
        "{prereq}"
    );
    // The driver's ServiceAccount (created by the operator) gets the store's IAM role.
    let pia = doc(
        &out,
        "manifests/feast/podidentityassociation-feast-feast-batch-driver.yaml",
    );
    assert_eq!(pia["spec"]["serviceAccount"], "feast-feast-batch-driver");

    let (_d, out) = render_dir(&args(&["--topology", "standard"], "gcp", "ray"));
    let cm = doc(
        &out,
        "manifests/feast/configmap-feast-feast-batch-engine.yaml",
    );
    let ray = feast_reads(cm["data"]["config"].as_str().unwrap(), None);
    assert_eq!(ray["engine_class"], "RayComputeEngineConfig");
    let cluster = doc(&out, "manifests/feast/raycluster-feast-feast-ray.yaml");
    let name = cluster["metadata"]["name"].as_str().unwrap();
    let ns = cluster["metadata"]["namespace"].as_str().unwrap();
    // KubeRay's head Service is `<cluster>-head-svc`; the client server listens on 10001,
    // which the head container declares.
    assert_eq!(
        ray["engine"]["ray_address"],
        format!("ray://{name}-head-svc.{ns}.svc.cluster.local:10001")
    );
    let head = &cluster["spec"]["headGroupSpec"]["template"]["spec"]["containers"][0];
    assert!(
        head["ports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["containerPort"] == 10001)
    );
    assert_eq!(head["image"], RAY_IMAGE);
    assert_eq!(cluster["spec"]["rayVersion"], "2.49.2");
    let sa = doc(&out, &format!("manifests/feast/serviceaccount-{name}.yaml"));
    assert!(sa["metadata"]["annotations"]["iam.gke.io/gcp-service-account"].is_string());
    let images = std::fs::read_to_string(out.join("IMAGES.txt")).unwrap();
    assert!(
        images.contains(RAY_IMAGE) && images.contains(RAY_SERVER_IMAGE),
        "{images}"
    );

    let (_d, out) = render_dir(&args(&["--topology", "standard"], "onprem", "snowflake"));
    let cm = doc(
        &out,
        "manifests/feast/configmap-feast-feast-batch-engine.yaml",
    );
    let secret = doc(&out, "manifests/feast/secret-feast-feast-stores.yaml");
    let offline = secret["stringData"]["snowflake.offline"].as_str().unwrap();
    let sf = feast_reads(cm["data"]["config"].as_str().unwrap(), Some(offline));
    assert_eq!(sf["engine_class"], "SnowflakeComputeEngineConfig");
    assert_eq!(sf["offline_class"], "SnowflakeOfflineStoreConfig");
    // Credentials stay `${VAR}` in the manifests and come from the environment.
    assert_eq!(sf["engine"]["password"], "placeholder-snowflake_password");
    assert!(
        !cm["data"]["config"]
            .as_str()
            .unwrap()
            .contains("placeholder")
    );
    assert_eq!(sf["engine"]["warehouse"], "FEAST_WH");
}

fn check(docs: &[validate::Document], model: &Model, flows_: &[(&str, &str, u16, Expect)]) {
    let m = Model {
        endpoints: model.endpoints.clone(),
        flows: flows_
            .iter()
            .map(|(from, to, port, expect)| Flow {
                from: from.to_string(),
                to: to.to_string(),
                protocol: "TCP".into(),
                port: *port,
                expect: *expect,
                why: "test".into(),
            })
            .collect(),
    };
    let sim = flows::simulate(docs, &m).unwrap();
    assert!(sim.failures().is_empty(), "{}", flows::text(&sim));
}

#[test]
fn engine_pods_reach_the_stores_and_each_other_and_nothing_else() {
    use Expect::{Allow, Deny};
    for (cloud, engine) in [
        ("aws", "spark"),
        ("gcp", "ray"),
        ("onprem", "ray"),
        ("onprem", "snowflake"),
    ] {
        let (_d, out) = render_dir(&args(&["--topology", "standard"], cloud, engine));
        feastops()
            .args(["validate", "--flows"])
            .arg(&out)
            .arg(&out)
            .assert()
            .success()
            .stdout(predicates::str::contains(", 0 not"));
        let (docs, broken) = validate::load(std::slice::from_ref(&out)).unwrap();
        assert!(broken.is_empty());
        let model: Model =
            serde_yaml_ng::from_str(&std::fs::read_to_string(out.join("flows.yaml")).unwrap())
                .unwrap();
        let pod = format!("feast/feast-{engine}");
        let peer = format!("feast/feast-{engine}-peer");
        match engine {
            "snowflake" => check(
                &docs,
                &model,
                &[
                    ("feast/feast", "snowflake", 443, Allow),
                    ("feast/other-pod", "snowflake", 443, Deny),
                ],
            ),
            _ => {
                let online = if cloud == "onprem" { 6379 } else { 443 };
                let store = if online == 443 { "cloud-api" } else { "store" };
                let mut expected = vec![
                    (pod.as_str(), store, online, Allow),
                    (pod.as_str(), "kube-dns", 53, Deny), // DNS is UDP/TCP 53 to kube-dns; TCP checked below
                    (pod.as_str(), peer.as_str(), 7079, Allow),
                    (peer.as_str(), pod.as_str(), 6379, Allow),
                    (pod.as_str(), "stranger", 8080, Deny),
                    ("feast/other-pod", pod.as_str(), 7079, Deny),
                    ("stranger", pod.as_str(), 7079, Deny),
                ];
                expected.retain(|f| f.1 != "kube-dns");
                if engine == "ray" {
                    expected.push(("feast/feast", peer.as_str(), 10001, Allow));
                    expected.push(("client", peer.as_str(), 10001, Deny));
                }
                check(&docs, &model, &expected);
            }
        }
    }
}

#[test]
fn enterprise_tenants_each_get_an_engine_and_the_shared_registry_none() {
    let (_d, out) = render_dir(&args(
        &[
            "--topology",
            "enterprise",
            "--shared-registry",
            "--tenants",
            "team-a,team-b",
        ],
        "aws",
        "ray",
    ));
    for t in ["team-a", "team-b"] {
        let c = doc(
            &out,
            &format!("manifests/{t}/raycluster-feast-{t}-ray.yaml"),
        );
        assert_eq!(c["metadata"]["namespace"], t);
        assert!(
            out.join(format!(
                "manifests/{t}/networkpolicy-allow-egress-shared-registry-ray.yaml"
            ))
            .exists(),
            "ray pods of a remote tenant reach the shared registry"
        );
    }
    let system: Vec<String> = std::fs::read_dir(out.join("manifests/feast"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !system
            .iter()
            .any(|f| f.contains("ray") || f.contains("batch-engine")),
        "{system:?}"
    );
}

#[test]
fn air_gapped_engine_images_are_mirrored_by_digest_with_the_pull_secret() {
    let digest = "registry.example.com/feast-spark@sha256:4444444444444444444444444444444444444444444444444444444444444444";
    let mut a: Vec<String> = [
        "--topology",
        "standard",
        "--cloud",
        "onprem",
        "--airgapped",
        "--set",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    a.push(format!("airgapped.featureRepoImage={DIGEST_IMAGE}"));
    a.extend(AIRGAPPED_IMAGE_SETS.iter().map(|s| s.to_string()));
    a.extend([
        "--set".into(),
        "materialization.engine=spark".into(),
        "--set".into(),
    ]);
    a.push(format!("materialization.spark.image={digest}"));
    let (_d, out) = render_dir(&a);
    let cm = doc(
        &out,
        "manifests/feast/configmap-feast-feast-batch-engine.yaml",
    );
    let spark = feast_reads(cm["data"]["config"].as_str().unwrap(), None);
    let mirrored = spark["engine"]["image"].as_str().unwrap();
    assert!(
        mirrored.ends_with(
            "/feast-spark@sha256:4444444444444444444444444444444444444444444444444444444444444444"
        ),
        "{mirrored}"
    );
    assert!(
        !mirrored.starts_with("registry.example.com/"),
        "rewritten to the mirror: {mirrored}"
    );
    assert_eq!(
        spark["engine"]["image_pull_secrets"],
        serde_json::json!(["feast-pull-secret"])
    );
    let images = std::fs::read_to_string(out.join("IMAGES.txt")).unwrap();
    assert!(images.contains(mirrored), "{images}");

    // A tag is refused.
    let mut tag = a.clone();
    *tag.last_mut().unwrap() = format!("materialization.spark.image={SPARK_IMAGE}");
    feastops().arg("render").args(&tag).assert().code(2).stderr(predicates::str::contains(
        "materialization.spark.image: `registry.example.com/feast-spark:0.67.0` is not pinned by digest",
    ));
}

/// `(extra args, topology, the path and words of the one expected problem)`.
#[test]
fn what_feast_refuses_is_refused_at_render_time() {
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &[
                "materialization.engine=spark",
                "materialization.spark.image=x/spark:1",
            ],
            "minimal",
            "materialization.engine: Feast's spark_application engine refuses a file registry",
        ),
        (
            &["materialization.engine=spark"],
            "standard",
            "materialization.spark.image: required with materialization.engine: spark",
        ),
        (
            &[
                "materialization.engine=ray",
                "materialization.ray.image=rayproject/ray:2.49.2",
            ],
            "standard",
            "images.featureServer: `quay.io/feastdev/feature-server:0.66.0` is built from feast[minimal], which has no `ray`",
        ),
        (
            &[
                "materialization.engine=ray",
                "materialization.ray.image=rayproject/ray:2.48.0",
                "images.featureServer=r/s:1",
            ],
            "standard",
            "materialization.ray.rayVersion: 2.49.2 does not match the image tag `2.48.0`",
        ),
        (
            &["materialization.engine=snowflake"],
            "standard",
            "materialization.engine: Feast's Snowflake engine runs only with the Snowflake offline store",
        ),
        (
            &["materialization.spark.driver.memory=4g"],
            "standard",
            "materialization.spark: applies only to engine: spark (engine is local)",
        ),
    ];
    for (sets, topology, expected) in cases {
        let mut cmd = render_cmd();
        cmd.args(["--topology", topology, "--cloud", "aws"]);
        for s in *sets {
            cmd.args(["--set", s]);
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{sets:?}: {err}");
        assert!(out.stdout.is_empty(), "no partial output");
        assert!(
            err.contains(expected),
            "{sets:?}: expected `{expected}` in:\n{err}"
        );
    }
}
