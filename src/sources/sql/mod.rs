//! Feast's SQL registry (`registry_type: sql`): one table per object type,
//! each row one serialized top-level proto, keyed by name and project name.
//!
//! The read is one read-only transaction: one query for the table list, then
//! one query per object table (never one per object), optionally filtered to
//! one project. The rows are assembled into a `feast.core.Registry` the way
//! Feast's `SqlRegistry.proto()` does (each object's project forced to its
//! row's `project_id`), so the model equals the file registry's.

mod mysql;
mod postgres;
mod sqlite;

use std::collections::BTreeSet;

use prost::Message;
use sqlx::{AnyConnection, Connection, Row};

use super::live::{Failure, Live, connecting};
use super::{SourceError, from_proto, proto};
use crate::model;

/// A server dialect's driver URL: SQLAlchemy's `+driver` suffix replaced by
/// `scheme`, and the `--ca-cert` bundle appended as `ca_params` + the path
/// unless the URL already names one (`ca_key`).
fn server_driver_url(
    raw: &str,
    live: &Live,
    scheme: &str,
    example: &str,
    ca_key: &str,
    ca_params: &str,
) -> Result<String, SourceError> {
    let (_, rest) = raw
        .split_once("://")
        .ok_or_else(|| live.bad_source(format!("expected {example}")))?;
    let mut url = format!("{scheme}://{rest}");
    if let Some(ca) = &live.opts.ca_cert
        && !rest.contains(ca_key)
    {
        url.push(if rest.contains('?') { '&' } else { '?' });
        url.push_str(ca_params);
        url.push_str(
            &percent_encoding::utf8_percent_encode(
                &ca.display().to_string(),
                percent_encoding::NON_ALPHANUMERIC,
            )
            .to_string(),
        );
    }
    Ok(url)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Postgres,
    MySql,
    Sqlite,
}

impl Dialect {
    /// The dialect a SQLAlchemy URL names, from its scheme.
    pub fn of(url: &str) -> Option<Dialect> {
        let scheme = url.split_once("://")?.0.to_ascii_lowercase();
        let base = scheme.split('+').next().unwrap_or("");
        match base {
            "postgresql" | "postgres" => Some(Dialect::Postgres),
            "mysql" | "mariadb" => Some(Dialect::MySql),
            "sqlite" => Some(Dialect::Sqlite),
            _ => None,
        }
    }

    fn driver_url(self, raw: &str, live: &Live) -> Result<String, SourceError> {
        match self {
            Dialect::Postgres => postgres::driver_url(raw, live),
            Dialect::MySql => mysql::driver_url(raw, live),
            Dialect::Sqlite => sqlite::driver_url(raw, live),
        }
    }

    fn begin_read_only(self) -> &'static str {
        match self {
            Dialect::Postgres => postgres::BEGIN_READ_ONLY,
            Dialect::MySql => mysql::BEGIN_READ_ONLY,
            Dialect::Sqlite => sqlite::BEGIN_READ_ONLY,
        }
    }

    fn list_tables(self) -> &'static str {
        match self {
            Dialect::Postgres => postgres::LIST_TABLES,
            Dialect::MySql => mysql::LIST_TABLES,
            Dialect::Sqlite => sqlite::LIST_TABLES,
        }
    }

    fn placeholder(self) -> &'static str {
        match self {
            Dialect::Postgres => "$1",
            Dialect::MySql | Dialect::Sqlite => "?",
        }
    }
}

/// The object tables feastops reads, with their proto column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Projects,
    Entities,
    DataSources,
    FeatureViews,
    StreamFeatureViews,
    OnDemandFeatureViews,
    FeatureServices,
    Permissions,
    LabelViews,
}

impl Table {
    const ALL: [Table; 9] = [
        Table::Projects,
        Table::Entities,
        Table::DataSources,
        Table::FeatureViews,
        Table::StreamFeatureViews,
        Table::OnDemandFeatureViews,
        Table::FeatureServices,
        Table::Permissions,
        Table::LabelViews,
    ];

    fn name(self) -> &'static str {
        match self {
            Table::Projects => "projects",
            Table::Entities => "entities",
            Table::DataSources => "data_sources",
            Table::FeatureViews => "feature_views",
            Table::StreamFeatureViews => "stream_feature_views",
            Table::OnDemandFeatureViews => "on_demand_feature_views",
            Table::FeatureServices => "feature_services",
            Table::Permissions => "permissions",
            Table::LabelViews => "label_views",
        }
    }

    fn proto_column(self) -> &'static str {
        match self {
            Table::Projects => "project_proto",
            Table::Entities => "entity_proto",
            Table::DataSources => "data_source_proto",
            Table::FeatureViews
            | Table::StreamFeatureViews
            | Table::OnDemandFeatureViews
            | Table::LabelViews => "feature_view_proto",
            Table::FeatureServices => "feature_service_proto",
            Table::Permissions => "permission_proto",
        }
    }

    /// Tables added in later Feast versions; a registry written before them
    /// simply has none of those objects.
    fn optional(self) -> bool {
        matches!(
            self,
            Table::StreamFeatureViews | Table::Permissions | Table::LabelViews
        )
    }
}

