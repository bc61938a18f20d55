//! Render a plan through the handlebars templates into canonical documents, then
//! validate them. Nothing is written here: see [`crate::topology::output`].

use std::collections::BTreeMap;
use std::path::Path;

use handlebars::Handlebars;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::topology::error::{Result, TopologyError};
use crate::topology::plan;
use crate::topology::spec::TopologySpec;
use crate::topology::validate::{self, Document, Options, PolicyMode};

/// Templates that produce Kubernetes objects, one per object family.
pub const MANIFEST_TEMPLATES: &[(&str, &str)] = &[
    (
        "namespaces.yaml.hbs",
        include_str!("../../templates/topologies/namespaces.yaml.hbs"),
    ),
    (
        "serviceaccounts.yaml.hbs",
        include_str!("../../templates/topologies/serviceaccounts.yaml.hbs"),
    ),
    (
        "secrets.yaml.hbs",
        include_str!("../../templates/topologies/secrets.yaml.hbs"),
    ),
    (
        "rbac.yaml.hbs",
        include_str!("../../templates/topologies/rbac.yaml.hbs"),
    ),
    (
        "networkpolicies.yaml.hbs",
        include_str!("../../templates/topologies/networkpolicies.yaml.hbs"),
    ),
    (
        "certificates.yaml.hbs",
        include_str!("../../templates/topologies/certificates.yaml.hbs"),
    ),
    (
        "featurestore.yaml.hbs",
        include_str!("../../templates/topologies/featurestore.yaml.hbs"),
    ),
    (
        "batch.yaml.hbs",
        include_str!("../../templates/topologies/batch.yaml.hbs"),
    ),
    (
        "exposure.yaml.hbs",
        include_str!("../../templates/topologies/exposure.yaml.hbs"),
    ),
    (
        "identity.yaml.hbs",
        include_str!("../../templates/topologies/identity.yaml.hbs"),
    ),
    (
        "backup.yaml.hbs",
        include_str!("../../templates/topologies/backup.yaml.hbs"),
    ),
];

/// Templates that produce other files.
pub const FILE_TEMPLATES: &[(&str, &str)] = &[
    (
        "backup-plan.yaml.hbs",
        include_str!("../../templates/topologies/backup-plan.yaml.hbs"),
    ),
    (
        "BACKUP.md.hbs",
        include_str!("../../templates/topologies/BACKUP.md.hbs"),
    ),
    (
        "permissions.py.hbs",
        include_str!("../../templates/topologies/permissions.py.hbs"),
    ),
    (
        "registry-db-recovery.yaml.hbs",
        include_str!("../../templates/topologies/registry-db-recovery.yaml.hbs"),
    ),
    (
        "operator-patch.yaml.hbs",
        include_str!("../../templates/topologies/operator-patch.yaml.hbs"),
    ),
];

/// The template set: embedded, with any file of `--templates DIR` replacing the same name.
pub struct Templates {
    registry: Handlebars<'static>,
    /// `(name, content)` of overridden templates, part of the input hash.
    overridden: Vec<(String, String)>,
}

fn all_templates() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    MANIFEST_TEMPLATES.iter().chain(FILE_TEMPLATES.iter())
}

handlebars::handlebars_helper!(json_helper: |v: Value| serde_json::to_string(&v).unwrap_or_default());
handlebars::handlebars_helper!(py_ident_helper: |s: str| python_identifier(s));

