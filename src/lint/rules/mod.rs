//! One module per rule. Each documents itself in `rules/<name>.toml`.
//!
//! Pair rules receive one project as it was (`old`) and as proposed (`new`),
//! with every surviving view's features already aligned.

pub mod batch_source_changed;
pub mod dangling_reference;
pub mod data_dtype_mismatch;
pub mod data_feature_missing;
pub mod data_join_key_missing;
pub mod data_source_removed;
pub mod data_timestamp_missing;
pub mod entity_join_key_changed;
pub mod entity_removed;
pub mod entity_value_type_changed;
pub mod feature_appended;
pub mod feature_dtype_changed;
pub mod feature_inserted;
pub mod feature_removed;
pub mod feature_renamed;
pub mod feature_reordered;
pub mod feature_service_removed;
pub mod feature_service_vector_changed;
pub mod feature_view_disabled;
pub mod feature_view_removed;
pub mod label_resolution_changed;
pub mod metadata_changed;
pub mod online_disabled;
pub mod pinned_service_unaffected;
pub mod precomputed_vector_stale;
pub mod project_removed;
pub mod registry_drift;
pub mod transformation_changed;
pub mod ttl_shortened;
pub mod view_entities_changed;
pub mod view_version_pinned;
pub mod view_version_unpromoted;

use super::{Finding, ObjectKind, ObjectRef, ProjectPair};
use crate::model::{DataColumn, DataSchema, DataSource, FeatureView, Project};

pub type PairRule = fn(&ProjectPair, &mut Vec<Finding>);

/// Every rule that compares a project with its previous version.
pub const PAIR_RULES: &[PairRule] = &[
    feature_removed::check,
    feature_reordered::check,
    feature_renamed::check,
    feature_dtype_changed::check,
    feature_inserted::check,
    feature_appended::check,
    feature_view_removed::check,
    view_entities_changed::check,
    ttl_shortened::check,
    online_disabled::check,
    batch_source_changed::check,
    transformation_changed::check,
    feature_view_disabled::check,
    label_resolution_changed::check,
    view_version_pinned::check,
    feature_service_removed::check,
    feature_service_vector_changed::check,
    pinned_service_unaffected::check,
    precomputed_vector_stale::check,
    dangling_reference::check,
    entity_removed::check,
    entity_join_key_changed::check,
    entity_value_type_changed::check,
    data_source_removed::check,
    metadata_changed::check,
    data_feature_missing::check,
    data_dtype_mismatch::check,
    data_timestamp_missing::check,
    data_join_key_missing::check,
];

pub(crate) fn view_ref(view: &FeatureView) -> ObjectRef {
    ObjectRef {
        kind: ObjectKind::of_view(view.kind),
        name: view.name.clone(),
    }
}

/// Views of `project` whose batch source's data the reader read, for the
/// data checks.
pub(crate) fn with_data(
    project: &Project,
) -> impl Iterator<Item = (&FeatureView, &DataSource, &DataSchema)> {
    project.feature_views.values().filter_map(|v| {
        let src = project.data_sources.get(v.batch_source.as_ref()?)?;
        Some((v, src, src.data.as_ref()?))
    })
}

/// The data column a view's field reads: the one the source's field
/// mapping renames to it, else the one of the same name.
pub(crate) fn data_column<'a>(
    src: &DataSource,
    data: &'a DataSchema,
    field: &str,
) -> Option<&'a DataColumn> {
    let mapped = src
        .field_mapping
        .iter()
        .find(|(_, to)| to.as_str() == field)
        .map(|(from, _)| from.as_str());
    data.column(mapped.unwrap_or(field))
}
