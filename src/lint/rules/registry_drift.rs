//! The live registry has an object the proposed schema does not define.
//!
//! Runs only when the baseline is a live registry (`CompareOptions::
//! live_baseline`): there, an object missing from the repo is either removed
//! by this change or was applied outside the repo (by hand, by another
//! pipeline); either way the next `feast apply` from this repo deletes it.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};

pub const NAME: &str = "registry-drift";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    let mut push = |kind: ObjectKind, name: &str, what: &str| {
        out.push(Finding::new(
            NAME,
            Level::Warning,
            pair.name,
            ObjectRef {
                kind,
                name: name.to_string(),
            },
            format!(
                "{what} `{name}` is in the live registry but not in the proposed schema; `feast apply` from this repo would delete it"
            ),
        ));
    };
    for e in ProjectPair::removed(&pair.old.entities, &pair.new.entities) {
        push(ObjectKind::Entity, &e.name, "entity");
    }
    for s in ProjectPair::removed(&pair.old.data_sources, &pair.new.data_sources) {
        push(ObjectKind::DataSource, &s.name, "data source");
    }
    for v in ProjectPair::removed(&pair.old.feature_views, &pair.new.feature_views) {
        push(ObjectKind::of_view(v.kind), &v.name, v.kind.label());
    }
    for s in ProjectPair::removed(&pair.old.feature_services, &pair.new.feature_services) {
        push(ObjectKind::FeatureService, &s.name, "feature service");
    }
}
