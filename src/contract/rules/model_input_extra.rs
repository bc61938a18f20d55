//! A served feature the model does not read.

use super::{finding, served_ref};
use crate::contract::align::Alignment;
use crate::contract::{Inputs, Runtime};
use crate::lint::{Finding, Level};

pub const NAME: &str = "model-input-extra";

pub fn check(a: &Alignment, out: &mut Vec<Finding>) {
    if !matches!(a.spec.inputs, Inputs::Columns(_)) {
        return;
    }
    let known = match &a.spec.inputs {
        Inputs::Columns(c) if a.spec.truncated => c.len(),
        _ => usize::MAX,
    };
    let (level, effect) = match a.spec.runtime {
        Runtime::Mlflow => (
            Level::Warning,
            "MLflow drops inputs its signature does not declare",
        ),
        Runtime::Onnx => (
            Level::Warning,
            "onnxruntime fails on a feed it has no input for; feed only session.get_inputs()",
        ),
        Runtime::XGBoost => (
            Level::Error,
            "XGBoost refuses a frame whose feature_names differ",
        ),
        Runtime::LightGbm => (
            Level::Error,
            "LightGBM refuses a frame wider than it was trained on",
        ),
        Runtime::FeastRefs => (
            Level::Error,
            "Feast's model resolution fails on a service with refs the model was not logged with",
        ),
    };
    for &j in &a.extra {
        if j >= known {
            continue;
        }
        out.push(
            finding(
                a,
                NAME,
                level,
                format!(
                    "service `{}` serves `{}` at index {j}; the model does not read it ({effect})",
                    a.service,
                    served_ref(a, j)
                ),
            )
            .feature(&a.served[j].feature),
        );
    }
}
