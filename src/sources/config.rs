//! The `registry:` block of a feature repo's `feature_store.yaml`, read the
//! way Feast reads it: `$VAR` / `${VAR}` expanded over the whole text before
//! YAML parsing (Python's `os.path.expandvars`; unset variables stay as
//! written), then `registry` as a plain path string or a mapping.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::SourceError;

/// Where a repo's registry lives, resolved from its config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoRegistry {
    /// The repo's `project:`.
    pub project: Option<String>,
    /// The registry location as a source string `SourceSpec::parse` accepts
    /// (relative file and SQLite paths already resolved against the repo).
    pub location: String,
    /// `registry.cert` for a remote registry (a CA bundle path).
    pub cert: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
struct RepoConfig {
    #[serde(default)]
    project: Option<String>,
    registry: Option<RegistryField>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RegistryField {
    Path(String),
    Block(RegistryBlock),
}

#[derive(Debug, Default, Deserialize)]
struct RegistryBlock {
    #[serde(default)]
    registry_type: Option<String>,
    #[serde(default)]
    registry_store_type: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    cert: Option<String>,
    #[serde(default)]
    is_tls: Option<bool>,
}

/// Reads `feature_store.yaml` at `path` and says where its registry is.
pub fn read(path: &Path) -> Result<RepoRegistry, SourceError> {
    let text = crate::input_limits::read_to_string(path, crate::input_limits::Input::Yaml)
        .map_err(|e| SourceError::io(path, e))?;
    let repo_dir = path.parent().unwrap_or(Path::new("."));
    parse(
        path,
        &expand_vars(&text, |k| std::env::var(k).ok()),
        repo_dir,
    )
}

fn parse(path: &Path, text: &str, repo_dir: &Path) -> Result<RepoRegistry, SourceError> {
    let bad = |reason: String| SourceError::Config {
        path: path.to_path_buf(),
        reason,
    };
    let cfg: RepoConfig = serde_yaml_ng::from_str(text).map_err(|e| {
        // serde_yaml errors quote the offending text, which may be an
        // expanded secret: keep only the position.
        match e.location() {
            Some(l) => bad(format!(
                "invalid YAML at line {}, column {}",
                l.line(),
                l.column()
            )),
            None => bad("invalid YAML (expected a mapping with `project` and `registry`)".into()),
        }
    })?;
    let block = match cfg.registry {
        None => {
            return Err(bad(
                "no `registry:` key; Feast requires one (a path, or a mapping with `registry_type` and `path`)".into(),
            ));
        }
        Some(RegistryField::Path(p)) => RegistryBlock {
            path: Some(p),
            ..Default::default()
        },
        Some(RegistryField::Block(b)) => b,
    };
    let registry_type = block.registry_type.as_deref().unwrap_or("file");
    let raw = block.path.clone().unwrap_or_default();
    let cert = block
        .cert
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(|c| resolve(repo_dir, c));
    let location = match registry_type {
        "file" => file_location(&block, &raw, repo_dir).map_err(bad)?,
        "sql" => sql_location(&raw, repo_dir).map_err(bad)?,
        "remote" => {
            if raw.is_empty() {
                return Err(bad(
                    "`registry.path` is empty; a remote registry needs `host:port`".into(),
                ));
            }
            if raw.contains("://") {
                raw.clone()
            } else if block.is_tls.unwrap_or(false) || cert.is_some() {
                format!("grpcs://{raw}")
            } else {
                format!("grpc://{raw}")
            }
        }
        "snowflake.registry" => {
            return Err(bad(
                "the Snowflake registry is not supported; snapshot it with `feast` and lint the registry.db".into(),
            ));
        }
        other => {
            return Err(bad(format!(
                "unknown registry_type `{other}` (Feast knows file, sql, remote, snowflake.registry)"
            )));
        }
    };
    Ok(RepoRegistry {
        project: cfg.project.filter(|p| !p.is_empty()),
        location,
        cert,
    })
}

fn file_location(block: &RegistryBlock, raw: &str, repo_dir: &Path) -> Result<String, String> {
    // Feast's RepoConfig default.
    let raw = if raw.is_empty() {
        "data/registry.db"
    } else {
        raw
    };
    let store = block.registry_store_type.as_deref().unwrap_or("");
    if store == "AzureRegistryStore" || store.ends_with(".AzureRegistryStore") {
        return if raw.starts_with("https://") || raw.starts_with("http://") {
            Ok(format!("azure+{raw}"))
        } else {
            Err(format!(
                "registry_store_type AzureRegistryStore needs an https blob URL in `path`, got `{}`",
                super::redact::url(raw)
            ))
        };
    }
    match raw.split_once("://") {
        None => Ok(resolve(repo_dir, raw).display().to_string()),
        Some(("file", p)) => Ok(resolve(repo_dir, p).display().to_string()),
        Some(("s3" | "gs", _)) => Ok(raw.to_string()),
        Some((scheme, _)) if scheme.len() == 1 => Ok(raw.to_string()), // Windows drive
        Some((scheme, _)) => Err(format!(
            "registry path scheme `{scheme}` is not supported (file, s3, gs, or Azure via registry_store_type)"
        )),
    }
}

fn sql_location(raw: &str, repo_dir: &Path) -> Result<String, String> {
    if raw.is_empty() {
        return Err("`registry.path` is empty; a SQL registry needs a SQLAlchemy URL".into());
    }
    // SQLAlchemy resolves a relative SQLite path against the working
    // directory, and Feast runs from the repo directory.
    if let Some(p) = raw.strip_prefix("sqlite:///")
        && !p.starts_with('/')
        && !p.is_empty()
    {
        let (file, query) = match p.split_once('?') {
            Some((f, q)) => (f, Some(q)),
            None => (p, None),
        };
        let abs = resolve(repo_dir, file);
        let mut s = format!("sqlite:///{}", abs.display());
        if let Some(q) = query {
            s.push('?');
            s.push_str(q);
        }
        return Ok(s);
    }
    Ok(raw.to_string())
}

fn resolve(dir: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        dir.join(p)
    }
}

