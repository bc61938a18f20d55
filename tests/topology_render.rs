//! `feastops render`: every topology × cloud × air-gapped combination renders, validates
//! against the full v0.66 CRD (schema + CEL), strict core kinds and policy, and matches
//! its golden snapshot; plus determinism, layering, overrides and safe output.

#[path = "topology_common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::*;
use feastops::topology::operator;
use feastops::topology::render::{Templates, render};
use feastops::topology::spec;
use feastops::topology::validate::{self, Options, PolicyMode, crd::CrdValidator, parse_documents};
use predicates::prelude::*;
use serde_json::Value;

/// Renders; args that name no feature repo get the test git repo.
fn render_args(args: &[String]) -> String {
    let mut cmd = if args.iter().any(|a| a.contains("featureRepo")) {
        let mut c = feastops();
        c.arg("render");
        c
    } else {
        render_cmd()
    };
    let out = cmd.args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn docs_of(stream: &str) -> Vec<validate::Document> {
    parse_documents(stream, "stdout").unwrap()
}

fn find<'a>(docs: &'a [validate::Document], kind: &str, ns: &str, name: &str) -> &'a Value {
    &docs
        .iter()
        .find(|d| {
            d.kind() == kind
                && d.value["metadata"]["namespace"].as_str().unwrap_or("") == ns
                && d.name() == name
        })
        .unwrap_or_else(|| panic!("no {kind} {ns}/{name}"))
        .value
}

#[test]
fn every_combination_validates_against_the_full_crd_and_matches_its_snapshot() {
    let full = Arc::new(CrdValidator::from_crd_file(&crd_file()).unwrap());
    for (name, args) in combinations() {
        let stream = render_args(&args);
        let docs = docs_of(&stream);
        let report = validate::validate_documents(
            &docs,
            &Options {
                crd: full.clone(),
                policy: PolicyMode::Deny,
                ..Default::default()
            },
        );
        assert!(report.is_ok(), "{name}:\n{}", report.render());
        let stores = docs.iter().filter(|d| d.kind() == "FeatureStore").count();
        let expected = match name.split('-').next().unwrap() {
            "minimal" | "standard" => 1,
            _ if name.contains("shared") => 3,
            _ => 2,
        };
        assert_eq!(stores, expected, "{name}");
        // The operator's init containers carry no resources: every FeatureStore
        // namespace gives containers defaults, or a ResourceQuota refuses the pod.
        for fs in docs.iter().filter(|d| d.kind() == "FeatureStore") {
            let ns = fs.value["metadata"]["namespace"].as_str().unwrap();
            let lr = find(&docs, "LimitRange", ns, "feast-container-defaults");
            let limit = &lr["spec"]["limits"][0];
            assert_eq!(limit["type"], "Container", "{name} {ns}");
            for key in ["defaultRequest", "default"] {
                assert!(
                    limit[key]["cpu"].is_string() && limit[key]["memory"].is_string(),
                    "{name} {ns} {key}"
                );
            }
        }
        // Under the operator's model, every rendered CR serves the reviewed
        // repo, never applies on start or from the CronJob, and air-gapped
        // servers run the packaged image (which holds the repo path).
        let airgapped = name.ends_with("-airgapped");
        for fs in docs.iter().filter(|d| d.kind() == "FeatureStore") {
            let d = operator::derive(&fs.value, None);
            let at = format!("{name} {}", fs.name());
            match &d.repo {
                operator::RepoSource::Packaged { image, path } => {
                    assert!(airgapped, "{at}");
                    assert!(
                        d.server_images.iter().all(|(_, i)| i == image),
                        "{at}: {d:?}"
                    );
                    assert_eq!(&d.working_dir, path, "{at}");
                }
                operator::RepoSource::Git { git_ref, .. } => {
                    assert!(!airgapped && git_ref.is_some(), "{at}")
                }
                operator::RepoSource::Init { .. } => panic!("{at}: demo repo"),
            }
            assert!(
                d.init_containers.iter().all(|c| c.name != "feast-apply"),
                "{at}"
            );
            assert!(
                d.cron_commands.iter().all(|c| !c.contains("feast apply")),
                "{at}"
            );
            assert_ne!(d.cron_schedule, "@yearly (suspended)", "{at}");
        }
        insta::assert_snapshot!(name.clone(), stream);
    }
}

