//! How large a file feastops reads whole may be. A linter on every pull
//! request must fail fast and clearly on a runaway or hostile input rather
//! than exhaust the runner's memory. Every limit is far above real inputs
//! (Feast registries of thousands of views are tens of MiB) and one
//! variable, `FEASTOPS_MAX_INPUT_MB`, raises them all. Model files have
//! their own fixed limits (`contract::readers`).
//!
//! Remote inputs have the same limits: a registry object in S3/GCS/Azure, a
//! REST registry's response bodies and a gRPC registry's message are
//! [`Input::Registry`]; a remote parquet footer is [`Input::ParquetFooter`].

use std::io::Read;
use std::path::Path;

/// The variable that overrides every limit here, in MiB.
pub const ENV: &str = "FEASTOPS_MAX_INPUT_MB";

/// What kind of input a file is, for its limit and its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A `registry.db` or a lock file (local or from object storage).
    Registry,
    /// A Python file of a feature repo, `feature_store.yaml`, `.feastignore`.
    RepoSource,
    /// A data or config file a repo's code reads (`open(...)`).
    RepoFile,
    /// A topology spec, a manifest `validate` reads, a flow model, a
    /// feastops config.
    Yaml,
    /// The footer metadata of a parquet file in object storage (fetched
    /// with a ranged GET; rows are never read).
    ParquetFooter,
}

impl Input {
    fn default_mib(self) -> u64 {
        match self {
            Input::Registry => 1024,
            Input::RepoSource => 16,
            Input::RepoFile => 64,
            Input::Yaml => 64,
            // Footers are KiB to a few MiB, even for wide files of many
            // row groups.
            Input::ParquetFooter => 64,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Input::Registry => "registry or lock file",
            Input::RepoSource => "feature repo source file",
            Input::RepoFile => "file read by a feature repo",
            Input::Yaml => "YAML or TOML input",
            Input::ParquetFooter => "parquet footer",
        }
    }

    /// The limit in bytes: the default, or `FEASTOPS_MAX_INPUT_MB`.
    pub fn limit(self) -> u64 {
        let mib = std::env::var(ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|&m| m > 0)
            .unwrap_or(self.default_mib());
        mib.saturating_mul(1024 * 1024)
    }

    /// The error for an input of `size` bytes over the limit.
    pub fn too_large(self, size: Option<u64>) -> std::io::Error {
        let limit = self.limit();
        let size = size.map(|s| format!(" ({s} bytes)")).unwrap_or_default();
        std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "larger{size} than {} MiB, the most feastops reads for a {}; set {ENV} to raise the limit",
                limit >> 20,
                self.what()
            ),
        )
    }
}

/// Reads a whole file, refusing one over its limit before reading it.
pub fn read(path: &Path, kind: Input) -> std::io::Result<Vec<u8>> {
    let limit = kind.limit();
    let file = std::fs::File::open(path)?;
    // The size on disk is checked first; reading stops at the limit anyway,
    // for files whose size is not known in advance (pipes, /proc).
    if let Ok(m) = file.metadata()
        && m.is_file()
        && m.len() > limit
    {
        return Err(kind.too_large(Some(m.len())));
    }
    let mut buf = Vec::new();
    file.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(kind.too_large(None));
    }
    Ok(buf)
}

/// [`read`] as UTF-8 text, like `std::fs::read_to_string`.
pub fn read_to_string(path: &Path, kind: Input) -> std::io::Result<String> {
    String::from_utf8(read(path, kind)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_with_the_way_to_raise_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.db");
        std::fs::write(&p, vec![0u8; 10]).unwrap();
        assert_eq!(read(&p, Input::Registry).unwrap().len(), 10);
        let e = Input::Registry.too_large(Some(2 << 30));
        assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
        let msg = e.to_string();
        assert!(msg.contains("1024 MiB"), "{msg}");
        assert!(msg.contains(ENV), "{msg}");
    }
}
