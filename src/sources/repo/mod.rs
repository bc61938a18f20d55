//! Reads a Feast feature repo (Python files + feature_store.yaml) into the
//! model without running Python: files are parsed with Ruff's parser and
//! evaluated by a small static evaluator that knows Feast's constructors.
//!
//! The files come from a [`RepoTree`], filled from a directory or from a git
//! tree, so a base branch is read exactly like the working copy.

pub(crate) mod data;
mod diagnostics;
mod eval;
mod files;
mod infer;
mod objects;
mod pystd;
mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

pub use diagnostics::{Diagnostic, RepoError};
pub use files::FileStore;
pub use infer::DataRead;

use crate::model;

/// The files of a feature repo, by `/`-separated path relative to its root.
#[derive(Debug, Clone, Default)]
pub struct RepoTree {
    /// How the repo is named in messages (a directory, or `git:REF:PATH`).
    pub display: String,
    /// Every `*.py` file, ignored ones included: they can still be imported.
    pub python: BTreeMap<String, String>,
    pub feature_store_yaml: Option<String>,
    pub feastignore: Option<String>,
    /// The repo directory as `feast apply` would see it (absolute when
    /// known): `__file__` and `os.getcwd()` are evaluated against it. For a
    /// git ref it is the same directory in the working copy.
    pub root: PathBuf,
    /// Every other file (data, YAML, JSON), read on demand.
    pub files: FileStore,
    /// Which data files to read (parquet footers only).
    pub read_data: DataRead,
}

/// Directories `feast apply` never imports from (repo_operations.py).
const ALWAYS_IGNORED_DIRS: &[&str] = &[
    ".git",
    ".venv",
    ".ipynb_checkpoints",
    ".pytest_cache",
    "__pycache__",
];

impl RepoTree {
    /// Reads a feature repo directory.
    pub fn from_dir(dir: &Path) -> Result<RepoTree, RepoError> {
        let display = dir.display().to_string();
        let io = |e: std::io::Error| RepoError::Io {
            dir: display.clone(),
            reason: e.to_string(),
        };
        if !dir.is_dir() {
            return Err(RepoError::Io {
                dir: display.clone(),
                reason: "not a directory".into(),
            });
        }
        let root = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let mut tree = RepoTree {
            display: display.clone(),
            root: root.clone(),
            files: FileStore::Dir(root),
            ..Default::default()
        };
        tree.feature_store_yaml = read_optional(&dir.join("feature_store.yaml")).map_err(io)?;
        tree.feastignore = read_optional(&dir.join(".feastignore")).map_err(io)?;
        let mut stack = vec![(dir.to_path_buf(), String::new())];
        while let Some((path, rel)) = stack.pop() {
            for entry in std::fs::read_dir(&path).map_err(io)? {
                let entry = entry.map_err(io)?;
                let name = entry.file_name().to_string_lossy().into_owned();
                let child_rel = if rel.is_empty() {
                    name.clone()
                } else {
                    format!("{rel}/{name}")
                };
                // Symlinked directories are not followed: they can loop.
                let ft = entry.file_type().map_err(io)?;
                if ft.is_dir() {
                    if !ALWAYS_IGNORED_DIRS.contains(&name.as_str()) {
                        stack.push((entry.path(), child_rel));
                    }
                } else if name.ends_with(".py") {
                    let text = crate::input_limits::read_to_string(
                        &entry.path(),
                        crate::input_limits::Input::RepoSource,
                    )
                    .map_err(|e| RepoError::Io {
                        dir: format!("{display}/{child_rel}"),
                        reason: e.to_string(),
                    })?;
                    tree.python.insert(child_rel, text);
                }
            }
        }
        Ok(tree)
    }

    /// The files `feast apply` imports, in its order: every `*.py` except
    /// `__init__.py` and what `.feastignore` (or Feast itself) ignores.
    pub fn applied_files(&self) -> Vec<&str> {
        let ignore = self.ignore_set();
        self.python
            .keys()
            .filter(|p| !p.ends_with("/__init__.py") && p.as_str() != "__init__.py")
            .filter(|p| !is_ignored(&ignore, p))
            .map(String::as_str)
            .collect()
    }

