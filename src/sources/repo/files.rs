//! Non-Python files of a feature repo (data files, YAML, JSON), read on
//! demand: a repo can hold large parquet files that most lints never need.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Where the repo's other files come from.
#[derive(Debug, Clone, Default)]
pub enum FileStore {
    /// No files beyond the Python ones (trees built in tests).
    #[default]
    None,
    /// The repo directory on disk.
    Dir(PathBuf),
    /// A tree at a git ref: blob ids by repo-relative path, read from the
    /// object database of `git_dir`.
    Git {
        git_dir: PathBuf,
        blobs: BTreeMap<String, git2::Oid>,
    },
}

/// What a path of the repo is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

impl FileStore {
    /// Whether `rel` is a file or a directory of the repo, `None` when it
    /// is neither (Python files are not in the store: callers ask the tree).
    pub fn kind(&self, rel: &str) -> std::io::Result<Option<Kind>> {
        match self {
            FileStore::None => Ok(None),
            FileStore::Dir(root) => match std::fs::metadata(root.join(rel)) {
                Ok(m) if m.is_dir() => Ok(Some(Kind::Dir)),
                Ok(_) => Ok(Some(Kind::File)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            FileStore::Git { blobs, .. } => {
                let Some(rel) = normalize(rel) else {
                    return Ok(None);
                };
                if blobs.contains_key(&rel) {
                    return Ok(Some(Kind::File));
                }
                let prefix = format!("{rel}/");
                let dir = rel.is_empty()
                    || blobs
                        .range(prefix.clone()..)
                        .next()
                        .is_some_and(|(k, _)| k.starts_with(&prefix));
                Ok(dir.then_some(Kind::Dir))
            }
        }
    }

    /// The bytes of `rel` (a `/`-separated path relative to the repo), or
    /// `None` when the repo has no such file. Paths that leave the repo are
    /// read only from a directory: a git ref holds just the repo's tree.
    pub fn read(&self, rel: &str) -> std::io::Result<Option<Vec<u8>>> {
        match self {
            FileStore::None => Ok(None),
            FileStore::Dir(root) => match crate::input_limits::read(
                &root.join(rel),
                crate::input_limits::Input::RepoFile,
            ) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            FileStore::Git { git_dir, blobs } => {
                let Some(oid) = normalize(rel).and_then(|r| blobs.get(&r).copied()) else {
                    return Ok(None);
                };
                let repo = git2::Repository::open(git_dir).map_err(std::io::Error::other)?;
                let kind = crate::input_limits::Input::RepoFile;
                let size = repo
                    .odb()
                    .and_then(|o| o.read_header(oid))
                    .map_or(0, |h| h.0 as u64);
                if size > kind.limit() {
                    return Err(kind.too_large(Some(size)));
                }
                let blob = repo.find_blob(oid).map_err(std::io::Error::other)?;
                Ok(Some(blob.content().to_vec()))
            }
        }
    }
}

/// `a/./b/../c` → `a/c`; `None` when the path leaves the repo.
fn normalize(rel: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_keeps_paths_inside_the_repo() {
        assert_eq!(
            normalize("data/./x/../y.parquet").as_deref(),
            Some("data/y.parquet")
        );
        assert_eq!(normalize("../outside.parquet"), None);
        assert_eq!(normalize("/abs/path"), None);
    }

    #[test]
    fn dir_store_reads_files_and_reports_missing_ones_as_none() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("data/a.yaml"), b"k: v\n").unwrap();
        let store = FileStore::Dir(dir.path().to_path_buf());
        assert_eq!(store.read("data/a.yaml").unwrap().unwrap(), b"k: v\n");
        assert!(store.read("data/missing.yaml").unwrap().is_none());
        assert_eq!(store.kind("data").unwrap(), Some(Kind::Dir));
        assert_eq!(store.kind("data/a.yaml").unwrap(), Some(Kind::File));
        assert_eq!(store.kind("nope").unwrap(), None);
    }

    #[test]
    fn git_store_knows_files_and_directories_from_blob_paths() {
        let mut blobs = BTreeMap::new();
        blobs.insert("data/x.parquet".to_string(), git2::Oid::zero());
        let store = FileStore::Git {
            git_dir: PathBuf::new(),
            blobs,
        };
        assert_eq!(store.kind("data/x.parquet").unwrap(), Some(Kind::File));
        assert_eq!(store.kind("./data/").unwrap(), Some(Kind::Dir));
        assert_eq!(store.kind("dat").unwrap(), None);
    }
}
