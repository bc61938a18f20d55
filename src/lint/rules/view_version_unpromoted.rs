//! `lint --no-promote` judges what `feast apply --no-promote` (Feast 0.67) writes: a view
//! whose schema changed is recorded as the next version in the history while the active
//! view stays as it was (registry.py `apply_feature_view`), so unpinned consumers keep
//! their vector and only services pinned to the new version serve it. The proposed side
//! is rewritten that way before the other rules run; each such view gets an info line.

use crate::lint::{Finding, Level, ProjectPair};
use crate::model::{FeatureView, Project, ViewVersion};

pub const NAME: &str = "view-version-unpromoted";

/// Feast's `_schema_or_udf_changed`: features, entities, entity columns, on-demand
/// sources and transformation; ttl, online/offline, sources and metadata do not count.
fn version_significant_change(old: &FeatureView, new: &FeatureView) -> bool {
    !old.same_schema(new)
        || sorted(&old.entities) != sorted(&new.entities)
        || !crate::model::same_features(&old.entity_columns, &new.entity_columns)
        || old.sources != new.sources
        || old.transformation != new.transformation
}

fn sorted(v: &[String]) -> Vec<&String> {
    let mut s: Vec<&String> = v.iter().collect();
    s.sort();
    s
}

/// Rewrite `new` as `feast apply --no-promote` would leave the registry that `old`
/// describes; returns `(view, recorded version, active version)` per unpromoted view.
pub fn apply(old: &Project, new: &mut Project) -> Vec<(String, i32, i32)> {
    let mut out = Vec::new();
    for (name, nv) in new.feature_views.iter_mut() {
        let Some(ov) = old.feature_views.get(name) else {
            continue;
        };
        if ov.kind != nv.kind || !version_significant_change(ov, nv) {
            continue;
        }
        let mut history = old.view_versions.get(name).cloned().unwrap_or_default();
        if history.is_empty() {
            // Feast records the active definition as v0 the first time a view changes.
            history.push(ViewVersion {
                number: 0,
                features: ov.features.clone(),
            });
        }
        let active = history
            .iter()
            .rev()
            .find(|h| crate::model::same_features(&h.features, &ov.features))
            .map_or(0, |h| h.number);
        let next = history.iter().map(|h| h.number).max().unwrap_or(0) + 1;
        history.push(ViewVersion {
            number: next,
            features: nv.features.clone(),
        });
        new.view_versions.insert(name.clone(), history);
        let at = nv.location.clone();
        *nv = FeatureView {
            location: at,
            ..ov.clone()
        };
        out.push((name.clone(), next, active));
    }
    out
}

/// The info lines for what [`apply`] did (the pair is the rewritten one).
pub fn report(pair: &ProjectPair, unpromoted: &[(String, i32, i32)], out: &mut Vec<Finding>) {
    for (name, next, active) in unpromoted {
        let Some(v) = pair.new.feature_views.get(name) else {
            continue;
        };
        out.push(
            Finding::new(
                NAME,
                Level::Info,
                pair.name,
                super::view_ref(v),
                format!(
                    "`{name}` changed: `feast apply --no-promote` records it as `{name}@v{next}` and keeps v{active} active; unpinned consumers keep their vector, services pinned to `{name}@v{next}` serve the new schema"
                ),
            )
            .at(v.location.as_ref()),
        );
    }
}
