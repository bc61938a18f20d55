//! An entity no longer exists.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};

pub const NAME: &str = "entity-removed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for e in ProjectPair::removed(&pair.old.entities, &pair.new.entities) {
        out.push(
            Finding::new(
                NAME,
                Level::Error,
                pair.name,
                ObjectRef {
                    kind: ObjectKind::Entity,
                    name: e.name.clone(),
                },
                format!(
                    "entity `{}` (join key `{}`) was removed",
                    e.name, e.join_key
                ),
            )
            .at(e.location.as_ref()),
        );
    }
}
