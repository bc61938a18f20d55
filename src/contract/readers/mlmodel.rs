//! MLflow's `MLmodel` file: YAML whose `signature.inputs` is a JSON string,
//! either column specs (`{"type": "double", "name": "tenure"}`) or tensor
//! specs (`{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape":
//! [-1, 8]}}`). A model logged without a signature falls back to its flavor's
//! own file when feastops reads that format (ONNX, LightGBM, XGBoost JSON).

use std::path::Path;

use serde_json::Value as Json;
use serde_yaml_ng::Value as Yaml;

use super::{MAX_META_BYTES, ReadError, read_bounded};
use crate::contract::{Column, InputType, Inputs, ModelSpec, Runtime};

pub fn read(path: &Path) -> Result<ModelSpec, ReadError> {
    let bytes = read_bounded(path, MAX_META_BYTES, false)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| ReadError::invalid(path, "MLmodel is not UTF-8 text"))?;
    let doc: Yaml = serde_yaml_ng::from_str(&text)
        .map_err(|e| ReadError::invalid(path, format!("MLmodel is not valid YAML: {e}")))?;
    if doc.get("flavors").is_none() {
        return Err(ReadError::invalid(
            path,
            "MLmodel has no `flavors` key; is this an MLflow model?",
        ));
    }
    let inputs = doc
        .get("signature")
        .and_then(|s| s.get("inputs"))
        .filter(|v| !v.is_null());
    let Some(inputs) = inputs else {
        if let Some(spec) = flavor_file(path, &doc)? {
            return Ok(spec);
        }
        return Ok(spec(
            path,
            Inputs::Unknown {
                why: "the MLflow model was logged without a signature (pass `signature=` or \
                      `input_example=` to log_model)"
                    .into(),
            },
        ));
    };
    // MLflow writes the schema as a JSON string; accept it inline too.
    let json: Json = match inputs {
        Yaml::String(s) => serde_json::from_str(s).map_err(|e| {
            ReadError::invalid(path, format!("signature.inputs is not valid JSON: {e}"))
        })?,
        other => serde_json::to_value(other)
            .map_err(|e| ReadError::invalid(path, format!("signature.inputs: {e}")))?,
    };
    let Json::Array(specs) = json else {
        return Err(ReadError::invalid(
            path,
            "signature.inputs is not a list of column or tensor specs",
        ));
    };
    Ok(spec(path, schema_inputs(path, &specs)?))
}

fn spec(path: &Path, inputs: Inputs) -> ModelSpec {
    ModelSpec {
        path: path.to_path_buf(),
        runtime: Runtime::Mlflow,
        inputs,
        truncated: false,
    }
}

fn schema_inputs(path: &Path, specs: &[Json]) -> Result<Inputs, ReadError> {
    let is_tensor = |s: &Json| s.get("type").and_then(Json::as_str) == Some("tensor");
    if specs.iter().all(is_tensor) && !specs.is_empty() {
        return tensor_inputs(path, specs);
    }
    let mut columns = Vec::with_capacity(specs.len());
    for (i, s) in specs.iter().enumerate() {
        let dtype = match s.get("type") {
            Some(Json::String(t)) => t.clone(),
            Some(Json::Object(_)) | None => {
                return Err(ReadError::invalid(
                    path,
                    format!("signature.inputs[{i}] has no type"),
                ));
            }
            Some(other) => other.to_string(),
        };
        // Array, object and map specs carry their element type in `items`
        // or `properties`; the kind alone is what enforcement compares.
        match s.get("name").and_then(Json::as_str) {
            Some(name) => columns.push(Column {
                name: name.to_string(),
                dtype: Some(InputType::Mlflow(dtype)),
            }),
            None if columns.is_empty() => {
                // Nameless column specs: a positional frame of that width.
                let all_unnamed = specs.iter().all(|s| s.get("name").is_none());
                if !all_unnamed {
                    return Err(ReadError::invalid(
                        path,
                        "signature.inputs mixes named and unnamed columns",
                    ));
                }
                let first = specs[0]
                    .get("type")
                    .and_then(Json::as_str)
                    .map(str::to_string);
                let same = specs
                    .iter()
                    .all(|s| s.get("type").and_then(Json::as_str) == first.as_deref());
                return Ok(Inputs::Positional {
                    width: Some(specs.len() as u64),
                    dtype: first.filter(|_| same).map(InputType::Mlflow),
                });
            }
            None => {
                return Err(ReadError::invalid(
                    path,
                    "signature.inputs mixes named and unnamed columns",
                ));
            }
        }
    }
    Ok(Inputs::Columns(columns))
}

