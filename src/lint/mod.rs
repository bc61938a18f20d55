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
    /// Judge the proposed schema as `feast apply --no-promote` applies it: changed views
    /// become new, inactive versions (`view-version-unpromoted`).
    pub no_promote: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("project `{name}` is in neither schema (projects found: {found})")]
    UnknownProject { name: String, found: String },
}

/// `new` rewritten as `feast apply --no-promote` over `old` leaves it, with the views
/// that became inactive versions.
fn unpromote(
    old: &model::Project,
    new: &model::Project,
) -> (model::Project, Vec<(String, i32, i32)>) {
    let mut n = new.clone();
    let views = rules::view_version_unpromoted::apply(old, &mut n);
    let mut r = model::Registry::default();
    r.projects.insert(n.name.clone(), n);
    // Service vectors follow the active views and the history: rebuild.
    crate::sources::from_proto::finish(&mut r);
    let n = r.projects.into_values().next().expect("one project");
    (n, views)
}

/// The proposed registry as `feast apply` leaves it: with `no_promote`, changed views
/// stay at their active version, which is what bound models are then served.
pub fn as_applied(
    old: &model::Registry,
    new: &model::Registry,
    opts: &CompareOptions,
) -> model::Registry {
    let mut out = new.clone();
    if opts.no_promote {
        for (name, p) in out.projects.iter_mut() {
            if let Some(o) = old.projects.get(name) {
                // As in `compare`: unknowns and unrecorded pins first take the other side's.
                let (o, n) = unknown::resolve(o, p).unwrap_or_else(|| (o.clone(), p.clone()));
                *p = unpromote(&o, &n).0;
            }
        }
    }
    out
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
                let unpromoted = opts.no_promote.then(|| unpromote(o, n));
                let n = unpromoted.as_ref().map_or(n, |(n, _)| n);
                let pair = ProjectPair::new(o, n);
                if let Some((_, views)) = &unpromoted {
                    rules::view_version_unpromoted::report(&pair, views, &mut findings);
                }
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
