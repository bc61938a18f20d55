//! An entity's value type changed: stored keys no longer match lookups.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};

pub const NAME: &str = "entity-value-type-changed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for (o, n) in ProjectPair::common(&pair.old.entities, &pair.new.entities) {
        if o.value_type != n.value_type {
            out.push(
                Finding::new(
                    NAME,
                    Level::Error,
                    pair.name,
                    ObjectRef {
                        kind: ObjectKind::Entity,
                        name: n.name.clone(),
                    },
                    format!(
                        "value type of entity `{}` changed from {} to {}",
                        n.name, o.value_type, n.value_type
                    ),
                )
                .at(n.location.as_ref()),
            );
        }
    }
}
