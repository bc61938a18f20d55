//! The normalized schema model every source produces and every rule reads.
//!
//! Sources differ in how they store Feast objects (protobuf file, SQL rows,
//! Python code); the model keeps only what decides whether a consumer of the
//! features breaks, in a canonical form: maps sorted by name, feature lists in
//! declaration order (position is part of the contract), no timestamps or
//! version ids. Two sources describing the same repo produce equal models.

mod dtype;
mod label;
mod vector;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use dtype::{
    DType, NESTED_INNER_TYPE_TAG, STRUCT_SCHEMA_TAG, UnknownDType, VALUE_TYPE_NAMES,
    value_type_number,
};
pub use label::{LabelSpec, conflict_policy_member, conflict_policy_name};
pub use vector::VectorEntry;

pub type Tags = BTreeMap<String, String>;

/// Every project of one registry (or one feature repo), by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    pub projects: BTreeMap<String, Project>,
    /// What the reader wants the user to know but that is not a schema
    /// difference (a value taken from an environment default, a type left
    /// to data Feast would read): printed as info lines, never linted.
    #[serde(skip)]
    #[schemars(skip)]
    pub notes: Vec<Note>,
}

/// An info line about how a source was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub location: Option<Location>,
    pub message: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{}:{}: {}", l.file, l.line, self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Where an object is defined, when the source knows (feature repos do,
/// registries do not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Path relative to the feature repo root, `/`-separated.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

/// Free-form metadata that never changes what a model receives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Tags,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub name: String,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub entities: BTreeMap<String, Entity>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data_sources: BTreeMap<String, DataSource>,
    /// Feature views of every kind; Feast keeps their names unique across kinds.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feature_views: BTreeMap<String, FeatureView>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feature_services: BTreeMap<String, FeatureService>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub permissions: BTreeMap<String, Permission>,
    /// Feast 0.62+ version history: per view, the features of each schema
    /// version (`view@vN`), which a service projection may pin.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub view_versions: BTreeMap<String, Vec<ViewVersion>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// One recorded schema version of a view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewVersion {
    pub number: i32,
    /// The view's features at that version, in order.
    pub features: Vec<Feature>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    pub name: String,
    pub join_key: String,
    pub value_type: DType,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    File,
    BigQuery,
    Kafka,
    Kinesis,
    Redshift,
    Custom,
    Request,
    Snowflake,
    Push,
    Trino,
    Spark,
    Athena,
    Iceberg,
    /// Stored as BATCH_ICEBERG too, told apart by its class path.
    UnityCatalog,
    /// The contrib sources Feast stores as CUSTOM_SOURCE, told apart by
    /// their class path.
    #[serde(rename = "postgresql")]
    PostgreSql,
    MsSqlServer,
    Clickhouse,
    CouchbaseColumnar,
    Oracle,
    Lance,
    MlflowDataset,
    #[serde(rename = "mongodb")]
    MongoDb,
    Ray,
    Chronon,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSource {
    pub name: String,
    pub kind: SourceKind,
    /// File path or URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Warehouse table, or stream topic for Kafka/Kinesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Warehouse database (Snowflake, Redshift, Athena, Couchbase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Warehouse schema (Snowflake, Redshift), Couchbase scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_schema: Option<String>,
    /// Athena's `data_source=` (the catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    /// `parquet`, `delta` (FileSource), or Spark's `file_format=`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_format: Option<String>,
    /// Event timestamp column; [`INFERRED`] when Feast reads it from data
    /// feastops could not reach.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timestamp_field: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_timestamp_column: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_mapping: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date_partition_column: String,
    /// What else selects the data, for classes whose options are not
    /// path/table/query: Iceberg's catalog, a Lance version pin, an MLflow
    /// run, a Ray reader. Connection endpoints and credentials are never kept.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// The batch source behind a push or stream source, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_source: Option<String>,
    /// Request sources: the fields a caller must send, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema: Vec<Feature>,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The columns of the source's data when a feature repo reader read
    /// them (a local parquet footer): what the data checks judge. Never
    /// part of a lock file.
    #[serde(skip)]
    #[schemars(skip)]
    pub data: Option<DataSchema>,
}

/// The schema of a source's data file.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSchema {
    /// The file, as the source names it.
    pub file: String,
    pub columns: Vec<DataColumn>,
}

/// One column of a data file.
#[derive(Debug, Clone, PartialEq)]
pub struct DataColumn {
    pub name: String,
    /// The Arrow type, for messages.
    pub arrow: String,
    /// What Feast's timestamp inference accepts (an Arrow timestamp).
    pub is_timestamp: bool,
    /// Feast's type for it; `None` when Feast has none (apply fails on it).
    pub dtype: Option<DType>,
}

