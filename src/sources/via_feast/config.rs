//! The `feature_store.yaml` feast reads under `--via-feast`: the repo's
//! project, everything else local and temporary.

use std::path::Path;

use serde_yaml_ng::{Mapping, Value};

use super::ViaFeastError;
use crate::sources::SourceError;
use crate::sources::repo::RepoTree;

pub fn local_yaml(tree: &RepoTree, tmp: &Path) -> Result<String, SourceError> {
    let project = tree.project_name()?;
    let original: Value = tree
        .feature_store_yaml
        .as_deref()
        .and_then(|t| serde_yaml_ng::from_str(t).ok())
        .unwrap_or(Value::Null);
    let s = |v: &str| Value::String(v.to_string());
    let path = |name: &str| s(&tmp.join(name).display().to_string());
    let mut yaml = Mapping::new();
    yaml.insert(s("project"), s(&project));
    yaml.insert(s("provider"), s("local"));
    yaml.insert(s("registry"), path("registry.db"));
    let mut online = Mapping::new();
    online.insert(s("type"), s("sqlite"));
    online.insert(s("path"), path("online.db"));
    yaml.insert(s("online_store"), online.into());
    let mut offline = Mapping::new();
    offline.insert(s("type"), s("file"));
    yaml.insert(s("offline_store"), offline.into());
    // Changes how entity keys are serialized, never the schema; kept so
    // feast does not warn about a default.
    if let Some(v) = original.get("entity_key_serialization_version") {
        yaml.insert(s("entity_key_serialization_version"), v.clone());
    }
    serde_yaml_ng::to_string(&yaml).map_err(|e| ViaFeastError::Io(e.to_string()).into())
}
