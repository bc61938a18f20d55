//! Registry, projects, entities, feature views, services and permissions.

use std::collections::BTreeMap;

use super::{DataSource, Duration, Timestamp};

/// feast.core.Registry: every project's objects in one message.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Registry {
    #[prost(message, repeated, tag = "1")]
    pub entities: Vec<Entity>,
    #[prost(string, tag = "3")]
    pub registry_schema_version: String,
    #[prost(string, tag = "4")]
    pub version_id: String,
    #[prost(message, optional, tag = "5")]
    pub last_updated: Option<Timestamp>,
    #[prost(message, repeated, tag = "6")]
    pub feature_views: Vec<FeatureView>,
    #[prost(message, repeated, tag = "7")]
    pub feature_services: Vec<FeatureService>,
    #[prost(message, repeated, tag = "8")]
    pub on_demand_feature_views: Vec<OnDemandFeatureView>,
    #[prost(message, repeated, tag = "12")]
    pub data_sources: Vec<DataSource>,
    #[prost(message, repeated, tag = "14")]
    pub stream_feature_views: Vec<StreamFeatureView>,
    #[prost(message, repeated, tag = "15")]
    pub project_metadata: Vec<ProjectMetadata>,
    #[prost(message, repeated, tag = "16")]
    pub permissions: Vec<Permission>,
    #[prost(message, repeated, tag = "17")]
    pub projects: Vec<Project>,
    #[prost(message, optional, tag = "18")]
    pub feature_view_version_history: Option<FeatureViewVersionHistory>,
    #[prost(message, repeated, tag = "19")]
    pub label_views: Vec<super::LabelView>,
}

