//! Normalizes a decoded `feast.core.Registry` into the model.
//!
//! Shared by every source that yields Feast protobufs (registry.db files, SQL
//! registry rows, the registry server), so they all agree on one model.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::proto::{self, source_type};
use crate::model::{
    self, DType, DataSource, Entity, Feature, FeatureService, FeatureView, Meta, OdfvSource,
    OdfvSourceKind, Permission, Projection, SourceKind, Transformation, ViewKind,
};

/// Feast adds this entity to every entity-less view; it is not user schema.
const DUMMY_ENTITY: &str = "__dummy";
const DUMMY_JOIN_KEY: &str = "__dummy_id";

/// Builds the model from a whole registry message. ValueTypes Feast
/// renumbered are read as the Feast version in `FEASTOPS_REGISTRY_FEAST_VERSION`
/// wrote them when the registry itself does not show which Feast wrote it
/// (`value_numbering`).
pub fn registry(r: proto::Registry) -> model::Registry {
    let written_by = std::env::var(super::value_numbering::ENV).ok();
    registry_written_by(r, written_by.as_deref().filter(|v| !v.trim().is_empty()))
}

/// [`registry`] for a registry written by Feast `written_by` (e.g. `0.55`),
/// which only matters where the registry's content does not show it.
pub fn registry_written_by(mut r: proto::Registry, written_by: Option<&str>) -> model::Registry {
    let mut out = model::Registry::default();
    out.notes
        .extend(super::value_numbering::normalize(&mut r, written_by));
    let projects = &mut out.projects;

    for p in &r.projects {
        let Some(spec) = &p.spec else { continue };
        let proj = project(projects, &spec.name);
        proj.meta = meta(&spec.description, &spec.tags, &spec.owner);
    }
    // Registries written before Project objects existed only name projects here.
    for m in &r.project_metadata {
        project(projects, &m.project);
    }
    for e in &r.entities {
        if let Some(spec) = &e.spec
            && let Some(entity) = entity(spec)
        {
            project(projects, &spec.project)
                .entities
                .insert(entity.name.clone(), entity);
        }
    }
    for ds in &r.data_sources {
        let proj = project(projects, &ds.project);
        add_source(&mut proj.data_sources, ds);
    }
    for fv in r.feature_views {
        if let Some(mut spec) = fv.spec {
            let proj = project(projects, &spec.project);
            add_view_sources(proj, [&spec.batch_source, &spec.stream_source]);
            let view = feature_view(&mut spec);
            proj.feature_views.insert(view.name.clone(), view);
        }
    }
    for sfv in r.stream_feature_views {
        if let Some(mut spec) = sfv.spec {
            let proj = project(projects, &spec.project);
            add_view_sources(proj, [&spec.batch_source, &spec.stream_source]);
            let view = stream_feature_view(&mut spec);
            proj.feature_views.insert(view.name.clone(), view);
        }
    }
    for odfv in r.on_demand_feature_views {
        if let Some(mut spec) = odfv.spec {
            let view = on_demand_feature_view(&mut spec);
            project(projects, &spec.project)
                .feature_views
                .insert(view.name.clone(), view);
        }
    }
    for lv in r.label_views {
        if let Some(mut spec) = lv.spec {
            let proj = project(projects, &spec.project);
            add_view_sources(proj, [&spec.source, &None]);
            let view = super::from_proto_labels::label_view(&mut spec);
            proj.feature_views.insert(view.name.clone(), view);
        }
    }
    if let Some(history) = r.feature_view_version_history {
        for record in history.records {
            if let Some(features) = version_features(&record) {
                project(projects, &record.project_id)
                    .view_versions
                    .entry(record.feature_view_name.clone())
                    .or_default()
                    .push(model::ViewVersion {
                        number: record.version_number,
                        features,
                    });
            }
        }
        for p in projects.values_mut() {
            for vs in p.view_versions.values_mut() {
                vs.sort_by_key(|v| v.number);
                vs.dedup_by_key(|v| v.number);
            }
        }
    }
    for fs in &r.feature_services {
        if let Some(spec) = &fs.spec {
            let service = feature_service(spec);
            project(projects, &spec.project)
                .feature_services
                .insert(service.name.clone(), service);
        }
    }
    for p in &r.permissions {
        if let Some(spec) = &p.spec {
            let perm = permission(spec);
            project(projects, &spec.project)
                .permissions
                .insert(perm.name.clone(), perm);
        }
    }

    // Objects without a project name are not addressable in Feast either.
    out.projects.remove("");
    finish(&mut out);
    out
}

