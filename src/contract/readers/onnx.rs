//! ONNX `ModelProto`: the graph's inputs minus its initializers (older
//! exporters list weights as inputs too), each with its element type and
//! shape. Hand-written prost messages hold only the fields read; field
//! numbers are onnx.proto's (onnx 1.x, stable since IR version 3).

use std::collections::HashSet;
use std::path::Path;

use prost::Message;

use super::{MAX_MODEL_BYTES, ReadError, read_bounded};
use crate::contract::{Column, InputType, Inputs, ModelSpec, Runtime};

#[derive(Clone, PartialEq, Message)]
struct ModelProto {
    #[prost(int64, tag = "1")]
    ir_version: i64,
    #[prost(message, optional, tag = "7")]
    graph: Option<GraphProto>,
}

#[derive(Clone, PartialEq, Message)]
struct GraphProto {
    #[prost(message, repeated, tag = "5")]
    initializer: Vec<NamedTensor>,
    #[prost(message, repeated, tag = "11")]
    input: Vec<ValueInfoProto>,
    #[prost(message, repeated, tag = "15")]
    sparse_initializer: Vec<SparseTensorProto>,
}

/// `TensorProto` with only its name (field 8); the data fields are skipped.
#[derive(Clone, PartialEq, Message)]
struct NamedTensor {
    #[prost(string, tag = "8")]
    name: String,
}

#[derive(Clone, PartialEq, Message)]
struct SparseTensorProto {
    #[prost(message, optional, tag = "1")]
    values: Option<NamedTensor>,
}

#[derive(Clone, PartialEq, Message)]
struct ValueInfoProto {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(message, optional, tag = "2")]
    r#type: Option<TypeProto>,
}

#[derive(Clone, PartialEq, Message)]
struct TypeProto {
    #[prost(message, optional, tag = "1")]
    tensor_type: Option<TensorType>,
}

#[derive(Clone, PartialEq, Message)]
struct TensorType {
    #[prost(int32, tag = "1")]
    elem_type: i32,
    #[prost(message, optional, tag = "2")]
    shape: Option<TensorShapeProto>,
}

#[derive(Clone, PartialEq, Message)]
struct TensorShapeProto {
    #[prost(message, repeated, tag = "1")]
    dim: Vec<Dimension>,
}

#[derive(Clone, PartialEq, Message)]
struct Dimension {
    #[prost(int64, optional, tag = "1")]
    dim_value: Option<i64>,
    #[prost(string, optional, tag = "2")]
    dim_param: Option<String>,
}

/// `TensorProto.DataType` names, by number.
const ELEM_TYPES: &[(i32, &str)] = &[
    (1, "float"),
    (2, "uint8"),
    (3, "int8"),
    (4, "uint16"),
    (5, "int16"),
    (6, "int32"),
    (7, "int64"),
    (8, "string"),
    (9, "bool"),
    (10, "float16"),
    (11, "double"),
    (12, "uint32"),
    (13, "uint64"),
    (14, "complex64"),
    (15, "complex128"),
    (16, "bfloat16"),
];

pub fn elem_type_name(n: i32) -> String {
    ELEM_TYPES
        .iter()
        .find(|(k, _)| *k == n)
        .map(|(_, s)| format!("tensor({s})"))
        .unwrap_or_else(|| format!("tensor(type {n})"))
}

pub fn read(path: &Path) -> Result<ModelSpec, ReadError> {
    let bytes = read_bounded(path, MAX_MODEL_BYTES, false)?;
    let model = ModelProto::decode(bytes.as_slice())
        .map_err(|e| ReadError::invalid(path, format!("not an ONNX model: {e}")))?;
    let graph = match model.graph {
        Some(g) if model.ir_version > 0 => g,
        _ => {
            return Err(ReadError::invalid(
                path,
                "not an ONNX model: no ir_version or graph",
            ));
        }
    };
    let weights: HashSet<&str> = graph
        .initializer
        .iter()
        .map(|t| t.name.as_str())
        .chain(
            graph
                .sparse_initializer
                .iter()
                .filter_map(|s| s.values.as_ref().map(|v| v.name.as_str())),
        )
        .collect();
    let inputs: Vec<&ValueInfoProto> = graph
        .input
        .iter()
        .filter(|i| !weights.contains(i.name.as_str()))
        .collect();
    if inputs.is_empty() {
        return Err(ReadError::invalid(path, "the ONNX graph has no inputs"));
    }
    let tensor = |i: &ValueInfoProto| i.r#type.as_ref().and_then(|t| t.tensor_type.clone());
    let inputs = if inputs.len() == 1 {
        // One tensor: a matrix whose columns are the vector, by position,
        // unless it is one column wide and named like a feature.
        let t = tensor(inputs[0]);
        let dims: Vec<Option<i64>> = t
            .as_ref()
            .and_then(|t| t.shape.as_ref())
            .map(|s| s.dim.iter().map(|d| d.dim_value).collect())
            .unwrap_or_default();
        Inputs::Positional {
            width: match dims.as_slice() {
                [_, .., Some(w)] if *w > 0 => Some(*w as u64),
                _ => None,
            },
            dtype: t.map(|t| InputType::Onnx(t.elem_type)),
        }
    } else {
        Inputs::Columns(
            inputs
                .iter()
                .map(|i| Column {
                    name: i.name.clone(),
                    dtype: tensor(i).map(|t| InputType::Onnx(t.elem_type)),
                })
                .collect(),
        )
    };
    Ok(ModelSpec {
        path: path.to_path_buf(),
        runtime: Runtime::Onnx,
        inputs,
        truncated: false,
    })
}
