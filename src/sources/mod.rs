//! Where schemas come from. Every source yields a [`model::Registry`].
//!
//! A source is named on the command line by a string (`--against`,
//! `--proposed`, `--from`); [`SourceSpec::parse`] decides what it is and
//! [`load`] reads it.

pub mod config;
mod error;
pub mod from_proto;
mod from_proto_labels;
pub mod git;
mod live;
pub mod lockfile;
mod object_storage;
pub(crate) mod parquet_footer;
pub mod proto;
pub mod redact;
pub(crate) mod registry_file;
pub(crate) mod remote;
pub mod repo;
pub mod sql;
mod value_numbering;
pub mod via_feast;

use std::path::{Path, PathBuf};

pub use error::SourceError;
pub use live::SourceOptions;
/// The options every source reads (older name).
pub type LoadOptions = SourceOptions;

use crate::model;

/// A source named on the command line.
///
/// URL variants keep the URL as given (credentials included, since they
/// are needed to connect); `Debug` and [`SourceSpec::display`] redact it.
#[derive(Clone, PartialEq, Eq)]
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
    /// A feature repo's `feature_store.yaml`: read wherever its `registry:`
    /// block says (only the repo's `project:`).
    RepoConfig(PathBuf),
    /// A SQL registry, by SQLAlchemy URL (PostgreSQL, MySQL/MariaDB, SQLite).
    Sql(String),
    /// A registry object in S3, GCS or Azure Blob storage.
    ObjectStore(String),
    /// A registry server's gRPC endpoint (`grpc://`, `grpcs://`).
    Grpc(String),
    /// A registry server's REST API (`http://host:6572`, `https://…`).
    Rest(String),
}

/// The keyword naming the repo's live registry.
pub const REGISTRY_KEYWORD: &str = "registry";

impl std::fmt::Debug for SourceSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceSpec({})", self.display())
    }
}

impl SourceSpec {
    /// Parses a source string; `registry` means `./feature_store.yaml`.
    pub fn parse(s: &str) -> Result<SourceSpec, SourceError> {
        SourceSpec::parse_in(s, None)
    }

    /// Like [`SourceSpec::parse`], with `registry` meaning the
    /// `feature_store.yaml` of `repo_dir` (or of `FEAST_FS_YAML_FILE_PATH`,
    /// which Feast also honours).
    pub fn parse_in(s: &str, repo_dir: Option<&Path>) -> Result<SourceSpec, SourceError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(SourceError::EmptySpec);
        }
        if let Some(rest) = s.strip_prefix("git:") {
            let (rev, path) = git::split_spec(rest);
            if rev.is_empty() {
                return Err(SourceError::EmptySpec);
            }
            return Ok(SourceSpec::Git { rev, path });
        }
        if s == REGISTRY_KEYWORD {
            if let Ok(p) = std::env::var("FEAST_FS_YAML_FILE_PATH")
                && !p.is_empty()
            {
                return Ok(SourceSpec::RepoConfig(PathBuf::from(p)));
            }
            let dir = repo_dir.unwrap_or(Path::new("."));
            return Ok(SourceSpec::RepoConfig(dir.join("feature_store.yaml")));
        }
        let Some((scheme, _)) = s.split_once("://") else {
            let path = PathBuf::from(s);
            if path.is_dir() {
                return Ok(SourceSpec::Repo(path));
            }
            let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            return Ok(if is_yaml {
                SourceSpec::RepoConfig(path)
            } else {
                SourceSpec::File(path)
            });
        };
        let scheme = scheme.to_ascii_lowercase();
        if sql::Dialect::of(s).is_some() {
            return Ok(SourceSpec::Sql(s.to_string()));
        }
        if object_storage::handles(s) {
            return Ok(SourceSpec::ObjectStore(s.to_string()));
        }
        match scheme.as_str() {
            "grpc" | "grpcs" => Ok(SourceSpec::Grpc(s.to_string())),
            "file" => Ok(SourceSpec::File(PathBuf::from(&s["file://".len()..]))),
            "http" | "https" => Ok(SourceSpec::Rest(s.to_string())),
            other => Err(SourceError::BadSource {
                at: redact::url(s),
                reason: format!(
                    "unknown scheme `{other}` (expected postgresql, mysql, mariadb, sqlite, s3, gs, az, grpc, grpcs, http, https, file)"
                ),
            }),
        }
    }

    /// How this source is shown in messages (never with credentials).
    pub fn display(&self) -> String {
        match self {
            SourceSpec::File(p) | SourceSpec::Repo(p) | SourceSpec::RepoConfig(p) => {
                p.display().to_string()
            }
            SourceSpec::Git { rev, path: None } => format!("git:{rev}"),
            SourceSpec::Git { rev, path: Some(p) } => format!("git:{rev}:{p}"),
            SourceSpec::Sql(u)
            | SourceSpec::ObjectStore(u)
            | SourceSpec::Grpc(u)
            | SourceSpec::Rest(u) => redact::url(u),
        }
    }

    /// True for sources that read what a registry serves now (as opposed to
    /// a file snapshot); lint reports drift against those.
    pub fn is_live(&self) -> bool {
        !matches!(
            self,
            SourceSpec::File(_) | SourceSpec::Repo(_) | SourceSpec::Git { .. }
        )
    }
}