#[test]
fn standard_has_hpa_pdb_tls_authz_and_default_deny() {
    let docs = docs_of(&render_args(&[
        "--topology".into(),
        "standard".into(),
        "--cloud".into(),
        "aws".into(),
    ]));
    let fs = find(&docs, "FeatureStore", "feast", "feast");
    let s = &fs["spec"];
    assert_eq!(s["services"]["scaling"]["autoscaling"]["minReplicas"], 2);
    assert_eq!(s["services"]["podDisruptionBudgets"]["maxUnavailable"], 1);
    assert!(
        s.get("replicas").is_none(),
        "no spec.replicas with autoscaling"
    );
    assert_eq!(
        s["services"]["registry"]["local"]["persistence"]["store"]["type"],
        "sql"
    );
    assert_eq!(s["authz"]["kubernetes"]["roles"][0], "feast-admin-role");
    assert_eq!(
        s["services"]["onlineStore"]["server"]["tls"]["secretRef"]["name"],
        "feast-feast-tls"
    );
    assert_eq!(s["services"]["onlineStore"]["server"]["metrics"], true);
    let deny = find(&docs, "NetworkPolicy", "feast", "default-deny");
    assert_eq!(deny["spec"]["podSelector"], serde_json::json!({}));
    // Ingress from the ALB goes to the TLS container port, never to the Service port.
    let lb = find(&docs, "NetworkPolicy", "feast", "allow-ingress-controller");
    assert_eq!(lb["spec"]["ingress"][0]["ports"][0]["port"], 6567);
    let ing = find(&docs, "Ingress", "feast", "feast-feast-online");
    assert_eq!(ing["spec"]["ingressClassName"], "alb");
    assert_eq!(
        ing["metadata"]["annotations"]["alb.ingress.kubernetes.io/target-type"],
        "ip"
    );
    let ns = find(&docs, "Namespace", "", "feast");
    assert_eq!(
        ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
        "baseline"
    );
}

#[test]
fn enterprise_pdb_is_below_hpa_min_and_shared_registry_is_reachable_across_namespaces() {
    let docs = docs_of(&render_args(&[
        "--topology".into(),
        "enterprise".into(),
        "--cloud".into(),
        "onprem".into(),
        "--shared-registry".into(),
        "--tenants".into(),
        "ml,ads".into(),
    ]));
    let tenant = find(&docs, "FeatureStore", "ml", "ml");
    let min = tenant["spec"]["services"]["scaling"]["autoscaling"]["minReplicas"]
        .as_i64()
        .unwrap();
    let pdb = tenant["spec"]["services"]["podDisruptionBudgets"]["minAvailable"]
        .as_i64()
        .unwrap();
    assert!(min >= 3 && pdb < min, "min {min} pdb {pdb}");
    assert_eq!(
        tenant["spec"]["services"]["registry"]["remote"]["feastRef"]["namespace"],
        "feast"
    );
    let reg = find(&docs, "FeatureStore", "feast", "registry");
    assert_eq!(reg["spec"]["replicas"], 3);
    assert_eq!(reg["spec"]["services"]["onlineStore"]["disabled"], true);
    let ingress = find(&docs, "NetworkPolicy", "feast", "allow-tenants-to-registry");
    assert_eq!(ingress["spec"]["ingress"][0]["ports"][0]["port"], 6571);
    let egress = find(
        &docs,
        "NetworkPolicy",
        "ads",
        "allow-egress-shared-registry",
    );
    let peer = &egress["spec"]["egress"][0]["to"][0];
    assert_eq!(
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
        "feast"
    );
    assert_eq!(
        peer["podSelector"]["matchLabels"]["feast.dev/name"],
        "registry"
    );
    // OpenShift: DNS on 5353, a reencrypt Route with rate limiting, no fixed UID.
    let dns = find(&docs, "NetworkPolicy", "ml", "allow-dns");
    assert!(
        dns["spec"]["egress"][0]["ports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["port"] == 5353)
    );
    let route = find(&docs, "Route", "ml", "feast-ml-online");
    assert_eq!(route["spec"]["tls"]["termination"], "reencrypt");
    assert!(
        route["metadata"]["annotations"]["haproxy.router.openshift.io/rate-limit-connections"]
            .is_string()
    );
    assert!(
        tenant["spec"]["services"]["securityContext"]
            .get("fsGroup")
            .is_none()
    );
}

#[test]
fn airgapped_pins_images_pulls_locally_and_lists_every_image() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    feastops()
        .args([
            "render",
            "--topology",
            "standard",
            "--cloud",
            "gcp",
            "--airgapped",
            "--set",
        ])
        .arg(format!("airgapped.featureRepoImage={DIGEST_IMAGE}"))
        .args(AIRGAPPED_IMAGE_SETS)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let fs = std::fs::read_to_string(out.join("manifests/feast/featurestore-feast.yaml")).unwrap();
    let docs = parse_documents(&fs, "fs").unwrap();
    let s = &docs[0].value["spec"];
    assert_eq!(s["feastProjectDir"]["packaged"]["image"], DIGEST_IMAGE);
    assert_eq!(s["services"]["disableInitContainers"], true);
    let mut pulled = Vec::new();
    collect_images(&docs[0].value, &mut pulled);
    let listed = std::fs::read_to_string(out.join("IMAGES.txt")).unwrap();
    // The servers run the packaged repo image: the operator prefers a
    // server `image` over it, and the base image lacks the repo's path.
    for server in ["onlineStore", "offlineStore"] {
        let img = &s["services"][server]["server"]["image"];
        assert!(img.is_null() || img == DIGEST_IMAGE, "{server}: {img}");
    }
    assert_eq!(
        s["services"]["registry"]["local"]["server"]["image"],
        DIGEST_IMAGE
    );
    for (img, policy) in &pulled {
        assert!(
            img.starts_with("registry.internal.example.com/"),
            "{img} not mirrored"
        );
        assert!(img.contains("@sha256:"), "{img} not pinned by digest");
        assert!(
            listed.lines().any(|l| l == img),
            "{img} missing from IMAGES.txt"
        );
        if let Some(p) = policy {
            assert_eq!(p, "IfNotPresent");
        }
    }
    assert!(
        pulled.iter().any(|(i, _)| i.contains("origin-cli")),
        "CronJob image mirrored"
    );
    let sa = std::fs::read_to_string(out.join("manifests/feast/serviceaccount-feast-feast.yaml"))
        .unwrap();
    assert!(
        sa.contains("feast-pull-secret")
            && sa.contains("app.kubernetes.io/managed-by: feast-operator")
    );
    let operator = std::fs::read_to_string(out.join("operator/kustomization.yaml")).unwrap();
    let k: Value = serde_yaml_ng::from_str(&operator).unwrap();
    assert_eq!(k["kind"], "Kustomization");
    assert_eq!(k["images"][0]["name"], "quay.io/feastdev/feast-operator");
    assert_eq!(
        k["images"][0]["newName"],
        "registry.internal.example.com/feastdev/feast-operator"
    );
    assert_eq!(
        k["images"][0]["digest"],
        "sha256:3333333333333333333333333333333333333333333333333333333333333333"
    );
    assert!(!k["images"][0].as_object().unwrap().contains_key("newTag"));
    let patch = k["patches"][0]["patch"].as_str().unwrap();
    assert!(patch.contains("RELATED_IMAGE_FEATURE_SERVER"), "{patch}");
    // No stray half Deployment for directory linters to trip over.
    assert!(!out.join("operator/related-images-patch.yaml").exists());
}

