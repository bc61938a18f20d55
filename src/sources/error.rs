use std::path::{Path, PathBuf};

/// Why a source could not be read. Every variant names the input and says
/// what to do; none carries credentials.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(
        "empty source: pass a feature repo directory, git:REF[:PATH], a registry.db path or a lock file"
    )]
    EmptySpec,
    #[error("{}: {reason}", path.display())]
    Io { path: PathBuf, reason: String },
    #[error("{}: not a Feast registry ({reason}); pass a registry.db written by `feast apply`, or a feastops lock file", path.display())]
    NotARegistry { path: PathBuf, reason: String },
    #[error("{}: invalid feastops lock file: {reason}; regenerate it with `feastops snapshot`", path.display())]
    BadLock { path: PathBuf, reason: String },
    #[error("{}: lock file version {found} is not supported by this feastops (it reads version {supported}); upgrade feastops or regenerate the lock file", path.display())]
    LockVersion {
        path: PathBuf,
        found: u64,
        supported: u64,
    },
    #[error(transparent)]
    Repo(#[from] super::repo::RepoError),
    #[error(transparent)]
    Git(#[from] super::git::GitError),
    #[error(transparent)]
    ViaFeast(#[from] super::via_feast::ViaFeastError),
}

impl SourceError {
    pub fn io(path: &Path, e: std::io::Error) -> SourceError {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::IsADirectory => "is a directory, expected a file".to_string(),
            _ => e.to_string(),
        };
        SourceError::Io {
            path: path.to_path_buf(),
            reason,
        }
    }
}