/// A Kubernetes name (`team-a`) as a Python variable name (`team_a`): DNS
/// labels hold only `[a-z0-9-]`, so the mapping cannot merge two names.
fn python_identifier(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Generated Python is parsed before it is written: a file `feast apply`
/// cannot import would silently leave the project without permissions.
fn check_python(template: &str, file: &str, text: &str) -> Result<()> {
    ruff_python_parser::parse_module(text)
        .map(|_| ())
        .map_err(|e| TopologyError::RenderedPython {
            name: template.into(),
            file: file.into(),
            message: e.error.to_string(),
        })
}

impl Templates {
    pub fn new(override_dir: Option<&Path>) -> Result<Templates> {
        let mut registry = Handlebars::new();
        registry.register_escape_fn(handlebars::no_escape);
        registry.set_strict_mode(false);
        registry.register_helper("json", Box::new(json_helper));
        registry.register_helper("py_ident", Box::new(py_ident_helper));
        let mut overridden = Vec::new();
        let mut sources: BTreeMap<&str, String> = all_templates()
            .map(|(n, c)| (*n, (*c).to_string()))
            .collect();
        if let Some(dir) = override_dir {
            let entries = std::fs::read_dir(dir).map_err(|e| TopologyError::io(dir, e))?;
            let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for f in files.iter().filter(|f| f.is_file()) {
                let name = f
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_string();
                let Some(slot) = sources.get_mut(name.as_str()) else {
                    return Err(TopologyError::Templates {
                        path: dir.to_path_buf(),
                        message: format!(
                            "`{name}` is not a template name; overridable templates: {}",
                            all_templates()
                                .map(|(n, _)| *n)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                };
                let content = std::fs::read_to_string(f).map_err(|e| TopologyError::io(f, e))?;
                *slot = content.clone();
                overridden.push((name, content));
            }
        }
        for (name, content) in sources {
            registry
                .register_template_string(name, content)
                .map_err(|e| TopologyError::Render {
                    name: name.to_string(),
                    message: e.to_string(),
                })?;
        }
        Ok(Templates {
            registry,
            overridden,
        })
    }

    fn render(&self, name: &str, ctx: &Value) -> Result<String> {
        self.registry
            .render(name, ctx)
            .map_err(|e| TopologyError::Render {
                name: name.to_string(),
                message: e.to_string(),
            })
    }
}

/// Everything a render produces, in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Output-dir layout: relative path → file content (sorted).
    pub files: BTreeMap<String, String>,
    /// The Kubernetes objects, in apply order.
    pub objects: Vec<Document>,
    /// The multi-document YAML stream (stdout form).
    pub stream: String,
    pub input_hash: String,
    /// Values still at an example default (printed after a render).
    pub warnings: Vec<String>,
    /// Network settings that leave a flow unreachable (printed after a render).
    pub network_warnings: Vec<String>,
}

/// Recursively sort map keys so output does not depend on template key order.
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), canonical(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn kind_rank(kind: &str) -> u8 {
    match kind {
        "Namespace" => 0,
        "ServiceAccount" => 1,
        "ExternalSecret" | "Secret" => 2,
        "ConfigMap" | "Bundle" => 3,
        "Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding" => 4,
        "NetworkPolicy" => 5,
        "Certificate" => 6,
        "FeatureStore" => 7,
        "Ingress" | "Route" => 8,
        "PodIdentityAssociation" => 9,
        _ => 10,
    }
}

fn to_yaml(v: &Value) -> String {
    serde_yaml_ng::to_string(v).unwrap_or_default()
}

/// Render a spec. Validates the result against the embedded CRD (schema + CEL), core kinds
/// and policy, and fails without output if anything is wrong.
pub fn render(spec: &TopologySpec, templates: &Templates) -> Result<Rendered> {
    render_with(spec, templates, &Options::default())
}

/// [`render`] validating with the given options (e.g. the CRD a cluster runs). Policy
/// findings always fail a render, whatever `opts.policy` says.
pub fn render_with(spec: &TopologySpec, templates: &Templates, opts: &Options) -> Result<Rendered> {
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_string(spec).unwrap_or_default());
    for (n, c) in &templates.overridden {
        hasher.update(n.as_bytes());
        hasher.update(c.as_bytes());
    }
    let input_hash = format!("{:x}", hasher.finalize());
    let mut ctx = plan::build(spec);
    let header_line = format!(
        "Generated by feastops {} for Feast {}: topology={} cloud={} airgapped={}",
        env!("CARGO_PKG_VERSION"),
        "0.66",
        ctx["topology"].as_str().unwrap_or_default(),
        ctx["cloud"].as_str().unwrap_or_default(),
        spec.airgapped.enabled
    );
    let hash_line = format!("input sha256:{input_hash} (do not edit; re-render instead)");
    ctx["header"] = json!({"line": header_line, "hash": hash_line});
    let yaml_header = format!("# {header_line}\n# {hash_line}\n");

    let mut objects: Vec<Value> = Vec::new();
    for (name, _) in MANIFEST_TEMPLATES {
        let text = templates.render(name, &ctx)?;
        for (i, de) in serde_yaml_ng::Deserializer::from_str(&text).enumerate() {
            let v: Value =
                serde::Deserialize::deserialize(de).map_err(|e| TopologyError::RenderedYaml {
                    name: name.to_string(),
                    message: format!("document {}: {e}", i + 1),
                })?;
            if v.is_null() {
                continue;
            }
            if !v.is_object() || v.get("kind").is_none() {
                return Err(TopologyError::RenderedYaml {
                    name: name.to_string(),
                    message: format!("document {} is not a Kubernetes object", i + 1),
                });
            }
            objects.push(canonical(&v));
        }
    }
    let observability = crate::topology::observability::build(
        spec,
        &ctx,
        &format!("{header_line}\n     {hash_line}"),
    );
    objects.extend(observability.objects.iter().map(canonical));
    let key = |v: &Value| {
        (
            kind_rank(v["kind"].as_str().unwrap_or_default()),
            v["metadata"]["namespace"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            v["kind"].as_str().unwrap_or_default().to_string(),
            v["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    objects.sort_by_key(key);

    let mut files = BTreeMap::new();
    let mut docs = Vec::new();
    let mut stream = yaml_header.clone();
    for v in &objects {
        let ns = v["metadata"]["namespace"].as_str().unwrap_or("cluster");
        let path = format!(
            "manifests/{ns}/{}-{}.yaml",
            v["kind"].as_str().unwrap_or_default().to_ascii_lowercase(),
            v["metadata"]["name"].as_str().unwrap_or_default()
        );
        let body = to_yaml(v);
        if files
            .insert(path.clone(), format!("{yaml_header}{body}"))
            .is_some()
        {
            return Err(TopologyError::RenderedYaml {
                name: path,
                message: "two rendered objects have the same kind, namespace and name".into(),
            });
        }
        stream.push_str("---\n");
        stream.push_str(&body);
        docs.push(Document {
            source: path,
            index: 0,
            value: v.clone(),
        });
    }
    let mut kustomization = json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": files.keys().cloned().collect::<Vec<_>>(),
    });
    kustomization = canonical(&kustomization);
    files.insert(
        "kustomization.yaml".into(),
        format!("{yaml_header}{}", to_yaml(&kustomization)),
    );

    // backup-plan.yaml is parsed and re-emitted canonically like the manifests.
    let plan_text = templates.render("backup-plan.yaml.hbs", &ctx)?;
    let plan_value: Value =
        serde_yaml_ng::from_str(&plan_text).map_err(|e| TopologyError::RenderedYaml {
            name: "backup-plan.yaml.hbs".into(),
            message: e.to_string(),
        })?;
    files.insert(
        "backup-plan.yaml".into(),
        format!("{yaml_header}{}", to_yaml(&canonical(&plan_value))),
    );
    // Manifests not applied with the rest (restore time, the monitoring namespace), kept
    // for the prerequisites list.
    let mut restore_docs: Vec<Document> = Vec::new();
    if ctx["backup"]["cnpg"] == true {
        for ns in ctx["backup"]["cnpgNamespaces"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let mut rctx = ctx.clone();
            rctx["ns"] = ns.clone();
            let text = templates.render("registry-db-recovery.yaml.hbs", &rctx)?;
            let v: Value =
                serde_yaml_ng::from_str(&text).map_err(|e| TopologyError::RenderedYaml {
                    name: "registry-db-recovery.yaml.hbs".into(),
                    message: e.to_string(),
                })?;
            let path = format!(
                "restore/{}-registry-db-recovery.yaml",
                ns.as_str().unwrap_or_default()
            );
            restore_docs.push(Document {
                source: path.clone(),
                index: 0,
                value: canonical(&v),
            });
            files.insert(
                format!(
                    "restore/{}-registry-db-recovery.yaml",
                    ns.as_str().unwrap_or_default()
                ),
                format!("{yaml_header}{}", to_yaml(&canonical(&v))),
            );
        }
    }
    for (path, v) in &observability.side_objects {
        let v = canonical(v);
        files.insert(path.clone(), format!("{yaml_header}{}", to_yaml(&v)));
        restore_docs.push(Document {
            source: path.clone(),
            index: 0,
            value: v,
        });
    }
    files.insert(
        "BACKUP.md".into(),
        format!(
            "<!-- {header_line}\n     {hash_line} -->\n\n{}",
            templates.render("BACKUP.md.hbs", &ctx)?
        ),
    );
    for s in ctx["stores"].as_array().cloned().unwrap_or_default() {
        if s["auth"]["mode"] == "none" {
            continue;
        }
        let mut pctx = ctx.clone();
        pctx["store"] = s.clone();
        pctx["tenantNamespaces"] = ctx["stores"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["isSharedRegistry"] != true)
            .map(|t| t["namespace"].clone())
            .collect();
        let name = format!(
            "permissions/{}.py",
            s["project"].as_str().unwrap_or_default()
        );
        let text = format!(
            "# {header_line}\n# {hash_line}\n{}",
            templates.render("permissions.py.hbs", &pctx)?
        );
        check_python("permissions.py.hbs", &name, &text)?;
        files.insert(name, text);
    }
    if spec.airgapped.enabled {
        let patch = templates.render("operator-patch.yaml.hbs", &ctx)?;
        let v: Value =
            serde_yaml_ng::from_str(&patch).map_err(|e| TopologyError::RenderedYaml {
                name: "operator-patch.yaml.hbs".into(),
                message: e.to_string(),
            })?;
        files.insert(
            "operator/kustomization.yaml".into(),
            format!("{yaml_header}{}", to_yaml(&canonical(&v))),
        );
    }
    for (path, v) in &observability.files {
        files.insert(
            path.clone(),
            format!("{yaml_header}{}", to_yaml(&canonical(v))),
        );
    }
    files.extend(observability.markdown);
    let mut images = format!(
        "# {header_line}\n# {hash_line}\n# Every image this deployment pulls; mirror them all before installing.\n"
    );
    for i in ctx["images"].as_array().into_iter().flatten() {
        images.push_str(i.as_str().unwrap_or_default());
        images.push('\n');
    }
    files.insert("IMAGES.txt".into(), images);

    // With the air-gapped kustomization the operator's default image is the
    // mirrored feature server.
    let related = spec.airgapped.enabled.then(|| {
        ctx["featureServerImage"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    });
    let derived: Vec<(&Value, crate::topology::operator::Derived)> = docs
        .iter()
        .filter(|d| d.kind() == "FeatureStore")
        .map(|d| {
            (
                &d.value,
                crate::topology::operator::derive_in(&d.value, related.as_deref(), &docs),
            )
        })
        .collect();
    files.insert(
        "OPERATOR.md".into(),
        format!(
            "<!-- {header_line}\n     {hash_line} -->\n\n{}",
            crate::topology::operator::markdown(&derived)
        ),
    );

    let warnings = crate::topology::flows::readme::example_warnings(&ctx);
    let network_warnings = crate::topology::flows::readme::store_cut_warnings(&ctx);
    files.insert(
        "PREREQUISITES.md".into(),
        crate::topology::refs::markdown(
            &[docs.clone(), restore_docs].concat(),
            &format!("{header_line}\n     {hash_line}"),
            &warnings,
        ),
    );
    let opts = Options {
        crd: opts.crd.clone(),
        policy: PolicyMode::Deny,
        kube: opts.kube,
    };
    let report = validate::validate_documents(&docs, &opts);
    if !report.is_ok() {
        return Err(TopologyError::RenderedInvalid {
            report: report.render(),
        });
    }
    // The flow matrix: the rendered NetworkPolicies must deliver every flow the
    // deployment needs and block every flow the guide promises to block.
    let model: crate::topology::flows::model::Model =
        serde_json::from_value(ctx["flows"].clone()).unwrap_or_default();
    let sim = crate::topology::flows::simulate(&docs, &model).map_err(|e| {
        TopologyError::RenderedInvalid {
            report: e.to_string(),
        }
    })?;
    if !sim.failures().is_empty() {
        return Err(TopologyError::RenderedInvalid {
            report: crate::topology::flows::text(&sim),
        });
    }
    files.insert(
        "flows.yaml".into(),
        format!("{yaml_header}{}", to_yaml(&canonical(&ctx["flows"]))),
    );
    files.insert(
        "README.md".into(),
        crate::topology::flows::readme::render(
            &ctx,
            &format!("{header_line}\n     {hash_line}"),
            &sim,
        ),
    );
    Ok(Rendered {
        files,
        objects: docs,
        stream,
        input_hash,
        warnings,
        network_warnings,
    })
}

#[cfg(test)]
mod python_tests {
    use super::*;

    #[test]
    fn kubernetes_names_become_python_identifiers() {
        assert_eq!(python_identifier("team-a"), "team_a");
        assert_eq!(python_identifier("9lives"), "_9lives");
        assert_eq!(python_identifier("ok_name"), "ok_name");
    }

    #[test]
    fn generated_python_that_does_not_parse_is_an_error_naming_the_file() {
        let e = check_python(
            "permissions.py.hbs",
            "permissions/team_a.py",
            "team-a_full_access = 1\n",
        )
        .unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("permissions/team_a.py"), "{msg}");
        assert!(msg.contains("invalid Python"), "{msg}");
        assert!(check_python("t", "f.py", "team_a_full_access = 1\n").is_ok());
    }
}
