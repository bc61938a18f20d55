//! The flow matrix of every topology × cloud × variant: the rendered NetworkPolicies,
//! evaluated with Kubernetes NetworkPolicy semantics under both CNI readings of ipBlock,
//! allow every flow the deployment needs and deny every cross-tenant flow. The expected
//! matrix is held here, independently of the model the render writes.

#[path = "topology_common/mod.rs"]
mod common;

use common::*;
use feastops::topology::flows::{
    self,
    model::{Expect, Flow, Model},
};
use feastops::topology::validate;

struct Render {
    name: String,
    docs: Vec<validate::Document>,
    model: Model,
    _dir: tempfile::TempDir,
}

fn render(name: &str, args: &[String]) -> Render {
    let (dir, out) = render_dir(args);
    let (docs, broken) = validate::load(std::slice::from_ref(&out)).unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let model: Model =
        serde_yaml_ng::from_str(&std::fs::read_to_string(out.join("flows.yaml")).unwrap()).unwrap();
    // The CLI agrees: every flow of the written model holds.
    feastops()
        .args(["validate", "--flows"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains(", 0 not"));
    Render {
        name: name.into(),
        docs,
        model,
        _dir: dir,
    }
}

/// Evaluate a flow this test states, over the render's endpoints.
fn check(r: &Render, from: &str, to: &str, proto: &str, port: u16, expect: Expect) {
    let m = Model {
        endpoints: r.model.endpoints.clone(),
        flows: vec![Flow {
            from: from.into(),
            to: to.into(),
            protocol: proto.into(),
            port,
            expect,
            why: "test".into(),
        }],
    };
    let sim = flows::simulate(&r.docs, &m).unwrap_or_else(|e| panic!("{}: {e}", r.name));
    assert!(
        sim.failures().is_empty(),
        "{}: {from} -> {to} {port}/{proto} expected {expect:?}:\n{}",
        r.name,
        flows::text(&sim)
    );
}

fn feast_pods(r: &Render) -> Vec<String> {
    r.model
        .endpoints
        .iter()
        .filter(|e| e.pod_labels.contains_key("feast.dev/name"))
        .map(|e| e.id.clone())
        .collect()
}

use Expect::{Allow, Deny};

#[test]
fn every_combination_allows_what_it_needs_and_denies_cross_tenant_flows() {
    for (name, args) in combinations() {
        let r = render(&name, &args);
        let minimal = name.starts_with("minimal");
        let pods = feast_pods(&r);
        assert!(!pods.is_empty(), "{name}");
        let tls = !minimal || name.contains("onprem");
        let online = if tls { 6567 } else { 6566 };
        for p in &pods {
            let registry_only = p.ends_with("/registry");
            // DNS, per cloud, every documented variant.
            if name.contains("aws") {
                check(&r, p, "kube-dns", "UDP", 53, Allow);
                check(&r, p, "nodelocal-dns", "UDP", 53, Allow);
                check(&r, p, "kube-dns-clusterip", "UDP", 53, Allow);
                check(&r, p, "eks-pod-identity", "TCP", 80, Allow);
                check(&r, p, "cloud-api", "TCP", 443, Allow);
                check(&r, p, "api-server", "TCP", 443, Allow);
                if !minimal {
                    check(&r, p, "imds", "TCP", 80, Deny);
                }
            } else if name.contains("gcp") {
                check(&r, p, "kube-dns", "UDP", 53, Allow);
                check(&r, p, "nodelocal-dns", "TCP", 53, Allow);
                check(&r, p, "cloud-dns", "UDP", 53, Allow);
                check(&r, p, "cloud-dns", "TCP", 80, Allow); // metadata server, Dataplane V2
                check(&r, p, "gke-metadata-daemon", "TCP", 988, Allow);
                check(&r, p, "cloud-api", "TCP", 443, Allow);
                check(&r, p, "api-server", "TCP", 443, Allow);
            } else {
                check(&r, p, "openshift-dns", "UDP", 5353, Allow);
                if !minimal && !registry_only_remote(&r, p) {
                    let ns = p.split('/').next().unwrap();
                    check(&r, p, &format!("registry-db:{ns}-db"), "TCP", 5432, Allow);
                }
                check(&r, p, "api-server", "TCP", 6443, Allow);
                if !minimal && !name.contains("isolated") {
                    // No cloud on-prem: nothing public on 443 unless a store or the
                    // OIDC issuer (Enterprise isolated) needs it.
                    check(&r, p, "cloud-api", "TCP", 443, Deny);
                }
            }
            if name.contains("isolated") {
                check(&r, p, "oidc-issuer", "TCP", 443, Allow);
            }
            if !registry_only {
                check(&r, "client", p, "TCP", online, Allow);
            }
            if !minimal {
                check(
                    &r,
                    "stranger",
                    p,
                    "TCP",
                    if registry_only { 6571 } else { online },
                    Deny,
                );
                check(&r, p, "stranger", "TCP", 8080, Deny);
            }
        }
        if !minimal {
            // The load balancer reaches the online port of every exposed server.
            let lbs: &[&str] = if name.contains("aws") {
                &["lb"]
            } else if name.contains("gcp") {
                &["lb-proxy", "lb-health-check"]
            } else {
                &["router"]
            };
            for p in pods.iter().filter(|p| !p.ends_with("/registry")) {
                for lb in lbs {
                    check(&r, lb, p, "TCP", online, Allow);
                    check(&r, lb, p, "TCP", 8816, Deny);
                }
            }
        }
        if name.starts_with("enterprise") {
            let tenants: Vec<&String> = pods.iter().filter(|p| p.starts_with("team-")).collect();
            assert_eq!(tenants.len(), 2, "{name}");
            for a in &tenants {
                for b in &tenants {
                    if a == b {
                        continue;
                    }
                    let a_ns = a.split('/').next().unwrap();
                    for port in [6567, 6571, 6573, 8816] {
                        check(&r, a, b, "TCP", port, Deny);
                        check(&r, &format!("{a_ns}/other-pod"), b, "TCP", port, Deny);
                    }
                }
                if name.contains("shared") {
                    check(&r, a, "feast/registry", "TCP", 6571, Allow);
                    check(&r, "stranger", "feast/registry", "TCP", 6571, Deny);
                }
            }
        }
    }
}

/// A load-balancer range that contains the pod range admits every pod on CNIs that match
/// ipBlocks against pod IPs, and nobody on the others: the simulator must tell them apart.
#[test]
fn an_ip_block_overlapping_pod_cidrs_leaks_only_under_the_pod_matching_reading() {
    let args: Vec<String> = [
        "--topology",
        "enterprise",
        "--tenants",
        "team-a,team-b",
        "--cloud",
        "aws",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(GIT_REPO_SETS.iter().map(|s| s.to_string()))
    .collect();
    let r = render("aws-enterprise", &args);
    // Edit the rendered policy the way the old default did: the whole VPC as LB source.
    let mut docs = r.docs.clone();
    for d in docs
        .iter_mut()
        .filter(|d| d.name() == "allow-ingress-controller")
    {
        d.value["spec"]["ingress"][0]["from"] =
            serde_json::json!([{"ipBlock": {"cidr": "10.0.0.0/16"}}]);
    }
    let m = Model {
        endpoints: r.model.endpoints.clone(),
        flows: vec![Flow {
            from: "stranger".into(),
            to: "team-a/team-a".into(),
            protocol: "TCP".into(),
            port: 6567,
            expect: Deny,
            why: "t".into(),
        }],
    };
    let sim = flows::simulate(&docs, &m).unwrap();
    let row = &sim.rows[0];
    assert!(row.pods_in_blocks.allowed(), "{}", flows::text(&sim));
    assert!(!row.external_only.allowed(), "{}", flows::text(&sim));
    assert_eq!(sim.failures().len(), 1);

    // The same edit on disk: `validate --flows` fails and names the flow.
    let (_dir, out) = render_dir(&args);
    let f = out.join("manifests/team-a/networkpolicy-allow-ingress-controller.yaml");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("cidr: 10.0.240.0/20", "cidr: 10.0.0.0/16");
    std::fs::write(&f, text).unwrap();
    feastops()
        .args(["validate", "--flows"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicates::str::contains("FAIL stranger"))
        .stdout(predicates::str::contains("pods-in-ipBlock: allowed"));
}

#[test]
fn the_render_readme_holds_the_flow_matrix_and_the_example_values() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    render_cmd()
        .args(["--topology", "standard", "--cloud", "gcp", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "network.apiServerCidrs is still the example `172.16.0.0/28`",
        ));
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains(
            "| feast/feast | cloud-dns | 53/UDP | allow | allowed | allowed | allow-dns / - |"
        ),
        "{readme}"
    );
    assert!(readme.contains("Cloud APIs: public endpoints"), "{readme}");
    assert!(
        readme.contains("proxy-only subnet 10.129.0.0/23"),
        "{readme}"
    );
    // Private Google Access when asked for.
    let out2 = dir.path().join("out2");
    render_cmd()
        .args([
            "--topology",
            "standard",
            "--cloud",
            "gcp",
            "--set",
            "network.cloudApis.access=private",
            "-o",
        ])
        .arg(&out2)
        .assert()
        .success();
    let np = std::fs::read_to_string(
        out2.join("manifests/feast/networkpolicy-allow-egress-cloud-apis.yaml"),
    )
    .unwrap();
    assert!(
        np.contains("cidr: 199.36.153.8/30") && np.contains("private.googleapis.com"),
        "{np}"
    );
}

/// A tenant of the shared registry has no database of its own.
fn registry_only_remote(r: &Render, pod: &str) -> bool {
    !r.model
        .endpoints
        .iter()
        .any(|e| e.id == format!("registry-db:{}-db", pod.split('/').next().unwrap()))
        && r.name.contains("shared")
}

/// Policies written with the container port names the operator gives its servers admit
/// the same flows as the rendered numeric ports; a misspelt name admits nothing.
#[test]
fn port_names_resolve_against_the_operator_container_ports() {
    let args: Vec<String> = ["--topology", "standard", "--cloud", "aws"]
        .iter()
        .map(|s| s.to_string())
        .chain(GIT_REPO_SETS.iter().map(|s| s.to_string()))
        .collect();
    let r = render("aws-standard", &args);
    let by_name = |name: &str| {
        let mut docs = r.docs.clone();
        let mut renamed = 0;
        for d in docs.iter_mut().filter(|d| d.kind() == "NetworkPolicy") {
            for rule in d.value["spec"]["ingress"]
                .as_array_mut()
                .into_iter()
                .flatten()
            {
                for p in rule["ports"].as_array_mut().into_iter().flatten() {
                    if p["port"] == 6567 {
                        p["port"] = serde_json::json!(name);
                        renamed += 1;
                    }
                }
            }
        }
        assert!(renamed > 0, "no ingress rule names the online port");
        flows::simulate(&docs, &r.model).unwrap()
    };
    let sim = by_name("online");
    assert!(sim.failures().is_empty(), "{}", flows::text(&sim));
    let sim = by_name("onlin");
    let failed: Vec<String> = sim
        .failures()
        .iter()
        .map(|row| format!("{} -> {}", row.flow.from, row.flow.to))
        .collect();
    assert!(
        failed.iter().any(|f| f.starts_with("client -> ")),
        "{}",
        flows::text(&sim)
    );
}

/// A store CIDR that contains a pod range loses that range to `except`: the render warns,
/// the README says so, and the model's address there is unreachable under both readings.
#[test]
fn a_pod_range_inside_a_store_cidr_is_cut_out_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    render_cmd()
        .args([
            "--topology",
            "standard",
            "--cloud",
            "onprem",
            "--set",
            "network.podCidrs=[10.128.0.0/14]",
            "--set",
            "network.storeCidrs=[10.0.0.0/8]",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning: network.storeCidrs[0] (10.0.0.0/8) contains the pod range 10.128.0.0/14, which the policies cut out",
        ));
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains("## Store addresses the policies cannot reach"),
        "{readme}"
    );
    let model: Model =
        serde_yaml_ng::from_str(&std::fs::read_to_string(out.join("flows.yaml")).unwrap()).unwrap();
    let cut = model
        .flows
        .iter()
        .find(|f| f.to == "store-cut:0")
        .expect("a flow to the cut address");
    assert_eq!(cut.expect, Deny);
    feastops()
        .args(["validate", "--flows"])
        .arg(&out)
        .assert()
        .success();
}
