//! `.feastops.yaml`: per-repository settings for `feastops lint`.
//!
//! The types here are the file format: serde reads them (unknown keys are
//! errors) and schemars generates `schemas/feastops-config.schema.json` from
//! them, so the schema editors use and the parser never disagree (a test
//! compares the shipped file with the generated one). Meaning beyond shape
//! (rule names, globs, reasons) is checked by `policy::Policy::new`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;

use crate::lint::Catalog;
use crate::policy::Mode;

/// File names looked for, in order, when no `--config` is given.
pub const FILE_NAMES: [&str; 2] = [".feastops.yaml", ".feastops.yml"];

/// feastops configuration (`.feastops.yaml`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "feastops configuration")]
pub struct Config {
    /// URL or path of this JSON Schema, for editors; not read by feastops.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// Compatibility mode: which consumers the lint protects
    /// (docs/compatibility.md). `--mode` overrides it.
    pub mode: Option<Mode>,
    /// Exit 1 when a finding at or above this level remains. `--fail-on`
    /// overrides it.
    pub fail_on: Option<FailOnSetting>,
    /// Level per rule name (see `feastops rules`); `off` disables the rule.
    /// Applied after the mode's table.
    #[serde(default)]
    #[schemars(schema_with = "rules_schema")]
    pub rules: BTreeMap<String, RuleSetting>,
    /// Report only findings that match these globs (all findings when empty).
    #[serde(default)]
    pub include: Filter,
    /// Drop findings that match these globs.
    #[serde(default)]
    pub exclude: Filter,
    /// Approved changes: findings matching an entry are suppressed. Entries
    /// that match nothing are reported by `unused-ignore`.
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
    /// Trained models and the feature service each is served by: `lint`
    /// checks them against the proposed schema (docs/models.md).
    #[serde(default)]
    pub models: ModelsConfig,
}

/// The `models:` section.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelsConfig {
    /// Lower findings on services no bound model uses (and on views none
    /// of their services serve) to info. Trade-off: a service consumed by a
    /// model that is not listed here loses its protection.
    #[serde(default)]
    pub only_protect_consumed: bool,
    /// Which model is served by which feature service.
    #[serde(default)]
    pub bind: Vec<ModelEntry>,
}

/// One model served by one feature service.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// Feature service name.
    pub service: String,
    /// Model file or MLflow model directory, relative to this file; globs
    /// allowed (`models/*/MLmodel`, `models/**/*.onnx`).
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOnSetting {
    Error,
    Warning,
    Info,
    Never,
}

/// A rule's level, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Off,
    Info,
    Warning,
    Error,
}

/// Globs selecting findings. `paths` match the finding's file (relative to
/// the working directory or to the feature repo; `**` crosses directories);
/// findings without a file are never excluded or left out by `paths`.
/// `objects` match `kind/name`, e.g. `feature_view/employee_*`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub objects: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.objects.is_empty()
    }
}

/// One approved change.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// Rule name, e.g. `feature-removed`.
    pub rule: String,
    /// `kind/name` of the object, globs allowed: `feature_view/employee_features`.
    pub object: String,
    /// Only in this project (default: any project).
    #[serde(default)]
    pub project: Option<String>,
    /// Only for this feature (glob; default: any feature or none).
    #[serde(default)]
    pub feature: Option<String>,
    /// Why the change is approved, e.g. "attrition_model_v2 replaces v1".
    #[schemars(length(min = 1))]
    pub reason: String,
}

fn rules_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = Catalog::get()
        .rules
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    let setting = generator.subschema_for::<RuleSetting>();
    schemars::json_schema!({
        "type": "object",
        "propertyNames": { "enum": names },
        "additionalProperties": setting,
    })
}

/// The JSON Schema of the file, as shipped in `schemas/`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut out = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    out.push('\n');
    out
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `at` is `:line:column` when known.
    #[error("{}{at}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        at: String,
        message: String,
    },
}

impl ConfigError {
    pub fn invalid(path: &Path, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: path.to_path_buf(),
            at: String::new(),
            message: message.into(),
        }
    }
}

/// A config file read from disk, with where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub config: Config,
}