/// Reads a source into the model with default options.
pub fn load(spec: &SourceSpec) -> Result<model::Registry, SourceError> {
    load_with(spec, &SourceOptions::default())
}

/// Reads a source into the model, with the context some sources need.
pub fn load_with(spec: &SourceSpec, opts: &SourceOptions) -> Result<model::Registry, SourceError> {
    let mut registry = match spec {
        SourceSpec::File(path) => return load_file(path),
        SourceSpec::Repo(dir) => return load_tree(repo::RepoTree::from_dir(dir)?, opts),
        SourceSpec::Git { rev, path } => {
            let start = git::start_dir(opts.proposed_dir.as_deref());
            return load_tree(git::read_tree(rev, path.as_deref(), &start)?, opts);
        }
        SourceSpec::RepoConfig(path) => return load_repo_config(path, opts),
        SourceSpec::Sql(url) => sql::load(url, &live::Live::new(url, opts))?,
        SourceSpec::ObjectStore(url) => object_storage::load(url, &live::Live::new(url, opts))?,
        SourceSpec::Grpc(url) => remote::grpc::load(url, &live::Live::new(url, opts))?,
        SourceSpec::Rest(url) => remote::rest::load(url, &live::Live::new(url, opts))?,
    };
    if let Some(p) = &opts.project {
        keep_project(&mut registry, p, &spec.display())?;
    }
    Ok(registry)
}

/// The registry proto of a source that stores one (file, SQL, object storage, gRPC
/// registry server, or the registry a `feature_store.yaml` names), for readers that need
/// what the model drops, such as materialization intervals.
pub fn load_registry_proto(
    spec: &SourceSpec,
    opts: &SourceOptions,
) -> Result<proto::Registry, SourceError> {
    let unsupported = |what: &str| SourceError::BadSource {
        at: spec.display(),
        reason: format!(
            "{what} holds no materialization records; pass the live registry (registry.db, SQL URL, s3://…/gs://…/az://… object, or grpc:// registry server)"
        ),
    };
    match spec {
        SourceSpec::File(path) => {
            let bytes = std::fs::read(path).map_err(|e| SourceError::io(path, e))?;
            if lockfile::looks_like_lock(&bytes) {
                return Err(unsupported("a feastops lock file"));
            }
            registry_file::decode(path, &bytes)
        }
        SourceSpec::Repo(_) | SourceSpec::Git { .. } => Err(unsupported("a feature repo")),
        SourceSpec::Rest(_) => Err(unsupported(
            "the registry server's REST API (it returns no materialization intervals)",
        )),
        SourceSpec::RepoConfig(path) => {
            let (target, opts, _) = repo_config_target(path, opts)?;
            load_registry_proto(&target, &opts)
        }
        SourceSpec::Sql(url) => sql::load_proto(url, &live::Live::new(url, opts)),
        SourceSpec::ObjectStore(url) => {
            object_storage::load_proto(url, &live::Live::new(url, opts))
        }
        SourceSpec::Grpc(url) => remote::grpc::load_proto(url, &live::Live::new(url, opts)),
    }
}

fn keep_project(
    registry: &mut model::Registry,
    project: &str,
    at: &str,
) -> Result<(), SourceError> {
    let found: Vec<String> = registry.projects.keys().cloned().collect();
    if registry.retain_project(project) {
        return Ok(());
    }
    Err(SourceError::ProjectNotFound {
        at: at.to_string(),
        project: project.to_string(),
        found: if found.is_empty() {
            "none".into()
        } else {
            found.join(", ")
        },
    })
}