/// The features of one recorded view version, decoded from its embedded
/// view message by type; `None` for a record that does not decode.
fn version_features(record: &proto::FeatureViewVersionRecord) -> Option<Vec<Feature>> {
    use prost::Message;
    let bytes = record.feature_view_proto.as_slice();
    let view = match record.feature_view_type.as_str() {
        "feature_view" => feature_view(&mut proto::FeatureView::decode(bytes).ok()?.spec?),
        "stream_feature_view" => {
            stream_feature_view(&mut proto::StreamFeatureView::decode(bytes).ok()?.spec?)
        }
        "on_demand_feature_view" => {
            on_demand_feature_view(&mut proto::OnDemandFeatureView::decode(bytes).ok()?.spec?)
        }
        "label_view" => {
            super::from_proto_labels::label_view(&mut proto::LabelView::decode(bytes).ok()?.spec?)
        }
        _ => return None,
    };
    Some(view.features)
}

fn project<'a>(
    projects: &'a mut BTreeMap<String, model::Project>,
    name: &str,
) -> &'a mut model::Project {
    projects
        .entry(name.to_string())
        .or_insert_with(|| model::Project {
            name: name.to_string(),
            ..Default::default()
        })
}

/// Resolves every service's vector once all views are known.
pub fn finish(registry: &mut model::Registry) {
    for project in registry.projects.values_mut() {
        let views = &project.feature_views;
        let versions = &project.view_versions;
        for service in project.feature_services.values_mut() {
            service.resolve_vector(views, versions);
        }
    }
}

pub(super) fn meta(description: &str, tags: &BTreeMap<String, String>, owner: &str) -> Meta {
    Meta {
        description: description.to_string(),
        tags: user_tags(tags),
        owner: owner.to_string(),
    }
}

/// Drops Feast's reserved `feast:` tags (type details, metric switches) and
/// connection-ref tags: they are implementation detail, not user metadata.
fn user_tags(tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    tags.iter()
        .filter(|(k, _)| !k.starts_with("feast:") && !k.starts_with("feast.connection-ref."))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn entity(spec: &proto::EntitySpecV2) -> Option<Entity> {
    if spec.name == DUMMY_ENTITY {
        return None;
    }
    Some(Entity {
        name: spec.name.clone(),
        join_key: if spec.join_key.is_empty() {
            spec.name.clone()
        } else {
            spec.join_key.clone()
        },
        value_type: DType::from_value_type(spec.value_type, None, None),
        meta: meta(&spec.description, &spec.tags, &spec.owner),
        location: None,
    })
}

/// Takes the field by value: registries hold hundreds of thousands of
/// fields, and moving their strings halves the allocations of a decode.
pub(crate) fn feature(f: proto::FeatureSpecV2) -> Feature {
    let tag = |k: &str| f.tags.get(k).map(String::as_str);
    let dtype = DType::from_value_type(
        f.value_type,
        tag(model::STRUCT_SCHEMA_TAG),
        tag(model::NESTED_INNER_TYPE_TAG),
    );
    let meta = meta(&f.description, &f.tags, "");
    Feature {
        name: f.name,
        dtype,
        meta,
        location: None,
    }
}

pub(super) fn features(fs: &mut Vec<proto::FeatureSpecV2>) -> Vec<Feature> {
    std::mem::take(fs).into_iter().map(feature).collect()
}

pub(super) fn entity_columns(fs: &mut Vec<proto::FeatureSpecV2>) -> Vec<Feature> {
    std::mem::take(fs)
        .into_iter()
        .filter(|f| f.name != DUMMY_JOIN_KEY)
        .map(feature)
        .collect()
}

pub(super) fn entity_names(names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|n| *n != DUMMY_ENTITY)
        .cloned()
        .collect()
}

