//! REST (`feast serve_registry --rest-api`, `/api/v1`): every project's
//! entities, data sources, feature views (all kinds in one list) and
//! feature services, one GET per object type and project.
//!
//! The server renders protobufs with `MessageToDict` defaults: lowerCamelCase
//! keys, enums by name (or by number when the value is not declared, as for
//! ValueType 30/31), int64 as strings, Duration as `"86400s"`, bytes as
//! base64. This module maps that JSON back onto the same prost messages the
//! other sources decode, so `from_proto` builds one identical model.

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::Value;

mod labels;

use super::super::live::{Failure, Live, connecting};
use super::super::{SourceError, from_proto, proto};
use super::chain;
use crate::model;

pub(crate) fn load(raw: &str, live: &Live) -> Result<model::Registry, SourceError> {
    let base = {
        let trimmed = raw.trim_end_matches('/');
        if trimmed.ends_with("/api/v1") {
            trimmed.to_string()
        } else {
            format!("{trimmed}/api/v1")
        }
    };
    let mut builder = reqwest::Client::builder()
        .connect_timeout(live.opts.connect_timeout)
        .timeout(live.opts.timeout);
    if let Some(ca) = &live.opts.ca_cert {
        let pem = std::fs::read(ca).map_err(|e| SourceError::io(ca, e))?;
        let cert = reqwest::Certificate::from_pem(&pem)
            .map_err(|e| live.bad_source(format!("--ca-cert {}: {}", ca.display(), chain(&e))))?;
        builder = builder.add_root_certificate(cert);
    }
    let client = builder.build().map_err(|e| live.bad_source(chain(&e)))?;
    let token = live.token()?;
    let rest = Rest {
        client,
        base,
        token,
        live,
    };
    let registry = live.run(|| rest.registry())?;
    let mut model = from_proto::registry(registry);
    if model.projects.is_empty() && live.opts.project.is_none() {
        model.notes.push(model::Note {
            location: None,
            message: "GET /api/v1/projects lists no project; Feast 0.66+ leaves protected projects (tag feast.dev/protected-project) out of listings: pass --project NAME to read one".into(),
        });
    }
    Ok(model)
}

struct Rest<'a> {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
    live: &'a Live<'a>,
}

