//! SQLite (SQLAlchemy `sqlite:///relative.db`, `sqlite:////absolute.db`),
//! always opened read-only so a wrong path never creates an empty file.

use std::path::Path;

use super::super::SourceError;
use super::super::live::Live;

pub const BEGIN_READ_ONLY: &str = "BEGIN";
pub const LIST_TABLES: &str = "SELECT name FROM sqlite_master WHERE type = 'table'";

/// The database file a SQLAlchemy SQLite URL names.
pub fn file_of(raw: &str) -> Option<&str> {
    let (_, rest) = raw.split_once("://")?;
    let path = rest.strip_prefix('/')?;
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    (!path.is_empty()).then_some(path)
}

pub fn driver_url(raw: &str, live: &Live) -> Result<String, SourceError> {
    let file = file_of(raw).ok_or_else(|| {
        live.bad_source(
            "an in-memory SQLite database has no registry; use sqlite:///path/to/registry.db",
        )
    })?;
    if !Path::new(file).is_file() {
        return Err(live.bad_source(format!("no such SQLite file `{file}`")));
    }
    Ok(format!("sqlite://{file}?mode=ro"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlalchemy_paths() {
        assert_eq!(file_of("sqlite:///data/r.db"), Some("data/r.db"));
        assert_eq!(file_of("sqlite:////abs/r.db"), Some("/abs/r.db"));
        assert_eq!(file_of("sqlite+pysqlite:///r.db?timeout=3"), Some("r.db"));
        assert_eq!(file_of("sqlite://"), None);
        assert_eq!(file_of("sqlite:///"), None);
    }
}
