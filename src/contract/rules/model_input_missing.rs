//! A model input the service does not serve.

use super::finding;
use crate::contract::align::{Alignment, Slot};
use crate::lint::{Finding, Level};

pub const NAME: &str = "model-input-missing";

pub fn check(a: &Alignment, out: &mut Vec<Finding>) {
    for (i, (c, s)) in a.columns.iter().zip(&a.slots).enumerate() {
        if *s != Slot::Missing {
            continue;
        }
        let mut f = finding(
            a,
            NAME,
            Level::Error,
            format!(
                "the model reads `{}` at input {i}; service `{}` does not serve it",
                c.name, a.service
            ),
        )
        .feature(&c.name);
        if a.full_names && c.name.contains("__") && !a.frame_only.contains(&c.name) {
            f = f.hint(
                "the model was trained with full_feature_names=True: Feast names its columns \
                 `view__feature` after the projection's name (its alias when it has one)",
            );
        }
        if a.frame_only.contains(&c.name) {
            f = f.hint(format!(
                "`{}` is a column of the offline frame (join key, request field or timestamp), \
                 not a feature: drop it from `get_historical_features(...).to_df()` before fit()",
                c.name
            ));
        }
        out.push(f);
    }
}
