//! A view was disabled (`enabled=False`): Feast stops serving it.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "feature-view-disabled";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        if v.old.enabled && !v.new.enabled {
            out.push(
                Finding::new(
                    NAME,
                    Level::Error,
                    pair.name,
                    super::view_ref(v.new),
                    format!("{} `{}` was disabled", v.new.kind.label(), v.new.name),
                )
                .at(v.new.location.as_ref()),
            );
        }
    }
}
