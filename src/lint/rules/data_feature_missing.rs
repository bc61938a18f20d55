//! A declared feature has no column in the batch source's data (after the
//! source's field mapping). `feast apply` accepts it; materialization and
//! training-set retrieval fail later. Runs on the proposed side only, when
//! the reader read the data (a local parquet file by default).

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "data-feature-missing";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for (view, src, data) in super::with_data(pair.new) {
        for f in &view.features {
            if super::data_column(src, data, &f.name).is_some() {
                continue;
            }
            out.push(
                Finding::new(
                    NAME,
                    Level::Error,
                    pair.name,
                    super::view_ref(view),
                    format!(
                        "feature `{}` of {} `{}` is not a column of `{}` (batch source `{}`)",
                        f.name,
                        view.kind.label(),
                        view.name,
                        data.file,
                        src.name
                    ),
                )
                .feature(&f.name)
                .at(f.location.as_ref().or(view.location.as_ref())),
            );
        }
    }
}
