//! A feature service no longer exists: every model calling it by name fails.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};

pub const NAME: &str = "feature-service-removed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for s in ProjectPair::removed(&pair.old.feature_services, &pair.new.feature_services) {
        out.push(
            Finding::new(
                NAME,
                Level::Error,
                pair.name,
                ObjectRef {
                    kind: ObjectKind::FeatureService,
                    name: s.name.clone(),
                },
                format!(
                    "feature service `{}` ({} features) was removed",
                    s.name,
                    s.vector.len()
                ),
            )
            .at(s.location.as_ref()),
        );
    }
}
