//! The bad-input corpus of `validate` and `render`: every case the issue lists, each with
//! the message it must print and its exit code (1: findings, 2: unusable input).

#[path = "topology_common/mod.rs"]
mod common;

use common::*;
use predicates::prelude::*;

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  namespace: feast\n";

/// (case, files in the input directory, expected message, exit code)
type Case = (&'static str, Vec<(&'static str, String)>, &'static str, i32);

fn validate_cases() -> Vec<Case> {
    vec![
        ("empty file", vec![("a.yaml", String::new())], "no Kubernetes objects to validate", 2),
        ("directory without objects", vec![("notes.txt", "hello".into())], "no Kubernetes objects to validate", 2),
        ("duplicate keys", vec![("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n  namespace: feast\n".into())],
            "duplicate key `name`", 2),
        ("role binding without roleRef", vec![("a.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: feast\nsubjects:\n- kind: ServiceAccount\n  name: x\n  namespace: feast\n".into())],
            "required field `roleRef.name` is missing", 1),
        ("HPA min above max", vec![("a.yaml", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n  namespace: feast\nspec:\n  minReplicas: 5\n  maxReplicas: 2\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: d\n".into())],
            "2 is below minReplicas 5", 1),
        ("CronJob schedule", vec![("a.yaml", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\n  namespace: feast\nspec:\n  schedule: every hour\n  timeZone: Mars/Olympus\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n".into())],
            "`Mars/Olympus` is not an IANA time zone name", 1),
        ("NetworkPolicy protocol", vec![("a.yaml", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: n\n  namespace: feast\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - protocol: ICMP\n      port: 53\n".into())],
            "`ICMP` is not one of: TCP, UDP, SCTP", 1),
        ("Deployment enums", vec![("a.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: feast\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      restartPolicy: Always\n      containers:\n      - name: c\n        image: busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n        imagePullPolicy: Sometimes\n".into())],
            "`Sometimes` is not one of: Always, IfNotPresent, Never", 1),
        ("quantity and label formats", vec![("a.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: feast\n  labels: {team: ml platform}\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers:\n      - name: c\n        image: busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n        resources: {limits: {memory: 1GB}}\n".into())],
            "`1GB` is not a quantity (e.g. 500m, 256Mi, 1)", 1),
        ("CIDR /33", vec![("a.yaml", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: n\n  namespace: feast\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/33\n".into())],
            "the prefix length must be 0–32", 1),
        ("broken file among good ones", vec![("a.yaml", "a: [\n".into()), ("b.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n  namespace: feast\n".into()), ("c.yaml", CM.into())],
            "not valid YAML", 2),
    ]
}

#[test]
fn validate_bad_input_corpus() {
    for (case, files, message, code) in validate_cases() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in &files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let out = feastops()
            .args(["validate", "--policy", "off"])
            .arg(dir.path())
            .assert()
            .code(code);
        let o = out.get_output();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            all.contains(message),
            "{case}: expected `{message}` in:\n{all}"
        );
        assert!(!all.contains("panicked"), "{case}");
        if case == "broken file among good ones" {
            // The other files were still checked.
            assert!(
                all.contains("b.yaml") && all.contains("roleRef"),
                "{case}:\n{all}"
            );
            assert!(all.contains("2 documents"), "{case}:\n{all}");
        }
    }
}

#[test]
fn render_bad_input_corpus() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "reserved tenant",
            &["--topology", "enterprise", "--tenants", "kube-system"],
            "`kube-system` is reserved",
        ),
        (
            "monitoring tenant",
            &["--topology", "enterprise", "--tenants", "monitoring"],
            "`monitoring` is reserved",
        ),
        (
            "openshift tenant",
            &["--topology", "enterprise", "--tenants", "openshift-ingress"],
            "`openshift-ingress` is reserved",
        ),
        (
            "default namespace",
            &["--topology", "standard", "--namespace", "default"],
            "`default` is reserved",
        ),
        (
            "tenants outside Enterprise",
            &["--topology", "standard", "--tenants", "team-a"],
            "applies only to the enterprise topology",
        ),
        (
            "shared registry outside Enterprise",
            &["--topology", "minimal", "--shared-registry"],
            "applies only to the enterprise topology",
        ),
        (
            "CIDR /33",
            &[
                "--topology",
                "standard",
                "--set",
                "network.podCidrs=[10.0.0.0/33]",
            ],
            "the prefix length must be 0–32",
        ),
        (
            "cron",
            &[
                "--topology",
                "standard",
                "--set",
                "materialization.schedule=every hour",
            ],
            "is not a cron schedule",
        ),
        (
            "time zone",
            &[
                "--topology",
                "standard",
                "--set",
                "materialization.timeZone=Mars/Olympus",
            ],
            "not an IANA time zone",
        ),
        (
            "LB overlaps pods",
            &[
                "--topology",
                "standard",
                "--set",
                "network.loadBalancerCidrs=[10.0.0.0/16]",
            ],
            "overlaps the pod range 10.0.0.0/17",
        ),
        (
            "private APIs without CIDRs",
            &[
                "--topology",
                "standard",
                "--set",
                "network.cloudApis.access=private",
            ],
            "network.cloudApis.cidrs",
        ),
        (
            "bad client namespace",
            &[
                "--topology",
                "standard",
                "--set",
                "network.clientNamespaces=[Bad_NS]",
            ],
            "not a valid namespace name",
        ),
    ];
    for (case, args, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        render_cmd()
            .args(["--cloud", "aws"])
            .args(*args)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(*message)
                    .or(predicate::str::contains("nothing"))
                    .and(predicate::str::contains(*message)),
            );
        assert!(!out.exists(), "{case}: nothing written");
    }
}

#[test]
fn example_defaults_are_listed_after_a_render() {
    render_cmd()
        .args([
            "--topology",
            "enterprise",
            "--tenants",
            "team-a",
            "--cloud",
            "aws",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "aws.accountId is still the example `123456789012`",
        ))
        .stderr(predicate::str::contains(
            "exposure.host is still the example `feast.example.com`",
        ))
        .stderr(predicate::str::contains(
            "oidc.issuerUrl is still the example",
        ))
        .stderr(predicate::str::contains(
            "network.loadBalancerCidrs is still the example",
        ));
}