/// Feast 0.62+'s version history table (optional, like the later tables).
const HISTORY_TABLE: &str = "feature_view_version_history";

/// What one read cost, for the speed report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SqlStats {
    /// Statements sent (each is one round trip).
    pub queries: u32,
    /// Object rows decoded.
    pub rows: u32,
}

/// Reads a SQL registry at the SQLAlchemy URL `raw`.
pub(crate) fn load(raw: &str, live: &Live) -> Result<model::Registry, SourceError> {
    load_with_stats(raw, live).map(|(r, _)| r)
}

/// The registry proto assembled from the tables, as Feast's `SqlRegistry.proto()` does.
pub(crate) fn load_proto(raw: &str, live: &Live) -> Result<proto::Registry, SourceError> {
    let dialect = Dialect::of(raw).ok_or_else(|| live.bad_source("not a SQL registry URL"))?;
    let url = dialect.driver_url(raw, live)?;
    sqlx::any::install_default_drivers();
    live.run(|| read(dialect, &url, live)).map(|(r, _)| r)
}

pub(crate) fn load_with_stats(
    raw: &str,
    live: &Live,
) -> Result<(model::Registry, SqlStats), SourceError> {
    let dialect = Dialect::of(raw).ok_or_else(|| live.bad_source("not a SQL registry URL"))?;
    let url = dialect.driver_url(raw, live)?;
    sqlx::any::install_default_drivers();
    let registry = live.run(|| read(dialect, &url, live))?;
    let (registry, stats) = registry;
    // from_proto keeps projects that have no objects yet.
    let model = from_proto::registry(registry);
    Ok((model, stats))
}

async fn read(
    dialect: Dialect,
    url: &str,
    live: &Live<'_>,
) -> Result<(proto::Registry, SqlStats), Failure> {
    let mut conn = connecting(live, async {
        AnyConnection::connect(url)
            .await
            .map_err(|e| classify(&e, live))
    })
    .await?;
    let result = read_tables(dialect, &mut conn, live).await;
    // Read-only: nothing to keep. The connection closes either way.
    let _ = sqlx::raw_sql("ROLLBACK").execute(&mut conn).await;
    let _ = conn.close().await;
    result
}

