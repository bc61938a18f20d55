//! Policy checks over a whole set of manifests: what the API server would accept but a
//! production Feast deployment should not have.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Document;
use crate::topology::ports;

/// One policy finding: `doc` indexes the document set given to [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFinding {
    pub doc: usize,
    pub rule: &'static str,
    pub path: String,
    pub message: String,
}

/// Run every policy rule.
pub fn check(docs: &[Document]) -> Vec<PolicyFinding> {
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if !d.is_object() {
            continue;
        }
        let v = &d.value;
        if d.kind() == "FeatureStore" {
            resources(i, v, &mut out);
            authz_explicit(i, v, &mut out);
            pdb_vs_replicas(i, v, &mut out);
            packaged_digest(i, v, &mut out);
        }
        if d.kind() == "Secret" {
            secret_values(i, v, &mut out);
        }
        images(i, v, "", &mut out);
        namespace_set(i, d, &mut out);
    }
    cr_rules(docs, &mut out);
    default_deny(docs, &mut out);
    netpol_ports(docs, &mut out);
    pod_security(docs, &mut out);
    rbac_wildcards(docs, &mut out);
    out
}

/// The CR linter: what the operator will do with each FeatureStore.
fn cr_rules(docs: &[Document], out: &mut Vec<PolicyFinding>) {
    let objects: Vec<&Value> = docs
        .iter()
        .filter(|d| d.is_object())
        .map(|d| &d.value)
        .collect();
    for (i, d) in docs.iter().enumerate() {
        if !d.is_object() || d.kind() != "FeatureStore" {
            continue;
        }
        let cr = crate::topology::crlint::Cr {
            fs: &d.value,
            others: &objects,
        };
        for (rule, hit) in crate::topology::crlint::check(&cr) {
            push(out, i, rule, &hit.path, hit.message);
        }
    }
}

/// The operator's containers set no container-level hardening (feast-dev/feast#6750), so a
/// namespace that enforces the `restricted` Pod Security level rejects the Feast pods.
fn pod_security(docs: &[Document], out: &mut Vec<PolicyFinding>) {
    let with_stores: BTreeSet<&str> = docs
        .iter()
        .filter(|d| d.kind() == "FeatureStore")
        .map(ns_of)
        .collect();
    for (i, d) in docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind() == "Namespace")
    {
        let level = d.value["metadata"]["labels"]["pod-security.kubernetes.io/enforce"].as_str();
        if level == Some("restricted") && with_stores.contains(d.name()) {
            push(
                out,
                i,
                "pod-security",
                "metadata.labels.pod-security.kubernetes.io/enforce",
                format!(
                    "namespace `{}` enforces `restricted`, which rejects the operator's Feast pods (no container securityContext, feast-dev/feast#6750): enforce `baseline` and warn/audit `restricted`",
                    d.name()
                ),
            );
        }
    }
}

/// Roles written for Feast must not use wildcards.
fn rbac_wildcards(docs: &[Document], out: &mut Vec<PolicyFinding>) {
    for (i, d) in docs
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(d.kind(), "Role" | "ClusterRole"))
    {
        for (r, rule) in d.value["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            for field in ["verbs", "resources", "apiGroups"] {
                if rule[field]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|v| v == "*"))
                {
                    push(
                        out,
                        i,
                        "rbac-wildcard",
                        &format!("rules[{r}].{field}"),
                        format!(
                            "`*` in {field}: grant the verbs and resources Feast needs, nothing more"
                        ),
                    );
                }
            }
        }
    }
}

fn push(out: &mut Vec<PolicyFinding>, doc: usize, rule: &'static str, path: &str, msg: String) {
    out.push(PolicyFinding {
        doc,
        rule,
        path: path.to_string(),
        message: msg,
    });
}

fn has_requests_and_limits(res: Option<&Value>) -> Result<(), String> {
    let Some(res) = res else {
        return Err("no resources".into());
    };
    for part in ["requests", "limits"] {
        for r in ["cpu", "memory"] {
            if res.get(part).and_then(|p| p.get(r)).is_none() {
                return Err(format!("no {part}.{r}"));
            }
        }
    }
    Ok(())
}

