//! Compares two schema models and judges every difference with a rule.
//!
//! [`compare`] walks projects pairwise, aligns each view's ordered feature
//! list once ([`align`]), and hands the pair to every rule in [`rules`]. A
//! rule is one file; its documentation is one catalog entry in `rules/`.

pub mod align;
pub mod catalog;
mod context;
mod finding;
pub mod rules;
mod unknown;

pub use catalog::{Catalog, RuleDoc};
pub use context::ProjectPair;
pub use finding::{Finding, Level, ObjectKind, ObjectRef, VectorChange};

use crate::model;

/// Options that change what is compared.
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {
    /// Compare only this project.
    pub project: Option<String>,
    /// The baseline is a live registry (not a snapshot): also report objects
    /// it has that the proposed schema lacks (`registry-drift`).
    pub live_baseline: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("project `{name}` is in neither schema (projects found: {found})")]
    UnknownProject { name: String, found: String },
}

/// Runs every rule over `old` → `new` and returns the findings, sorted by
/// project, object, then rule, so output is stable.
pub fn compare(
    old: &model::Registry,
    new: &model::Registry,
    opts: &CompareOptions,
) -> Result<Vec<Finding>, CompareError> {
    let mut names: Vec<&String> = old.projects.keys().chain(new.projects.keys()).collect();
    names.sort();
    names.dedup();
    if let Some(want) = &opts.project {
        if !names.contains(&want) {
            return Err(CompareError::UnknownProject {
                name: want.clone(),
                found: if names.is_empty() {
                    "none".into()
                } else {
                    names
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            });
        }
        names.retain(|n| *n == want);
    }

    let mut findings = Vec::new();
    for name in names {
        match (old.projects.get(name), new.projects.get(name)) {
            (Some(o), None) => rules::project_removed::check(o, &mut findings),
            (Some(o), Some(n)) => {
                let resolved = unknown::resolve(o, n);
                let (o, n) = match &resolved {
                    Some((o, n)) => (o, n),
                    None => (o, n),
                };
                let pair = ProjectPair::new(o, n);
                for rule in rules::PAIR_RULES {
                    rule(&pair, &mut findings);
                }
                if opts.live_baseline {
                    rules::registry_drift::check(&pair, &mut findings);
                }
            }
            (None, Some(n)) => rules::dangling_reference::check_new(n, &mut findings),
            (None, None) => unreachable!("name came from one of the two maps"),
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(findings)
}
