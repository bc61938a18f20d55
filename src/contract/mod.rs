//! The model contract: what a trained model expects as input, read from its
//! artifact without Python and without unpickling, checked against the
//! ordered vector a feature service serves (the `model-*` rules).
//!
//! [`readers`] turn an artifact into a [`ModelSpec`]; [`align`] pairs its
//! inputs with the served vector once; each rule in [`rules`] judges one
//! kind of mismatch, with the runtime's own casting and binding behaviour.

pub mod align;
pub mod binding;
pub mod casting;
pub mod check;
pub mod consumers;
pub mod readers;
pub mod rules;

use std::path::PathBuf;

pub use binding::{Binding, BindingError, ModelBinding, expand, parse_binding};
pub use check::{CheckError, check_models};
pub use readers::{ReadError, read};

/// Which runtime will call the model, which decides how inputs are bound
/// (by name or by position) and which dtype conversions it makes itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// `mlflow.pyfunc` with the model's signature enforced.
    Mlflow,
    /// onnxruntime.
    Onnx,
    /// XGBoost's Booster (JSON model).
    XGBoost,
    /// LightGBM's Booster (text model).
    LightGbm,
    /// Feast's `feast_features.json` (names only, as MLflow run artifact).
    FeastRefs,
}

impl Runtime {
    pub fn label(self) -> &'static str {
        match self {
            Runtime::Mlflow => "MLflow pyfunc",
            Runtime::Onnx => "onnxruntime",
            Runtime::XGBoost => "XGBoost",
            Runtime::LightGbm => "LightGBM",
            Runtime::FeastRefs => "feast_features.json",
        }
    }
}

/// The type a model records for one input, in its own vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputType {
    /// MLflow's DataType name (`double`, `float`, `long`, `integer`,
    /// `boolean`, `string`, `binary`, `datetime`) or a tensor's numpy dtype.
    Mlflow(String),
    /// ONNX `TensorProto.DataType` number.
    Onnx(i32),
    /// XGBoost's feature type class (`float`, `int`, `i`, `q`, `c`).
    XGBoost(String),
}

impl std::fmt::Display for InputType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputType::Mlflow(t) => f.write_str(t),
            InputType::Onnx(n) => f.write_str(&readers::onnx::elem_type_name(*n)),
            InputType::XGBoost(t) => write!(f, "xgboost:{t}"),
        }
    }
}

/// One named input column of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub dtype: Option<InputType>,
}

/// What a model says about its inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inputs {
    /// Named columns, in the order the model was trained on.
    Columns(Vec<Column>),
    /// One nameless tensor or matrix; `width` is its last dimension when
    /// fixed.
    Positional {
        width: Option<u64>,
        dtype: Option<InputType>,
    },
    /// The artifact records nothing about its inputs (an MLflow model
    /// logged without a signature).
    Unknown { why: String },
}

/// A model artifact, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSpec {
    /// The file read (for a directory: the MLmodel file), as given.
    pub path: PathBuf,
    pub runtime: Runtime,
    pub inputs: Inputs,
    /// The list ends early (Feast truncates its run tag): only this many
    /// leading inputs are known.
    pub truncated: bool,
}
