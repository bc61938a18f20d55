use sha2::{Digest, Sha256};

use super::FailOn;
use crate::lint::{Finding, Level};
use crate::policy::Suppressed;

/// What the CI formats need besides the findings.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub fail_on: FailOn,
    /// Compatibility mode name, shown in summaries.
    pub mode: &'a str,
    pub suppressed: &'a [Suppressed],
    /// feastops version, for SARIF's tool block.
    pub tool_version: &'a str,
    /// A file to anchor findings that have no location to (GitHub code
    /// scanning rejects results without a file): the proposed source.
    pub fallback_artifact: Option<&'a str>,
}

impl Context<'_> {
    /// Whether `level` is at or above the fail threshold.
    pub fn fails_at(&self, level: Level) -> bool {
        match self.fail_on {
            FailOn::Error => level >= Level::Error,
            FailOn::Warning => level >= Level::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// Identity of a finding across commits: rule, project, object and
/// feature, never the line or the message (both move with unrelated edits).
pub fn fingerprint(f: &Finding) -> String {
    let mut h = Sha256::new();
    for part in [
        f.rule,
        f.project.as_str(),
        &f.object.to_string(),
        f.feature.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where a rule's documentation lives: `docs/rules/<name>.md` in the
/// repository (generated from the catalog; a test keeps them in sync).
pub fn rule_doc_url(name: &str) -> String {
    format!(
        "{}/blob/main/docs/rules/{name}.md",
        env!("CARGO_PKG_REPOSITORY")
    )
}
