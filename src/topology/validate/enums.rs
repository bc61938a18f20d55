//! Enum fields of the core kinds: the OpenAPI types carry them as plain strings, and the
//! API server refuses any value outside the documented set (Kubernetes API reference,
//! v1.34: each field's "Possible enum values").

use serde_json::Value;

use super::core_kinds::CoreProblem;
use super::semantics::one_of;

fn each(v: &Value) -> impl Iterator<Item = (usize, &Value)> {
    v.as_array().into_iter().flatten().enumerate()
}

/// A pod template's spec at `at`; `restart` is what the workload kind allows.
fn pod(spec: &Value, at: &str, restart: &[&str], out: &mut Vec<CoreProblem>) {
    one_of(
        &spec["restartPolicy"],
        &format!("{at}.restartPolicy"),
        restart,
        out,
    );
    one_of(
        &spec["dnsPolicy"],
        &format!("{at}.dnsPolicy"),
        &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
        out,
    );
    for list in ["initContainers", "containers"] {
        for (i, c) in each(&spec[list]) {
            let cat = format!("{at}.{list}[{i}]");
            one_of(
                &c["imagePullPolicy"],
                &format!("{cat}.imagePullPolicy"),
                &["Always", "IfNotPresent", "Never"],
                out,
            );
            one_of(
                &c["terminationMessagePolicy"],
                &format!("{cat}.terminationMessagePolicy"),
                &["File", "FallbackToLogsOnError"],
                out,
            );
            for (j, port) in each(&c["ports"]) {
                one_of(
                    &port["protocol"],
                    &format!("{cat}.ports[{j}].protocol"),
                    &["TCP", "UDP", "SCTP"],
                    out,
                );
            }
        }
    }
}

/// Enum values of one object outside their documented set.
pub fn check(kind: &str, v: &Value) -> Vec<CoreProblem> {
    let mut out = Vec::new();
    let spec = &v["spec"];
    match kind {
        // A Deployment's pods always restart; Jobs' never "Always".
        "Deployment" => pod(
            &spec["template"]["spec"],
            "spec.template.spec",
            &["Always"],
            &mut out,
        ),
        "Job" => pod(
            &spec["template"]["spec"],
            "spec.template.spec",
            &["OnFailure", "Never"],
            &mut out,
        ),
        "CronJob" => pod(
            &spec["jobTemplate"]["spec"]["template"]["spec"],
            "spec.jobTemplate.spec.template.spec",
            &["OnFailure", "Never"],
            &mut out,
        ),
        "Service" => {
            for (field, allowed) in [
                ("externalTrafficPolicy", &["Cluster", "Local"][..]),
                ("internalTrafficPolicy", &["Cluster", "Local"][..]),
                ("sessionAffinity", &["ClientIP", "None"][..]),
                (
                    "ipFamilyPolicy",
                    &["SingleStack", "PreferDualStack", "RequireDualStack"][..],
                ),
            ] {
                one_of(&spec[field], &format!("spec.{field}"), allowed, &mut out);
            }
        }
        "Ingress" => {
            for (i, rule) in each(&spec["rules"]) {
                for (j, path) in each(&rule["http"]["paths"]) {
                    one_of(
                        &path["pathType"],
                        &format!("spec.rules[{i}].http.paths[{j}].pathType"),
                        &["Exact", "Prefix", "ImplementationSpecific"],
                        &mut out,
                    );
                }
            }
        }
        "PodDisruptionBudget" => one_of(
            &spec["unhealthyPodEvictionPolicy"],
            "spec.unhealthyPodEvictionPolicy",
            &["IfHealthyBudget", "AlwaysAllow"],
            &mut out,
        ),
        "HorizontalPodAutoscaler" => {
            for (i, m) in each(&spec["metrics"]) {
                one_of(
                    &m["type"],
                    &format!("spec.metrics[{i}].type"),
                    &[
                        "ContainerResource",
                        "External",
                        "Object",
                        "Pods",
                        "Resource",
                    ],
                    &mut out,
                );
            }
            for dir in ["scaleUp", "scaleDown"] {
                let b = &spec["behavior"][dir];
                one_of(
                    &b["selectPolicy"],
                    &format!("spec.behavior.{dir}.selectPolicy"),
                    &["Max", "Min", "Disabled"],
                    &mut out,
                );
                for (i, pol) in each(&b["policies"]) {
                    one_of(
                        &pol["type"],
                        &format!("spec.behavior.{dir}.policies[{i}].type"),
                        &["Pods", "Percent"],
                        &mut out,
                    );
                }
            }
        }
        "PersistentVolumeClaim" => {
            for (i, m) in each(&spec["accessModes"]) {
                one_of(
                    m,
                    &format!("spec.accessModes[{i}]"),
                    &[
                        "ReadWriteOnce",
                        "ReadOnlyMany",
                        "ReadWriteMany",
                        "ReadWriteOncePod",
                    ],
                    &mut out,
                );
            }
            one_of(
                &spec["volumeMode"],
                "spec.volumeMode",
                &["Filesystem", "Block"],
                &mut out,
            );
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(kind: &str, v: Value) -> Vec<String> {
        check(kind, &v).into_iter().map(|p| p.path).collect()
    }

    #[test]
    fn values_outside_the_documented_set_are_refused_where_they_are() {
        let dep = json!({"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
            "containers": [{"name": "a", "imagePullPolicy": "Sometimes", "ports": [{"containerPort": 1, "protocol": "ICMP"}]}]}}}});
        assert_eq!(
            paths("Deployment", dep),
            [
                "spec.template.spec.restartPolicy",
                "spec.template.spec.containers[0].imagePullPolicy",
                "spec.template.spec.containers[0].ports[0].protocol"
            ]
        );
        let job =
            json!({"spec": {"template": {"spec": {"restartPolicy": "Always", "containers": []}}}});
        assert_eq!(paths("Job", job), ["spec.template.spec.restartPolicy"]);
        let ing =
            json!({"spec": {"rules": [{"http": {"paths": [{"path": "/", "pathType": "Glob"}]}}]}});
        assert_eq!(
            paths("Ingress", ing),
            ["spec.rules[0].http.paths[0].pathType"]
        );
        let hpa = json!({"spec": {"metrics": [{"type": "Memory"}], "behavior": {"scaleDown": {"policies": [{"type": "Nodes"}]}}}});
        assert_eq!(paths("HorizontalPodAutoscaler", hpa).len(), 2);
        let pvc = json!({"spec": {"accessModes": ["ReadWriteOnce", "RWX"]}});
        assert_eq!(paths("PersistentVolumeClaim", pvc), ["spec.accessModes[1]"]);
    }

    #[test]
    fn documented_values_and_absent_fields_pass() {
        let dep = json!({"spec": {"template": {"spec": {"restartPolicy": "Always",
            "containers": [{"name": "a", "imagePullPolicy": "IfNotPresent"}]}}}});
        assert!(check("Deployment", &dep).is_empty());
        assert!(
            check(
                "Service",
                &json!({"spec": {"externalTrafficPolicy": "Local"}})
            )
            .is_empty()
        );
        assert!(check("PodDisruptionBudget", &json!({"spec": {}})).is_empty());
    }
}
