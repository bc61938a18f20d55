//! What each runtime does when a served dtype differs from the type the
//! model recorded: the same, a conversion it makes itself, a conversion
//! that depends on the values, or a refusal.
//!
//! MLflow: `mlflow.models.utils._enforce_mlflow_datatype` up-casts int→long,
//! float→double, int32→double, and refuses any narrowing (a long→double
//! only passes when every value is 0 or 1); tensor specs must match
//! exactly. onnxruntime refuses any element type other than the input's.
//! XGBoost records classes only and checks names, not types, at predict.

use super::InputType;
use crate::model::DType;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Same,
    /// The runtime converts without loss; reported for the record.
    Converts(String),
    /// Works for some values or needs the caller's conversion.
    Risky(String),
    Refused(String),
}

pub fn judge(model: &InputType, served: &DType) -> Verdict {
    match model {
        InputType::Mlflow(t) => mlflow(t, served),
        InputType::Onnx(n) => onnx(*n, served),
        InputType::XGBoost(c) => xgboost(c, served),
    }
}

/// The Feast dtype a model type names exactly, for showing the model's row.
pub fn as_dtype(model: &InputType) -> Option<DType> {
    let t = match model {
        InputType::Mlflow(t) => match t.as_str() {
            "double" | "float64" => DType::Float64,
            "float" | "float32" => DType::Float32,
            "long" | "int64" => DType::Int64,
            "integer" | "int32" => DType::Int32,
            "boolean" | "bool" => DType::Bool,
            "string" | "str" => DType::String,
            "binary" | "bytes" => DType::Bytes,
            "datetime" => DType::UnixTimestamp,
            _ => return None,
        },
        InputType::Onnx(n) => match n {
            1 => DType::Float32,
            11 => DType::Float64,
            6 => DType::Int32,
            7 => DType::Int64,
            9 => DType::Bool,
            8 => DType::String,
            _ => return None,
        },
        InputType::XGBoost(_) => return None,
    };
    Some(t)
}

fn refused(model: &str, served: &DType, runtime: &str) -> Verdict {
    Verdict::Refused(format!(
        "{runtime} refuses {served} for an input recorded as {model}"
    ))
}

fn mlflow(t: &str, served: &DType) -> Verdict {
    use DType::*;
    let converts =
        |why: &str| Verdict::Converts(format!("MLflow converts {served} to {t} ({why})"));
    match (t, served) {
        ("double", Float64)
        | ("float", Float32)
        | ("long", Int64)
        | ("integer", Int32)
        | ("boolean", Bool)
        | ("string", String)
        | ("binary", Bytes | PdfBytes | ImageBytes)
        | ("datetime", UnixTimestamp) => Verdict::Same,
        ("double", Float32) => converts("float up-cast"),
        ("double", Int32) => converts("int32 to double is exact"),
        ("long", Int32) => converts("int up-cast"),
        ("double" | "float", Int64) => Verdict::Risky(format!(
            "MLflow accepts {served} for {t} only when every value is 0 or 1; any other value fails the request"
        )),
        ("array", Array(_) | Set(_)) | ("object", Struct(_)) | ("map", Map | ScalarMap) => {
            Verdict::Same
        }
        // Tensor specs (numpy dtype names) are enforced exactly.
        ("float32", Float32)
        | ("float64", Float64)
        | ("int32", Int32)
        | ("int64", Int64)
        | ("bool", Bool)
        | ("str" | "object", String) => Verdict::Same,
        _ => refused(t, served, "MLflow's schema enforcement"),
    }
}

fn onnx(n: i32, served: &DType) -> Verdict {
    match as_dtype(&InputType::Onnx(n)) {
        Some(t) if &t == served => Verdict::Same,
        _ => refused(
            &super::readers::onnx::elem_type_name(n),
            served,
            "onnxruntime",
        ),
    }
}

fn is_numeric(t: &DType) -> bool {
    matches!(
        t,
        DType::Float32 | DType::Float64 | DType::Int32 | DType::Int64 | DType::Bool
    )
}

fn xgboost(class: &str, served: &DType) -> Verdict {
    match class {
        "c" if matches!(served, DType::String) => Verdict::Risky(format!(
            "XGBoost reads this input as categorical: the {served} column must reach it as a pandas `category` with the training categories"
        )),
        "c" => Verdict::Risky(format!(
            "XGBoost reads this input as categorical; {served} values are taken as category codes"
        )),
        _ if is_numeric(served) => Verdict::Same,
        _ => Verdict::Refused(format!(
            "XGBoost reads `{class}` inputs as numbers; {served} is not numeric"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ml(t: &str, d: DType) -> Verdict {
        judge(&InputType::Mlflow(t.into()), &d)
    }

    #[test]
    fn mlflow_upcasts_and_refuses_narrowing() {
        assert!(matches!(ml("double", DType::Float32), Verdict::Converts(_)));
        assert!(matches!(ml("long", DType::Int32), Verdict::Converts(_)));
        assert!(matches!(ml("float", DType::Float64), Verdict::Refused(_)));
        assert!(matches!(ml("integer", DType::Int64), Verdict::Refused(_)));
        assert!(matches!(ml("double", DType::Int64), Verdict::Risky(_)));
        assert_eq!(ml("float32", DType::Float32), Verdict::Same);
        assert!(matches!(ml("float32", DType::Float64), Verdict::Refused(_)));
    }

    #[test]
    fn onnx_refuses_any_difference() {
        assert_eq!(judge(&InputType::Onnx(1), &DType::Float32), Verdict::Same);
        assert!(matches!(
            judge(&InputType::Onnx(1), &DType::Float64),
            Verdict::Refused(_)
        ));
    }
}