/// Feast stores ttl 0 (or none) for "never expires".
pub(super) fn ttl(d: &Option<proto::Duration>) -> Option<u64> {
    d.filter(|d| d.seconds > 0 || d.nanos > 0)
        .map(|d| d.seconds.max(0) as u64)
}

fn transformation(
    t: &Option<proto::FeatureTransformationV2>,
    legacy: Option<&str>,
    mode: &str,
) -> Option<Transformation> {
    let udf = t.as_ref().and_then(|t| t.user_defined_function.as_ref());
    let body = udf
        .map(|u| u.body_text.as_str())
        .filter(|b| !b.is_empty())
        .or(legacy.filter(|b| !b.is_empty()));
    if let Some(body) = body {
        let mode = if mode.is_empty() {
            udf.map(|u| u.mode.as_str()).unwrap_or("")
        } else {
            mode
        };
        return Some(Transformation {
            mode: mode.to_string(),
            body_sha256: body_hash(body),
        });
    }
    let plan = t
        .as_ref()
        .and_then(|t| t.substrait_transformation.as_ref())?;
    Some(Transformation {
        mode: mode.to_string(),
        body_sha256: hex16(&Sha256::digest(&plan.substrait_plan)),
    })
}

/// Hash of a function's source text that ignores trailing whitespace, so
/// an editor stripping spaces does not count as a change of logic.
pub fn body_hash(body: &str) -> String {
    let mut h = Sha256::new();
    for line in body.trim_end().lines() {
        h.update(line.trim_end().as_bytes());
        h.update(b"\n");
    }
    hex16(&h.finalize())
}

