//! The FeatureStore CRD: stripping a full CRD file down to its structural schema and CEL
//! rules (what the binary embeds), and validating custom resources against it
//! (structural schema with the `jsonschema` crate, CEL rules with `kube-cel`).

use std::sync::{Arc, LazyLock};

use serde_json::{Map, Value};

use crate::topology::error::{Result, TopologyError};

/// The stripped CRD of Feast operator v0.66, produced by `cargo run --bin strip-crd`.
pub const EMBEDDED_V0_66: &str = include_str!("../crd/v0_66.json");

/// Keys of a schema node that hold sub-schemas keyed by name.
const SCHEMA_MAP_KEYS: &[&str] = &["properties", "patternProperties"];
/// Keys of a schema node that hold a single sub-schema.
const SCHEMA_ONE_KEYS: &[&str] = &["items", "additionalProperties", "not"];
/// Keys of a schema node that hold a list of sub-schemas.
const SCHEMA_LIST_KEYS: &[&str] = &["allOf", "anyOf", "oneOf"];

fn walk_schema_mut(node: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    let Value::Object(map) = node else { return };
    f(map);
    for key in SCHEMA_MAP_KEYS {
        if let Some(Value::Object(props)) = map.get_mut(*key) {
            for (_, sub) in props.iter_mut() {
                walk_schema_mut(sub, f);
            }
        }
    }
    for key in SCHEMA_ONE_KEYS {
        if let Some(sub) = map.get_mut(*key) {
            walk_schema_mut(sub, f);
        }
    }
    for key in SCHEMA_LIST_KEYS {
        if let Some(Value::Array(list)) = map.get_mut(*key) {
            for sub in list {
                walk_schema_mut(sub, f);
            }
        }
    }
}

/// Turn a full CRD document (YAML text) into the compact form the binary embeds:
/// `{group, kind, versions: {<name>: <openAPIV3Schema without descriptions>}}`.
/// Only schema-node `description`s are dropped, so a field named `description` survives.
pub fn strip_crd(crd_yaml: &str, origin: &str) -> Result<Value> {
    let crd: Value = serde_yaml_ng::from_str(crd_yaml).map_err(|e| TopologyError::Crd {
        path: origin.to_string(),
        message: format!("not valid YAML: {e}"),
    })?;
    let bad = |message: &str| TopologyError::Crd {
        path: origin.to_string(),
        message: message.to_string(),
    };
    if crd.get("kind").and_then(Value::as_str) != Some("CustomResourceDefinition") {
        return Err(bad("kind is not CustomResourceDefinition"));
    }
    let spec = crd.get("spec").ok_or_else(|| bad("no spec"))?;
    let group = spec
        .get("group")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no spec.group"))?;
    let kind = spec
        .pointer("/names/kind")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no spec.names.kind"))?;
    let mut versions = Map::new();
    for v in spec
        .get("versions")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no spec.versions"))?
    {
        let name = v
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("a version has no name"))?;
        if v.get("served").and_then(Value::as_bool) == Some(false) {
            continue;
        }
        let mut schema = v
            .pointer("/schema/openAPIV3Schema")
            .cloned()
            .ok_or_else(|| bad("a version has no schema.openAPIV3Schema"))?;
        walk_schema_mut(&mut schema, &mut |m| {
            m.remove("description");
        });
        versions.insert(name.to_string(), schema);
    }
    if versions.is_empty() {
        return Err(bad("no served version with a schema"));
    }
    let mut out = Map::new();
    out.insert("group".into(), Value::String(group.into()));
    out.insert("kind".into(), Value::String(kind.into()));
    out.insert("versions".into(), Value::Object(versions));
    Ok(Value::Object(out))
}

/// The committed text form of a stripped CRD: pretty JSON with a trailing newline.
pub fn render_stripped(stripped: &Value) -> String {
    let mut s = serde_json::to_string_pretty(stripped).unwrap_or_default();
    s.push('\n');
    s
}

/// Convert an OpenAPI v3 structural schema into a strict JSON Schema: int-or-string becomes
/// `anyOf`, `nullable` adds `null`, every object with `properties` rejects unknown keys, and
/// Kubernetes extension keys are dropped (the CEL rules are run separately).
pub fn to_json_schema(openapi: &Value) -> Value {
    let mut schema = openapi.clone();
    walk_schema_mut(&mut schema, &mut |m| {
        let int_or_string = m.remove("x-kubernetes-int-or-string") == Some(Value::Bool(true));
        let preserve = m.remove("x-kubernetes-preserve-unknown-fields") == Some(Value::Bool(true));
        m.retain(|k, _| !k.starts_with("x-kubernetes-"));
        if int_or_string {
            m.remove("type");
            m.insert(
                "anyOf".into(),
                serde_json::json!([{"type": "integer"}, {"type": "string"}]),
            );
        }
        if m.remove("nullable") == Some(Value::Bool(true))
            && let Some(Value::String(t)) = m.get("type").cloned()
        {
            m.insert("type".into(), serde_json::json!([t, "null"]));
        }
        if m.contains_key("properties") && !m.contains_key("additionalProperties") && !preserve {
            m.insert("additionalProperties".into(), Value::Bool(false));
        }
    });
    schema
}