/// Python's `posixpath.expandvars`: `$name` and `${name}` where name is
/// ASCII `\w+` (braced: anything up to `}`); unset names stay literally;
/// substituted text is not expanded again.
pub fn expand_vars(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            let next = text[i..].find('$').map_or(bytes.len(), |n| i + n);
            out.push_str(&text[i..next]);
            i = next;
            continue;
        }
        let (name, end) = if bytes.get(i + 1) == Some(&b'{') {
            match text[i + 2..].find('}') {
                Some(close) => (&text[i + 2..i + 2 + close], i + 2 + close + 1),
                None => ("", i + 1),
            }
        } else {
            let len = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            (&text[i + 1..i + 1 + len], i + 1 + len)
        };
        match (end > i + 1, lookup(name)) {
            (true, Some(value)) if !name.is_empty() => {
                out.push_str(&value);
                i = end;
            }
            _ => {
                out.push('$');
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(k: &str) -> Option<String> {
        match k {
            "USER" => Some("feast".into()),
            "PW" => Some("s3cr3t".into()),
            "EMPTY" => Some(String::new()),
            "DOLLAR" => Some("$USER".into()),
            _ => None,
        }
    }

    #[test]
    fn expands_like_python_expandvars() {
        assert_eq!(expand_vars("$USER:${PW}@h", env), "feast:s3cr3t@h");
        assert_eq!(expand_vars("${UNSET} $UNSET", env), "${UNSET} $UNSET");
        assert_eq!(expand_vars("a${EMPTY}b", env), "ab");
        assert_eq!(expand_vars("${X:-d}", env), "${X:-d}");
        assert_eq!(expand_vars("$ ${ $", env), "$ ${ $");
        assert_eq!(expand_vars("$USER_x", env), "$USER_x");
        assert_eq!(expand_vars("${USER}_x", env), "feast_x");
        // Substituted text is not expanded again.
        assert_eq!(expand_vars("$DOLLAR", env), "$USER");
        // Comments are expanded too (Feast expands the whole text).
        assert_eq!(expand_vars("# $USER", env), "# feast");
        assert_eq!(expand_vars("€$USER€", env), "€feast€");
    }

    fn parse_str(text: &str) -> Result<RepoRegistry, SourceError> {
        parse(
            Path::new("repo/feature_store.yaml"),
            &expand_vars(text, env),
            Path::new("/repo"),
        )
    }

    #[test]
    fn plain_path_is_relative_to_the_repo() {
        let r = parse_str("project: p\nregistry: data/registry.db\n").unwrap();
        assert_eq!(r.location, "/repo/data/registry.db");
        assert_eq!(r.project.as_deref(), Some("p"));
    }

    #[test]
    fn sql_block_with_env_vars() {
        let r = parse_str(
            "project: p\nregistry:\n  registry_type: sql\n  path: postgresql://${USER}:${PW}@db/feast\n",
        )
        .unwrap();
        assert_eq!(r.location, "postgresql://feast:s3cr3t@db/feast");
    }

    #[test]
    fn relative_sqlite_is_resolved() {
        let r = parse_str(
            "project: p\nregistry:\n  registry_type: sql\n  path: sqlite:///data/reg.db\n",
        )
        .unwrap();
        assert_eq!(r.location, "sqlite:////repo/data/reg.db");
    }

    #[test]
    fn remote_becomes_grpc() {
        let r = parse_str("project: p\nregistry:\n  registry_type: remote\n  path: reg:6570\n")
            .unwrap();
        assert_eq!(r.location, "grpc://reg:6570");
        let r = parse_str(
            "project: p\nregistry:\n  registry_type: remote\n  path: reg:6571\n  cert: ca.pem\n",
        )
        .unwrap();
        assert_eq!(r.location, "grpcs://reg:6571");
        assert_eq!(r.cert, Some(PathBuf::from("/repo/ca.pem")));
    }

    #[test]
    fn object_stores_and_azure() {
        let r = parse_str("project: p\nregistry: s3://b/registry.pb\n").unwrap();
        assert_eq!(r.location, "s3://b/registry.pb");
        let r = parse_str(
            "project: p\nregistry:\n  registry_store_type: AzureRegistryStore\n  path: https://acct.blob.core.windows.net/c/registry.db\n",
        )
        .unwrap();
        assert_eq!(
            r.location,
            "azure+https://acct.blob.core.windows.net/c/registry.db"
        );
    }

    #[test]
    fn errors_are_clear_and_secret_free() {
        let e = parse_str("project: p\n").unwrap_err().to_string();
        assert!(e.contains("no `registry:` key"), "{e}");
        let e = parse_str("project: p\nregistry:\n  registry_type: nope\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown registry_type `nope`"), "{e}");
        let e = parse_str("project: [\nregistry: postgresql://u:${PW}@h/x\n")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("s3cr3t"), "{e}");
        assert!(e.contains("line"), "{e}");
    }
}