/// Every server the operator will run, and the CronJob container, needs requests and limits.
fn resources(doc: usize, fs: &Value, out: &mut Vec<PolicyFinding>) {
    let s = &fs["spec"]["services"];
    let mut servers: Vec<(String, Option<&Value>)> = Vec::new();
    if s["onlineStore"]["disabled"] != Value::Bool(true) {
        servers.push((
            "spec.services.onlineStore.server.resources".into(),
            s["onlineStore"]["server"].get("resources"),
        ));
    }
    if s["registry"].get("remote").is_none() {
        servers.push((
            "spec.services.registry.local.server.resources".into(),
            s["registry"]["local"]["server"].get("resources"),
        ));
    }
    if s["offlineStore"].get("server").is_some() {
        servers.push((
            "spec.services.offlineStore.server.resources".into(),
            s["offlineStore"]["server"].get("resources"),
        ));
    }
    if s.get("ui").is_some() {
        servers.push((
            "spec.services.ui.resources".into(),
            s["ui"].get("resources"),
        ));
    }
    servers.push((
        "spec.cronJob.containerConfigs.resources".into(),
        fs["spec"]["cronJob"]["containerConfigs"].get("resources"),
    ));
    for (path, res) in servers {
        if let Err(why) = has_requests_and_limits(res) {
            push(
                out,
                doc,
                "resources",
                &path,
                format!(
                    "missing resources ({why}): set cpu and memory requests and limits on every Feast container"
                ),
            );
        }
    }
}

fn authz_explicit(doc: usize, fs: &Value, out: &mut Vec<PolicyFinding>) {
    if fs["spec"].get("authz").is_none() {
        push(out, doc, "authz-explicit", "spec.authz",
            "authz is not set; since Feast 0.66 that means kubernetes auth, before it no auth: write `authz` explicitly".into());
    }
}

fn min_replicas(fs: &Value) -> Option<i64> {
    let spec = &fs["spec"];
    if let Some(a) = spec["services"]["scaling"].get("autoscaling") {
        return Some(a["minReplicas"].as_i64().unwrap_or(1));
    }
    spec["replicas"].as_i64()
}

fn pdb_vs_replicas(doc: usize, fs: &Value, out: &mut Vec<PolicyFinding>) {
    let Some(min_avail) = fs["spec"]["services"]["podDisruptionBudgets"]["minAvailable"].as_i64()
    else {
        return;
    };
    let min = min_replicas(fs).unwrap_or(1);
    if min_avail >= min {
        push(
            out,
            doc,
            "pdb-below-replicas",
            "spec.services.podDisruptionBudgets.minAvailable",
            format!(
                "PDB minAvailable {min_avail} is not below the minimum replica count {min}: no pod could ever be evicted and node drains would block"
            ),
        );
    }
}

fn packaged_digest(doc: usize, fs: &Value, out: &mut Vec<PolicyFinding>) {
    if let Some(img) = fs["spec"]["feastProjectDir"]["packaged"]["image"].as_str()
        && !img.contains("@sha256:")
    {
        push(
            out,
            doc,
            "image-digest",
            "spec.feastProjectDir.packaged.image",
            format!(
                "packaged feature repo image `{img}` is not pinned by digest (use IMAGE@sha256:...)"
            ),
        );
    }
}

/// A tag is acceptable when it is present and not `latest`, or when the image has a digest.
pub fn image_problem(img: &str) -> Option<String> {
    if img.contains('@') {
        return None;
    }
    let last = img.rsplit('/').next().unwrap_or(img);
    match last.split_once(':') {
        None => Some(format!(
            "image `{img}` has no tag (that means `latest`): pin a version or a digest"
        )),
        Some((_, "latest")) => Some(format!(
            "image `{img}` uses the `latest` tag: pin a version or a digest"
        )),
        Some(_) => None,
    }
}

