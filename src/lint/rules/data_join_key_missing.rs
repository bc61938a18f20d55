//! An entity join key of a view is not a column of its batch source's
//! data: rows cannot be keyed, materialization fails. Proposed side only,
//! when the data was read.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "data-join-key-missing";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for (view, src, data) in super::with_data(pair.new) {
        for e in &view.entities {
            let Some(entity) = pair.new.entities.get(e) else {
                continue;
            };
            if data.column(&entity.join_key).is_some() {
                continue;
            }
            out.push(
                Finding::new(
                    NAME,
                    Level::Error,
                    pair.name,
                    super::view_ref(view),
                    format!(
                        "join key `{}` of entity `{}` is not a column of `{}` (batch source `{}` of {} `{}`)",
                        entity.join_key,
                        entity.name,
                        data.file,
                        src.name,
                        view.kind.label(),
                        view.name
                    ),
                )
                .at(view.location.as_ref()),
            );
        }
    }
}