impl DataSchema {
    pub fn column(&self, name: &str) -> Option<&DataColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A value Feast infers from data at apply time that feastops could not
/// read (a warehouse table, remote data without credentials): never
/// compared, taken from the other side of a lint when it has the object.
pub const INFERRED: &str = "<inferred>";

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ViewKind {
    /// FeatureView and BatchFeatureView (stored alike by Feast).
    FeatureView,
    StreamFeatureView,
    OnDemandFeatureView,
    /// Feast 0.64+ LabelView: mutable labels, served like a view.
    LabelView,
}

impl ViewKind {
    pub fn label(self) -> &'static str {
        match self {
            ViewKind::FeatureView => "feature view",
            ViewKind::StreamFeatureView => "stream feature view",
            ViewKind::OnDemandFeatureView => "on-demand feature view",
            ViewKind::LabelView => "label view",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feature {
    pub name: String,
    pub dtype: DType,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// An on-demand view's input: another view (possibly a projection) or a
/// request source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OdfvSource {
    /// Name of the feature view or request source.
    pub name: String,
    pub kind: OdfvSourceKind,
    /// Feature columns read from a view source, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OdfvSourceKind {
    FeatureView,
    Request,
}

/// A view's transformation, identified by a hash of its source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transformation {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mode: String,
    /// sha256 of the function's source text with trailing whitespace removed
    /// from every line, hex, first 16 characters.
    pub body_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeatureView {
    pub name: String,
    pub kind: ViewKind,
    /// Entity names, as declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<String>,
    /// Join-key columns, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entity_columns: Vec<Feature>,
    /// Feature columns in declaration order: the order consumers receive.
    pub features: Vec<Feature>,
    /// Time to live in seconds; `None` means no expiry (Feast's ttl of 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds: Option<u64>,
    /// Served from the online store (on-demand views: `write_to_online_store`).
    pub online: bool,
    pub offline: bool,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// `FeatureView(version="vN")` (Feast 0.62+): at apply, an existing
    /// recorded version N is restored as the served view; otherwise the
    /// definition is recorded as version N.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_pin: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_source: Option<String>,
    /// On-demand views only, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<OdfvSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation: Option<Transformation>,
    /// The view declares no features and Feast reads them from data
    /// feastops could not reach: `features` is empty because unknown, and
    /// the lint takes the baseline's.
    #[serde(default, skip_serializing_if = "is_false")]
    pub inferred_features: bool,
    /// Label views only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<LabelSpec>,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl FeatureView {
    pub fn feature(&self, name: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.name == name)
    }

    /// The same features, names and dtypes, in the same order: what Feast
    /// counts as a new version of the view's schema. Locations and
    /// descriptions do not count.
    pub fn same_schema(&self, other: &FeatureView) -> bool {
        same_features(&self.features, &other.features)
    }
}

/// Two feature lists with the same names and dtypes in the same order (a
/// view's schema, or a recorded version's).
pub fn same_features(a: &[Feature], b: &[Feature]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.name == y.name && x.dtype == y.dtype)
}

/// One entry of a feature service: a view (or part of it) under a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Projection {
    /// The feature view referenced.
    pub view: String,
    /// `.with_name(...)`: the name the service's output uses for this view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Selected features in order (for a whole-view reference: every feature
    /// of the view when the service was defined).
    pub features: Vec<String>,
    /// The view version the service is pinned to (`fv@v2`, Feast 0.62+
    /// `FeatureViewProjection.version_tag`); `None` serves the latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_tag: Option<i32>,
}

/// Feast's version strings (version_utils.py `parse_version`): `latest` (or
/// empty) is no pin; `vN` / `versionN`, any case, pins N.
pub fn parse_version_pin(s: &str) -> Result<Option<i32>, String> {
    let t = s.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("latest") {
        return Ok(None);
    }
    let lower = t.to_ascii_lowercase();
    let digits = lower
        .strip_prefix("version")
        .or_else(|| lower.strip_prefix('v'))
        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            format!("`{s}` is not a Feast version: use \"latest\", \"vN\" or \"versionN\"")
        })?;
    digits
        .parse()
        .map(Some)
        .map_err(|_| format!("`{s}`: version number too large"))
}

impl Projection {
    /// The name the served vector uses for this projection's features.
    pub fn name_to_use(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.view)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeatureService {
    pub name: String,
    /// Projections in the order the service lists them.
    pub projections: Vec<Projection>,
    /// The ordered feature vector a model receives from this service
    /// (derived from `projections`; recomputed when a lock file is read).
    #[serde(default)]
    pub vector: Vec<VectorEntry>,
    /// Feast 0.67+: the whole vector is stored per entity (`feast precompute`)
    /// and served from that copy; a changed vector fails reads until recomputed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub precompute_online: bool,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    pub name: String,
    /// Object types it applies to (PermissionSpec.Type names).
    pub types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_patterns: Vec<String>,
    pub actions: Vec<String>,
    /// e.g. `roles: [feast-writer]`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Registry {
    /// Keeps only `name`; `false` when the registry has no such project.
    pub fn retain_project(&mut self, name: &str) -> bool {
        self.projects.retain(|k, _| k == name);
        !self.projects.is_empty()
    }
}