impl Rest<'_> {
    async fn registry(&self) -> Result<proto::Registry, Failure> {
        let mut projects = connecting(self.live, self.list("projects", None, "projects")).await?;
        // Feast 0.66+ lists no protected project; one asked for by name is still served.
        if let Some(want) = &self.live.opts.project
            && !projects
                .iter()
                .any(|p| p.pointer("/spec/name").and_then(Value::as_str) == Some(want))
            && let Some(p) = self.project_by_name(want).await?
        {
            projects.push(p);
        }
        let mut r = proto::Registry {
            registry_schema_version: "1".into(),
            ..Default::default()
        };
        let mut names = Vec::new();
        for p in &projects {
            let (name, proto) = project(p);
            r.projects.push(proto);
            names.push(name);
        }
        for project in &names {
            if let Some(want) = &self.live.opts.project
                && want != project
            {
                continue;
            }
            let p = Some(project.as_str());
            let listing = Listing {
                entities: self.list("entities", p, "entities").await?,
                data_sources: self.list("data_sources", p, "dataSources").await?,
                feature_views: self.list("feature_views", p, "featureViews").await?,
                // Label views are listed on their own route.
                label_views: self.list("label_views", p, "featureViews").await?,
                feature_services: self.list("feature_services", p, "featureServices").await?,
                permissions: self.list("permissions", p, "permissions").await?,
            };
            add_objects(&mut r, project, &listing);
        }
        Ok(r)
    }

    /// `GET /projects/{name}`; `None` when the server has no such project (the REST API
    /// answers a missing object with 404, or 500 on versions that let the lookup raise).
    async fn project_by_name(&self, name: &str) -> Result<Option<Value>, Failure> {
        let route = format!("projects/{name}");
        let got = self
            .fetch(&route, &[("allow_cache", "false".into())], true)
            .await?;
        Ok(got.filter(|v| v.pointer("/spec/name").and_then(Value::as_str) == Some(name)))
    }

    /// GETs one list route, following pagination if the server applies it.
    async fn list(
        &self,
        route: &str,
        project: Option<&str>,
        key: &str,
    ) -> Result<Vec<Value>, Failure> {
        let mut items = Vec::new();
        let mut page = 0u32;
        loop {
            let mut query: Vec<(&str, String)> = vec![("allow_cache", "false".into())];
            if let Some(p) = project {
                query.push(("project", p.to_string()));
            }
            if page > 0 {
                query.push(("page", page.to_string()));
                query.push(("limit", "100".into()));
            }
            let body = self.get(route, &query).await?;
            let got = body
                .get(key)
                .and_then(Value::as_array)
                .cloned()
                .ok_or_else(|| {
                    Failure::fatal(
                        self.live
                            .not_registry(format!("GET /api/v1/{route} has no `{key}` list")),
                    )
                })?;
            let has_next = body
                .pointer("/pagination/hasNext")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if page == 0 && has_next {
                // The server paginated by default: start over page by page.
                page = 1;
                continue;
            }
            items.extend(got);
            if !has_next || page == 0 {
                return Ok(items);
            }
            page += 1;
        }
    }

    async fn get(&self, route: &str, query: &[(&str, String)]) -> Result<Value, Failure> {
        self.fetch(route, query, false)
            .await
            .map(|v| v.unwrap_or(Value::Null))
    }

    /// GET and decode; with `missing_ok`, a 404 or 500 answer is `None` (an object
    /// looked up by name that the server does not have).
    async fn fetch(
        &self,
        route: &str,
        query: &[(&str, String)],
        missing_ok: bool,
    ) -> Result<Option<Value>, Failure> {
        let live = self.live;
        let mut req = self
            .client
            .get(format!("{}/{route}", self.base))
            .query(query);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.map_err(|e| {
            if e.is_timeout() {
                Failure::transient(live.connect_timeout())
            } else {
                Failure::transient(live.unreachable(chain(&e)))
            }
        })?;
        let status = resp.status();
        let text = body_text(resp, live).await?;
        let short = || text.chars().take(200).collect::<String>();
        match status.as_u16() {
            200..=299 => {}
            404 | 500 if missing_ok => return Ok(None),
            401 | 403 => {
                return Err(Failure::fatal(
                    live.auth_failed(format!("HTTP {status}: {}", short())),
                ));
            }
            404 if route == "projects" => {
                return Err(Failure::fatal(live.not_registry(
                    "no /api/v1/projects here; point at the REST port of `feast serve_registry --rest-api` (6572 by default)",
                )));
            }
            502..=504 => {
                return Err(Failure::transient(
                    live.unreachable(format!("HTTP {status}")),
                ));
            }
            _ => {
                return Err(Failure::fatal(live.remote(format!(
                    "GET /api/v1/{route}: HTTP {status}: {}",
                    short()
                ))));
            }
        }
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Failure::fatal(
                live.not_registry(format!("GET /api/v1/{route} did not return JSON: {e}")),
            )
        })
    }
}

