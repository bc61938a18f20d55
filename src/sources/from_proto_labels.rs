//! Label views (Feast 0.64+) from their registry message into the model.

use super::from_proto::{entity_columns, entity_names, features, meta, ttl};
use super::proto::{self, source_type};
use crate::model::{FeatureView, LabelSpec, ViewKind, conflict_policy_name};

/// Feast's `LabelView.batch_source`/`stream_source` split of its one
/// `source`: a push source serves as the stream source and its batch
/// source as the batch source; any other source is the batch source.
fn sources(src: &Option<proto::DataSource>) -> (Option<String>, Option<String>) {
    let Some(s) = src.as_ref().filter(|s| !s.name.is_empty()) else {
        return (None, None);
    };
    if s.r#type == source_type::PUSH_SOURCE {
        let batch = s
            .batch_source
            .as_ref()
            .map(|b| b.name.clone())
            .filter(|n| !n.is_empty());
        (batch, Some(s.name.clone()))
    } else {
        (Some(s.name.clone()), None)
    }
}

pub(super) fn label_view(spec: &mut proto::LabelViewSpec) -> FeatureView {
    let (batch_source, stream_source) = sources(&spec.source);
    FeatureView {
        name: spec.name.clone(),
        kind: ViewKind::LabelView,
        entities: entity_names(&spec.entities),
        entity_columns: entity_columns(&mut spec.entity_columns),
        features: features(&mut spec.features),
        ttl_seconds: ttl(&spec.ttl),
        online: spec.online,
        // LabelViewSpec has no offline flag: the offline store always keeps
        // every write.
        offline: false,
        enabled: true,
        version_pin: None,
        batch_source,
        stream_source,
        sources: Vec::new(),
        transformation: None,
        inferred_features: false,
        label: Some(LabelSpec {
            labeler_field: spec.labeler_field.clone(),
            conflict_policy: conflict_policy_name(spec.conflict_policy),
            reference_view: Some(spec.reference_feature_view.clone()).filter(|r| !r.is_empty()),
        }),
        meta: meta(&spec.description, &spec.tags, &spec.owner),
        location: None,
    }
}