fn tensor_inputs(path: &Path, specs: &[Json]) -> Result<Inputs, ReadError> {
    let tensor = |s: &Json| -> Result<(Option<String>, String, Vec<i64>), ReadError> {
        let t = s
            .get("tensor-spec")
            .ok_or_else(|| ReadError::invalid(path, "tensor input without `tensor-spec`"))?;
        let dtype = t
            .get("dtype")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        let shape = t
            .get("shape")
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(Json::as_i64).collect())
            .unwrap_or_default();
        Ok((
            s.get("name").and_then(Json::as_str).map(str::to_string),
            dtype,
            shape,
        ))
    };
    if specs.len() == 1 {
        let (_, dtype, shape) = tensor(&specs[0])?;
        let width = shape.last().copied().filter(|w| *w > 0 && shape.len() >= 2);
        return Ok(Inputs::Positional {
            width: width.map(|w| w as u64),
            dtype: Some(InputType::Mlflow(dtype)),
        });
    }
    let mut columns = Vec::new();
    for s in specs {
        let (name, dtype, _) = tensor(s)?;
        let name = name
            .ok_or_else(|| ReadError::invalid(path, "several tensor inputs, one without a name"))?;
        columns.push(Column {
            name,
            dtype: Some(InputType::Mlflow(dtype)),
        });
    }
    Ok(Inputs::Columns(columns))
}

/// A signature-less model whose flavor stores a format feastops reads.
fn flavor_file(path: &Path, doc: &Yaml) -> Result<Option<ModelSpec>, ReadError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let flavors = &doc["flavors"];
    let data = |flavor: &str| {
        flavors
            .get(flavor)
            .and_then(|f| f.get("data"))
            .and_then(Yaml::as_str)
            .map(|d| dir.join(d))
    };
    let found = [
        ("onnx", data("onnx")),
        ("lightgbm", data("lightgbm")),
        ("xgboost", data("xgboost")),
    ];
    for (flavor, file) in found {
        let Some(file) = file.filter(|f| f.is_file()) else {
            continue;
        };
        let read = match flavor {
            "onnx" => super::onnx::read(&file),
            "lightgbm" => super::lightgbm::read(&file),
            _ => super::xgboost::read(&file),
        };
        // A flavor file in a format feastops does not read (a binary
        // XGBoost model) leaves the model unverifiable, not invalid.
        if let Ok(spec) = read {
            return Ok(Some(spec));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Inputs {
        let specs: Vec<Json> = serde_json::from_str(json).unwrap();
        schema_inputs(Path::new("MLmodel"), &specs).unwrap()
    }

    #[test]
    fn column_specs_keep_order_and_types() {
        let i = parse(r#"[{"type":"double","name":"b"},{"type":"long","name":"a"}]"#);
        let Inputs::Columns(c) = i else { panic!() };
        assert_eq!(c[0].name, "b");
        assert_eq!(c[1].dtype, Some(InputType::Mlflow("long".into())));
    }

    #[test]
    fn single_tensor_is_positional_with_its_width() {
        let i = parse(r#"[{"type":"tensor","tensor-spec":{"dtype":"float32","shape":[-1,8]}}]"#);
        assert_eq!(
            i,
            Inputs::Positional {
                width: Some(8),
                dtype: Some(InputType::Mlflow("float32".into()))
            }
        );
    }

    #[test]
    fn unnamed_columns_are_positional() {
        let i = parse(r#"[{"type":"double"},{"type":"double"}]"#);
        assert!(matches!(i, Inputs::Positional { width: Some(2), .. }));
    }
}
