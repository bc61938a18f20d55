//! A `precompute_online` service (Feast 0.67) is served from one stored
//! blob per entity, written by `feast precompute` or materialization. Feast
//! compares the blob's feature names with the service's: a different set
//! makes every read raise until the vectors are recomputed; the same names
//! in another order are re-ordered; the same names with new types serve the
//! stored (old) values (infra/online_stores/online_store.py,
//! `_try_precomputed_fast_path`).

use std::collections::BTreeSet;

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};
use crate::model::{FeatureService, VectorEntry};

pub const NAME: &str = "precomputed-vector-stale";

fn names(v: &[VectorEntry]) -> BTreeSet<(&str, &str)> {
    v.iter()
        .map(|e| (e.view.as_str(), e.feature.as_str()))
        .collect()
}

/// (level, what happens) for a precomputed service that was `old` (None: new service).
fn judge(old: Option<&FeatureService>, new: &FeatureService) -> Option<(Level, String)> {
    match old {
        None => Some((
            Level::Warning,
            "is new and precomputed: reads raise until a materialization (or `FeatureStore.precompute_feature_service`) writes its vectors".into(),
        )),
        Some(o) if !o.precompute_online => Some((
            Level::Error,
            "now has precompute_online=True: every read raises until `feast precompute` (or a materialization) writes its vectors".into(),
        )),
        Some(o) if names(&o.vector) != names(&new.vector) => Some((
            Level::Error,
            format!(
                "is precomputed and its features changed ({} → {}): the stored vectors no longer match, and every read raises until they are recomputed",
                o.vector.len(),
                new.vector.len()
            ),
        )),
        Some(o) => {
            let retyped: Vec<&str> = o
                .vector
                .iter()
                .filter_map(|a| {
                    new.vector
                        .iter()
                        .find(|b| b.view == a.view && b.feature == a.feature)
                        .filter(|b| b.dtype != a.dtype)
                        .map(|b| b.feature.as_str())
                })
                .collect();
            (!retyped.is_empty()).then(|| {
                (
                    Level::Warning,
                    format!(
                        "is precomputed and {} changed type: reads keep serving the stored values of the old type until the vectors are recomputed",
                        retyped.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
            })
        }
    }
}

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for new in pair
        .new
        .feature_services
        .values()
        .filter(|s| s.precompute_online)
    {
        let old = pair.old.feature_services.get(&new.name);
        let Some((level, what)) = judge(old, new) else {
            continue;
        };
        out.push(
            Finding::new(
                NAME,
                level,
                pair.name,
                ObjectRef {
                    kind: ObjectKind::FeatureService,
                    name: new.name.clone(),
                },
                format!("service `{}` {what}", new.name),
            )
            .at(new.location.as_ref())
            .hint(format!(
                "recompute the stored vectors right after `feast apply`, before clients read `{}`: materialize, or call `FeatureStore.precompute_feature_service(\"{}\")` (Feast 0.67 has no `feast precompute` command)",
                new.name, new.name
            )),
        );
    }
}