fn collect_images(v: &Value, out: &mut Vec<(String, Option<String>)>) {
    match v {
        Value::Object(m) => {
            if let Some(i) = m.get("image").and_then(Value::as_str) {
                out.push((
                    i.to_string(),
                    m.get("imagePullPolicy")
                        .and_then(Value::as_str)
                        .map(String::from),
                ));
            }
            m.values().for_each(|x| collect_images(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_images(x, out)),
        _ => {}
    }
}

#[test]
fn rendering_is_byte_identical_and_carries_version_and_input_hash() {
    let args: Vec<String> = [
        "--topology",
        "enterprise",
        "--cloud",
        "aws",
        "--shared-registry",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let a = render_args(&args);
    let b = render_args(&args);
    assert_eq!(a, b);
    assert!(a.starts_with(&format!(
        "# Generated by feastops {}",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(a.lines().nth(1).unwrap().contains("input sha256:"));
    let dir = tempfile::tempdir().unwrap();
    let (d1, d2) = (dir.path().join("a"), dir.path().join("b"));
    for d in [&d1, &d2] {
        render_cmd().args(&args).arg("-o").arg(d).assert().success();
    }
    assert_eq!(read_tree(&d1), read_tree(&d2));
    // A different input gives a different hash.
    let c = render_args(
        &[
            args.clone(),
            vec!["--set".into(), "scaling.maxReplicas=30".into()],
        ]
        .concat(),
    );
    assert_ne!(a.lines().nth(1), c.lines().nth(1));
}

fn read_tree(dir: &std::path::Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn unknown_spec_key_exits_2_with_path_and_suggestion() {
    render_cmd()
        .args(["-f"])
        .arg(fixture("specs/typo.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scaling.maxReplica"))
        .stderr(predicate::str::contains("did you mean `maxReplicas`"))
        .stdout(predicate::str::is_empty());
    render_cmd()
        .args([
            "--topology",
            "standard",
            "--cloud",
            "aws",
            "--set",
            "netwrk.storeCidrs=[10.1.0.0/16]",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `network`"));
}

#[test]
fn set_overrides_and_layered_files_later_wins() {
    let out = render_cmd()
        .args(["-f"])
        .arg(fixture("specs/base.yaml"))
        .arg("-f")
        .arg(fixture("specs/prod-overlay.yaml"))
        .args(["--set", "scaling.cpuUtilization=55"])
        .assert()
        .success();
    let docs = docs_of(&String::from_utf8(out.get_output().stdout.clone()).unwrap());
    let fs = find(&docs, "FeatureStore", "fraud-prod", "fraud");
    let a = &fs["spec"]["services"]["scaling"]["autoscaling"];
    assert_eq!(a["maxReplicas"], 12, "overlay file wins over base");
    assert_eq!(
        a["metrics"][0]["resource"]["target"]["averageUtilization"], 55,
        "--set applied"
    );
    assert_eq!(fs["spec"]["feastProject"], "fraud", "base value kept");
    let ing = find(&docs, "Ingress", "fraud-prod", "feast-fraud-online");
    assert_eq!(ing["spec"]["rules"][0]["host"], "fraud.feast.example.com");
    // The client ServiceAccount from base.yaml is bound to the user role as
    // the subject Feast matches; a client namespace is admitted on the
    // network only, never bound as a group Feast would ignore.
    let rb = find(&docs, "RoleBinding", "fraud-prod", "feast-user-role");
    let subjects = rb["subjects"].as_array().unwrap();
    assert!(
        subjects.iter().any(|s| s["kind"] == "ServiceAccount"
            && s["name"] == "trainer"
            && s["namespace"] == "batch"),
        "{subjects:?}"
    );
    assert!(
        !subjects.iter().any(|s| s["name"]
            .as_str()
            .unwrap()
            .starts_with("system:serviceaccounts")),
        "{subjects:?}"
    );
    let np = find(&docs, "NetworkPolicy", "fraud-prod", "allow-clients");
    let peers = serde_json::to_string(&np["spec"]["ingress"]).unwrap();
    for ns in ["inference", "batch"] {
        assert!(
            peers.contains(&format!("\"kubernetes.io/metadata.name\":\"{ns}\"")),
            "{ns}: {peers}"
        );
    }
}

#[test]
fn templates_dir_overrides_by_name_and_rejects_unknown_names() {
    let out = render_cmd()
        .args(["--topology", "minimal", "--cloud", "aws", "--templates"])
        .arg(fixture("templates-override"))
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("team.example.com/owner: platform"));
    assert!(
        !text.contains("pod-security.kubernetes.io/enforce"),
        "the embedded namespaces template was replaced"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nosuch.yaml.hbs"), "x").unwrap();
    render_cmd()
        .args(["--topology", "minimal", "--cloud", "aws", "--templates"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`nosuch.yaml.hbs` is not a template name",
        ));
}

#[test]
fn invalid_render_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    render_cmd()
        .args(["--topology", "standard", "--cloud", "aws", "--templates"])
        .arg(fixture("templates-broken"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("port 443 is not a container port"))
        .stderr(predicate::str::contains("nothing was written"));
    assert!(!out.exists(), "no partial output directory");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temp leftovers"
    );
    // Bad spec: nothing written either.
    render_cmd()
        .args([
            "--topology",
            "standard",
            "--cloud",
            "aws",
            "--set",
            "scaling.minReplicas=1",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scaling.minReplicas"));
    assert!(!out.exists());
}

#[test]
fn output_dir_is_replaced_only_when_ours_and_check_detects_drift() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let base = ["--topology", "standard", "--cloud", "gcp"];
    render_cmd()
        .args(base)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    for f in [
        "kustomization.yaml",
        "BACKUP.md",
        "backup-plan.yaml",
        "IMAGES.txt",
        "permissions/feature_repo.py",
        "manifests/velero/schedule-feast-backup.yaml",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let kust = std::fs::read_to_string(out.join("kustomization.yaml")).unwrap();
    assert!(kust.contains("manifests/feast/featurestore-feast.yaml"));
    render_cmd()
        .args(base)
        .arg("--check")
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    // Drift: edit a committed manifest and add a stray file.
    let fs = out.join("manifests/feast/featurestore-feast.yaml");
    let edited = std::fs::read_to_string(&fs)
        .unwrap()
        .replace("minReplicas: 2", "minReplicas: 4");
    std::fs::write(&fs, edited).unwrap();
    render_cmd()
        .args(base)
        .arg("--check")
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-        minReplicas: 4"))
        .stdout(predicate::str::contains("+        minReplicas: 2"));
    // Re-render replaces our own directory.
    render_cmd()
        .args(base)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    render_cmd()
        .args(base)
        .arg("--check")
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    // A foreign non-empty directory is refused.
    let foreign = dir.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    render_cmd()
        .args(base)
        .arg("-o")
        .arg(&foreign)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing"));
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn no_secret_values_in_any_rendered_output() {
    for (name, mut args) in combinations() {
        args.extend(["--set".to_string(), "secrets.mode=template".to_string()]);
        let docs = docs_of(&render_args(&args));
        for d in docs.iter().filter(|d| d.kind() == "Secret") {
            assert!(
                d.value.get("data").is_none(),
                "{name}: {} has data",
                d.name()
            );
            for (k, v) in d.value["stringData"].as_object().unwrap() {
                let v = v.as_str().unwrap();
                for line in v.lines() {
                    let lower = line.to_ascii_lowercase();
                    if lower.contains("password") || lower.contains("secret") {
                        assert!(
                            line.contains("${") || line.contains('<'),
                            "{name}: {}/{k}: {line}",
                            d.name()
                        );
                    }
                }
                if !v.contains('\n') {
                    assert!(
                        v.starts_with('<') || v.contains("${"),
                        "{name}: {}/{k} = {v}",
                        d.name()
                    );
                }
            }
        }
    }
}

#[test]
fn library_render_matches_cli_and_spec_schema_is_enforced() {
    let doc = serde_json::json!({"topology": "minimal", "cloud": "onprem", "featureRepo": {"git": {"url": "https://git.example.com/ml/feature-repo.git", "ref": "0123456789abcdef0123456789abcdef01234567"}}});
    let s = spec::parse(&doc, "test").unwrap();
    let r = render(&s, &Templates::new(None).unwrap()).unwrap();
    let cli = render_args(&[
        "--topology".into(),
        "minimal".into(),
        "--cloud".into(),
        "onprem".into(),
    ]);
    assert_eq!(r.stream, cli);
    // Minimal on OpenShift: no NetworkPolicies unless asked, TLS on (service-serving certs).
    assert!(!r.stream.contains("kind: NetworkPolicy"));
    let with = render_args(&[
        "--topology".into(),
        "minimal".into(),
        "--cloud".into(),
        "onprem".into(),
        "--set".into(),
        "network.minimalPolicies=true".into(),
    ]);
    assert!(with.contains("name: default-deny"));
    assert!(with.contains("port: 6567"), "OpenShift TLS port");
}

#[test]
fn onprem_in_cluster_stores_get_namespace_peers_and_cnpg_backups_follow_the_db() {
    let args: Vec<String> = [
        "--topology",
        "standard",
        "--cloud",
        "onprem",
        "--set",
        "network.storeNamespaces=[feast-data]",
        "--set",
        "backup.registryDbNamespace=feast-data",
        "--set",
        "backup.registryDbCluster=registry-pg",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let docs = docs_of(&render_args(&args));
    let egress = find(&docs, "NetworkPolicy", "feast", "allow-egress-stores");
    let peers = egress["spec"]["egress"][0]["to"].as_array().unwrap();
    assert!(peers.iter().any(
        |p| p["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] == "feast-data"
    ));
    let ports: Vec<i64> = egress["spec"]["egress"][0]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["port"].as_i64().unwrap())
        .collect();
    assert!(ports.contains(&5432) && ports.contains(&6379), "{ports:?}");
    let sb = find(
        &docs,
        "ScheduledBackup",
        "feast-data",
        "feast-registry-daily",
    );
    assert_eq!(sb["spec"]["cluster"]["name"], "registry-pg");
    assert_eq!(
        sb["spec"]["schedule"].as_str().unwrap().split(' ').count(),
        6,
        "CNPG cron has seconds"
    );
}

#[test]
fn render_validates_against_the_crd_given_with_crd() {
    let text = std::fs::read_to_string(crd_file()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let crd = dir.path().join("crd.yaml");
    std::fs::write(
        &crd,
        text.replacen("pattern: ^[A-Za-z0-9][A-Za-z0-9_-]*$", "pattern: ^x", 1),
    )
    .unwrap();
    let out = dir.path().join("out");
    render_cmd()
        .args(["--topology", "minimal", "--cloud", "aws", "--crd"])
        .arg(&crd)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("spec.feastProject"));
    assert!(!out.exists());
    render_cmd()
        .args([
            "--topology",
            "minimal",
            "--cloud",
            "aws",
            "--project",
            "xproj",
            "--crd",
        ])
        .arg(&crd)
        .assert()
        .success();
}
