//! A feature disappeared from a view that still exists. The finding points
//! at the view in the proposed source (where the fix goes), not at the
//! line the feature had in the old file.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "feature-removed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        for &i in &v.features.removed {
            let f = &v.old.features[i];
            out.push(
                Finding::new(
                    NAME,
                    Level::Error,
                    pair.name,
                    super::view_ref(v.new),
                    format!(
                        "feature `{}` ({}, index {i}) was removed from {} `{}`",
                        f.name,
                        f.dtype,
                        v.new.kind.label(),
                        v.new.name
                    ),
                )
                .feature(&f.name)
                .at(v.new.location.as_ref().or(f.location.as_ref())),
            );
        }
    }
}
