//! The exact fallback: run the user's own `feast apply` over the repo, into
//! a throwaway local registry, and read that. For repos whose definitions
//! only running Python can resolve.
//!
//! A repo directory is applied where it is (`feast -c REPO -f TMP.yaml`), so
//! its data files, relative imports and `__file__` paths are what Feast sees
//! in production. The `feature_store.yaml` feast reads is a temporary one
//! (file registry, sqlite online store, file offline store, all in a
//! temporary directory), so none of the user's infrastructure is touched and
//! nothing is written into the repo. A `git:` tree has no directory: it is
//! written out, data files included, to a temporary one first.

mod config;
mod failure;

use std::path::{Path, PathBuf};
use std::process::Command;

use super::repo::{FileStore, RepoTree};
use super::{SourceError, registry_file};
use crate::model;

pub use failure::ViaFeastError;

/// Which feast to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeastCommand {
    /// A Python interpreter that has feast installed; `None` runs `feast`
    /// from PATH.
    pub python: Option<PathBuf>,
}

impl FeastCommand {
    fn command(&self) -> (Command, String) {
        match &self.python {
            Some(py) => {
                // Relative to where feastops runs, not to the repo.
                let py = if py.components().count() > 1 {
                    std::path::absolute(py).unwrap_or_else(|_| py.clone())
                } else {
                    py.clone()
                };
                let what = format!("{} (with feast)", py.display());
                let mut c = Command::new(py);
                c.args(["-m", "feast.cli.cli"]);
                (c, what)
            }
            None => (Command::new("feast"), "`feast` on PATH".to_string()),
        }
    }
}

/// Applies `tree` with the real feast into a temporary registry and reads it.
pub fn load(tree: &RepoTree, feast: &FeastCommand) -> Result<model::Registry, SourceError> {
    let tmp =
        tempfile::tempdir().map_err(|e| ViaFeastError::Io(format!("temporary directory: {e}")))?;
    let repo_dir = match &tree.files {
        FileStore::Dir(root) => root.clone(),
        _ => {
            let dir = tmp.path().join("repo");
            write_out(tree, &dir)?;
            dir
        }
    };
    let yaml = tmp.path().join("feature_store.yaml");
    std::fs::write(&yaml, config::local_yaml(tree, tmp.path())?)
        .map_err(|e| ViaFeastError::Io(format!("writing {}: {e}", yaml.display())))?;
    let (mut cmd, what) = feast.command();
    cmd.arg("-c")
        .arg(&repo_dir)
        .arg("-f")
        .arg(&yaml)
        .args(["apply", "--skip-source-validation"])
        .current_dir(&repo_dir)
        // The user's environment must not point feast elsewhere.
        .env_remove("FEATURE_REPO_DIR_ENV_VAR")
        .env_remove("FEAST_FS_YAML_FILE_PATH")
        .env("FEAST_USAGE", "False")
        // Importing the repo must not leave __pycache__ directories in it.
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let out = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
            ViaFeastError::NotInstalled { what: what.clone() }
        }
        _ => ViaFeastError::Io(format!("running {what}: {e}")),
    })?;
    if !out.status.success() {
        return Err(failure::classify(
            &what,
            &tree.display,
            &repo_dir,
            &String::from_utf8_lossy(&out.stderr),
            &String::from_utf8_lossy(&out.stdout),
        )
        .into());
    }
    let db = tmp.path().join("registry.db");
    let bytes = std::fs::read(&db).map_err(|e| SourceError::io(&db, e))?;
    registry_file::parse(&db, &bytes)
}

/// Writes a tree that has no directory of its own (a git ref), with every
/// file Feast could read: Python, data, YAML.
fn write_out(tree: &RepoTree, dir: &Path) -> Result<(), SourceError> {
    let io = |e: std::io::Error| ViaFeastError::Io(format!("writing the repo out: {e}"));
    let write = |rel: &str, bytes: &[u8]| -> Result<(), ViaFeastError> {
        let dest = dir.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&dest, bytes).map_err(io)
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    for (rel, text) in &tree.python {
        write(rel, text.as_bytes())?;
    }
    if let FileStore::Git { blobs, .. } = &tree.files {
        for rel in blobs.keys() {
            if let Some(bytes) = tree.files.read(rel).map_err(io)? {
                write(rel, &bytes)?;
            }
        }
    }
    if let Some(ignore) = &tree.feastignore {
        write(".feastignore", ignore.as_bytes())?;
    }
    if let Some(yaml) = &tree.feature_store_yaml {
        write("feature_store.yaml", yaml.as_bytes())?;
    }
    Ok(())
}