/// A problem found in one custom resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrProblem {
    /// `schema` for the structural schema, `cel` for an `x-kubernetes-validations` rule.
    pub check: &'static str,
    /// Dotted path in the object, e.g. `spec.services.registry`.
    pub path: String,
    pub message: String,
}

/// YAML 1.1 (what kubectl parses) reads a plain `0644` as octal 420; YAML 1.2 parsers keep
/// it a string. Where the schema wants an integer, read such strings as octal like kubectl.
pub fn coerce_octal(schema: &Value, v: &mut Value) {
    match v {
        Value::String(s) if schema.get("type").and_then(Value::as_str) == Some("integer") => {
            let digits = s
                .strip_prefix("0o")
                .unwrap_or(s.strip_prefix('0').unwrap_or(""));
            if !digits.is_empty()
                && digits.bytes().all(|b| (b'0'..=b'7').contains(&b))
                && let Ok(n) = i64::from_str_radix(digits, 8)
            {
                *v = Value::from(n);
            }
        }
        Value::Object(m) => {
            for (k, sub) in m.iter_mut() {
                if let Some(ps) = schema.get("properties").and_then(|p| p.get(k)) {
                    coerce_octal(ps, sub);
                } else if let Some(ap) =
                    schema.get("additionalProperties").filter(|a| a.is_object())
                {
                    coerce_octal(ap, sub);
                }
            }
        }
        Value::Array(a) => {
            if let Some(items) = schema.get("items") {
                for sub in a {
                    coerce_octal(items, sub);
                }
            }
        }
        _ => {}
    }
}

struct VersionValidator {
    openapi: Value,
    structural: jsonschema::Validator,
    cel: super::cel::CelRules,
}

/// Validates FeatureStore objects against one CRD (embedded or given with `--crd`).
pub struct CrdValidator {
    pub group: String,
    pub kind: String,
    pub origin: String,
    versions: Vec<(String, VersionValidator)>,
}

impl std::fmt::Debug for CrdValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrdValidator")
            .field("group", &self.group)
            .field("kind", &self.kind)
            .field("origin", &self.origin)
            .finish()
    }
}

static EMBEDDED: LazyLock<Arc<CrdValidator>> = LazyLock::new(|| {
    let stripped: Value =
        serde_json::from_str(EMBEDDED_V0_66).expect("embedded CRD JSON is checked by tests");
    Arc::new(
        CrdValidator::from_stripped(&stripped, "embedded Feast v0.66 CRD")
            .expect("embedded CRD compiles; checked by tests"),
    )
});

impl CrdValidator {
    /// The CRD embedded in the binary (Feast operator v0.66).
    pub fn embedded() -> Arc<CrdValidator> {
        EMBEDDED.clone()
    }

    /// Load a full CRD file (as `kubectl get crd featurestores.feast.dev -o yaml` prints it).
    pub fn from_crd_file(path: &std::path::Path) -> Result<CrdValidator> {
        let text = crate::input_limits::read_to_string(path, crate::input_limits::Input::Yaml)
            .map_err(|e| TopologyError::io(path, e))?;
        let origin = path.display().to_string();
        let stripped = strip_crd(&text, &origin)?;
        CrdValidator::from_stripped(&stripped, &origin)
    }

