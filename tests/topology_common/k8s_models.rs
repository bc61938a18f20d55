//! The third-party schema validators (scripts/k8s-models/validate.mjs under
//! node; installed by scripts/test into FEASTOPS_K8S_MODELS).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The validators' node_modules; under CI a missing install is a failure.
pub fn models_dir() -> Option<PathBuf> {
    match std::env::var_os("FEASTOPS_K8S_MODELS") {
        Some(d) => Some(d.into()),
        None if std::env::var_os("CI").is_some() => {
            panic!("FEASTOPS_K8S_MODELS is not set: run the tests through scripts/test")
        }
        None => {
            eprintln!("skipped: FEASTOPS_K8S_MODELS not set (scripts/test sets it)");
            None
        }
    }
}

/// `{checked, unchecked, failures}` of validate.mjs over `{file, doc}`s.
pub fn validate(modules: &Path, docs: &[serde_json::Value]) -> serde_json::Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/k8s-models/validate.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .arg(modules)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(docs).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "validate.mjs: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
