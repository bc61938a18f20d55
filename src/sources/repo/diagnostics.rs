//! What the static reader could not do, with the line to look at.

use std::fmt;

use crate::model::Location;

/// One problem found while reading a feature repo. Every diagnostic stops
/// the load: a schema read with a hole in it would lint as "nothing changed".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
    /// True when the code is valid Feast but beyond static reading, so
    /// `--via-feast` would read it.
    pub dynamic: bool,
}

impl Diagnostic {
    pub fn error(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location,
            message: message.into(),
            dynamic: false,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.location.file, self.location.line, self.message
        )?;
        if self.dynamic {
            write!(f, "; rerun with --via-feast to read it with your feast")?;
        }
        Ok(())
    }
}

/// Why a feature repo could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error(
        "{dir}: no feature_store.yaml; pass the feature repo directory (the one holding feature_store.yaml)"
    )]
    NoConfig { dir: String },
    #[error("{file}: {reason}")]
    BadConfig { file: String, reason: String },
    #[error("{dir}: {reason}")]
    Io { dir: String, reason: String },
    /// Paths in diagnostics are relative to `repo`.
    #[error("{repo}: {}", render(.diagnostics))]
    Diagnostics {
        repo: String,
        diagnostics: Vec<Diagnostic>,
    },
}

fn render(d: &[Diagnostic]) -> String {
    const SHOWN: usize = 3;
    let mut s = d
        .iter()
        .take(SHOWN)
        .map(Diagnostic::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if d.len() > SHOWN {
        s.push_str(&format!(" (and {} more)", d.len() - SHOWN));
    }
    s
}