fn hex16(digest: &[u8]) -> String {
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

pub(super) fn source_name(s: &Option<proto::DataSource>) -> Option<String> {
    s.as_ref().map(|s| s.name.clone()).filter(|n| !n.is_empty())
}

fn feature_view(spec: &mut proto::FeatureViewSpec) -> FeatureView {
    FeatureView {
        name: spec.name.clone(),
        kind: ViewKind::FeatureView,
        entities: entity_names(&spec.entities),
        entity_columns: entity_columns(&mut spec.entity_columns),
        features: features(&mut spec.features),
        ttl_seconds: ttl(&spec.ttl),
        online: spec.online,
        offline: spec.offline,
        enabled: !spec.disabled,
        version_pin: crate::model::parse_version_pin(&spec.version)
            .ok()
            .flatten(),
        batch_source: source_name(&spec.batch_source),
        stream_source: source_name(&spec.stream_source),
        sources: Vec::new(),
        transformation: transformation(&spec.feature_transformation, None, &spec.mode),
        inferred_features: false,
        label: None,
        meta: meta(&spec.description, &spec.tags, &spec.owner),
        location: None,
    }
}

fn stream_feature_view(spec: &mut proto::StreamFeatureViewSpec) -> FeatureView {
    let legacy = spec
        .user_defined_function
        .as_ref()
        .map(|u| u.body_text.as_str());
    FeatureView {
        name: spec.name.clone(),
        kind: ViewKind::StreamFeatureView,
        entities: entity_names(&spec.entities),
        entity_columns: entity_columns(&mut spec.entity_columns),
        features: features(&mut spec.features),
        ttl_seconds: ttl(&spec.ttl),
        online: spec.online,
        // Stream views always write their batch source; Feast has no flag.
        offline: false,
        enabled: !spec.disabled,
        version_pin: None,
        batch_source: source_name(&spec.batch_source),
        stream_source: source_name(&spec.stream_source),
        sources: Vec::new(),
        transformation: transformation(&spec.feature_transformation, legacy, &spec.mode),
        inferred_features: false,
        label: None,
        meta: meta(&spec.description, &spec.tags, &spec.owner),
        location: None,
    }
}

fn on_demand_feature_view(spec: &mut proto::OnDemandFeatureViewSpec) -> FeatureView {
    let mut sources: Vec<OdfvSource> = spec
        .sources
        .iter()
        .map(|(key, s)| {
            if let Some(p) = &s.feature_view_projection {
                OdfvSource {
                    name: p.feature_view_name.clone(),
                    kind: OdfvSourceKind::FeatureView,
                    features: p.feature_columns.iter().map(|c| c.name.clone()).collect(),
                }
            } else if let Some(fv) = s.feature_view.as_ref().and_then(|fv| fv.spec.as_ref()) {
                OdfvSource {
                    name: fv.name.clone(),
                    kind: OdfvSourceKind::FeatureView,
                    features: fv.features.iter().map(|c| c.name.clone()).collect(),
                }
            } else {
                let name = s
                    .request_data_source
                    .as_ref()
                    .map(|r| r.name.clone())
                    .unwrap_or_else(|| key.clone());
                OdfvSource {
                    name,
                    kind: OdfvSourceKind::Request,
                    features: Vec::new(),
                }
            }
        })
        .collect();
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    let legacy = spec
        .user_defined_function
        .as_ref()
        .map(|u| u.body_text.as_str());
    FeatureView {
        name: spec.name.clone(),
        kind: ViewKind::OnDemandFeatureView,
        entities: entity_names(&spec.entities),
        entity_columns: entity_columns(&mut spec.entity_columns),
        features: features(&mut spec.features),
        ttl_seconds: None,
        online: spec.write_to_online_store,
        offline: false,
        enabled: !spec.disabled,
        version_pin: None,
        batch_source: None,
        stream_source: None,
        sources,
        transformation: transformation(&spec.feature_transformation, legacy, &spec.mode),
        inferred_features: false,
        label: None,
        meta: meta(&spec.description, &spec.tags, &spec.owner),
        location: None,
    }
}

fn feature_service(spec: &proto::FeatureServiceSpec) -> FeatureService {
    FeatureService {
        name: spec.name.clone(),
        projections: spec
            .features
            .iter()
            .map(|p| Projection {
                view: p.feature_view_name.clone(),
                alias: Some(p.feature_view_name_alias.clone()).filter(|a| !a.is_empty()),
                features: p.feature_columns.iter().map(|c| c.name.clone()).collect(),
                version_tag: p.version_tag,
            })
            .collect(),
        vector: Vec::new(),
        precompute_online: spec.precompute_online,
        meta: meta(&spec.description, &spec.tags, &spec.owner),
        location: None,
    }
}

/// The sources a view embeds also count as the project's data sources, as
/// `feast apply` registers them.
fn add_view_sources(proj: &mut model::Project, sources: [&Option<proto::DataSource>; 2]) {
    for src in sources.into_iter().flatten() {
        add_source(&mut proj.data_sources, src);
    }
}

/// Adds a source (and the batch source behind a push/stream source) by name;
/// the first definition wins, as all copies come from the same apply.
fn add_source(sources: &mut BTreeMap<String, DataSource>, ds: &proto::DataSource) {
    if let Some(inner) = &ds.batch_source {
        add_source(sources, inner);
    }
    if ds.name.is_empty() || sources.contains_key(&ds.name) {
        return;
    }
    sources.insert(ds.name.clone(), data_source(ds));
}

fn non_empty(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.is_empty())
}