/// A response body as text, refused once it is over the registry input
/// limit (`input_limits`): by its Content-Length before reading, and while
/// reading for a body sent without one.
async fn body_text(mut resp: reqwest::Response, live: &Live<'_>) -> Result<String, Failure> {
    let kind = crate::input_limits::Input::Registry;
    let limit = kind.limit();
    if let Some(n) = resp.content_length()
        && n > limit
    {
        return Err(Failure::fatal(live.remote(kind.too_large(Some(n)))));
    }
    let mut buf = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| Failure::transient(live.unreachable(chain(&e))))?
    {
        if (buf.len() + chunk.len()) as u64 > limit {
            return Err(Failure::fatal(live.remote(kind.too_large(None))));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

// --- JSON → proto -----------------------------------------------------------

/// What one project's list routes answered, as JSON items.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub entities: Vec<Value>,
    pub data_sources: Vec<Value>,
    pub feature_views: Vec<Value>,
    pub label_views: Vec<Value>,
    pub feature_services: Vec<Value>,
    pub permissions: Vec<Value>,
}

/// A `/projects` item: its name and its `Project` message.
fn project(p: &Value) -> (String, proto::Project) {
    let spec = p.get("spec").unwrap_or(&Value::Null);
    let name = s(spec, "name");
    let proto = proto::Project {
        spec: Some(proto::ProjectSpec {
            name: name.clone(),
            description: s(spec, "description"),
            tags: tags(spec, "tags"),
            owner: s(spec, "owner"),
        }),
    };
    (name, proto)
}

/// Maps one project's listings onto the registry's messages.
fn add_objects(r: &mut proto::Registry, project: &str, l: &Listing) {
    for e in &l.entities {
        let mut e = entity(e);
        if let Some(s) = &mut e.spec {
            s.project = project.to_string();
        }
        r.entities.push(e);
    }
    for d in &l.data_sources {
        let mut d = data_source(d);
        d.project = project.to_string();
        r.data_sources.push(d);
    }
    for v in &l.feature_views {
        let spec = v.get("spec").unwrap_or(&Value::Null);
        match v
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("featureView")
        {
            "featureView" => {
                let mut s = feature_view_spec(spec);
                s.project = project.to_string();
                r.feature_views.push(proto::FeatureView {
                    spec: Some(s),
                    meta: None,
                });
            }
            "streamFeatureView" => {
                let mut s = stream_feature_view_spec(spec);
                s.project = project.to_string();
                r.stream_feature_views.push(proto::StreamFeatureView {
                    spec: Some(s),
                    meta: None,
                });
            }
            "onDemandFeatureView" => {
                let mut s = on_demand_spec(spec);
                s.project = project.to_string();
                r.on_demand_feature_views
                    .push(proto::OnDemandFeatureView { spec: Some(s) });
            }
            // Label views are listed on their own route.
            _ => {}
        }
    }
    for v in &l.label_views {
        r.label_views.push(labels::label_view(v, project));
    }
    for f in &l.feature_services {
        let spec = f.get("spec").unwrap_or(&Value::Null);
        r.feature_services.push(proto::FeatureService {
            spec: Some(proto::FeatureServiceSpec {
                name: s(spec, "name"),
                project: project.to_string(),
                features: arr(spec, "features").iter().map(projection).collect(),
                tags: tags(spec, "tags"),
                description: s(spec, "description"),
                owner: s(spec, "owner"),
                precompute_online: spec
                    .get("precomputeOnline")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            }),
        });
    }
    for perm in &l.permissions {
        let mut perm = permission(perm);
        if let Some(s) = &mut perm.spec {
            s.project = project.to_string();
        }
        r.permissions.push(perm);
    }
}

/// The registry the REST routes' JSON maps to, without a server: `doc` is
/// `{"projects": [...], "entities": [...], "dataSources": [...],
/// "featureViews": [...], "labelViews": [...], "featureServices": [...],
/// "permissions": [...]}` (each list as its route answers it); the object
/// lists are every project's. For the fuzz entry and tests.
pub(crate) fn registry_from_json(doc: &Value) -> proto::Registry {
    let mut r = proto::Registry {
        registry_schema_version: "1".into(),
        ..Default::default()
    };
    let list = |key: &str| arr(doc, key).to_vec();
    let listing = Listing {
        entities: list("entities"),
        data_sources: list("dataSources"),
        feature_views: list("featureViews"),
        label_views: list("labelViews"),
        feature_services: list("featureServices"),
        permissions: list("permissions"),
    };
    let mut names = Vec::new();
    for p in arr(doc, "projects") {
        let (name, proto) = project(p);
        r.projects.push(proto);
        names.push(name);
    }
    for name in &names {
        add_objects(&mut r, name, &listing);
    }
    r
}

fn s(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn b(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    arr(v, key)
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

fn tags(v: &Value, key: &str) -> BTreeMap<String, String> {
    v.get(key)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// An enum field: its name in `names` (index = number), or the number
/// itself for values the .proto does not declare.
fn enum_value(v: Option<&Value>, names: &[(&str, i32)]) -> i32 {
    match v {
        Some(Value::String(name)) => names.iter().find(|(n, _)| n == name).map_or(0, |(_, i)| *i),
        Some(Value::Number(n)) => n.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(0),
        _ => 0,
    }
}

const SOURCE_TYPES: &[(&str, i32)] = &[
    ("INVALID", 0),
    ("BATCH_FILE", 1),
    ("BATCH_BIGQUERY", 2),
    ("STREAM_KAFKA", 3),
    ("STREAM_KINESIS", 4),
    ("BATCH_REDSHIFT", 5),
    ("CUSTOM_SOURCE", 6),
    ("REQUEST_SOURCE", 7),
    ("BATCH_SNOWFLAKE", 8),
    ("PUSH_SOURCE", 9),
    ("BATCH_TRINO", 10),
    ("BATCH_SPARK", 11),
    ("BATCH_ATHENA", 12),
    ("BATCH_ICEBERG", 13),
];

const PERMISSION_TYPES: &[(&str, i32)] = &[
    ("FEATURE_VIEW", 0),
    ("ON_DEMAND_FEATURE_VIEW", 1),
    ("BATCH_FEATURE_VIEW", 2),
    ("STREAM_FEATURE_VIEW", 3),
    ("ENTITY", 4),
    ("FEATURE_SERVICE", 5),
    ("DATA_SOURCE", 6),
    ("VALIDATION_REFERENCE", 7),
    ("SAVED_DATASET", 8),
    ("PERMISSION", 9),
    ("PROJECT", 10),
    ("LABEL_VIEW", 11),
];

const ACTIONS: &[(&str, i32)] = &[
    ("CREATE", 0),
    ("DESCRIBE", 1),
    ("UPDATE", 2),
    ("DELETE", 3),
    ("READ_ONLINE", 4),
    ("READ_OFFLINE", 5),
    ("WRITE_ONLINE", 6),
    ("WRITE_OFFLINE", 7),
];

/// `"86400s"`, `"1.5s"`, `"-1.5s"` (the fraction has the sign of the
/// seconds, as in google.protobuf.Duration). Anything else is no duration.
fn duration(v: &Value, key: &str) -> Option<proto::Duration> {
    let text = v.get(key)?.as_str()?.strip_suffix('s')?;
    let (secs, frac) = text.split_once('.').unwrap_or((text, ""));
    let seconds: i64 = secs.parse().ok()?;
    // Digits only: the fraction is cut at 9 bytes, which must be 9 digits.
    if !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let nanos: i32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}")[..9].parse().ok()?
    };
    let nanos = if secs.starts_with('-') { -nanos } else { nanos };
    Some(proto::Duration { seconds, nanos })
}

fn feature(v: &Value) -> proto::FeatureSpecV2 {
    proto::FeatureSpecV2 {
        name: s(v, "name"),
        value_type: enum_value(v.get("valueType"), crate::model::VALUE_TYPE_NAMES),
        tags: tags(v, "tags"),
        description: s(v, "description"),
    }
}

fn features(v: &Value, key: &str) -> Vec<proto::FeatureSpecV2> {
    arr(v, key).iter().map(feature).collect()
}

fn entity(v: &Value) -> proto::Entity {
    let spec = v.get("spec").unwrap_or(&Value::Null);
    proto::Entity {
        spec: Some(proto::EntitySpecV2 {
            name: s(spec, "name"),
            value_type: enum_value(spec.get("valueType"), crate::model::VALUE_TYPE_NAMES),
            description: s(spec, "description"),
            join_key: s(spec, "joinKey"),
            tags: tags(spec, "tags"),
            project: s(spec, "project"),
            owner: s(spec, "owner"),
        }),
    }
}

fn table_or_query(v: Option<&Value>) -> Option<proto::TableOrQuery> {
    let v = v?;
    Some(proto::TableOrQuery {
        table: s(v, "table"),
        query: s(v, "query"),
    })
}

fn warehouse(v: Option<&Value>) -> Option<proto::WarehouseOptions> {
    let v = v?;
    Some(proto::WarehouseOptions {
        table: s(v, "table"),
        query: s(v, "query"),
        schema: s(v, "schema"),
        database: s(v, "database"),
    })
}

fn data_source(v: &Value) -> proto::DataSource {
    proto::DataSource {
        r#type: enum_value(v.get("type"), SOURCE_TYPES),
        field_mapping: tags(v, "fieldMapping"),
        timestamp_field: s(v, "timestampField"),
        date_partition_column: s(v, "datePartitionColumn"),
        created_timestamp_column: s(v, "createdTimestampColumn"),
        file_options: v.get("fileOptions").map(|f| proto::FileOptions {
            file_format: f.get("fileFormat").map(|ff| proto::FileFormat {
                parquet_format: ff.get("parquetFormat").map(|_| proto::Empty {}),
                delta_format: ff.get("deltaFormat").map(|_| proto::Empty {}),
            }),
            uri: s(f, "uri"),
            s3_endpoint_override: s(f, "s3EndpointOverride"),
        }),
        bigquery_options: table_or_query(v.get("bigqueryOptions")),
        kafka_options: v.get("kafkaOptions").map(|k| proto::KafkaOptions {
            kafka_bootstrap_servers: s(k, "kafkaBootstrapServers"),
            topic: s(k, "topic"),
        }),
        kinesis_options: v.get("kinesisOptions").map(|k| proto::KinesisOptions {
            region: s(k, "region"),
            stream_name: s(k, "streamName"),
        }),
        redshift_options: warehouse(v.get("redshiftOptions")),
        custom_options: v.get("customOptions").map(|c| proto::CustomSourceOptions {
            configuration: bytes(c, "configuration"),
        }),
        data_source_class_type: s(v, "dataSourceClassType"),
        request_data_options: v
            .get("requestDataOptions")
            .map(|r| proto::RequestDataOptions {
                deprecated_schema: r
                    .get("deprecatedSchema")
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .map(|(k, t)| {
                                (
                                    k.clone(),
                                    enum_value(Some(t), crate::model::VALUE_TYPE_NAMES),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                schema: features(r, "schema"),
            }),
        snowflake_options: warehouse(v.get("snowflakeOptions")),
        name: s(v, "name"),
        project: s(v, "project"),
        description: s(v, "description"),
        tags: tags(v, "tags"),
        owner: s(v, "owner"),
        batch_source: v.get("batchSource").map(|b| Box::new(data_source(b))),
        spark_options: v.get("sparkOptions").map(|o| proto::SparkOptions {
            table: s(o, "table"),
            query: s(o, "query"),
            path: s(o, "path"),
            file_format: s(o, "fileFormat"),
        }),
        trino_options: table_or_query(v.get("trinoOptions")),
        // AthenaOptions: 3 database, 4 data_source, in WarehouseOptions'
        // schema and database slots.
        athena_options: v.get("athenaOptions").map(|o| proto::WarehouseOptions {
            table: s(o, "table"),
            query: s(o, "query"),
            schema: s(o, "database"),
            database: s(o, "dataSource"),
        }),
    }
}

fn bytes(v: &Value, key: &str) -> Vec<u8> {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok())
        .unwrap_or_default()
}

fn transformation(v: &Value) -> Option<proto::FeatureTransformationV2> {
    let t = v.get("featureTransformation")?;
    Some(proto::FeatureTransformationV2 {
        user_defined_function: t
            .get("userDefinedFunction")
            .map(|u| proto::UserDefinedFunctionV2 {
                name: s(u, "name"),
                body_text: s(u, "bodyText"),
                mode: s(u, "mode"),
            }),
        substrait_transformation: t.get("substraitTransformation").map(|st| {
            proto::SubstraitTransformationV2 {
                substrait_plan: bytes(st, "substraitPlan"),
            }
        }),
    })
}

fn legacy_udf(v: &Value) -> Option<proto::UserDefinedFunction> {
    let u = v.get("userDefinedFunction")?;
    Some(proto::UserDefinedFunction {
        name: s(u, "name"),
        body_text: s(u, "bodyText"),
    })
}

fn feature_view_spec(v: &Value) -> proto::FeatureViewSpec {
    proto::FeatureViewSpec {
        name: s(v, "name"),
        project: s(v, "project"),
        entities: strs(v, "entities"),
        features: features(v, "features"),
        tags: tags(v, "tags"),
        ttl: duration(v, "ttl"),
        batch_source: v.get("batchSource").map(data_source),
        online: b(v, "online"),
        stream_source: v.get("streamSource").map(data_source),
        description: s(v, "description"),
        owner: s(v, "owner"),
        entity_columns: features(v, "entityColumns"),
        offline: b(v, "offline"),
        feature_transformation: transformation(v),
        mode: s(v, "mode"),
        version: s(v, "version"),
        disabled: b(v, "disabled"),
    }
}

fn stream_feature_view_spec(v: &Value) -> proto::StreamFeatureViewSpec {
    proto::StreamFeatureViewSpec {
        name: s(v, "name"),
        project: s(v, "project"),
        entities: strs(v, "entities"),
        features: features(v, "features"),
        entity_columns: features(v, "entityColumns"),
        description: s(v, "description"),
        tags: tags(v, "tags"),
        owner: s(v, "owner"),
        ttl: duration(v, "ttl"),
        batch_source: v.get("batchSource").map(data_source),
        stream_source: v.get("streamSource").map(data_source),
        online: b(v, "online"),
        user_defined_function: legacy_udf(v),
        mode: s(v, "mode"),
        timestamp_field: s(v, "timestampField"),
        feature_transformation: transformation(v),
        disabled: b(v, "disabled"),
    }
}

fn projection(v: &Value) -> proto::FeatureViewProjection {
    proto::FeatureViewProjection {
        feature_view_name: s(v, "featureViewName"),
        feature_columns: features(v, "featureColumns"),
        feature_view_name_alias: s(v, "featureViewNameAlias"),
        join_key_map: tags(v, "joinKeyMap"),
        version_tag: v
            .get("versionTag")
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok()),
    }
}

fn on_demand_spec(v: &Value) -> proto::OnDemandFeatureViewSpec {
    let sources = v
        .get("sources")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, src)| {
                    let source = proto::OnDemandSource {
                        feature_view: src.get("featureView").map(|fv| proto::FeatureView {
                            spec: fv.get("spec").map(feature_view_spec),
                            meta: None,
                        }),
                        request_data_source: src.get("requestDataSource").map(data_source),
                        feature_view_projection: src.get("featureViewProjection").map(projection),
                    };
                    (k.clone(), source)
                })
                .collect()
        })
        .unwrap_or_default();
    proto::OnDemandFeatureViewSpec {
        name: s(v, "name"),
        project: s(v, "project"),
        features: features(v, "features"),
        sources,
        user_defined_function: legacy_udf(v),
        description: s(v, "description"),
        tags: tags(v, "tags"),
        owner: s(v, "owner"),
        feature_transformation: transformation(v),
        mode: s(v, "mode"),
        write_to_online_store: b(v, "writeToOnlineStore"),
        entities: strs(v, "entities"),
        entity_columns: features(v, "entityColumns"),
        disabled: b(v, "disabled"),
    }
}

