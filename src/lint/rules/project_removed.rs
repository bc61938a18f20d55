//! A whole project is gone from the proposed schema.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef};
use crate::model::Project;

pub const NAME: &str = "project-removed";

pub fn check(old: &Project, out: &mut Vec<Finding>) {
    out.push(
        Finding::new(
            NAME,
            Level::Error,
            &old.name,
            ObjectRef {
                kind: ObjectKind::Project,
                name: old.name.clone(),
            },
            format!(
                "project `{}` was removed ({} feature views, {} feature services)",
                old.name,
                old.feature_views.len(),
                old.feature_services.len()
            ),
        )
        .at(old.location.as_ref()),
    );
}
