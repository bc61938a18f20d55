//! XGBoost's JSON model (`booster.save_model("model.json")`): the learner's
//! `feature_names` and `feature_types` (classes only: `float`, `int`, `i`
//! for indicator, `q` for quantitative, `c` for categorical) and
//! `learner_model_param.num_feature`. A model trained on a bare array has
//! no names: only its width is known.

use std::path::Path;

use serde::Deserialize;

use super::{MAX_MODEL_BYTES, ReadError, read_bounded};
use crate::contract::{Column, InputType, Inputs, ModelSpec, Runtime};

#[derive(Deserialize)]
struct Model {
    learner: Learner,
}

#[derive(Deserialize)]
struct Learner {
    #[serde(default)]
    feature_names: Vec<String>,
    #[serde(default)]
    feature_types: Vec<String>,
    learner_model_param: Param,
}

#[derive(Deserialize)]
struct Param {
    /// A decimal string in the JSON model.
    num_feature: String,
}

pub fn read(path: &Path) -> Result<ModelSpec, ReadError> {
    let bytes = read_bounded(path, MAX_MODEL_BYTES, false)?;
    let model: Model = serde_json::from_slice(&bytes)
        .map_err(|e| ReadError::invalid(path, format!("not an XGBoost JSON model: {e}")))?;
    let l = model.learner;
    let width: u64 = l.learner_model_param.num_feature.parse().map_err(|_| {
        ReadError::invalid(
            path,
            format!(
                "learner_model_param.num_feature `{}` is not a number",
                l.learner_model_param.num_feature
            ),
        )
    })?;
    let inputs = if l.feature_names.is_empty() {
        Inputs::Positional {
            width: Some(width),
            dtype: None,
        }
    } else {
        if l.feature_names.len() as u64 != width {
            return Err(ReadError::invalid(
                path,
                format!(
                    "{} feature_names for num_feature {width}",
                    l.feature_names.len()
                ),
            ));
        }
        Inputs::Columns(
            l.feature_names
                .into_iter()
                .enumerate()
                .map(|(i, name)| Column {
                    name,
                    dtype: l.feature_types.get(i).cloned().map(InputType::XGBoost),
                })
                .collect(),
        )
    };
    Ok(ModelSpec {
        path: path.to_path_buf(),
        runtime: Runtime::XGBoost,
        inputs,
        truncated: false,
    })
}