fn data_source(ds: &proto::DataSource) -> DataSource {
    let kind = match ds.r#type {
        source_type::BATCH_FILE => SourceKind::File,
        source_type::BATCH_BIGQUERY => SourceKind::BigQuery,
        source_type::STREAM_KAFKA => SourceKind::Kafka,
        source_type::STREAM_KINESIS => SourceKind::Kinesis,
        source_type::BATCH_REDSHIFT => SourceKind::Redshift,
        source_type::CUSTOM_SOURCE => custom_kind(&ds.data_source_class_type),
        source_type::REQUEST_SOURCE => SourceKind::Request,
        source_type::BATCH_SNOWFLAKE => SourceKind::Snowflake,
        source_type::PUSH_SOURCE => SourceKind::Push,
        source_type::BATCH_TRINO => SourceKind::Trino,
        source_type::BATCH_SPARK => SourceKind::Spark,
        source_type::BATCH_ATHENA => SourceKind::Athena,
        source_type::BATCH_ICEBERG => match custom_kind(&ds.data_source_class_type) {
            SourceKind::UnityCatalog => SourceKind::UnityCatalog,
            _ => SourceKind::Iceberg,
        },
        _ => SourceKind::Unknown,
    };
    let mut loc = SourceLocation::default();
    if let Some(f) = &ds.file_options {
        loc.path = non_empty(&f.uri);
        loc.file_format = f.file_format.as_ref().and_then(|f| {
            if f.parquet_format.is_some() {
                Some("parquet".to_string())
            } else if f.delta_format.is_some() {
                Some("delta".to_string())
            } else {
                None
            }
        });
    }
    if let Some(o) = ds.bigquery_options.as_ref().or(ds.trino_options.as_ref()) {
        loc.table = non_empty(&o.table);
        loc.query = non_empty(&o.query);
    }
    if let Some(o) = ds
        .redshift_options
        .as_ref()
        .or(ds.snowflake_options.as_ref())
    {
        loc.table = non_empty(&o.table);
        loc.query = non_empty(&o.query);
        loc.db_schema = non_empty(&o.schema);
        loc.database = non_empty(&o.database);
    }
    // AthenaOptions numbers its fields differently: 3 database, 4 data_source.
    if let Some(o) = &ds.athena_options {
        loc.table = non_empty(&o.table);
        loc.query = non_empty(&o.query);
        loc.database = non_empty(&o.schema);
        loc.catalog = non_empty(&o.database);
    }
    if let Some(o) = &ds.spark_options {
        loc.path = non_empty(&o.path);
        loc.table = non_empty(&o.table);
        loc.query = non_empty(&o.query);
        loc.file_format = non_empty(&o.file_format);
    }
    if let Some(k) = &ds.kafka_options {
        loc.table = non_empty(&k.topic);
    }
    if let Some(k) = &ds.kinesis_options {
        loc.table = non_empty(&k.stream_name);
    }
    if let Some(c) = &ds.custom_options {
        custom_options(kind, &c.configuration, &mut loc);
    }
    let schema = ds
        .request_data_options
        .as_ref()
        .map(|r| {
            if r.schema.is_empty() {
                let mut legacy: Vec<Feature> = r
                    .deprecated_schema
                    .iter()
                    .map(|(name, vt)| Feature {
                        name: name.clone(),
                        dtype: DType::from_value_type(*vt, None, None),
                        meta: Meta::default(),
                        location: None,
                    })
                    .collect();
                legacy.sort_by(|a, b| a.name.cmp(&b.name));
                legacy
            } else {
                r.schema.iter().cloned().map(feature).collect()
            }
        })
        .unwrap_or_default();
    let mut source = DataSource {
        name: ds.name.clone(),
        kind,
        path: loc.path,
        table: loc.table,
        query: loc.query,
        database: loc.database,
        db_schema: loc.db_schema,
        catalog: loc.catalog,
        file_format: loc.file_format,
        timestamp_field: ds.timestamp_field.clone(),
        created_timestamp_column: ds.created_timestamp_column.clone(),
        field_mapping: ds
            .field_mapping
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        date_partition_column: ds.date_partition_column.clone(),
        options: loc.options,
        batch_source: ds
            .batch_source
            .as_ref()
            .map(|b| b.name.clone())
            .filter(|n| !n.is_empty()),
        schema,
        meta: meta(&ds.description, &ds.tags, &ds.owner),
        location: None,
        data: None,
    };
    push_source_inherits(&mut source, ds);
    source
}

/// A push source without timestamp fields of its own uses its batch
/// source's: Feast 0.52+ (#5550, `PushSource.to_proto`) writes them into the
/// push source, older Feast leaves them empty. Filled here the same way, so a
/// registry of Feast 0.50/0.51 reads like the repo it was applied from.
fn push_source_inherits(source: &mut DataSource, ds: &proto::DataSource) {
    let Some(batch) = ds.batch_source.as_deref() else {
        return;
    };
    if source.kind != SourceKind::Push
        || !source.timestamp_field.is_empty()
        || !source.created_timestamp_column.is_empty()
        || !source.field_mapping.is_empty()
    {
        return;
    }
    source.timestamp_field = batch.timestamp_field.clone();
    source.created_timestamp_column = batch.created_timestamp_column.clone();
    source.field_mapping = batch
        .field_mapping
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    source.date_partition_column = batch.date_partition_column.clone();
}