/// The config file to use: `explicit` if given, else the first of
/// [`FILE_NAMES`] found in each of `dirs`, in order.
pub fn discover(explicit: Option<&Path>, dirs: &[&Path]) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    dirs.iter()
        .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    let text = crate::input_limits::read_to_string(path, crate::input_limits::Input::Yaml)
        .map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    let config = parse(path, &text)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        text,
        config,
    })
}

/// Parses the text of a config file. An empty file is the default config.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    // A file with only comments is a null document: the default config.
    if matches!(
        serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text),
        Ok(serde_yaml_ng::Value::Null)
    ) {
        return Ok(Config::default());
    }
    serde_yaml_ng::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(":{}:{}", l.line(), l.column()))
            .unwrap_or_default();
        ConfigError::Invalid {
            path: path.to_path_buf(),
            at,
            message: explain_yaml_error(&e.to_string()),
        }
    })
}

/// serde's messages name an unknown key and list the expected ones; turn
/// that into a suggestion and drop the position (reported separately).
fn explain_yaml_error(raw: &str) -> String {
    let msg = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let Some(start) = msg.find("unknown field `") else {
        return msg.to_string();
    };
    let rest = &msg[start + "unknown field `".len()..];
    let Some(end) = rest.find('`') else {
        return msg.to_string();
    };
    let key = &rest[..end];
    let expected: Vec<&str> = rest[end + 1..]
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s)
        .collect();
    let prefix = &msg[..start];
    let hint = match crate::suggest::did_you_mean(key, expected.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`?"),
        None if expected.is_empty() => String::new(),
        None => format!(
            "; known keys: {}",
            expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("{prefix}unknown key `{key}`{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(Path::new(".feastops.yaml"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn unknown_top_level_key_names_line_and_suggestion() {
        let e = err("mode: serving\nfial-on: warning\n");
        assert!(e.starts_with(".feastops.yaml:2:"), "{e}");
        assert!(
            e.contains("unknown key `fial-on`; did you mean `fail-on`?"),
            "{e}"
        );
    }

    #[test]
    fn unknown_nested_key_names_its_path() {
        let e =
            err("ignore:\n  - rule: feature-removed\n    object: feature_view/a\n    reasn: x\n");
        assert!(e.contains("ignore[0]"), "{e}");
        assert!(e.contains("did you mean `reason`?"), "{e}");
    }

    #[test]
    fn reason_is_required() {
        let e = err("ignore:\n  - rule: feature-removed\n    object: feature_view/a\n");
        assert!(e.contains("missing field `reason`"), "{e}");
    }

    #[test]
    fn bad_enum_value_is_rejected() {
        let e = err("mode: production\n");
        assert!(e.contains("mode"), "{e}");
        assert!(e.contains("serving"), "{e}");
    }

    #[test]
    fn full_config_parses() {
        let c = parse(
            Path::new("x"),
            "mode: strict\nfail-on: warning\nrules:\n  metadata-changed: off\ninclude:\n  paths: ['feast/**']\nexclude:\n  objects: ['feature_view/tmp_*']\nignore:\n  - rule: feature-removed\n    object: feature_view/a\n    project: p\n    feature: f\n    reason: ok\n",
        )
        .unwrap();
        assert_eq!(c.mode, Some(Mode::Strict));
        assert_eq!(c.fail_on, Some(FailOnSetting::Warning));
        assert_eq!(c.rules["metadata-changed"], RuleSetting::Off);
        assert_eq!(c.include.paths, ["feast/**"]);
        assert_eq!(c.ignore[0].feature.as_deref(), Some("f"));
    }

    #[test]
    fn models_section_parses() {
        let c = parse(
            Path::new("x"),
            "models:\n  only-protect-consumed: true\n  bind:\n    - service: s\n      path: models/*.onnx\n",
        )
        .unwrap();
        assert!(c.models.only_protect_consumed);
        assert_eq!(c.models.bind[0].path, "models/*.onnx");
        let e = err("models:\n  bind:\n    - service: s\n      paht: m\n");
        assert!(e.contains("models.bind[0]: unknown key `paht`"), "{e}");
    }

    #[test]
    fn empty_file_is_default() {
        let c = parse(Path::new("x"), "\n# nothing\n").unwrap();
        assert!(c.rules.is_empty() && c.mode.is_none());
    }
}