fn permission(v: &Value) -> proto::Permission {
    let spec = v.get("spec").unwrap_or(&Value::Null);
    let list = |p: &Value, key: &str, inner: &str| {
        p.get(key).map(|x| proto::StringList {
            values: strs(x, inner),
        })
    };
    proto::Permission {
        spec: Some(proto::PermissionSpec {
            name: s(spec, "name"),
            project: s(spec, "project"),
            types: arr(spec, "types")
                .iter()
                .map(|t| enum_value(Some(t), PERMISSION_TYPES))
                .collect(),
            name_patterns: strs(spec, "namePatterns"),
            required_tags: tags(spec, "requiredTags"),
            actions: arr(spec, "actions")
                .iter()
                .map(|a| enum_value(Some(a), ACTIONS))
                .collect(),
            policy: spec.get("policy").map(|p| proto::Policy {
                role_based_policy: list(p, "roleBasedPolicy", "roles"),
                group_based_policy: list(p, "groupBasedPolicy", "groups"),
                namespace_based_policy: list(p, "namespaceBasedPolicy", "namespaces"),
            }),
            tags: tags(spec, "tags"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_enums_as_message_to_dict_writes_them() {
        let v = serde_json::json!({"ttl": "86400s", "short": "1.5s", "t": "STRING_LIST", "n": 30});
        assert_eq!(
            duration(&v, "ttl"),
            Some(proto::Duration {
                seconds: 86400,
                nanos: 0
            })
        );
        assert_eq!(
            duration(&v, "short"),
            Some(proto::Duration {
                seconds: 1,
                nanos: 500_000_000
            })
        );
        assert_eq!(enum_value(v.get("t"), crate::model::VALUE_TYPE_NAMES), 12);
        assert_eq!(enum_value(v.get("n"), crate::model::VALUE_TYPE_NAMES), 30);
        assert_eq!(enum_value(None, crate::model::VALUE_TYPE_NAMES), 0);
    }

    /// Found while writing the rest_json fuzz target: the fraction was cut
    /// at byte 9 before its characters were checked, so a multi-byte
    /// character across that byte panicked (`byte index 9 is not a char
    /// boundary`) on a server's ttl.
    #[test]
    fn a_ttl_fraction_that_is_not_digits_is_no_duration_and_no_panic() {
        let v = serde_json::json!({
            "multibyte": "1.aaaaaaaa\u{e9}s",
            "letters": "1.5xs",
            "signed": "1.-5s",
            "negative": "-1.5s",
            "long": "2.1234567891s",
        });
        assert_eq!(duration(&v, "multibyte"), None);
        assert_eq!(duration(&v, "letters"), None);
        assert_eq!(duration(&v, "signed"), None);
        assert_eq!(
            duration(&v, "negative"),
            Some(proto::Duration {
                seconds: -1,
                nanos: -500_000_000
            })
        );
        assert_eq!(
            duration(&v, "long"),
            Some(proto::Duration {
                seconds: 2,
                nanos: 123_456_789
            })
        );
    }
}
