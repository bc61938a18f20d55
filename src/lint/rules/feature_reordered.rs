//! A kept feature changed its position relative to the others.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "feature-reordered";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        for k in &v.features.moved {
            let f = &v.new.features[k.new_index];
            out.push(
                Finding::new(
                    NAME,
                    Level::Error,
                    pair.name,
                    super::view_ref(v.new),
                    format!(
                        "feature `{}` moved from index {} to index {} in {} `{}`",
                        f.name,
                        k.old_index,
                        k.new_index,
                        v.new.kind.label(),
                        v.new.name
                    ),
                )
                .feature(&f.name)
                .at(f.location.as_ref().or(v.new.location.as_ref())),
            );
        }
    }
}
