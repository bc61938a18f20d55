//! A feature removed and another added at the same index with the same
//! dtype: most likely a rename.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "feature-renamed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        for &(i, j) in &v.features.renamed {
            let (old, new) = (&v.old.features[i], &v.new.features[j]);
            out.push(
                Finding::new(
                    NAME,
                    Level::Error,
                    pair.name,
                    super::view_ref(v.new),
                    format!(
                        "feature `{}` looks renamed to `{}` (same index {j}, same dtype {}) in {} `{}`",
                        old.name,
                        new.name,
                        new.dtype,
                        v.new.kind.label(),
                        v.new.name
                    ),
                )
                .feature(&old.name)
                .at(new.location.as_ref().or(v.new.location.as_ref()))
                .hint(format!(
                    "requests for `{view}:{old}` fail after this change; keep `{old}` and add `{new}` at the end, or publish a new feature service",
                    view = v.new.name,
                    old = old.name,
                    new = new.name
                )),
            );
        }
    }
}
