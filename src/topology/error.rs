//! Error types of the topology library. The CLI maps them to exit codes:
//! every variant here is "bad input" (exit 2) except where documented.

use std::path::PathBuf;

/// One problem found in a topology spec, with the JSON path where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// Dotted path inside the merged spec, e.g. `enterprise.tenants[0]`. Empty = root.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// A close known key when the problem is an unknown key.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() {
            "<root>"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

fn join_problems(problems: &[SpecProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, thiserror::Error)]
pub enum TopologyError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: not valid YAML: {message}")]
    Yaml { path: String, message: String },

    #[error(
        "{paths}: no Kubernetes objects to validate ({files} YAML files read); give the manifests (a render's output directory, or files with apiVersion and kind)"
    )]
    NoObjects { paths: String, files: usize },

    #[error(
        "invalid --set `{arg}`: {message} (expected KEY.PATH=VALUE, e.g. --set scaling.maxReplicas=8)"
    )]
    BadSet { arg: String, message: String },

    #[error("the topology spec ({source_desc}) is invalid:\n{}\nFix the keys above; `feastops render --help` lists the flags and schemas/topology.schema.json the format.", join_problems(.problems))]
    Spec {
        source_desc: String,
        problems: Vec<SpecProblem>,
    },

    #[error("template directory {path}: {message}")]
    Templates { path: PathBuf, message: String },

    #[error("template `{name}` failed to render: {message}")]
    Render { name: String, message: String },

    #[error("template `{name}` produced invalid YAML: {message}")]
    RenderedYaml { name: String, message: String },

    #[error("template `{name}` produced invalid Python ({file}): {message}")]
    RenderedPython {
        name: String,
        file: String,
        message: String,
    },

    #[error("the rendered manifests fail validation, nothing was written:\n{report}")]
    RenderedInvalid { report: String },

    #[error("CRD {path}: {message}")]
    Crd { path: String, message: String },

    #[error("refusing to write into {path}: {message}")]
    OutputDir { path: PathBuf, message: String },
}

impl TopologyError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        TopologyError::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = TopologyError> = std::result::Result<T, E>;
