//! Label views over REST: Feast 0.67 lists them on their own route,
//! `/label_views` (under `featureViews`, each tagged `type: labelView`), as the
//! JSON form of feast.core.LabelView.

use serde_json::Value;

use super::{b, data_source, duration, enum_value, features, s, strs, tags};
use crate::sources::proto;

/// feast.core.ConflictResolutionPolicy by name.
const CONFLICT_POLICIES: &[(&str, i32)] = &[
    ("LAST_WRITE_WINS", 0),
    ("LABELER_PRIORITY", 1),
    ("MAJORITY_VOTE", 2),
];

pub(super) fn label_view(v: &Value, project: &str) -> proto::LabelView {
    let spec = v.get("spec").unwrap_or(&Value::Null);
    proto::LabelView {
        spec: Some(proto::LabelViewSpec {
            name: s(spec, "name"),
            project: project.to_string(),
            entities: strs(spec, "entities"),
            features: features(spec, "features"),
            tags: tags(spec, "tags"),
            ttl: duration(spec, "ttl"),
            source: spec.get("source").map(data_source),
            online: b(spec, "online"),
            description: s(spec, "description"),
            owner: s(spec, "owner"),
            entity_columns: features(spec, "entityColumns"),
            labeler_field: s(spec, "labelerField"),
            conflict_policy: enum_value(spec.get("conflictPolicy"), CONFLICT_POLICIES),
            retain_history: b(spec, "retainHistory"),
            reference_feature_view: s(spec, "referenceFeatureView"),
        }),
    }
}