async fn read_tables(
    dialect: Dialect,
    conn: &mut AnyConnection,
    live: &Live<'_>,
) -> Result<(proto::Registry, SqlStats), Failure> {
    let mut stats = SqlStats::default();
    let err = |e: sqlx::Error| classify(&e, live);

    sqlx::raw_sql(dialect.begin_read_only())
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    stats.queries += 1;

    let present: BTreeSet<String> = sqlx::query(dialect.list_tables())
        .fetch_all(&mut *conn)
        .await
        .map_err(err)?
        .iter()
        .filter_map(|r| r.try_get::<String, _>(0).ok())
        .map(|t| t.to_ascii_lowercase())
        .collect();
    stats.queries += 1;
    let missing: Vec<&str> = Table::ALL
        .iter()
        .filter(|t| !t.optional() && !present.contains(t.name()))
        .map(|t| t.name())
        .collect();
    if !missing.is_empty() {
        return Err(Failure::fatal(live.not_registry(format!(
            "missing table{} {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", ")
        ))));
    }

    let project = live.opts.project.as_deref();
    let mut registry = proto::Registry {
        registry_schema_version: "1".into(),
        ..Default::default()
    };
    let mut projects = BTreeSet::new();
    for table in Table::ALL {
        if !present.contains(table.name()) {
            continue;
        }
        let mut sql = format!(
            "SELECT project_id, {} FROM {}",
            table.proto_column(),
            table.name()
        );
        if project.is_some() {
            sql.push_str(" WHERE project_id = ");
            sql.push_str(dialect.placeholder());
        }
        let mut q = sqlx::query(&sql);
        if let Some(p) = project {
            q = q.bind(p.to_string());
        }
        let rows = q.fetch_all(&mut *conn).await.map_err(err)?;
        stats.queries += 1;
        for row in &rows {
            let project_id: String = row.try_get(0).map_err(err)?;
            let blob: Vec<u8> = row.try_get(1).map_err(err)?;
            stats.rows += 1;
            if table == Table::Projects {
                projects.insert(project_id.clone());
            }
            add(&mut registry, table, &project_id, &blob)
                .map_err(|e| Failure::fatal(live.not_registry(e)))?;
        }
    }

    // Feast 0.62+: the version history, one row per recorded view version.
    if present.contains(HISTORY_TABLE) {
        let mut sql = format!(
            "SELECT project_id, feature_view_name, version_number, feature_view_type, feature_view_proto FROM {HISTORY_TABLE}"
        );
        if project.is_some() {
            sql.push_str(" WHERE project_id = ");
            sql.push_str(dialect.placeholder());
        }
        let mut q = sqlx::query(&sql);
        if let Some(p) = project {
            q = q.bind(p.to_string());
        }
        let rows = q.fetch_all(&mut *conn).await.map_err(err)?;
        stats.queries += 1;
        let history = registry
            .feature_view_version_history
            .get_or_insert_with(Default::default);
        for row in &rows {
            stats.rows += 1;
            let number: i64 = row.try_get(2).map_err(err)?;
            history.records.push(proto::FeatureViewVersionRecord {
                project_id: row.try_get(0).map_err(err)?,
                feature_view_name: row.try_get(1).map_err(err)?,
                version_number: i32::try_from(number).map_err(|_| {
                    Failure::fatal(live.not_registry(format!(
                        "{HISTORY_TABLE} has version_number {number}, outside Feast's int32"
                    )))
                })?,
                feature_view_type: row.try_get(3).map_err(err)?,
                feature_view_proto: row.try_get(4).map_err(err)?,
            });
        }
    }

    if let Some(p) = project
        && !projects.contains(p)
    {
        let all: Vec<String> = sqlx::query("SELECT project_id FROM projects")
            .fetch_all(&mut *conn)
            .await
            .map_err(err)?
            .iter()
            .filter_map(|r| r.try_get::<String, _>(0).ok())
            .collect();
        return Err(Failure::fatal(SourceError::ProjectNotFound {
            at: live.at.clone(),
            project: p.to_string(),
            found: if all.is_empty() {
                "none".into()
            } else {
                all.join(", ")
            },
        }));
    }
    // Like Feast, only projects that have a row in `projects` are part of
    // the registry.
    retain_projects(&mut registry, &projects);
    Ok((registry, stats))
}

/// Decodes one row into the registry, forcing its project like Feast does.
fn add(r: &mut proto::Registry, table: Table, project: &str, blob: &[u8]) -> Result<(), String> {
    let bad = |what: &str, e: prost::DecodeError| {
        format!(
            "a row of table {} (project `{project}`) is not a feast.core.{what}: {e}",
            table.name()
        )
    };
    let p = project.to_string();
    match table {
        Table::Projects => {
            let mut m = proto::Project::decode(blob).map_err(|e| bad("Project", e))?;
            if let Some(s) = &mut m.spec {
                s.name = p;
            }
            r.projects.push(m);
        }
        Table::Entities => {
            let mut m = proto::Entity::decode(blob).map_err(|e| bad("Entity", e))?;
            if let Some(s) = &mut m.spec {
                s.project = p;
            }
            r.entities.push(m);
        }
        Table::DataSources => {
            let mut m = proto::DataSource::decode(blob).map_err(|e| bad("DataSource", e))?;
            m.project = p;
            r.data_sources.push(m);
        }
        Table::FeatureViews => {
            let mut m = proto::FeatureView::decode(blob).map_err(|e| bad("FeatureView", e))?;
            if let Some(s) = &mut m.spec {
                s.project = p;
            }
            r.feature_views.push(m);
        }
        Table::StreamFeatureViews => {
            let mut m =
                proto::StreamFeatureView::decode(blob).map_err(|e| bad("StreamFeatureView", e))?;
            if let Some(s) = &mut m.spec {
                s.project = p;
            }
            r.stream_feature_views.push(m);
        }
        Table::OnDemandFeatureViews => {
            let mut m = proto::OnDemandFeatureView::decode(blob)
                .map_err(|e| bad("OnDemandFeatureView", e))?;
            if let Some(s) = &mut m.spec {
                s.project = p;
            }
            r.on_demand_feature_views.push(m);
        }
        Table::FeatureServices => {
            let mut m =
                proto::FeatureService::decode(blob).map_err(|e| bad("FeatureService", e))?;
            if let Some(s) = &mut m.spec {
                s.project = p;
            }
            r.feature_services.push(m);
        }
        Table::Permissions => {
            let mut m = proto::Permission::decode(blob).map_err(|e| bad("Permission", e))?;
            if let Some(s) = &mut m.spec {
                s.project = p;
            }
            r.permissions.push(m);
        }
        Table::LabelViews => {
            let mut m = proto::LabelView::decode(blob).map_err(|e| bad("LabelView", e))?;
            if let Some(s) = &mut m.spec {
                s.project = p;
            }
            r.label_views.push(m);
        }
    }
    Ok(())
}