/// feast.core.FeatureViewVersionHistory (0.62+): every schema version of
/// every view, each a whole serialized view message.
#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureViewVersionHistory {
    #[prost(message, repeated, tag = "1")]
    pub records: Vec<FeatureViewVersionRecord>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureViewVersionRecord {
    #[prost(string, tag = "1")]
    pub feature_view_name: String,
    #[prost(string, tag = "2")]
    pub project_id: String,
    #[prost(int32, tag = "3")]
    pub version_number: i32,
    /// `feature_view`, `stream_feature_view`, `on_demand_feature_view`, `label_view`.
    #[prost(string, tag = "4")]
    pub feature_view_type: String,
    #[prost(bytes = "vec", tag = "5")]
    pub feature_view_proto: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ProjectMetadata {
    #[prost(string, tag = "1")]
    pub project: String,
    #[prost(string, tag = "2")]
    pub project_uuid: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Project {
    #[prost(message, optional, tag = "1")]
    pub spec: Option<ProjectSpec>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ProjectSpec {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(string, tag = "2")]
    pub description: String,
    #[prost(btree_map = "string, string", tag = "3")]
    pub tags: BTreeMap<String, String>,
    #[prost(string, tag = "4")]
    pub owner: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Entity {
    #[prost(message, optional, tag = "1")]
    pub spec: Option<EntitySpecV2>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct EntitySpecV2 {
    #[prost(string, tag = "1")]
    pub name: String,
    /// feast.types.ValueType.Enum
    #[prost(int32, tag = "2")]
    pub value_type: i32,
    #[prost(string, tag = "3")]
    pub description: String,
    #[prost(string, tag = "4")]
    pub join_key: String,
    #[prost(btree_map = "string, string", tag = "8")]
    pub tags: BTreeMap<String, String>,
    #[prost(string, tag = "9")]
    pub project: String,
    #[prost(string, tag = "10")]
    pub owner: String,
}

/// feast.core.FeatureSpecV2: one schema field ("Field" in the SDK).
#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureSpecV2 {
    #[prost(string, tag = "1")]
    pub name: String,
    /// feast.types.ValueType.Enum
    #[prost(int32, tag = "2")]
    pub value_type: i32,
    #[prost(btree_map = "string, string", tag = "3")]
    pub tags: BTreeMap<String, String>,
    #[prost(string, tag = "4")]
    pub description: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureView {
    #[prost(message, optional, tag = "1")]
    pub spec: Option<FeatureViewSpec>,
    #[prost(message, optional, tag = "2")]
    pub meta: Option<FeatureViewMeta>,
}

/// feast.core.FeatureViewMeta: only what `feastops freshness` reads (the schema model
/// drops it).
#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureViewMeta {
    /// One interval per `feast materialize` run that wrote this view, appended by Feast.
    #[prost(message, repeated, tag = "3")]
    pub materialization_intervals: Vec<MaterializationInterval>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MaterializationInterval {
    #[prost(message, optional, tag = "1")]
    pub start_time: Option<Timestamp>,
    #[prost(message, optional, tag = "2")]
    pub end_time: Option<Timestamp>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureViewSpec {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(string, tag = "2")]
    pub project: String,
    #[prost(string, repeated, tag = "3")]
    pub entities: Vec<String>,
    #[prost(message, repeated, tag = "4")]
    pub features: Vec<FeatureSpecV2>,
    #[prost(btree_map = "string, string", tag = "5")]
    pub tags: BTreeMap<String, String>,
    #[prost(message, optional, tag = "6")]
    pub ttl: Option<Duration>,
    #[prost(message, optional, tag = "7")]
    pub batch_source: Option<DataSource>,
    #[prost(bool, tag = "8")]
    pub online: bool,
    #[prost(message, optional, tag = "9")]
    pub stream_source: Option<DataSource>,
    #[prost(string, tag = "10")]
    pub description: String,
    #[prost(string, tag = "11")]
    pub owner: String,
    #[prost(message, repeated, tag = "12")]
    pub entity_columns: Vec<FeatureSpecV2>,
    #[prost(bool, tag = "13")]
    pub offline: bool,
    #[prost(message, optional, tag = "15")]
    pub feature_transformation: Option<FeatureTransformationV2>,
    #[prost(string, tag = "16")]
    pub mode: String,
    /// 0.62+: `FeatureView(version=...)`, "latest" or "vN".
    #[prost(string, tag = "18")]
    pub version: String,
    #[prost(bool, tag = "20")]
    pub disabled: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct StreamFeatureView {
    #[prost(message, optional, tag = "1")]
    pub spec: Option<StreamFeatureViewSpec>,
    #[prost(message, optional, tag = "2")]
    pub meta: Option<FeatureViewMeta>,
}

/// Field numbers differ from FeatureViewSpec (ttl is 9, no `offline`).
#[derive(Clone, PartialEq, prost::Message)]
pub struct StreamFeatureViewSpec {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(string, tag = "2")]
    pub project: String,
    #[prost(string, repeated, tag = "3")]
    pub entities: Vec<String>,
    #[prost(message, repeated, tag = "4")]
    pub features: Vec<FeatureSpecV2>,
    #[prost(message, repeated, tag = "5")]
    pub entity_columns: Vec<FeatureSpecV2>,
    #[prost(string, tag = "6")]
    pub description: String,
    #[prost(btree_map = "string, string", tag = "7")]
    pub tags: BTreeMap<String, String>,
    #[prost(string, tag = "8")]
    pub owner: String,
    #[prost(message, optional, tag = "9")]
    pub ttl: Option<Duration>,
    #[prost(message, optional, tag = "10")]
    pub batch_source: Option<DataSource>,
    #[prost(message, optional, tag = "11")]
    pub stream_source: Option<DataSource>,
    #[prost(bool, tag = "12")]
    pub online: bool,
    #[prost(message, optional, tag = "13")]
    pub user_defined_function: Option<UserDefinedFunction>,
    #[prost(string, tag = "14")]
    pub mode: String,
    #[prost(string, tag = "16")]
    pub timestamp_field: String,
    #[prost(message, optional, tag = "17")]
    pub feature_transformation: Option<FeatureTransformationV2>,
    #[prost(bool, tag = "23")]
    pub disabled: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct OnDemandFeatureView {
    #[prost(message, optional, tag = "1")]
    pub spec: Option<OnDemandFeatureViewSpec>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct OnDemandFeatureViewSpec {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(string, tag = "2")]
    pub project: String,
    #[prost(message, repeated, tag = "3")]
    pub features: Vec<FeatureSpecV2>,
    #[prost(btree_map = "string, message", tag = "4")]
    pub sources: BTreeMap<String, OnDemandSource>,
    #[prost(message, optional, tag = "5")]
    pub user_defined_function: Option<UserDefinedFunction>,
    #[prost(string, tag = "6")]
    pub description: String,
    #[prost(btree_map = "string, string", tag = "7")]
    pub tags: BTreeMap<String, String>,
    #[prost(string, tag = "8")]
    pub owner: String,
    #[prost(message, optional, tag = "10")]
    pub feature_transformation: Option<FeatureTransformationV2>,
    #[prost(string, tag = "11")]
    pub mode: String,
    #[prost(bool, tag = "12")]
    pub write_to_online_store: bool,
    #[prost(string, repeated, tag = "13")]
    pub entities: Vec<String>,
    #[prost(message, repeated, tag = "14")]
    pub entity_columns: Vec<FeatureSpecV2>,
    #[prost(bool, tag = "19")]
    pub disabled: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct OnDemandSource {
    /// Legacy: a whole FeatureView embedded.
    #[prost(message, optional, tag = "1")]
    pub feature_view: Option<FeatureView>,
    #[prost(message, optional, tag = "2")]
    pub request_data_source: Option<DataSource>,
    /// What current SDKs write for FeatureView inputs.
    #[prost(message, optional, tag = "3")]
    pub feature_view_projection: Option<FeatureViewProjection>,
}

/// Deprecated single-UDF message (OnDemandFeatureViewSpec 5, StreamFeatureViewSpec 13).
#[derive(Clone, PartialEq, prost::Message)]
pub struct UserDefinedFunction {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(string, tag = "3")]
    pub body_text: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureTransformationV2 {
    #[prost(message, optional, tag = "1")]
    pub user_defined_function: Option<UserDefinedFunctionV2>,
    #[prost(message, optional, tag = "2")]
    pub substrait_transformation: Option<SubstraitTransformationV2>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct UserDefinedFunctionV2 {
    #[prost(string, tag = "1")]
    pub name: String,
    /// Source text of the function (the pickled `body`, field 2, is skipped:
    /// it changes with the Python version even when the code does not).
    #[prost(string, tag = "3")]
    pub body_text: String,
    #[prost(string, tag = "4")]
    pub mode: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SubstraitTransformationV2 {
    #[prost(bytes = "vec", tag = "1")]
    pub substrait_plan: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureService {
    #[prost(message, optional, tag = "1")]
    pub spec: Option<FeatureServiceSpec>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureServiceSpec {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(string, tag = "2")]
    pub project: String,
    #[prost(message, repeated, tag = "3")]
    pub features: Vec<FeatureViewProjection>,
    #[prost(btree_map = "string, string", tag = "4")]
    pub tags: BTreeMap<String, String>,
    #[prost(string, tag = "5")]
    pub description: String,
    #[prost(string, tag = "6")]
    pub owner: String,
    #[prost(bool, tag = "8")]
    pub precompute_online: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FeatureViewProjection {
    #[prost(string, tag = "1")]
    pub feature_view_name: String,
    /// The selected columns, in the order the service returns them.
    #[prost(message, repeated, tag = "2")]
    pub feature_columns: Vec<FeatureSpecV2>,
    #[prost(string, tag = "3")]
    pub feature_view_name_alias: String,
    #[prost(btree_map = "string, string", tag = "4")]
    pub join_key_map: BTreeMap<String, String>,
    #[prost(int32, optional, tag = "10")]
    pub version_tag: Option<i32>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Permission {
    #[prost(message, optional, tag = "1")]
    pub spec: Option<PermissionSpec>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PermissionSpec {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(string, tag = "2")]
    pub project: String,
    /// PermissionSpec.Type values.
    #[prost(int32, repeated, tag = "3")]
    pub types: Vec<i32>,
    #[prost(string, repeated, tag = "4")]
    pub name_patterns: Vec<String>,
    #[prost(btree_map = "string, string", tag = "5")]
    pub required_tags: BTreeMap<String, String>,
    /// PermissionSpec.AuthzedAction values.
    #[prost(int32, repeated, tag = "6")]
    pub actions: Vec<i32>,
    #[prost(message, optional, tag = "7")]
    pub policy: Option<Policy>,
    #[prost(btree_map = "string, string", tag = "8")]
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Policy {
    #[prost(message, optional, tag = "3")]
    pub role_based_policy: Option<StringList>,
    #[prost(message, optional, tag = "4")]
    pub group_based_policy: Option<StringList>,
    #[prost(message, optional, tag = "5")]
    pub namespace_based_policy: Option<StringList>,
}

/// RoleBasedPolicy / GroupBasedPolicy / NamespaceBasedPolicy: 1 repeated string.
#[derive(Clone, PartialEq, prost::Message)]
pub struct StringList {
    #[prost(string, repeated, tag = "1")]
    pub values: Vec<String>,
}
