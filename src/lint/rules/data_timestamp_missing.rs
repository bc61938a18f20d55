//! The batch source's timestamp field is not a column of its data, or not
//! a timestamp. Point-in-time joins and materialization need it. Proposed
//! side only, when the data was read.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};
use crate::model::INFERRED;

pub const NAME: &str = "data-timestamp-missing";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    let mut seen = std::collections::BTreeSet::new();
    for (_, src, data) in super::with_data(pair.new) {
        let ts = src.timestamp_field.as_str();
        if ts.is_empty() || ts == INFERRED || !seen.insert(&src.name) {
            continue;
        }
        let problem = match data.column(ts) {
            None => format!("is not a column of `{}`", data.file),
            Some(c) if !c.is_timestamp => {
                format!("is Arrow `{}` in `{}`, not a timestamp", c.arrow, data.file)
            }
            Some(_) => continue,
        };
        out.push(
            Finding::new(
                NAME,
                Level::Error,
                pair.name,
                ObjectRef {
                    kind: ObjectKind::DataSource,
                    name: src.name.clone(),
                },
                format!(
                    "timestamp field `{ts}` of data source `{}` {problem}",
                    src.name
                ),
            )
            .at(src.location.as_ref()),
        );
    }
}