fn images(doc: usize, v: &Value, path: &str, out: &mut Vec<PolicyFinding>) {
    match v {
        Value::Object(m) => {
            for (k, sub) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if (k == "image" || k == "initImage")
                    && let Some(img) = sub.as_str()
                    && let Some(msg) = image_problem(img)
                {
                    push(out, doc, "image-tag", &p, msg);
                }
                images(doc, sub, &p, out);
            }
        }
        Value::Array(a) => {
            for (i, sub) in a.iter().enumerate() {
                images(doc, sub, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Is this string a placeholder rather than secret material?
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    t.is_empty()
        || t.contains("${")
        || (t.starts_with('<') && t.ends_with('>'))
        || t.contains("REPLACE")
        || t.contains("CHANGE_ME")
}

fn secret_values(doc: usize, v: &Value, out: &mut Vec<PolicyFinding>) {
    if let Some(m) = v["stringData"].as_object() {
        for (k, val) in m {
            let s = val.as_str().unwrap_or_default();
            // A Feast store snippet is YAML: every line's value must be a placeholder or harmless.
            let bad = s.lines().any(|line| {
                let Some((key, value)) = line.split_once(':') else {
                    return false;
                };
                let key = key.trim().to_ascii_lowercase();
                let sensitive = [
                    "password",
                    "secret",
                    "token",
                    "api_key",
                    "apikey",
                    "access_key",
                    "private_key",
                    "path",
                    "connection_string",
                    "url",
                    "dsn",
                ]
                .iter()
                .any(|w| key.contains(w));
                sensitive && !is_placeholder(value) && has_inline_credentials(key.as_str(), value)
            }) || (!s.contains('\n') && !is_placeholder(s));
            if bad {
                push(out, doc, "secret-values", &format!("stringData.{k}"),
                    "Secret holds a literal value: use a placeholder (${VAR}, <VALUE>) or an ExternalSecret".into());
            }
        }
    }
    if let Some(m) = v["data"].as_object() {
        for (k, val) in m {
            if !val.as_str().unwrap_or_default().is_empty() {
                push(out, doc, "secret-values", &format!("data.{k}"),
                    "Secret holds base64 data: render a placeholder template or an ExternalSecret instead".into());
            }
        }
    }
}

fn has_inline_credentials(key: &str, value: &str) -> bool {
    // URLs and paths are only sensitive when they embed `user:password@`.
    if key.contains("path")
        || key.contains("url")
        || key.contains("connection_string")
        || key.contains("dsn")
    {
        let v = value.trim();
        return v.contains('@')
            && v.split('@').next().is_some_and(|p| {
                p.rsplit("//")
                    .next()
                    .is_some_and(|c| c.contains(':') && !c.contains('$'))
            });
    }
    true
}

const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "ClusterIssuer",
    "ClusterSecretStore",
    "Bundle",
];

fn namespace_set(doc: usize, d: &Document, out: &mut Vec<PolicyFinding>) {
    if CLUSTER_SCOPED.contains(&d.kind()) || d.value["apiVersion"] == "feastops.dev/v1alpha1" {
        return;
    }
    match d.value["metadata"]["namespace"].as_str() {
        None => push(
            out,
            doc,
            "namespace",
            "metadata.namespace",
            "namespaced object without metadata.namespace: it lands wherever kubectl points".into(),
        ),
        Some("default") => push(
            out,
            doc,
            "namespace",
            "metadata.namespace",
            "object in the `default` namespace: give Feast its own namespace".into(),
        ),
        Some(_) => {}
    }
}

fn ns_of(d: &Document) -> &str {
    d.value["metadata"]["namespace"].as_str().unwrap_or("")
}

fn is_default_deny(np: &Value) -> bool {
    let spec = &np["spec"];
    let selects_all = spec["podSelector"]
        .as_object()
        .is_some_and(|m| m.is_empty());
    let types: BTreeSet<&str> = spec["policyTypes"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let no_rules = |k: &str| {
        spec.get(k)
            .is_none_or(|r| r.as_array().is_some_and(|a| a.is_empty()))
    };
    selects_all
        && types.contains("Ingress")
        && types.contains("Egress")
        && no_rules("ingress")
        && no_rules("egress")
}

/// From Standard up (any scaled FeatureStore), the namespace must have a default-deny policy.
fn default_deny(docs: &[Document], out: &mut Vec<PolicyFinding>) {
    let denied: BTreeSet<&str> = docs
        .iter()
        .filter(|d| d.kind() == "NetworkPolicy" && is_default_deny(&d.value))
        .map(ns_of)
        .collect();
    for (i, d) in docs.iter().enumerate() {
        if d.kind() == "FeatureStore"
            && crate::topology::crlint::scales(&d.value)
            && !denied.contains(ns_of(d))
        {
            push(
                out,
                i,
                "default-deny",
                "metadata.namespace",
                format!(
                    "namespace `{}` runs a scaled FeatureStore but has no default-deny NetworkPolicy (podSelector {{}}, policyTypes [Ingress, Egress], no rules)",
                    ns_of(d)
                ),
            );
        }
    }
}

/// Container ports of the pod of one FeatureStore (plain and TLS variants, metrics).
pub fn container_ports(fs: &Value) -> BTreeSet<u16> {
    let s = &fs["spec"]["services"];
    let mut p = BTreeSet::new();
    let both = |p: &mut BTreeSet<u16>, pair: (u16, u16)| {
        p.insert(pair.0);
        p.insert(pair.1);
    };
    if s["onlineStore"]["disabled"] != Value::Bool(true) {
        both(&mut p, ports::ONLINE);
        p.insert(ports::METRICS);
    }
    let reg = &s["registry"];
    if reg.get("remote").is_none() {
        both(&mut p, ports::REGISTRY_GRPC);
        if reg["local"]["server"]["restAPI"] == Value::Bool(true) {
            both(&mut p, ports::REGISTRY_REST);
        }
    }
    if s["offlineStore"].get("server").is_some() {
        both(&mut p, ports::OFFLINE);
    }
    if s.get("ui").is_some() {
        both(&mut p, ports::UI);
    }
    p
}

fn feast_name_selector(sel: &Value) -> Option<&str> {
    sel["matchLabels"]["feast.dev/name"].as_str()
}

fn check_ports(
    doc: usize,
    rule_path: &str,
    ports_v: &Value,
    target: &str,
    allowed: &BTreeSet<u16>,
    out: &mut Vec<PolicyFinding>,
) {
    for (k, port) in ports_v.as_array().into_iter().flatten().enumerate() {
        let Some(n) = port["port"].as_u64() else {
            continue;
        };
        if !allowed.contains(&(n as u16)) {
            let hint = match n {
                80 | 443 => {
                    " (80/443 are Service ports; NetworkPolicies match the pod's container ports)"
                }
                _ => "",
            };
            push(
                out,
                doc,
                "netpol-ports",
                &format!("{rule_path}.ports[{k}].port"),
                format!(
                    "port {n} is not a container port of FeatureStore `{target}`{hint}; its pod listens on {}",
                    allowed
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
}

/// NetworkPolicy ports that point at a Feast pod must be that pod's container ports.
fn netpol_ports(docs: &[Document], out: &mut Vec<PolicyFinding>) {
    let mut stores: BTreeMap<(String, String), BTreeSet<u16>> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.kind() == "FeatureStore") {
        let name = d.value["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        stores.insert((ns_of(d).to_string(), name), container_ports(&d.value));
    }
    for (i, d) in docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind() == "NetworkPolicy")
    {
        let ns = ns_of(d).to_string();
        let spec = &d.value["spec"];
        if let Some(target) = feast_name_selector(&spec["podSelector"])
            && let Some(allowed) = stores.get(&(ns.clone(), target.to_string()))
        {
            for (r, rule) in spec["ingress"].as_array().into_iter().flatten().enumerate() {
                check_ports(
                    i,
                    &format!("spec.ingress[{r}]"),
                    &rule["ports"],
                    target,
                    allowed,
                    out,
                );
            }
        }
        for (r, rule) in spec["egress"].as_array().into_iter().flatten().enumerate() {
            for peer in rule["to"].as_array().into_iter().flatten() {
                let Some(target) = feast_name_selector(&peer["podSelector"]) else {
                    continue;
                };
                let peer_ns =
                    peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| ns.clone());
                if let Some(allowed) = stores.get(&(peer_ns, target.to_string())) {
                    check_ports(
                        i,
                        &format!("spec.egress[{r}]"),
                        &rule["ports"],
                        target,
                        allowed,
                        out,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_tags() {
        assert!(image_problem("quay.io/feastdev/feature-server:latest").is_some());
        assert!(image_problem("quay.io/feastdev/feature-server").is_some());
        assert!(image_problem("localhost:5000/feast").is_some());
        assert!(image_problem("localhost:5000/feast:0.66.0").is_none());
        assert!(image_problem("r.io/x@sha256:abc").is_none());
    }

    fn doc(v: serde_json::Value) -> Document {
        Document {
            source: "t".into(),
            index: 0,
            value: v,
        }
    }

    #[test]
    fn restricted_namespace_with_a_featurestore_is_flagged() {
        let ns = |level: &str| {
            doc(serde_json::json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": "feast", "labels": {"pod-security.kubernetes.io/enforce": level}}}))
        };
        let fs = doc(
            serde_json::json!({"apiVersion": "feast.dev/v1", "kind": "FeatureStore",
            "metadata": {"name": "f", "namespace": "feast"}, "spec": {"feastProject": "p"}}),
        );
        let rules = |docs: &[Document]| check(docs).into_iter().map(|f| f.rule).collect::<Vec<_>>();
        assert!(rules(&[ns("restricted"), fs.clone()]).contains(&"pod-security"));
        assert!(!rules(&[ns("baseline"), fs]).contains(&"pod-security"));
    }

    #[test]
    fn wildcard_roles_are_flagged() {
        let role = doc(
            serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": "r", "namespace": "feast"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]}]}),
        );
        let f = check(&[role]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "rbac-wildcard");
        assert_eq!(f[0].path, "rules[0].verbs");
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("${PASSWORD}"));
        assert!(is_placeholder("<redis-password>"));
        assert!(!is_placeholder("hunter2"));
    }
}
