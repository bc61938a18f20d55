//! A feature view (of any kind) no longer exists.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "feature-view-removed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for view in ProjectPair::removed(&pair.old.feature_views, &pair.new.feature_views) {
        out.push(
            Finding::new(
                NAME,
                Level::Error,
                pair.name,
                super::view_ref(view),
                format!(
                    "{} `{}` ({} features) was removed",
                    view.kind.label(),
                    view.name,
                    view.features.len()
                ),
            )
            .at(view.location.as_ref()),
        );
    }
}