/// Where a source's data is, as its options message stores it.
#[derive(Default)]
struct SourceLocation {
    path: Option<String>,
    table: Option<String>,
    query: Option<String>,
    database: Option<String>,
    db_schema: Option<String>,
    catalog: Option<String>,
    file_format: Option<String>,
    options: BTreeMap<String, String>,
}

/// The contrib class a CUSTOM_SOURCE names, by the last part of its path.
fn custom_kind(class: &str) -> SourceKind {
    match class.rsplit('.').next().unwrap_or_default() {
        "PostgreSQLSource" => SourceKind::PostgreSql,
        "MsSqlServerSource" => SourceKind::MsSqlServer,
        "ClickhouseSource" => SourceKind::Clickhouse,
        "CouchbaseColumnarSource" => SourceKind::CouchbaseColumnar,
        "OracleSource" => SourceKind::Oracle,
        "UnityCatalogSource" => SourceKind::UnityCatalog,
        "IcebergSource" => SourceKind::Iceberg,
        "LanceSource" => SourceKind::Lance,
        "MlflowDatasetSource" => SourceKind::MlflowDataset,
        "MongoDBSource" => SourceKind::MongoDb,
        "RaySource" => SourceKind::Ray,
        "ChrononSource" => SourceKind::Chronon,
        _ => SourceKind::Custom,
    }
}

/// Contrib sources keep their options as JSON in `custom_options`. Keys
/// are those each class's `to_proto` writes; a connection string is never
/// kept (it can hold a password).
fn custom_options(kind: SourceKind, json: &[u8], loc: &mut SourceLocation) {
    let Ok(serde_json::Value::Object(o)) = serde_json::from_slice::<serde_json::Value>(json) else {
        return;
    };
    let get = |k: &str| o.get(k).and_then(|v| v.as_str()).and_then(non_empty);
    match kind {
        SourceKind::PostgreSql | SourceKind::Clickhouse => {
            loc.table = get("table");
            loc.query = get("query");
        }
        SourceKind::CouchbaseColumnar => {
            loc.table = get("collection");
            loc.query = get("query");
            loc.database = get("database");
            loc.db_schema = get("scope");
        }
        SourceKind::MsSqlServer | SourceKind::Oracle => loc.table = get("table_ref"),
        SourceKind::Iceberg | SourceKind::UnityCatalog => {
            loc.catalog = get("warehouse");
            loc.db_schema = get("namespace");
            loc.table = get("table");
            for k in ["catalog_type", "catalog_name"] {
                if let Some(v) = get(k) {
                    loc.options.insert(k.into(), v);
                }
            }
        }
        SourceKind::Lance => {
            loc.path = get("uri");
            loc.table = get("table");
            if let Some(v) = get("namespace_impl") {
                loc.options.insert("namespace_impl".into(), v);
            }
            if let Some(serde_json::Value::Object(f)) = o.get("table_format") {
                let fget = |k: &str| f.get(k).and_then(|v| v.as_str()).and_then(non_empty);
                loc.catalog = fget("catalog");
                loc.db_schema = fget("namespace");
                if let Some(v) = f.get("version").and_then(|v| v.as_i64()) {
                    loc.options.insert("version".into(), v.to_string());
                }
                if let Some(v) = fget("tag") {
                    loc.options.insert("tag".into(), v);
                }
            }
        }
        SourceKind::MlflowDataset => {
            for k in [
                "dataset_name",
                "dataset_id",
                "run_id",
                "artifact_path",
                "artifact_format",
            ] {
                if let Some(v) = get(k) {
                    loc.options.insert(k.into(), v);
                }
            }
        }
        SourceKind::Ray => {
            loc.path = get("path");
            if let Some(v) = get("reader_type") {
                loc.options.insert("reader_type".into(), v);
            }
            if let Some(serde_json::Value::Object(r)) = o.get("reader_options") {
                for (k, v) in r {
                    if let Some(v) = v.as_str().and_then(non_empty)
                        && !is_connection_option(k)
                    {
                        loc.options.insert(format!("reader_options.{k}"), v);
                    }
                }
            }
        }
        SourceKind::Chronon => {
            loc.path = get("materialization_path");
            for k in ["chronon_group_by", "chronon_join"] {
                if let Some(v) = get(k) {
                    loc.options.insert(k.into(), v);
                }
            }
        }
        _ => {}
    }
}

