//! Model artifact readers: one module per format, the kind told by content
//! (never by extension alone), every read bounded in size. No reader runs
//! Python or unpickles anything.

pub mod feast_features;
pub mod lightgbm;
pub mod mlmodel;
pub mod onnx;
pub mod xgboost;

use std::io::Read;
use std::path::{Path, PathBuf};

use super::ModelSpec;

/// Largest model file read whole (ONNX graphs and XGBoost JSON carry their
/// weights; the inputs are only reachable by decoding the whole message).
pub const MAX_MODEL_BYTES: u64 = 512 * 1024 * 1024;
/// Largest metadata file (MLmodel, feast_features.json) or LightGBM header.
pub const MAX_META_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read model {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("model {} is larger than {limit} bytes; feastops reads model files up to that size", path.display())]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("model {}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error(
        "model {}: not a model feastops can read (an MLflow model directory or MLmodel file, ONNX, XGBoost JSON, LightGBM text, or feast_features.json){hint}",
        path.display()
    )]
    Unknown { path: PathBuf, hint: String },
}

impl ReadError {
    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> ReadError {
        ReadError::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// Reads at most `limit` bytes of `path`; more is an error unless
/// `prefix_ok`, when the first `limit` bytes are returned.
pub(crate) fn read_bounded(path: &Path, limit: u64, prefix_ok: bool) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut buf = Vec::new();
    file.take(limit + 1).read_to_end(&mut buf).map_err(io)?;
    if buf.len() as u64 > limit {
        if !prefix_ok {
            return Err(ReadError::TooLarge {
                path: path.to_path_buf(),
                limit,
            });
        }
        buf.truncate(limit as usize);
    }
    Ok(buf)
}

/// Reads a model: an MLflow model directory (its `MLmodel`), or one file
/// whose kind is told by its content.
pub fn read(path: &Path) -> Result<ModelSpec, ReadError> {
    if path.is_dir() {
        let mlmodel = path.join("MLmodel");
        if mlmodel.is_file() {
            return mlmodel::read(&mlmodel);
        }
        let refs = path.join("feast_features.json");
        if refs.is_file() {
            return feast_features::read(&refs);
        }
        // A directory holding one model file (`models/lite/model.onnx`).
        let files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|source| ReadError::Io {
                path: path.to_path_buf(),
                source,
            })?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .take(2)
            .collect();
        if let [only] = files.as_slice() {
            return read(only);
        }
        return Err(ReadError::Unknown {
            path: path.to_path_buf(),
            hint: "; the directory has no MLmodel or feast_features.json file and more or \
                   fewer than one file: name the model file"
                .into(),
        });
    }
    let head = read_bounded(path, 4096, true)?;
    let text_start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| head[i]);
    let is_named_mlmodel = path.file_name().is_some_and(|n| n == "MLmodel");
    if head.starts_with(b"tree\n") || head.starts_with(b"tree\r\n") {
        return lightgbm::read(path);
    }
    match text_start {
        Some(b'{') if head.windows(9).any(|w| w == b"\"learner\"") => xgboost::read(path),
        Some(b'{') if head.get(1) == Some(&b'L') || head.get(1) == Some(&b'i') => {
            Err(ReadError::Unknown {
                path: path.to_path_buf(),
                hint: "; it looks like a binary (UBJSON) XGBoost model: save it with \
                       `booster.save_model(\"model.json\")`"
                    .into(),
            })
        }
        Some(b'[') if looks_like_json_list(&head) => feast_features::read(path),
        _ if is_named_mlmodel || looks_like_mlmodel(&head) => mlmodel::read(path),
        _ => match onnx::read(path) {
            Ok(spec) => Ok(spec),
            Err(ReadError::Invalid { .. }) | Err(ReadError::Unknown { .. }) => {
                Err(ReadError::Unknown {
                    path: path.to_path_buf(),
                    hint: String::new(),
                })
            }
            Err(e) => Err(e),
        },
    }
}

/// `[` then a string or `]`: a JSON list of refs, not a TOML table.
fn looks_like_json_list(head: &[u8]) -> bool {
    let mut rest = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .skip(1)
        .skip_while(|b| b.is_ascii_whitespace());
    matches!(rest.next(), Some(b'"') | Some(b']'))
}

fn looks_like_mlmodel(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.lines().any(|l| l.starts_with("flavors:"))
}
