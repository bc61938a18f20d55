//! Exposure that works by default: ALB with an ACM certificate (an ARN, or the one the
//! controller discovers by host, listed as a prerequisite) and one IngressGroup per tenant;
//! GKE Ingress through a NEG Service with HTTPS backends and a /health BackendConfig.

#[path = "topology_common/mod.rs"]
mod common;

use common::*;
use feastops::topology::validate;

fn render(
    args: &[&str],
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Vec<validate::Document>,
) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    render_cmd()
        .args(args)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let (docs, _) = validate::load(std::slice::from_ref(&out)).unwrap();
    (dir, out, docs)
}

fn of<'a>(docs: &'a [validate::Document], kind: &str) -> Vec<&'a serde_json::Value> {
    docs.iter()
        .filter(|d| d.kind() == kind)
        .map(|d| &d.value)
        .collect()
}

#[test]
fn alb_uses_acm_and_one_ingress_group_per_tenant() {
    let (_d, out, docs) = render(&[
        "--topology",
        "enterprise",
        "--tenants",
        "team-a,team-b",
        "--cloud",
        "aws",
    ]);
    let ings = of(&docs, "Ingress");
    let groups: Vec<&str> = ings
        .iter()
        .map(|i| {
            i["metadata"]["annotations"]["alb.ingress.kubernetes.io/group.name"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(groups, vec!["feast-team-a", "feast-team-b"]);
    for i in &ings {
        assert!(
            i["metadata"]["annotations"]
                .get("cert-manager.io/cluster-issuer")
                .is_none(),
            "ALB reads no Secret"
        );
        assert!(i["spec"]["tls"][0].get("secretName").is_none());
        assert_eq!(
            i["metadata"]["annotations"]["alb.ingress.kubernetes.io/healthcheck-protocol"],
            "HTTPS"
        );
    }
    let pre = std::fs::read_to_string(out.join("PREREQUISITES.md")).unwrap();
    assert!(
        pre.contains("`ACM certificate team-a.feast.example.com`"),
        "{pre}"
    );

    let arn = "arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e";
    let (_d, out, docs) = render(&[
        "--topology",
        "standard",
        "--cloud",
        "aws",
        "--set",
        &format!("aws.certificateArn={arn}"),
    ]);
    assert_eq!(
        of(&docs, "Ingress")[0]["metadata"]["annotations"]["alb.ingress.kubernetes.io/certificate-arn"],
        arn
    );
    let pre = std::fs::read_to_string(out.join("PREREQUISITES.md")).unwrap();
    assert!(!pre.contains("ACM certificate"), "{pre}");
}

#[test]
fn gke_ingress_has_https_neg_backends_and_a_health_check_on_health() {
    let (_d, _out, docs) = render(&["--topology", "standard", "--cloud", "gcp"]);
    let ing = of(&docs, "Ingress")[0];
    let backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"]
        .as_str()
        .unwrap();
    let svc = of(&docs, "Service")
        .into_iter()
        .find(|s| s["metadata"]["name"] == backend)
        .expect("the Ingress backend Service is rendered");
    let ann = &svc["metadata"]["annotations"];
    assert_eq!(
        ann["cloud.google.com/app-protocols"],
        r#"{"https": "HTTPS"}"#
    );
    assert_eq!(ann["cloud.google.com/neg"], r#"{"ingress": true}"#);
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], 6567);
    let bc = of(&docs, "BackendConfig")[0];
    assert_eq!(bc["spec"]["healthCheck"]["requestPath"], "/health");
    assert_eq!(bc["spec"]["healthCheck"]["type"], "HTTPS");
    assert!(
        ann["cloud.google.com/backend-config"]
            .as_str()
            .unwrap()
            .contains(bc["metadata"]["name"].as_str().unwrap())
    );
}
