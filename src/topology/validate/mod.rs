//! `feastops validate`: FeatureStore CRs against the CRD's structural schema and CEL rules
//! ([`crd`]), core kinds by strict deserialization ([`core_kinds`]), and policy rules
//! ([`policy`]) over the whole set.

pub mod cel;
pub mod core_kinds;
pub mod crd;
mod enums;
mod formats;
pub mod kube_fields;
pub mod kube_version;
pub mod policy;
pub mod semantics;
pub mod strict_yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::topology::error::{Result, TopologyError};
use crd::CrdValidator;

/// One YAML document with where it came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// File (or stream) name.
    pub source: String,
    /// 0-based index of the document in its file.
    pub index: usize,
    pub value: Value,
}

impl Document {
    pub fn kind(&self) -> &str {
        self.value["kind"].as_str().unwrap_or_default()
    }
    pub fn api_version(&self) -> &str {
        self.value["apiVersion"].as_str().unwrap_or_default()
    }
    pub fn name(&self) -> &str {
        self.value["metadata"]["name"].as_str().unwrap_or_default()
    }
    /// `Kind/name` for messages.
    pub fn label(&self) -> String {
        if self.kind().is_empty() {
            return "(no kind)".into();
        }
        format!("{}/{}", self.kind(), self.name())
    }

    /// Has apiVersion and kind, so it can be checked as a Kubernetes object.
    pub fn is_object(&self) -> bool {
        self.value.is_object() && !self.api_version().is_empty() && !self.kind().is_empty()
    }
}

/// Parse a multi-document YAML text. Empty documents are skipped.
pub fn parse_documents(text: &str, source: &str) -> Result<Vec<Document>> {
    let mut docs = Vec::new();
    for (index, de) in serde_yaml_ng::Deserializer::from_str(text).enumerate() {
        let value: Value = serde::de::DeserializeSeed::deserialize(strict_yaml::Strict, de)
            .map_err(|e| TopologyError::Yaml {
                path: format!("{source} (document {})", index + 1),
                message: e.to_string(),
            })?;
        if value.is_null() {
            continue;
        }
        docs.push(Document {
            source: source.to_string(),
            index,
            value,
        });
    }
    Ok(docs)
}

/// Files that `validate DIR` reads: `*.yaml`/`*.yml`, sorted, recursively, except the
/// kustomization, our own backup plan and Prometheus rule files (not Kubernetes objects).
pub fn collect_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| TopologyError::io(path, e))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| TopologyError::io(path, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(collect_files(&p)?);
        } else {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
            // `*.rules.yaml`: Prometheus rule files of the observability set.
            let skip = matches!(
                name,
                "kustomization.yaml" | "kustomization.yml" | "backup-plan.yaml" | "flows.yaml"
            ) || name.ends_with(".rules.yaml");
            if yaml && !skip {
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// Read every document under the given paths. A file that cannot be parsed is a finding
/// and the other files are still read; a path that does not exist, or input that holds
/// no objects at all, is an error.
pub fn load(paths: &[PathBuf]) -> Result<(Vec<Document>, Vec<Finding>)> {
    let mut docs = Vec::new();
    let mut broken = Vec::new();
    let mut files = 0;
    for p in paths {
        for f in collect_files(p)? {
            files += 1;
            let source = f.display().to_string();
            let text = crate::input_limits::read_to_string(&f, crate::input_limits::Input::Yaml)
                .map_err(|e| TopologyError::io(&f, e))?;
            match parse_documents(&text, &source) {
                Ok(d) if d.is_empty() => broken.push(Finding {
                    source,
                    index: 0,
                    object: "(file)".into(),
                    check: "yaml".into(),
                    path: String::new(),
                    message: "the file holds no Kubernetes object".into(),
                    error: true,
                }),
                Ok(d) => docs.extend(d),
                Err(e) => {
                    let (index, message) = match e {
                        TopologyError::Yaml { path, message } => (
                            path.rsplit("(document ")
                                .next()
                                .and_then(|n| n.trim_end_matches(')').parse::<usize>().ok())
                                .map_or(0, |n| n.saturating_sub(1)),
                            format!("not valid YAML: {message}"),
                        ),
                        other => (0, other.to_string()),
                    };
                    broken.push(Finding {
                        source,
                        index,
                        object: "(file)".into(),
                        check: "yaml".into(),
                        path: String::new(),
                        message,
                        error: true,
                    })
                }
            }
        }
    }
    if docs.is_empty()
        && broken
            .iter()
            .all(|f| f.message.contains("no Kubernetes object"))
    {
        let what = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(TopologyError::NoObjects { paths: what, files });
    }
    Ok((docs, broken))
}

/// How policy findings count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PolicyMode {
    /// Policy findings are errors.
    #[default]
    Deny,
    /// Policy findings are printed as warnings and do not fail.
    Warn,
    /// Policy rules are not run.
    Off,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub crd: Arc<CrdValidator>,
    pub policy: PolicyMode,
    /// The cluster's Kubernetes release: API versions and fields it serves.
    pub kube: kube_version::KubeVersion,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            crd: CrdValidator::embedded(),
            policy: PolicyMode::Deny,
            kube: kube_version::KubeVersion::default(),
        }
    }
}

