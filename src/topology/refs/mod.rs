//! Reference integrity: every Secret, ConfigMap, ServiceAccount, Role, ClusterIssuer,
//! secret store, namespace, backup location, database cluster or CRD a rendered object
//! names is either in the set (rendered, or produced by a rendered object: a Certificate's
//! Secret, an ExternalSecret's target, the operator's Roles and ServiceAccounts) or a
//! prerequisite — listed in the render's PREREQUISITES.md with the command that creates it.

pub mod commands;

use std::collections::BTreeSet;

use serde_json::Value;

use crate::topology::validate::Document;

/// Something an object needs to exist.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub kind: String,
    /// Empty for cluster-scoped kinds.
    pub namespace: String,
    pub name: String,
}

impl Target {
    fn new(kind: &str, namespace: &str, name: &str) -> Target {
        Target {
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }
    /// `Kind namespace/name` (or `Kind name`): the identifier PREREQUISITES.md lists.
    pub fn id(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// A reference from one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub doc: usize,
    pub path: String,
    pub target: Target,
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// `Kind` of a CRD-defined object's definition: `plural.group`.
fn crd_of(api_version: &str, kind: &str) -> Option<String> {
    let (group, _) = api_version.split_once('/')?;
    if !group.contains('.') || group.ends_with(".k8s.io") && !group.starts_with("trust.") {
        // Built-in groups (apps, batch, networking.k8s.io, rbac.authorization.k8s.io…).
        return None;
    }
    let lower = kind.to_ascii_lowercase();
    let plural = if lower.ends_with('s') {
        format!("{lower}es")
    } else if let Some(stem) = lower.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{lower}s")
    };
    Some(format!("{plural}.{group}"))
}

/// Walk `v` for `secretRef`/`configMapRef`/`secretKeyRef` names.
fn walk_refs(v: &Value, path: &str, ns: &str, out: &mut Vec<(String, Target)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                let name = s(&child["name"]);
                match k.as_str() {
                    "secretRef" | "secretKeyRef" if !name.is_empty() => {
                        out.push((p.clone(), Target::new("Secret", ns, name)))
                    }
                    "configMapRef" | "configMapKeyRef" if !name.is_empty() => {
                        out.push((p.clone(), Target::new("ConfigMap", ns, name)))
                    }
                    "accessKeyId" | "secretAccessKey" if !name.is_empty() => {
                        out.push((p.clone(), Target::new("Secret", ns, name)))
                    }
                    _ => {}
                }
                walk_refs(child, &p, ns, out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                walk_refs(child, &format!("{path}[{i}]"), ns, out);
            }
        }
        _ => {}
    }
}

/// An Ingress's backends and TLS Secrets; on ALB without a certificate ARN, the ACM
/// certificate the controller must discover for each TLS host.
fn ingress_refs(v: &Value, ns: &str, r: &mut Vec<(String, Target)>) {
    let alb = v["spec"]["ingressClassName"] == "alb";
    let arn = v["metadata"]["annotations"]
        .get("alb.ingress.kubernetes.io/certificate-arn")
        .is_some();
    for (j, t) in v["spec"]["tls"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(secret) = t["secretName"].as_str() {
            r.push((
                format!("spec.tls[{j}].secretName"),
                Target::new("Secret", ns, secret),
            ));
        }
        if alb && !arn {
            for h in t["hosts"].as_array().into_iter().flatten() {
                r.push((
                    format!("spec.tls[{j}].hosts"),
                    Target::new(commands::ACM_CERTIFICATE, "", s(h)),
                ));
            }
        }
    }
    for (j, rule) in v["spec"]["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for path in rule["http"]["paths"].as_array().into_iter().flatten() {
            if let Some(svc) = path["backend"]["service"]["name"].as_str() {
                r.push((
                    format!("spec.rules[{j}].http"),
                    Target::new("Service", ns, svc),
                ));
            }
        }
    }
}

