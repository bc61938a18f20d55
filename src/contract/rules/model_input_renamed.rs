//! A model input not served under its name, where the served entry at the
//! same position has another name and a compatible dtype.

use super::{finding, served_ref};
use crate::contract::Runtime;
use crate::contract::align::{Alignment, Slot};
use crate::lint::{Finding, Level};

pub const NAME: &str = "model-input-renamed";

pub fn check(a: &Alignment, out: &mut Vec<Finding>) {
    let (level, effect) = match a.spec.runtime {
        Runtime::LightGbm => (
            Level::Warning,
            "LightGBM reads by position, so it predicts on whatever is in that slot",
        ),
        Runtime::Mlflow => (
            Level::Error,
            "MLflow fails the request: a required input is missing",
        ),
        Runtime::Onnx => (Level::Error, "onnxruntime fails: an input has no feed"),
        Runtime::XGBoost => (
            Level::Error,
            "XGBoost refuses a frame whose feature_names differ",
        ),
        Runtime::FeastRefs => (
            Level::Error,
            "Feast's model resolution fails on the changed ref",
        ),
    };
    for (i, s) in a.slots.iter().enumerate() {
        let Slot::Renamed(j) = *s else { continue };
        out.push(
            finding(
                a,
                NAME,
                level,
                format!(
                    "the model reads `{}` at input {i}; service `{}` serves `{}` there instead, same dtype ({effect})",
                    a.columns[i].name,
                    a.service,
                    served_ref(a, j)
                ),
            )
            .feature(&a.columns[i].name)
            .hint("if it is the same data under a new name, re-log the model with the new name; otherwise serve the old feature"),
        );
    }
}