    pub fn from_stripped(stripped: &Value, origin: &str) -> Result<CrdValidator> {
        let bad = |message: String| TopologyError::Crd {
            path: origin.to_string(),
            message,
        };
        let group = stripped["group"].as_str().unwrap_or_default().to_string();
        let kind = stripped["kind"].as_str().unwrap_or_default().to_string();
        let mut versions = Vec::new();
        if let Some(vs) = stripped["versions"].as_object() {
            for (name, openapi) in vs {
                let structural = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft4)
                    .build(&to_json_schema(openapi))
                    .map_err(|e| bad(format!("version {name}: schema does not compile: {e}")))?;
                let cel = super::cel::CelRules::compile(openapi).map_err(|err| {
                    bad(format!(
                        "version {name}: a CEL rule does not compile: {err}"
                    ))
                })?;
                versions.push((
                    name.clone(),
                    VersionValidator {
                        openapi: openapi.clone(),
                        structural,
                        cel,
                    },
                ));
            }
        }
        if versions.is_empty() {
            return Err(bad("no versions".into()));
        }
        Ok(CrdValidator {
            group,
            kind,
            origin: origin.to_string(),
            versions,
        })
    }

    pub fn handles(&self, api_version: &str, kind: &str) -> bool {
        kind == self.kind
            && api_version
                .split_once('/')
                .is_some_and(|(g, _)| g == self.group)
    }

    pub fn version_names(&self) -> Vec<&str> {
        self.versions.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Validate one object. Returns every structural and CEL problem found.
    pub fn validate(&self, obj: &Value) -> Vec<CrProblem> {
        let api_version = obj["apiVersion"].as_str().unwrap_or_default();
        let version = api_version.split_once('/').map(|(_, v)| v).unwrap_or("");
        let Some((_, vv)) = self.versions.iter().find(|(n, _)| n == version) else {
            return vec![CrProblem {
                check: "schema",
                path: "apiVersion".into(),
                message: format!(
                    "version `{version}` is not served by {} (served: {})",
                    self.origin,
                    self.version_names().join(", ")
                ),
            }];
        };
        let mut coerced = obj.clone();
        coerce_octal(&vv.openapi, &mut coerced);
        let obj = &coerced;
        let mut problems = Vec::new();
        for err in vv.structural.iter_errors(obj) {
            let path = pointer_to_dotted(&err.instance_path().to_string());
            problems.push(CrProblem {
                check: "schema",
                path,
                message: describe_schema_error(&err),
            });
        }
        // CEL rules only make sense on a structurally valid object.
        if problems.is_empty() {
            for e in vv.cel.evaluate(obj) {
                problems.push(CrProblem {
                    check: "cel",
                    path: e.path,
                    message: format!("{} (rule: {})", e.message, short_rule(&e.rule)),
                });
            }
        }
        problems
    }
}

fn short_rule(rule: &str) -> String {
    const MAX: usize = 90;
    if rule.chars().count() <= MAX {
        rule.to_string()
    } else {
        format!("{}…", rule.chars().take(MAX).collect::<String>())
    }
}

fn describe_schema_error(err: &jsonschema::ValidationError<'_>) -> String {
    match err.kind() {
        jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => format!(
            "unknown field{} {} (the CRD does not define {})",
            if unexpected.len() > 1 { "s" } else { "" },
            unexpected
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if unexpected.len() > 1 { "them" } else { "it" }
        ),
        _ => err.to_string(),
    }
}

/// `/spec/services/0/x` → `spec.services[0].x`
pub fn pointer_to_dotted(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_keeps_field_named_description() {
        let crd = r#"
kind: CustomResourceDefinition
spec:
  group: x.dev
  names: {kind: X}
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        description: drop me
        type: object
        properties:
          description: {type: string, description: drop me too}
"#;
        let s = strip_crd(crd, "t").unwrap();
        let schema = &s["versions"]["v1"];
        assert!(schema.get("description").is_none());
        assert_eq!(schema["properties"]["description"]["type"], "string");
        assert!(
            schema["properties"]["description"]
                .get("description")
                .is_none()
        );
    }

    #[test]
    fn json_schema_conversion_is_strict_and_handles_int_or_string() {
        let openapi = serde_json::json!({
            "type": "object",
            "properties": {"a": {"x-kubernetes-int-or-string": true}, "b": {"type": "string", "nullable": true}}
        });
        let s = to_json_schema(&openapi);
        assert_eq!(s["additionalProperties"], false);
        assert!(s["properties"]["a"]["anyOf"].is_array());
        assert_eq!(
            s["properties"]["b"]["type"],
            serde_json::json!(["string", "null"])
        );
    }

    #[test]
    fn octal_strings_become_integers_only_where_the_schema_wants_one() {
        let schema = serde_json::json!({"type": "object", "properties": {
            "mode": {"type": "integer"}, "name": {"type": "string"}}});
        let mut v = serde_json::json!({"mode": "0644", "name": "0644"});
        coerce_octal(&schema, &mut v);
        assert_eq!(v, serde_json::json!({"mode": 420, "name": "0644"}));
    }

    #[test]
    fn pointer_conversion() {
        assert_eq!(pointer_to_dotted("/spec/a/0/b"), "spec.a[0].b");
        assert_eq!(pointer_to_dotted(""), "");
    }
}
