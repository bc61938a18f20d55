//! A `registry.db` file: one serialized `feast.core.Registry`, no header.

use std::path::Path;

use super::{SourceError, from_proto, proto};
use crate::model;

pub fn parse(path: &Path, bytes: &[u8]) -> Result<model::Registry, SourceError> {
    decode(path, bytes).map(from_proto::registry)
}

/// The registry proto of a `registry.db`, checked to be one.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<proto::Registry, SourceError> {
    let not_registry = |reason: String| SourceError::NotARegistry {
        path: path.to_path_buf(),
        reason,
    };
    if bytes.is_empty() {
        return Err(not_registry("the file is empty".into()));
    }
    let registry = proto::decode_registry(bytes)
        .map_err(|e| not_registry(format!("protobuf decode failed: {e}")))?;
    // Protobuf decoding is lenient: arbitrary bytes can decode into an empty
    // message. Every registry Feast writes carries its schema version.
    if registry.registry_schema_version.is_empty() && is_empty(&registry) {
        return Err(not_registry(
            "no registry schema version and no objects".into(),
        ));
    }
    Ok(registry)
}

fn is_empty(r: &proto::Registry) -> bool {
    r.projects.is_empty()
        && r.entities.is_empty()
        && r.feature_views.is_empty()
        && r.stream_feature_views.is_empty()
        && r.on_demand_feature_views.is_empty()
        && r.feature_services.is_empty()
        && r.data_sources.is_empty()
        && r.project_metadata.is_empty()
}
