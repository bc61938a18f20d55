//! Where schemas come from. Every source yields a [`model::Registry`].
//!
//! A source is named on the command line by a string (`--against`,
//! `--proposed`, `--from`); [`SourceSpec::parse`] decides what it is and
//! [`load`] reads it.

mod error;
pub mod from_proto;
pub mod git;
pub mod lockfile;
pub mod proto;
mod registry_file;
pub mod repo;
pub mod via_feast;

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
    /// `git:REF[:PATH]`: the feature repo at a git ref, read from the object
    /// database. Without PATH, the proposed repo's own path.
    Git { rev: String, path: Option<String> },
}

/// What a source may need besides its own string.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The proposed feature repo directory: where `git:` sources find their
    /// repository and their default path.
    pub proposed_dir: Option<PathBuf>,
    /// Read feature repos with the user's own feast instead of statically.
    pub via_feast: Option<via_feast::FeastCommand>,
}

impl SourceSpec {
    pub fn parse(s: &str) -> Result<SourceSpec, SourceError> {
        if s.trim().is_empty() {
            return Err(SourceError::EmptySpec);
        }
        if let Some(rest) = s.strip_prefix("git:") {
            let (rev, path) = git::split_spec(rest);
            if rev.is_empty() {
                return Err(SourceError::EmptySpec);
            }
            return Ok(SourceSpec::Git { rev, path });
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
            SourceSpec::Git { rev, path: None } => format!("git:{rev}"),
            SourceSpec::Git { rev, path: Some(p) } => format!("git:{rev}:{p}"),
        }
    }
}

/// Reads a source into the model.
pub fn load(spec: &SourceSpec) -> Result<model::Registry, SourceError> {
    load_with(spec, &LoadOptions::default())
}

/// Reads a source into the model, with the context some sources need.
pub fn load_with(spec: &SourceSpec, opts: &LoadOptions) -> Result<model::Registry, SourceError> {
    let tree = match spec {
        SourceSpec::File(path) => return load_file(path),
        SourceSpec::Repo(dir) => repo::RepoTree::from_dir(dir)?,
        SourceSpec::Git { rev, path } => {
            let start = git::start_dir(opts.proposed_dir.as_deref());
            git::read_tree(rev, path.as_deref(), &start)?
        }
    };
    match &opts.via_feast {
        Some(feast) => via_feast::load(&tree, feast),
        None => Ok(repo::parse(&tree)?),
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
