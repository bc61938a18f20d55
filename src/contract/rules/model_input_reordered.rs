//! The model and the service order the same inputs differently.

use super::{finding, served_ref};
use crate::contract::Runtime;
use crate::contract::align::{Alignment, Slot};
use crate::lint::{Finding, Level};

pub const NAME: &str = "model-input-reordered";

pub fn check(a: &Alignment, out: &mut Vec<Finding>) {
    let (level, effect) = match a.spec.runtime {
        Runtime::Mlflow => (
            Level::Info,
            "MLflow reorders columns to its signature by name",
        ),
        Runtime::Onnx => (Level::Info, "onnxruntime binds inputs by name"),
        Runtime::XGBoost => (
            Level::Error,
            "XGBoost refuses a frame whose feature_names are in another order",
        ),
        Runtime::LightGbm => (
            Level::Error,
            "LightGBM reads columns by position and predicts silently on the swapped values",
        ),
        Runtime::FeastRefs => (
            Level::Error,
            "the model was trained on the vector in its logged order; Feast compares refs as a set and does not notice",
        ),
    };
    for &i in &a.moved {
        let Slot::Served(j) = a.slots[i] else {
            continue;
        };
        out.push(
            finding(
                a,
                NAME,
                level,
                format!(
                    "the model reads `{}` at input {i}; service `{}` serves `{}` at index {j} ({effect})",
                    a.columns[i].name,
                    a.service,
                    served_ref(a, j)
                ),
            )
            .feature(&a.served[j].feature),
        );
    }
}