/// Every reference of every document.
pub fn references(docs: &[Document]) -> Vec<Reference> {
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.is_object()) {
        let v = &d.value;
        let ns = s(&v["metadata"]["namespace"]);
        let mut r: Vec<(String, Target)> = Vec::new();
        if !ns.is_empty() {
            r.push((
                "metadata.namespace".into(),
                Target::new("Namespace", "", ns),
            ));
        }
        if let Some(crd) = crd_of(d.api_version(), d.kind()) {
            r.push((
                "apiVersion".into(),
                Target::new("CustomResourceDefinition", "", &crd),
            ));
        }
        walk_refs(&v["spec"], "spec", ns, &mut r);
        match d.kind() {
            "ServiceAccount" => {
                for (j, p) in v["imagePullSecrets"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    r.push((
                        format!("imagePullSecrets[{j}]"),
                        Target::new("Secret", ns, s(&p["name"])),
                    ));
                }
            }
            "Certificate" => {
                let kind = v["spec"]["issuerRef"]["kind"].as_str().unwrap_or("Issuer");
                let iss_ns = if kind == "ClusterIssuer" { "" } else { ns };
                r.push((
                    "spec.issuerRef".into(),
                    Target::new(kind, iss_ns, s(&v["spec"]["issuerRef"]["name"])),
                ));
            }
            "ExternalSecret" => {
                let kind = v["spec"]["secretStoreRef"]["kind"]
                    .as_str()
                    .unwrap_or("SecretStore");
                let st_ns = if kind == "ClusterSecretStore" { "" } else { ns };
                r.push((
                    "spec.secretStoreRef".into(),
                    Target::new(kind, st_ns, s(&v["spec"]["secretStoreRef"]["name"])),
                ));
            }
            "Ingress" => {
                if let Some(issuer) =
                    v["metadata"]["annotations"]["cert-manager.io/cluster-issuer"].as_str()
                {
                    r.push((
                        "metadata.annotations".into(),
                        Target::new("ClusterIssuer", "", issuer),
                    ));
                }
                ingress_refs(v, ns, &mut r);
            }
            "Service" => {
                if let Some(bc) =
                    v["metadata"]["annotations"]["cloud.google.com/backend-config"].as_str()
                    && let Ok(m) = serde_json::from_str::<Value>(bc)
                {
                    for name in m
                        .as_object()
                        .into_iter()
                        .flatten()
                        .filter_map(|(_, n)| n.as_str())
                    {
                        r.push((
                            "metadata.annotations".into(),
                            Target::new("BackendConfig", ns, name),
                        ));
                    }
                }
            }
            "RoleBinding" | "ClusterRoleBinding" => {
                let kind = s(&v["roleRef"]["kind"]);
                let rns = if kind == "Role" { ns } else { "" };
                r.push((
                    "roleRef".into(),
                    Target::new(kind, rns, s(&v["roleRef"]["name"])),
                ));
            }
            "Bundle" => {
                for (j, src) in v["spec"]["sources"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    if let Some(name) = src["secret"]["name"].as_str() {
                        r.push((
                            format!("spec.sources[{j}].secret"),
                            Target::new("Secret", commands::TRUST_NAMESPACE, name),
                        ));
                    }
                }
            }
            "Schedule" => {
                if let Some(loc) = v["spec"]["template"]["storageLocation"].as_str() {
                    r.push((
                        "spec.template.storageLocation".into(),
                        Target::new("BackupStorageLocation", ns, loc),
                    ));
                }
            }
            // Feast's spark_application engine creates SparkApplications at run time: the
            // Spark Operator's CRD must exist although no rendered object uses it.
            "ConfigMap"
                if crate::topology::batch::engine_type(s(&v["data"]["config"]))
                    == Some("spark_application") =>
            {
                r.push((
                    "data.config".into(),
                    Target::new(
                        "CustomResourceDefinition",
                        "",
                        "sparkapplications.sparkoperator.k8s.io",
                    ),
                ));
            }
            "ScheduledBackup" => {
                r.push((
                    "spec.cluster".into(),
                    Target::new("Cluster", ns, s(&v["spec"]["cluster"]["name"])),
                ));
            }
            _ => {}
        }
        out.extend(
            r.into_iter()
                .filter(|(_, t)| !t.name.is_empty())
                .map(|(path, target)| Reference {
                    doc: i,
                    path,
                    target,
                }),
        );
    }
    out
}

