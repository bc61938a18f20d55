//! A data source no longer exists.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};

pub const NAME: &str = "data-source-removed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for s in ProjectPair::removed(&pair.old.data_sources, &pair.new.data_sources) {
        out.push(
            Finding::new(
                NAME,
                Level::Error,
                pair.name,
                ObjectRef {
                    kind: ObjectKind::DataSource,
                    name: s.name.clone(),
                },
                format!("data source `{}` was removed", s.name),
            )
            .at(s.location.as_ref()),
        );
    }
}
