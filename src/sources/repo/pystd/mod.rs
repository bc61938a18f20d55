//! The parts of Python's standard library that feature repos use to build
//! paths, names and configuration, emulated with CPython's POSIX semantics:
//! `os.path`, `pathlib`, `os.environ`, `str` methods and formatting, and
//! `yaml`/`json` loading. Plain functions over Rust values: the evaluator
//! decides what a Python value is, this module only computes.

pub mod environ;
pub mod loaders;
pub mod os_path;
pub mod pathlib;
pub mod strings;

/// Why an emulated function gave no value: what Python would raise, or a
/// case the emulation does not cover (so the caller reports it instead of
/// guessing).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PyStdError {
    /// Python raises here (`ValueError`, `KeyError`, ...).
    #[error("Python raises {kind}: {message}")]
    Raises { kind: &'static str, message: String },
    /// Valid Python the emulation does not reproduce exactly.
    #[error("{0}")]
    Unsupported(String),
}

impl PyStdError {
    pub fn value_error(message: impl Into<String>) -> PyStdError {
        PyStdError::Raises {
            kind: "ValueError",
            message: message.into(),
        }
    }

    pub fn unsupported(message: impl Into<String>) -> PyStdError {
        PyStdError::Unsupported(message.into())
    }
}
