//! Turns findings into output. One module per format.

mod context;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ruledoc;
pub mod sarif;
pub mod text;
mod vector;

pub use context::{Context, fingerprint, rule_doc_url};

use crate::lint::catalog::RequiredAction;
use crate::lint::{Finding, Level};

/// Counts per level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary::default();
        for f in findings {
            match f.level {
                Level::Error => s.error += 1,
                Level::Warning => s.warning += 1,
                Level::Info => s.info += 1,
            }
        }
        s
    }
}

/// Follow-up actions the findings ask for (errors and warnings whose rule requires more
/// than a review), each with the codes that ask for it, sorted by action.
pub fn required_actions(findings: &[Finding]) -> Vec<(RequiredAction, Vec<&'static str>)> {
    let mut out: Vec<(RequiredAction, Vec<&'static str>)> = Vec::new();
    for f in findings {
        let a = f.required_action();
        if !a.is_follow_up() {
            continue;
        }
        match out.iter_mut().find(|(x, _)| *x == a) {
            Some((_, codes)) if codes.contains(&f.code()) => {}
            Some((_, codes)) => codes.push(f.code()),
            None => out.push((a, vec![f.code()])),
        }
    }
    out.sort_by_key(|(a, _)| a.key());
    for (_, codes) in &mut out {
        codes.sort();
    }
    out
}

/// The level at or above which findings fail the run (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn fails(self, findings: &[Finding]) -> bool {
        let threshold = match self {
            FailOn::Error => Level::Error,
            FailOn::Warning => Level::Warning,
            FailOn::Info => Level::Info,
            FailOn::Never => return false,
        };
        findings.iter().any(|f| f.level >= threshold)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }
}