/// One finding, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub source: String,
    pub index: usize,
    pub object: String,
    /// `schema`, `cel`, `core`, `policy:<rule>` or `unchecked`.
    pub check: String,
    pub path: String,
    pub message: String,
    /// Errors fail validation; warnings do not.
    pub error: bool,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = if self.error { "error" } else { "warning" };
        write!(
            f,
            "{level}: {} (document {}) {}: [{}] ",
            self.source,
            self.index + 1,
            self.object,
            self.check
        )?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub documents: usize,
    pub feature_stores: usize,
    pub core_objects: usize,
    /// Objects of kinds with no embedded schema (e.g. cert-manager Certificate).
    pub unchecked: Vec<String>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.error).count()
    }
    pub fn warnings(&self) -> usize {
        self.findings.iter().filter(|f| !f.error).count()
    }
    pub fn is_ok(&self) -> bool {
        self.errors() == 0
    }
    /// Human-readable report, one finding per line and a summary.
    pub fn render(&self) -> String {
        let mut s = String::new();
        for f in &self.findings {
            s.push_str(&f.to_string());
            s.push('\n');
        }
        s.push_str(&format!(
            "{} documents: {} FeatureStore, {} core objects, {} other kinds not schema-checked; {} errors, {} warnings\n",
            self.documents,
            self.feature_stores,
            self.core_objects,
            self.unchecked.len(),
            self.errors(),
            self.warnings()
        ));
        s
    }
}

/// Validate a set of documents.
pub fn validate_documents(docs: &[Document], opts: &Options) -> Report {
    let mut report = Report {
        documents: docs.len(),
        ..Report::default()
    };
    for d in docs {
        let mut add = |check: &str, path: String, message: String| {
            report.findings.push(Finding {
                source: d.source.clone(),
                index: d.index,
                object: d.label(),
                check: check.to_string(),
                path,
                message,
                error: true,
            })
        };
        if !d.is_object() {
            add(
                "schema",
                String::new(),
                "not a Kubernetes object (needs apiVersion and kind)".into(),
            );
            continue;
        }
        if opts.crd.handles(d.api_version(), d.kind()) {
            report.feature_stores += 1;
            for p in opts.crd.validate(&d.value) {
                add(p.check, p.path, p.message);
            }
        } else if let Some(problems) = core_kinds::validate(d.api_version(), d.kind(), &d.value) {
            report.core_objects += 1;
            for p in problems {
                if kube_fields::still_served(opts.kube, d.api_version(), d.kind(), &p.path) {
                    continue;
                }
                add("core", p.path, p.message);
            }
            for p in semantics::check(d.kind(), &d.value)
                .into_iter()
                .chain(enums::check(d.kind(), &d.value))
            {
                add("core", p.path, p.message);
            }
        } else {
            report
                .unchecked
                .push(format!("{} {}", d.api_version(), d.label()));
        }
        for (path, message) in kube_version::check(opts.kube, d.api_version(), d.kind(), &d.value) {
            add("kube-version", path, message);
        }
        // Metadata is a bare `object` in CRD schemas: check it like the API server would.
        for p in core_kinds::check_metadata(&d.value) {
            add("core", p.0, p.1);
        }
        for p in formats::check(d.kind(), &d.value) {
            add("core", p.path, p.message);
        }
    }
    if opts.policy != PolicyMode::Off {
        for f in policy::check(docs) {
            let d = &docs[f.doc];
            report.findings.push(Finding {
                source: d.source.clone(),
                index: d.index,
                object: d.label(),
                check: format!("policy:{}", f.rule),
                path: f.path,
                message: f.message,
                error: opts.policy == PolicyMode::Deny,
            });
        }
    }
    report
}