fn retain_projects(r: &mut proto::Registry, keep: &BTreeSet<String>) {
    let k = |p: &str| keep.contains(p);
    r.entities
        .retain(|m| m.spec.as_ref().is_some_and(|s| k(&s.project)));
    r.data_sources.retain(|m| k(&m.project));
    r.feature_views
        .retain(|m| m.spec.as_ref().is_some_and(|s| k(&s.project)));
    r.stream_feature_views
        .retain(|m| m.spec.as_ref().is_some_and(|s| k(&s.project)));
    r.on_demand_feature_views
        .retain(|m| m.spec.as_ref().is_some_and(|s| k(&s.project)));
    r.feature_services
        .retain(|m| m.spec.as_ref().is_some_and(|s| k(&s.project)));
    r.permissions
        .retain(|m| m.spec.as_ref().is_some_and(|s| k(&s.project)));
    r.label_views
        .retain(|m| m.spec.as_ref().is_some_and(|s| k(&s.project)));
    if let Some(h) = &mut r.feature_view_version_history {
        h.records.retain(|m| k(&m.project_id));
    }
}

/// Sorts a driver error into what the user must fix.
fn classify(e: &sqlx::Error, live: &Live) -> Failure {
    match e {
        sqlx::Error::Io(io) => {
            use std::io::ErrorKind::*;
            let transient = matches!(
                io.kind(),
                ConnectionRefused | ConnectionReset | ConnectionAborted | TimedOut | Interrupted
            );
            Failure {
                error: live.unreachable(io),
                transient,
            }
        }
        sqlx::Error::Tls(t) => Failure::fatal(live.unreachable(format!("TLS: {t}"))),
        sqlx::Error::Configuration(c) => Failure::fatal(live.bad_source(c)),
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            let msg = db.message();
            let lower = msg.to_ascii_lowercase();
            match code.as_str() {
                // invalid_password, invalid_authorization_specification;
                // MySQL reports "Access denied" under SQLSTATE 28000 too.
                "28P01" | "28000" => Failure::fatal(live.auth_failed(msg)),
                // PostgreSQL 3D000 / MySQL 42000+1049: no such database.
                "3D000" => Failure::fatal(live.unreachable(msg)),
                // undefined_table/column (PostgreSQL), 42S02/42S22 (MySQL).
                "42P01" | "42703" | "42S02" | "42S22" => Failure::fatal(live.not_registry(msg)),
                // cannot_connect_now, too_many_connections.
                "57P03" | "53300" | "08006" | "08001" => Failure::transient(live.unreachable(msg)),
                _ if lower.contains("access denied") => Failure::fatal(live.auth_failed(msg)),
                _ if lower.contains("unknown database") => Failure::fatal(live.unreachable(msg)),
                _ if lower.contains("no such table") || lower.contains("no such column") => {
                    Failure::fatal(live.not_registry(msg))
                }
                _ if lower.contains("file is not a database") => {
                    Failure::fatal(live.not_registry(msg))
                }
                _ if lower.contains("unable to open database") => {
                    Failure::fatal(live.unreachable(msg))
                }
                _ => Failure::fatal(live.remote(msg)),
            }
        }
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::TypeNotFound { .. } => {
            Failure::fatal(live.not_registry(format!("unexpected column type: {e}")))
        }
        sqlx::Error::PoolTimedOut => Failure::transient(live.connect_timeout()),
        other => Failure::fatal(live.remote(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialects_from_sqlalchemy_schemes() {
        for (u, d) in [
            ("postgresql://u@h/db", Dialect::Postgres),
            ("postgresql+psycopg://u@h/db", Dialect::Postgres),
            ("postgresql+psycopg2://u@h/db", Dialect::Postgres),
            ("mysql://u@h/db", Dialect::MySql),
            ("mysql+pymysql://u@h/db", Dialect::MySql),
            ("mariadb+mariadbconnector://u@h/db", Dialect::MySql),
            ("sqlite:///r.db", Dialect::Sqlite),
        ] {
            assert_eq!(Dialect::of(u), Some(d), "{u}");
        }
        assert_eq!(Dialect::of("mssql://h/db"), None);
    }
}
