//! What the API server's validation adds to the OpenAPI types of the core kinds: required
//! fields the typed decode fills with defaults, enums, cross-field rules (HPA min ≤ max),
//! CIDR syntax, cron schedules and object size limits.

use serde_json::Value;

use super::core_kinds::CoreProblem;
use crate::topology::cidr;
use crate::topology::spec_checks::cron;

/// etcd's default request limit: the API server refuses larger objects.
pub const MAX_OBJECT_BYTES: usize = 1_572_864;
/// ConfigMap and Secret data may not exceed 1 MiB.
pub const MAX_DATA_BYTES: usize = 1_048_576;

fn p(path: &str, message: impl Into<String>) -> CoreProblem {
    CoreProblem {
        path: path.into(),
        message: message.into(),
    }
}

fn required(v: &Value, fields: &[&str], out: &mut Vec<CoreProblem>) {
    for f in fields {
        let node = f.split('.').try_fold(v, |n, k| n.get(k));
        let missing = match node {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            _ => false,
        };
        if missing {
            out.push(p(f, format!("required field `{f}` is missing")));
        }
    }
}

pub(super) fn one_of(v: &Value, path: &str, allowed: &[&str], out: &mut Vec<CoreProblem>) {
    if let Some(s) = v.as_str()
        && !allowed.contains(&s)
    {
        out.push(p(
            path,
            format!("`{s}` is not one of: {}", allowed.join(", ")),
        ));
    }
}

fn netpol(v: &Value, out: &mut Vec<CoreProblem>) {
    required(v, &["spec.podSelector"], out);
    for (i, t) in v["spec"]["policyTypes"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        one_of(
            t,
            &format!("spec.policyTypes[{i}]"),
            &["Ingress", "Egress"],
            out,
        );
    }
    for dir in ["ingress", "egress"] {
        let peers = if dir == "ingress" { "from" } else { "to" };
        for (i, rule) in v["spec"][dir].as_array().into_iter().flatten().enumerate() {
            for (j, port) in rule["ports"].as_array().into_iter().flatten().enumerate() {
                let at = format!("spec.{dir}[{i}].ports[{j}]");
                one_of(
                    &port["protocol"],
                    &format!("{at}.protocol"),
                    &["TCP", "UDP", "SCTP"],
                    out,
                );
                if let (Some(lo), Some(hi)) = (port["port"].as_u64(), port["endPort"].as_u64())
                    && hi < lo
                {
                    out.push(p(
                        &format!("{at}.endPort"),
                        format!("{hi} is below port {lo}"),
                    ));
                }
                if let Some(n) = port["port"].as_u64()
                    && !(1..=65535).contains(&n)
                {
                    out.push(p(
                        &format!("{at}.port"),
                        format!("{n} is not a port (1–65535)"),
                    ));
                }
            }
            for (j, peer) in rule[peers].as_array().into_iter().flatten().enumerate() {
                let Some(block) = peer.get("ipBlock") else {
                    continue;
                };
                let at = format!("spec.{dir}[{i}].{peers}[{j}].ipBlock");
                let Some(c) = block["cidr"].as_str() else {
                    out.push(p(&format!("{at}.cidr"), "required field `cidr` is missing"));
                    continue;
                };
                let net = match cidr::parse(c) {
                    Ok(n) => n,
                    Err(e) => {
                        out.push(p(&format!("{at}.cidr"), e));
                        continue;
                    }
                };
                for (k, e) in block["except"].as_array().into_iter().flatten().enumerate() {
                    let e = e.as_str().unwrap_or_default();
                    match cidr::parse(e) {
                        Err(m) => out.push(p(&format!("{at}.except[{k}]"), m)),
                        Ok(x)
                            if !(net.contains(&x.network())
                                && x.prefix_len() > net.prefix_len()) =>
                        {
                            out.push(p(
                                &format!("{at}.except[{k}]"),
                                format!("{e} must lie strictly inside {c}"),
                            ))
                        }
                        Ok(_) => {}
                    }
                }
            }
        }
    }
}

fn hpa(v: &Value, out: &mut Vec<CoreProblem>) {
    required(
        v,
        &[
            "spec.maxReplicas",
            "spec.scaleTargetRef.kind",
            "spec.scaleTargetRef.name",
        ],
        out,
    );
    let min = v["spec"]["minReplicas"].as_i64().unwrap_or(1);
    if let Some(max) = v["spec"]["maxReplicas"].as_i64() {
        if min < 1 {
            out.push(p("spec.minReplicas", format!("{min} must be at least 1")));
        }
        if max < min {
            out.push(p(
                "spec.maxReplicas",
                format!("{max} is below minReplicas {min}"),
            ));
        }
    }
}

