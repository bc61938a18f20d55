//! Where schemas come from. Every source yields a [`model::Registry`].
//!
//! A source is named on the command line by a string (`--against`,
//! `--proposed`, `--from`); [`SourceSpec::parse`] decides what it is and
//! [`load`] reads it.

mod error;
pub mod from_proto;
pub mod lockfile;
pub mod proto;
mod registry_file;
pub mod repo;

use std::path::{Path, PathBuf};

pub use error::SourceError;

use crate::model;

/// A source named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// A local file: a `registry.db` (serialized Feast Registry) or a lock
    /// file; told apart by content, not by name.
    File(PathBuf),
    /// A Feast feature repo directory (holding feature_store.yaml), read
    /// statically.
    Repo(PathBuf),
}

impl SourceSpec {
    pub fn parse(s: &str) -> Result<SourceSpec, SourceError> {
        if s.trim().is_empty() {
            return Err(SourceError::EmptySpec);
        }
        let path = PathBuf::from(s);
        if path.is_dir() {
            return Ok(SourceSpec::Repo(path));
        }
        Ok(SourceSpec::File(path))
    }

    /// How this source is shown in messages (never with credentials).
    pub fn display(&self) -> String {
        match self {
            SourceSpec::File(p) | SourceSpec::Repo(p) => p.display().to_string(),
        }
    }
}

/// Reads a source into the model.
pub fn load(spec: &SourceSpec) -> Result<model::Registry, SourceError> {
    match spec {
        SourceSpec::File(path) => load_file(path),
        SourceSpec::Repo(dir) => Ok(repo::load_dir(dir)?),
    }
}

fn load_file(path: &Path) -> Result<model::Registry, SourceError> {
    let bytes = std::fs::read(path).map_err(|e| SourceError::io(path, e))?;
    if lockfile::looks_like_lock(&bytes) {
        lockfile::parse(path, &bytes)
    } else {
        registry_file::parse(path, &bytes)
    }
}
