//! A declared feature's dtype is not what the data's column holds, by
//! Feast's own Arrow → value type mapping (widening Int32 → Int64 and
//! Float32 → Float64 is accepted). Proposed side only, when the data was read.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "data-dtype-mismatch";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for (view, src, data) in super::with_data(pair.new) {
        for f in view.features.iter().chain(&view.entity_columns) {
            let Some(col) = super::data_column(src, data, &f.name) else {
                continue;
            };
            let holds = match &col.dtype {
                Some(t) => t == &f.dtype || t.is_promotion_to(&f.dtype),
                None => false,
            };
            if holds {
                continue;
            }
            let data_type = match &col.dtype {
                Some(t) => format!("{t} (Arrow `{}`)", col.arrow),
                None => format!("Arrow `{}`, which Feast has no type for", col.arrow),
            };
            out.push(
                Finding::new(
                    NAME,
                    Level::Warning,
                    pair.name,
                    super::view_ref(view),
                    format!(
                        "`{}` of {} `{}` is declared {} but column `{}` of `{}` is {data_type}",
                        f.name,
                        view.kind.label(),
                        view.name,
                        f.dtype,
                        col.name,
                        data.file
                    ),
                )
                .feature(&f.name)
                .at(f.location.as_ref().or(view.location.as_ref())),
            );
        }
    }
}