    fn ignore_set(&self) -> GlobSet {
        let mut patterns: Vec<String> = self
            .feastignore
            .as_deref()
            .unwrap_or("")
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(|l| l.trim_start_matches("./").trim_end_matches('/').to_string())
            .collect();
        patterns.extend(ALWAYS_IGNORED_DIRS.iter().map(|d| format!("**/{d}")));
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            // A pattern globset cannot read cannot match in Python either.
            if let Ok(g) = GlobBuilder::new(&p).literal_separator(true).build() {
                b.add(g);
            }
        }
        b.build().unwrap_or_else(|_| GlobSet::empty())
    }

    /// The `project:` of feature_store.yaml.
    pub fn project_name(&self) -> Result<String, RepoError> {
        let text = self
            .feature_store_yaml
            .as_deref()
            .ok_or_else(|| RepoError::NoConfig {
                dir: self.display.clone(),
            })?;
        let file = format!("{}/feature_store.yaml", self.display.trim_end_matches('/'));
        let doc: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(text).map_err(|e| RepoError::BadConfig {
                file: file.clone(),
                reason: format!("not valid YAML: {e}"),
            })?;
        match doc.get("project").and_then(|p| p.as_str()) {
            Some(p) if !p.trim().is_empty() => Ok(p.to_string()),
            _ => Err(RepoError::BadConfig {
                file,
                reason: "no `project:` name; Feast needs one to apply the repo".into(),
            }),
        }
    }
}

/// A file is ignored when it or any directory above it matches a pattern,
/// as Feast ignores every file under a matched directory.
fn is_ignored(set: &GlobSet, rel: &str) -> bool {
    if set.is_match(rel) {
        return true;
    }
    let mut end = 0;
    while let Some(i) = rel[end..].find('/') {
        end += i;
        if set.is_match(&rel[..end]) {
            return true;
        }
        end += 1;
    }
    false
}

fn read_optional(path: &Path) -> std::io::Result<Option<String>> {
    match crate::input_limits::read_to_string(path, crate::input_limits::Input::RepoSource) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads a feature repo into the model, or says which lines it could not read.
pub fn parse(tree: &RepoTree) -> Result<model::Registry, RepoError> {
    let project = tree.project_name()?;
    let mut ev = eval::Evaluator::new(tree);
    let files = tree.applied_files();
    for f in &files {
        ev.run_file(f);
    }
    let collected = ev.collect(&files);
    let notes = ev.take_notes();
    let mut diags = ev.into_diagnostics();
    // A value that failed was reported where it failed; its uses add noise.
    diags.retain(|d| !d.message.contains(eval::REPORTED));
    let failed = |diagnostics| RepoError::Diagnostics {
        repo: tree.display.clone(),
        diagnostics,
    };
    if !diags.is_empty() {
        return Err(failed(diags));
    }
    let mut registry = objects::build(&project, collected).map_err(failed)?;
    registry.notes = notes;
    let diags = infer::complete(&mut registry, tree);
    if !diags.is_empty() {
        return Err(failed(diags));
    }
    Ok(registry)
}

/// Reads a feature repo directory.
pub fn load_dir(dir: &Path) -> Result<model::Registry, RepoError> {
    parse(&RepoTree::from_dir(dir)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str], ignore: &str) -> RepoTree {
        RepoTree {
            python: files
                .iter()
                .map(|f| (f.to_string(), String::new()))
                .collect(),
            feastignore: Some(ignore.to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn feastignore_matches_files_and_directories_like_feast() {
        let t = tree(
            &[
                "a.py",
                "scratch/x.py",
                "sub/deep/y_test.py",
                "sub/z.py",
                "__init__.py",
                "pkg/__init__.py",
                "pkg/__pycache__/c.py",
            ],
            "# comment\nscratch/\n**/*_test.py  # tests\n",
        );
        assert_eq!(t.applied_files(), vec!["a.py", "sub/z.py"]);
    }
}