/// What the documents create, directly or through a controller that acts on them.
pub fn provided(docs: &[Document]) -> BTreeSet<Target> {
    let mut out = BTreeSet::new();
    for d in docs.iter().filter(|d| d.is_object()) {
        let v = &d.value;
        let ns = s(&v["metadata"]["namespace"]);
        let name = d.name();
        out.insert(Target::new(d.kind(), ns, name));
        match d.kind() {
            "Certificate" => {
                out.insert(Target::new("Secret", ns, s(&v["spec"]["secretName"])));
            }
            "ExternalSecret" => {
                let target = v["spec"]["target"]["name"].as_str().unwrap_or(name);
                out.insert(Target::new("Secret", ns, target));
            }
            "Ingress"
                if v["metadata"]["annotations"]
                    .get("cert-manager.io/cluster-issuer")
                    .is_some() =>
            {
                for t in v["spec"]["tls"].as_array().into_iter().flatten() {
                    out.insert(Target::new("Secret", ns, s(&t["secretName"])));
                }
            }
            "Bundle" => {
                // trust-manager writes the bundle as a ConfigMap of the same name into the
                // selected namespaces; the selector is label-based, so every namespace counts.
                for n in docs.iter().filter(|n| n.kind() == "Namespace") {
                    out.insert(Target::new("ConfigMap", n.name(), name));
                }
            }
            "FeatureStore" => {
                // The operator creates the store's ServiceAccount, its Services and the authz Roles.
                out.insert(Target::new("ServiceAccount", ns, &format!("feast-{name}")));
                for svc in ["online", "offline", "registry", "registry-rest", "ui"] {
                    out.insert(Target::new("Service", ns, &format!("feast-{name}-{svc}")));
                }
                // batch_engine_rbac.go: the engine's Roles and the Spark driver's
                // ServiceAccount (operator.rs models which engines get them).
                if let Some(batch) = crate::topology::operator::derive_in(v, None, docs).batch {
                    for role in &batch.roles {
                        out.insert(Target::new("Role", ns, role));
                    }
                    if let Some(sa) = &batch.driver_service_account {
                        out.insert(Target::new("ServiceAccount", ns, sa));
                    }
                }
                for role in v["spec"]["authz"]["kubernetes"]["roles"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    out.insert(Target::new("Role", ns, s(role)));
                }
            }
            _ => {}
        }
    }
    out
}

/// References nothing in `docs` provides, deduplicated by target (first referrer kept).
pub fn unresolved(docs: &[Document]) -> Vec<Reference> {
    let have = provided(docs);
    let mut seen = BTreeSet::new();
    references(docs)
        .into_iter()
        .filter(|r| !have.contains(&r.target))
        .filter(|r| seen.insert(r.target.clone()))
        .collect()
}

/// Identifiers listed in a PREREQUISITES.md (lines `| \`Kind ns/name\` | …`).
pub fn declared(markdown: &str) -> BTreeSet<String> {
    markdown
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(id, _)| id.to_string()))
        .collect()
}

/// PREREQUISITES.md for a render: what must exist before `kubectl apply -k .`.
pub fn markdown(docs: &[Document], header: &str, examples: &[String]) -> String {
    let mut s = format!(
        "<!-- {header} -->\n\n# Prerequisites\n\nEvery object the manifests reference that this render does not create. \
         `feastops validate DIR` checks that each reference is rendered or listed here.\n\n\
         | object | referenced by | create it with |\n|---|---|---|\n"
    );
    let mut rows: Vec<(String, String, String)> = unresolved(docs)
        .into_iter()
        .map(|r| {
            let by = format!("{} ({})", docs[r.doc].label(), r.path);
            (r.target.id(), by, commands::create(&r.target))
        })
        .collect();
    rows.sort();
    for (id, by, cmd) in rows {
        s.push_str(&format!("| `{id}` | {by} | {cmd} |\n"));
    }
    if !examples.is_empty() {
        s.push_str("\n## Values still at an example default\n\nReplace them in the spec and re-render:\n\n");
        for e in examples {
            s.push_str(&format!("- {e}\n"));
        }
    }
    s
}
