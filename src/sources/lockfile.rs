//! The feastops lock file: the model as versioned, deterministic JSON.
//!
//! Format: `schemas/lock.schema.json`. Keys are sorted (maps are BTreeMaps),
//! feature lists keep their order, two-space indentation, trailing newline,
//! so the same schema always produces the same bytes.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::SourceError;
use crate::model;

/// Written by this feastops. 2 added view version histories, pinned
/// projections and `precompute_online` (all optional: a version 1 file is
/// a version 2 file without them).
pub const LOCK_VERSION: u64 = 2;
/// Oldest format still read.
pub const OLDEST_LOCK_VERSION: u64 = 1;
pub const LOCK_KIND: &str = "feastops-lock";

/// A feastops lock file: a Feast schema, per project, as feastops models it.
/// Written by `feastops snapshot`; accepted wherever a source is.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(title = "feastops lock file", deny_unknown_fields)]
pub struct LockOut<'a> {
    /// Always `feastops-lock`.
    #[schemars(extend("const" = "feastops-lock"))]
    kind: &'static str,
    /// Format version; this feastops writes 2 and reads 1 and 2.
    #[schemars(extend("const" = 2))]
    version: u64,
    /// Projects by name. Feature lists are ordered: position is part of the
    /// contract with the models that consume them.
    projects: &'a std::collections::BTreeMap<String, model::Project>,
}

/// The JSON Schema of the lock file, as shipped in `schemas/lock.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(LockOut<'static>);
    let mut out = serde_json::to_string_pretty(&schema).expect("schema serializes");
    out.push('\n');
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LockIn {
    kind: String,
    /// Checked against the supported range after the typed pass.
    version: serde_json::Value,
    projects: std::collections::BTreeMap<String, model::Project>,
}

/// Serializes a model to lock-file bytes.
pub fn to_bytes(registry: &model::Registry) -> Vec<u8> {
    let lock = LockOut {
        kind: LOCK_KIND,
        version: LOCK_VERSION,
        projects: &registry.projects,
    };
    let mut out = serde_json::to_vec_pretty(&lock).expect("the model always serializes");
    out.push(b'\n');
    out
}

/// A lock file is JSON; a Feast registry is protobuf, whose first byte is
/// never `{` (that would be field 15 with the deprecated group wire type).
pub fn looks_like_lock(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

pub fn parse(path: &Path, bytes: &[u8]) -> Result<model::Registry, SourceError> {
    let bad = |reason: String| SourceError::BadLock {
        path: path.to_path_buf(),
        reason,
    };
    let version_error = |found: Option<&serde_json::Value>| match found.and_then(|v| v.as_u64()) {
        Some(OLDEST_LOCK_VERSION..=LOCK_VERSION) => None,
        Some(found) => Some(SourceError::LockVersion {
            path: path.to_path_buf(),
            found,
            supported: LOCK_VERSION,
        }),
        None => Some(bad("missing integer `version`".into())),
    };
    // One typed pass on the happy path (a lock of 500 views is ~4 MB); only when it
    // fails is the file read again for its version, so that a newer format gets the
    // "upgrade feastops" message rather than a field error.
    #[derive(Deserialize)]
    struct VersionOnly {
        version: Option<serde_json::Value>,
    }
    let lock: LockIn = match serde_json::from_slice(bytes) {
        Ok(lock) => lock,
        Err(e) => {
            let head: VersionOnly =
                serde_json::from_slice(bytes).map_err(|_| bad(e.to_string()))?;
            return Err(version_error(head.version.as_ref()).unwrap_or_else(|| bad(e.to_string())));
        }
    };
    if let Some(err) = version_error(Some(&lock.version)) {
        return Err(err);
    }
    if lock.kind != LOCK_KIND {
        return Err(bad(format!(
            "`kind` is `{}`, expected `{LOCK_KIND}`",
            lock.kind
        )));
    }
    for (key, project) in &lock.projects {
        if key != &project.name {
            return Err(bad(format!(
                "project key `{key}` does not match its name `{}`",
                project.name
            )));
        }
    }
    let mut registry = model::Registry {
        projects: lock.projects,
        notes: Vec::new(),
    };
    // The vector is derived data: recompute it rather than trust an edited file.
    super::from_proto::finish(&mut registry);
    Ok(registry)
}