/// Reader options that say how to connect rather than what to read; they
/// can hold credentials, so the model never keeps them.
pub(crate) fn is_connection_option(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "uri",
        "url",
        "password",
        "token",
        "secret",
        "credential",
        "key",
        "auth",
        "conn",
        "dsn",
    ]
    .iter()
    .any(|w| k.contains(w))
}

const PERMISSION_TYPES: &[&str] = &[
    "FEATURE_VIEW",
    "ON_DEMAND_FEATURE_VIEW",
    "BATCH_FEATURE_VIEW",
    "STREAM_FEATURE_VIEW",
    "ENTITY",
    "FEATURE_SERVICE",
    "DATA_SOURCE",
    "VALIDATION_REFERENCE",
    "SAVED_DATASET",
    "PERMISSION",
    "PROJECT",
    "LABEL_VIEW",
];
const ACTIONS: &[&str] = &[
    "CREATE",
    "DESCRIBE",
    "UPDATE",
    "DELETE",
    "READ_ONLINE",
    "READ_OFFLINE",
    "WRITE_ONLINE",
    "WRITE_OFFLINE",
];

fn enum_name(table: &[&str], n: i32) -> String {
    usize::try_from(n)
        .ok()
        .and_then(|i| table.get(i))
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("UNKNOWN_{n}"))
}

fn permission(spec: &proto::PermissionSpec) -> Permission {
    let policy = spec.policy.as_ref().map(|p| {
        let pick = |label: &str, l: &Option<proto::StringList>| {
            l.as_ref()
                .map(|l| format!("{label}: [{}]", l.values.join(", ")))
        };
        pick("roles", &p.role_based_policy)
            .or_else(|| pick("groups", &p.group_based_policy))
            .or_else(|| pick("namespaces", &p.namespace_based_policy))
            .unwrap_or_default()
    });
    Permission {
        name: spec.name.clone(),
        types: spec
            .types
            .iter()
            .map(|t| enum_name(PERMISSION_TYPES, *t))
            .collect(),
        name_patterns: spec.name_patterns.clone(),
        actions: spec
            .actions
            .iter()
            .map(|a| enum_name(ACTIONS, *a))
            .collect(),
        policy: policy.unwrap_or_default(),
        location: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch() -> proto::DataSource {
        proto::DataSource {
            name: "b".into(),
            r#type: source_type::BATCH_FILE,
            timestamp_field: "ts".into(),
            created_timestamp_column: "created".into(),
            field_mapping: [("a".to_string(), "b".to_string())].into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_push_source_without_timestamps_reads_its_batch_sources() {
        // What Feast 0.50/0.51 wrote: nothing of the batch source's copied.
        let push = proto::DataSource {
            name: "p".into(),
            r#type: source_type::PUSH_SOURCE,
            batch_source: Some(Box::new(batch())),
            ..Default::default()
        };
        let got = data_source(&push);
        assert_eq!(
            (
                got.timestamp_field.as_str(),
                got.created_timestamp_column.as_str()
            ),
            ("ts", "created")
        );
        assert_eq!(got.field_mapping["a"], "b");
        // Its own fields win, and other kinds keep what they hold.
        let own = proto::DataSource {
            timestamp_field: "own_ts".into(),
            ..push.clone()
        };
        let got = data_source(&own);
        assert_eq!(
            (
                got.timestamp_field.as_str(),
                got.created_timestamp_column.as_str()
            ),
            ("own_ts", "")
        );
        let kafka = proto::DataSource {
            r#type: source_type::STREAM_KAFKA,
            ..push
        };
        assert_eq!(data_source(&kafka).timestamp_field, "");
    }
}
