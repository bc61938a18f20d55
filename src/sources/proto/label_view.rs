//! feast.core.LabelView (Feast 0.64+, `Registry.label_views` field 19; the
//! SQL registry's `label_views` table holds the same message).

use std::collections::BTreeMap;

use super::{DataSource, Duration, FeatureSpecV2};

#[derive(Clone, PartialEq, prost::Message)]
pub struct LabelView {
    #[prost(message, optional, tag = "1")]
    pub spec: Option<LabelViewSpec>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct LabelViewSpec {
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
    /// One source, unlike feature views: a PushSource carries its batch source.
    #[prost(message, optional, tag = "7")]
    pub source: Option<DataSource>,
    #[prost(bool, tag = "8")]
    pub online: bool,
    #[prost(string, tag = "9")]
    pub description: String,
    #[prost(string, tag = "10")]
    pub owner: String,
    #[prost(message, repeated, tag = "11")]
    pub entity_columns: Vec<FeatureSpecV2>,
    #[prost(string, tag = "12")]
    pub labeler_field: String,
    /// feast.core.ConflictResolutionPolicy (open enum).
    #[prost(int32, tag = "13")]
    pub conflict_policy: i32,
    #[prost(bool, tag = "14")]
    pub retain_history: bool,
    #[prost(string, tag = "15")]
    pub reference_feature_view: String,
}
