//! An entity's join key changed: callers send the old key name.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};

pub const NAME: &str = "entity-join-key-changed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for (o, n) in ProjectPair::common(&pair.old.entities, &pair.new.entities) {
        if o.join_key != n.join_key {
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
                        "join key of entity `{}` changed from `{}` to `{}`",
                        n.name, o.join_key, n.join_key
                    ),
                )
                .at(n.location.as_ref()),
            );
        }
    }
}