/// The registry a `feature_store.yaml` names, with the options it implies
/// (its CA certificate unless one was given), and the parsed file.
fn repo_config_target(
    path: &Path,
    opts: &SourceOptions,
) -> Result<(SourceSpec, SourceOptions, config::RepoRegistry), SourceError> {
    let repo = config::read(path)?;
    let target = SourceSpec::parse(&repo.location).map_err(|e| SourceError::Config {
        path: path.to_path_buf(),
        reason: format!("registry: {e}"),
    })?;
    if matches!(target, SourceSpec::RepoConfig(_)) {
        return Err(SourceError::Config {
            path: path.to_path_buf(),
            reason: "registry path points at another YAML file; expected a registry".into(),
        });
    }
    let mut opts = opts.clone();
    if opts.ca_cert.is_none() {
        opts.ca_cert = repo.cert.clone();
    }
    Ok((target, opts, repo))
}

/// Reads the registry a `feature_store.yaml` points at, keeping only the
/// repo's project (a shared registry holds other teams' projects too).
fn load_repo_config(path: &Path, opts: &SourceOptions) -> Result<model::Registry, SourceError> {
    let (target, mut opts, repo) = repo_config_target(path, opts)?;
    if opts.project.is_none() {
        opts.project = repo.project.clone();
    }
    let mut registry = load_with(&target, &opts)?;
    if let Some(p) = &opts.project {
        keep_project(&mut registry, p, &target.display())?;
    }
    Ok(registry)
}

/// A feature repo, read statically or (with `--via-feast`) by the user's feast.
fn load_tree(
    mut tree: repo::RepoTree,
    opts: &SourceOptions,
) -> Result<model::Registry, SourceError> {
    tree.read_data = opts.read_data;
    match &opts.via_feast {
        Some(feast) => via_feast::load(&tree, feast),
        None => Ok(repo::parse(&tree)?),
    }
}

fn load_file(path: &Path) -> Result<model::Registry, SourceError> {
    let bytes = crate::input_limits::read(path, crate::input_limits::Input::Registry)
        .map_err(|e| SourceError::io(path, e))?;
    if lockfile::looks_like_lock(&bytes) {
        lockfile::parse(path, &bytes)
    } else {
        registry_file::parse(path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_source_kind() {
        let p = |s: &str| SourceSpec::parse(s).unwrap();
        assert_eq!(p("base.db"), SourceSpec::File("base.db".into()));
        assert_eq!(
            p("file:///r/base.db"),
            SourceSpec::File("/r/base.db".into())
        );
        assert_eq!(
            p("repo/feature_store.yaml"),
            SourceSpec::RepoConfig("repo/feature_store.yaml".into())
        );
        for sql in [
            "postgresql://u:p@h/db",
            "postgresql+psycopg://u:p@h/db",
            "mysql+pymysql://u:p@h/db",
            "mariadb://u:p@h/db",
            "sqlite:///r.db",
        ] {
            assert_eq!(p(sql), SourceSpec::Sql(sql.into()), "{sql}");
        }
        for obj in [
            "s3://b/r.db",
            "gs://b/r.db",
            "az://c/r.db",
            "https://acct.blob.core.windows.net/c/r.db",
        ] {
            assert_eq!(p(obj), SourceSpec::ObjectStore(obj.into()), "{obj}");
        }
        assert_eq!(p("grpc://h:6570"), SourceSpec::Grpc("grpc://h:6570".into()));
        assert_eq!(
            p("grpcs://h:6571"),
            SourceSpec::Grpc("grpcs://h:6571".into())
        );
    }

    #[test]
    fn registry_keyword_names_the_repo_config() {
        assert_eq!(
            SourceSpec::parse_in("registry", Some(Path::new("repo"))).unwrap(),
            SourceSpec::RepoConfig(Path::new("repo").join("feature_store.yaml"))
        );
    }

    #[test]
    fn unsupported_schemes_are_clear_and_redacted() {
        let e = SourceSpec::parse("mssql://u:Secr3tPw@h/db")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown scheme `mssql`"), "{e}");
        assert!(!e.contains("Secr3tPw"), "{e}");
    }

    #[test]
    fn debug_and_display_never_show_the_password() {
        let spec = SourceSpec::parse("postgresql://feast:Secr3tPw@db/feast").unwrap();
        assert_eq!(spec.display(), "postgresql://feast:***@db/feast");
        assert!(!format!("{spec:?}").contains("Secr3tPw"));
        assert!(spec.is_live());
        assert!(!SourceSpec::parse("base.db").unwrap().is_live());
    }
}