fn cronjob(v: &Value, out: &mut Vec<CoreProblem>) {
    required(
        v,
        &[
            "spec.schedule",
            "spec.jobTemplate.spec.template.spec.containers",
        ],
        out,
    );
    if let Some(s) = v["spec"]["schedule"].as_str()
        && let Err(e) = cron::check_schedule(s)
    {
        out.push(p("spec.schedule", e));
    }
    if let Some(tz) = v["spec"]["timeZone"].as_str()
        && let Err(e) = cron::check_time_zone(tz)
    {
        out.push(p("spec.timeZone", e));
    }
    one_of(
        &v["spec"]["concurrencyPolicy"],
        "spec.concurrencyPolicy",
        &["Allow", "Forbid", "Replace"],
        out,
    );
    one_of(
        &v["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"],
        "spec.jobTemplate.spec.template.spec.restartPolicy",
        &["OnFailure", "Never"],
        out,
    );
}

fn data_size(v: &Value) -> usize {
    ["data", "binaryData", "stringData"]
        .iter()
        .flat_map(|k| v[k].as_object().into_iter().flatten())
        .map(|(k, d)| k.len() + d.as_str().map_or(0, str::len))
        .sum()
}

/// Checks for one core-kind object (after the typed decode passed or failed).
pub fn check(kind: &str, v: &Value) -> Vec<CoreProblem> {
    let mut out = Vec::new();
    match kind {
        "RoleBinding" | "ClusterRoleBinding" => {
            required(
                v,
                &["roleRef.apiGroup", "roleRef.kind", "roleRef.name"],
                &mut out,
            );
            one_of(
                &v["roleRef"]["kind"],
                "roleRef.kind",
                &["Role", "ClusterRole"],
                &mut out,
            );
            for (i, s) in v["subjects"].as_array().into_iter().flatten().enumerate() {
                required(s, &["kind", "name"], &mut out);
                one_of(
                    &s["kind"],
                    &format!("subjects[{i}].kind"),
                    &["User", "Group", "ServiceAccount"],
                    &mut out,
                );
            }
        }
        "Role" | "ClusterRole" => {
            for (i, r) in v["rules"].as_array().into_iter().flatten().enumerate() {
                if r["verbs"].as_array().is_none_or(|a| a.is_empty()) {
                    out.push(p(
                        &format!("rules[{i}].verbs"),
                        "required field `verbs` is missing",
                    ));
                }
            }
        }
        "NetworkPolicy" => netpol(v, &mut out),
        "HorizontalPodAutoscaler" => hpa(v, &mut out),
        "CronJob" => cronjob(v, &mut out),
        "Service" => {
            one_of(
                &v["spec"]["type"],
                "spec.type",
                &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
                &mut out,
            );
            for (i, port) in v["spec"]["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                required(port, &["port"], &mut out);
                one_of(
                    &port["protocol"],
                    &format!("spec.ports[{i}].protocol"),
                    &["TCP", "UDP", "SCTP"],
                    &mut out,
                );
            }
        }
        "Deployment" => required(
            v,
            &["spec.selector", "spec.template.spec.containers"],
            &mut out,
        ),
        "ConfigMap" | "Secret" if data_size(v) > MAX_DATA_BYTES => out.push(p(
            "data",
            format!("{} bytes of data exceed the 1 MiB limit", data_size(v)),
        )),
        _ => {}
    }
    let size = serde_json::to_string(v).map_or(0, |s| s.len());
    if size > MAX_OBJECT_BYTES {
        out.push(p(
            "",
            format!("the object is {size} bytes; the API server refuses objects over 1.5 MiB"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msgs(kind: &str, v: Value) -> Vec<String> {
        check(kind, &v)
            .into_iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    }

    #[test]
    fn role_binding_needs_a_role_ref() {
        let m = msgs("RoleBinding", json!({"subjects": []}));
        assert!(
            m.iter().any(|m| m.starts_with("roleRef.name: required")),
            "{m:?}"
        );
    }

    #[test]
    fn hpa_min_above_max() {
        let m = msgs(
            "HorizontalPodAutoscaler",
            json!({"spec": {"minReplicas": 5, "maxReplicas": 2,
            "scaleTargetRef": {"kind": "Deployment", "name": "x"}}}),
        );
        assert_eq!(m, vec!["spec.maxReplicas: 2 is below minReplicas 5"]);
    }

    #[test]
    fn network_policy_protocols_and_cidrs() {
        let m = msgs(
            "NetworkPolicy",
            json!({"spec": {"podSelector": {}, "egress": [{
            "ports": [{"protocol": "ICMP", "port": 1}],
            "to": [{"ipBlock": {"cidr": "10.0.0.0/33"}}, {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["192.168.0.0/16"]}}]}]}}),
        );
        assert!(
            m.iter().any(|m| m.contains("`ICMP` is not one of")),
            "{m:?}"
        );
        assert!(m.iter().any(|m| m.contains("0–32")), "{m:?}");
        assert!(m.iter().any(|m| m.contains("strictly inside")), "{m:?}");
    }

    #[test]
    fn cronjob_schedule_and_zone() {
        let m = msgs(
            "CronJob",
            json!({"spec": {"schedule": "every hour", "timeZone": "Mars/Olympus",
            "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}}}),
        );
        assert_eq!(m.len(), 2, "{m:?}");
    }
}
