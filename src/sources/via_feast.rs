//! The exact fallback: run the user's own `feast apply` on a copy of the
//! repo, into a throwaway local registry, and read that. For repos whose
//! definitions only running Python can resolve (loops, helper functions).
//!
//! The copy's feature_store.yaml is rewritten to a file registry, a sqlite
//! online store and a file offline store in a temporary directory, so none
//! of the user's infrastructure (registry database, online store, cloud
//! credentials) is touched.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::repo::RepoTree;
use super::{SourceError, registry_file};
use crate::model;

/// Which feast to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeastCommand {
    /// A Python interpreter that has feast installed; `None` runs `feast`
    /// from PATH.
    pub python: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ViaFeastError {
    #[error(
        "--via-feast: {what} not found; install feast (`pip install feast`) or pass --python with an interpreter that has it"
    )]
    NotInstalled { what: String },
    #[error("--via-feast: `feast apply` failed for {repo}: {output}")]
    ApplyFailed { repo: String, output: String },
    #[error("--via-feast: {0}")]
    Io(String),
}

/// Applies `tree` with the real feast into a temporary registry and reads it.
pub fn load(tree: &RepoTree, feast: &FeastCommand) -> Result<model::Registry, SourceError> {
    let tmp =
        tempfile::tempdir().map_err(|e| ViaFeastError::Io(format!("temporary directory: {e}")))?;
    let work = tmp.path().join("repo");
    write_copy(tree, &work, tmp.path())?;
    let mut cmd = match &feast.python {
        Some(py) => {
            // Relative to where feastops runs, not to the temporary copy.
            let py = if py.components().count() > 1 {
                std::path::absolute(py).unwrap_or_else(|_| py.clone())
            } else {
                py.clone()
            };
            let mut c = Command::new(py);
            c.args(["-m", "feast.cli.cli"]);
            c
        }
        None => Command::new("feast"),
    };
    cmd.args(["apply", "--skip-source-validation"])
        .current_dir(&work)
        .env("FEAST_USAGE", "False")
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let what = match &feast.python {
        Some(py) => format!("{} (with feast)", py.display()),
        None => "`feast` on PATH".to_string(),
    };
    let out = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
            ViaFeastError::NotInstalled { what: what.clone() }
        }
        _ => ViaFeastError::Io(format!("running {what}: {e}")),
    })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("No module named feast") || stderr.contains("No module named 'feast") {
            return Err(ViaFeastError::NotInstalled { what }.into());
        }
        return Err(ViaFeastError::ApplyFailed {
            repo: tree.display.clone(),
            output: last_lines(&stderr, &String::from_utf8_lossy(&out.stdout)),
        }
        .into());
    }
    let db = tmp.path().join("registry.db");
    let bytes = std::fs::read(&db).map_err(|e| SourceError::io(&db, e))?;
    registry_file::parse(&db, &bytes)
}

/// The error's last lines: a Python traceback ends with what matters.
fn last_lines(stderr: &str, stdout: &str) -> String {
    let text = if stderr.trim().is_empty() {
        stdout
    } else {
        stderr
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

fn write_copy(tree: &RepoTree, work: &Path, tmp: &Path) -> Result<(), SourceError> {
    let io = |e: std::io::Error| ViaFeastError::Io(format!("copying the repo: {e}"));
    for (rel, text) in &tree.python {
        let dest = work.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&dest, text).map_err(io)?;
    }
    std::fs::create_dir_all(work).map_err(io)?;
    if let Some(ignore) = &tree.feastignore {
        std::fs::write(work.join(".feastignore"), ignore).map_err(io)?;
    }
    let project = tree.project_name()?;
    let original: serde_yaml_ng::Value = tree
        .feature_store_yaml
        .as_deref()
        .and_then(|t| serde_yaml_ng::from_str(t).ok())
        .unwrap_or(serde_yaml_ng::Value::Null);
    let mut yaml = serde_yaml_ng::Mapping::new();
    let s = |v: &str| serde_yaml_ng::Value::String(v.to_string());
    yaml.insert(s("project"), s(&project));
    yaml.insert(s("provider"), s("local"));
    yaml.insert(
        s("registry"),
        s(&tmp.join("registry.db").display().to_string()),
    );
    let mut online = serde_yaml_ng::Mapping::new();
    online.insert(s("type"), s("sqlite"));
    online.insert(s("path"), s(&tmp.join("online.db").display().to_string()));
    yaml.insert(s("online_store"), online.into());
    let mut offline = serde_yaml_ng::Mapping::new();
    offline.insert(s("type"), s("file"));
    yaml.insert(s("offline_store"), offline.into());
    // Changes how entity keys are serialized, never the schema; kept so
    // feast does not warn about a default.
    if let Some(v) = original.get("entity_key_serialization_version") {
        yaml.insert(s("entity_key_serialization_version"), v.clone());
    }
    let text = serde_yaml_ng::to_string(&yaml).map_err(|e| ViaFeastError::Io(e.to_string()))?;
    std::fs::write(work.join("feature_store.yaml"), text).map_err(io)?;
    Ok(())
}
