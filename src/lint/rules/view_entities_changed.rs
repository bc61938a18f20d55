//! The entities a view is keyed on changed: lookups by the old keys miss.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "view-entities-changed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        if v.old.entities == v.new.entities {
            continue;
        }
        out.push(
            Finding::new(
                NAME,
                Level::Error,
                pair.name,
                super::view_ref(v.new),
                format!(
                    "entities of {} `{}` changed from [{}] to [{}]",
                    v.new.kind.label(),
                    v.new.name,
                    v.old.entities.join(", "),
                    v.new.entities.join(", ")
                ),
            )
            .at(v.new.location.as_ref()),
        );
    }
}
