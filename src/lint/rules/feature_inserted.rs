//! A new feature placed before existing ones shifts their indices.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "feature-inserted";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        for &j in &v.features.inserted {
            let f = &v.new.features[j];
            out.push(
                Finding::new(
                    NAME,
                    Level::Error,
                    pair.name,
                    super::view_ref(v.new),
                    format!(
                        "feature `{}` ({}) was inserted at index {j} of {} `{}`, shifting every feature after it",
                        f.name,
                        f.dtype,
                        v.new.kind.label(),
                        v.new.name
                    ),
                )
                .feature(&f.name)
                .at(f.location.as_ref().or(v.new.location.as_ref()))
                .hint(format!("append `{}` at the end of the schema instead", f.name)),
            );
        }
    }
}
