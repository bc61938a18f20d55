//! A feature repo as it is at a git ref, read from the object database:
//! nothing is checked out, so the working copy stays as it is and a CI job
//! can compare a branch with its base in one step.

use std::path::{Path, PathBuf};

use git2::{ObjectType, Repository, Tree};

use super::repo::RepoTree;

/// Directories feast never imports from; not worth reading.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".venv",
    ".ipynb_checkpoints",
    ".pytest_cache",
    "__pycache__",
];

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error(
        "git:{rev}: {start} is not inside a git repository; run feastops from a clone, or pass a registry or lock file"
    )]
    NoRepo { rev: String, start: String },
    #[error("git:{rev}: no such ref or commit in {repo}{hint}")]
    NoRef {
        rev: String,
        repo: String,
        hint: String,
    },
    #[error("git:{rev}: no directory `{path}` at that commit; pass git:{rev}:<feature repo path>")]
    NoPath { rev: String, path: String },
    #[error("git:{rev}: {reason}")]
    Other { rev: String, reason: String },
}

/// Reads the feature repo at `path` (relative to the git root) as of `rev`.
/// When `path` is `None`, the proposed repo directory's own path is used:
/// base and proposal are the same directory at two commits.
pub fn read_tree(rev: &str, path: Option<&str>, proposed_dir: &Path) -> Result<RepoTree, GitError> {
    let other = |e: git2::Error| GitError::Other {
        rev: rev.to_string(),
        reason: e.message().to_string(),
    };
    let repo = Repository::discover(proposed_dir).map_err(|_| GitError::NoRepo {
        rev: rev.to_string(),
        start: proposed_dir.display().to_string(),
    })?;
    let rel = match path {
        Some(p) => p.trim_matches('/').to_string(),
        None => relative_to_workdir(&repo, proposed_dir),
    };
    let object = repo.revparse_single(rev).map_err(|_| GitError::NoRef {
        rev: rev.to_string(),
        repo: repo.workdir().unwrap_or(repo.path()).display().to_string(),
        hint: fetch_hint(&repo, rev),
    })?;
    let commit = object.peel_to_commit().map_err(other)?;
    let root = commit.tree().map_err(other)?;
    let tree = if rel.is_empty() || rel == "." {
        root
    } else {
        let entry = root
            .get_path(Path::new(&rel))
            .map_err(|_| GitError::NoPath {
                rev: rev.to_string(),
                path: rel.clone(),
            })?;
        if entry.kind() != Some(ObjectType::Tree) {
            return Err(GitError::NoPath {
                rev: rev.to_string(),
                path: rel,
            });
        }
        repo.find_tree(entry.id()).map_err(other)?
    };
    let mut out = RepoTree {
        display: if rel.is_empty() || rel == "." {
            format!("git:{rev}")
        } else {
            format!("git:{rev}:{rel}")
        },
        root: repo
            .workdir()
            .map(|w| w.join(&rel))
            .unwrap_or_else(|| proposed_dir.to_path_buf()),
        ..Default::default()
    };
    let mut blobs = std::collections::BTreeMap::new();
    out.feature_store_yaml = blob_text(&repo, &tree, "feature_store.yaml", rev)?;
    out.feastignore = blob_text(&repo, &tree, ".feastignore", rev)?;
    walk(&repo, &tree, String::new(), &mut out, &mut blobs, rev)?;
    out.files = super::repo::FileStore::Git {
        git_dir: repo.path().to_path_buf(),
        blobs,
    };
    Ok(out)
}

/// The proposed directory's path inside the work tree, `/`-separated.
fn relative_to_workdir(repo: &Repository, dir: &Path) -> String {
    let (Some(workdir), Ok(dir)) = (repo.workdir(), dir.canonicalize()) else {
        return String::new();
    };
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    dir.strip_prefix(&workdir)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}

/// How to make `rev` available, for the common CI cases: a shallow clone,
/// a remote branch not fetched.
fn fetch_hint(repo: &Repository, rev: &str) -> String {
    let base = rev.split(['~', '^']).next().unwrap_or(rev);
    let mut hint = String::new();
    if let Some((remote, branch)) = base.split_once('/')
        && repo.find_remote(remote).is_ok()
    {
        hint =
            format!("; fetch it first: git fetch {remote} {branch}:refs/remotes/{remote}/{branch}");
    }
    if repo.is_shallow() {
        if hint.is_empty() {
            hint = "; this is a shallow clone: fetch more history with `git fetch --deepen=50` (or `git fetch --unshallow`)".into();
        } else {
            hint.push_str(
                " (this is a shallow clone: add --deepen=50 if the ref is an older commit)",
            );
        }
    } else if hint.is_empty() {
        hint = "; check the name, or fetch it with `git fetch origin <branch>`".into();
    }
    hint
}

fn blob_text(
    repo: &Repository,
    tree: &Tree,
    name: &str,
    rev: &str,
) -> Result<Option<String>, GitError> {
    let Some(entry) = tree.get_name(name) else {
        return Ok(None);
    };
    check_size(repo, entry.id(), name, rev)?;
    let blob = repo.find_blob(entry.id()).map_err(|e| GitError::Other {
        rev: rev.to_string(),
        reason: format!("{name}: {}", e.message()),
    })?;
    Ok(Some(String::from_utf8_lossy(blob.content()).into_owned()))
}

/// Refuses a repo source blob over its limit before loading it.
fn check_size(repo: &Repository, id: git2::Oid, name: &str, rev: &str) -> Result<(), GitError> {
    let kind = crate::input_limits::Input::RepoSource;
    let size = repo
        .odb()
        .and_then(|odb| odb.read_header(id))
        .map(|(size, _)| size as u64)
        .unwrap_or(0);
    if size > kind.limit() {
        return Err(GitError::Other {
            rev: rev.to_string(),
            reason: format!("{name}: {}", kind.too_large(Some(size))),
        });
    }
    Ok(())
}

fn walk(
    repo: &Repository,
    tree: &Tree,
    prefix: String,
    out: &mut RepoTree,
    blobs: &mut std::collections::BTreeMap<String, git2::Oid>,
    rev: &str,
) -> Result<(), GitError> {
    let other = |e: git2::Error| GitError::Other {
        rev: rev.to_string(),
        reason: e.message().to_string(),
    };
    for entry in tree.iter() {
        let Some(name) = entry.name() else { continue };
        let rel = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        };
        match entry.kind() {
            Some(ObjectType::Tree) if !SKIPPED_DIRS.contains(&name) => {
                let sub = repo.find_tree(entry.id()).map_err(other)?;
                walk(repo, &sub, rel, out, blobs, rev)?;
            }
            Some(ObjectType::Blob) if name.ends_with(".py") => {
                check_size(repo, entry.id(), &rel, rev)?;
                let blob = repo.find_blob(entry.id()).map_err(other)?;
                out.python
                    .insert(rel, String::from_utf8_lossy(blob.content()).into_owned());
            }
            Some(ObjectType::Blob) => {
                blobs.insert(rel, entry.id());
            }
            _ => {}
        }
    }
    Ok(())
}

/// Splits `REF[:PATH]` (the part after `git:`).
pub fn split_spec(s: &str) -> (String, Option<String>) {
    match s.split_once(':') {
        Some((rev, path)) if !path.is_empty() => (rev.to_string(), Some(path.to_string())),
        Some((rev, _)) => (rev.to_string(), None),
        None => (s.to_string(), None),
    }
}

/// Where to start looking for the git repository.
pub fn start_dir(proposed_dir: Option<&Path>) -> PathBuf {
    proposed_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
