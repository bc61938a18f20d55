//! The data source classes Feast 0.67 ships, core and contrib: file,
//! warehouse, stream, push and request here; catalog, dataset and reader
//! sources in `catalogs`. Each keeps exactly what its class's
//! `to_proto` stores, with the defaults its `__init__` applies, so a static
//! read equals what `feast apply` registers.

mod catalogs;

pub(super) use catalogs::{LanceFormat, lance_format};

use super::args::{Arg, Args, err};
use super::fields::fields_of;
use super::{Obj, ObjKind};
use crate::model::{DataSource, Meta, SourceKind};
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::{Loc, Value};

pub(super) fn source_kind(ctor: &str) -> Option<SourceKind> {
    Some(match ctor {
        "FileSource" => SourceKind::File,
        "PushSource" => SourceKind::Push,
        "RequestSource" => SourceKind::Request,
        "KafkaSource" => SourceKind::Kafka,
        "KinesisSource" => SourceKind::Kinesis,
        "BigQuerySource" => SourceKind::BigQuery,
        "RedshiftSource" => SourceKind::Redshift,
        "SnowflakeSource" => SourceKind::Snowflake,
        "AthenaSource" => SourceKind::Athena,
        "TrinoSource" => SourceKind::Trino,
        "SparkSource" => SourceKind::Spark,
        "PostgreSQLSource" => SourceKind::PostgreSql,
        "MsSqlServerSource" => SourceKind::MsSqlServer,
        "ClickhouseSource" => SourceKind::Clickhouse,
        "CouchbaseColumnarSource" => SourceKind::CouchbaseColumnar,
        "OracleSource" => SourceKind::Oracle,
        "IcebergSource" => SourceKind::Iceberg,
        "UnityCatalogSource" => SourceKind::UnityCatalog,
        "LanceSource" => SourceKind::Lance,
        "MlflowDatasetSource" => SourceKind::MlflowDataset,
        "MongoDBSource" => SourceKind::MongoDb,
        "RaySource" => SourceKind::Ray,
        "ChrononSource" => SourceKind::Chronon,
        _ => return None,
    })
}

/// Sources Feast's apply reads a missing `timestamp_field` for from the
/// data (inference.py); for every other class an empty one fails apply.
pub(in crate::sources::repo) fn infers_timestamp(kind: SourceKind) -> bool {
    matches!(
        kind,
        SourceKind::File
            | SourceKind::Spark
            | SourceKind::BigQuery
            | SourceKind::Redshift
            | SourceKind::Snowflake
            | SourceKind::MsSqlServer
    )
}

pub(super) fn blank(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

pub(super) fn source(ctor: &str, args: &mut Args, at: &Loc) -> Result<ObjKind, Diagnostic> {
    let kind = source_kind(ctor).expect("checked by construct");
    let s = |args: &Args, key: &str| args.str(key, ctor);
    let mut ds = DataSource {
        name: String::new(),
        kind,
        path: None,
        table: None,
        query: None,
        database: None,
        db_schema: None,
        catalog: None,
        file_format: None,
        timestamp_field: s(args, "timestamp_field")?.unwrap_or_default(),
        created_timestamp_column: s(args, "created_timestamp_column")?.unwrap_or_default(),
        field_mapping: args.str_map("field_mapping", ctor)?,
        date_partition_column: String::new(),
        options: Default::default(),
        batch_source: None,
        schema: Vec::new(),
        meta: args.meta(ctor)?,
        location: Some(at.location()),
        data: None,
    };
    let explicit_name = s(args, "name")?;
    // The name a class falls back on when `name=` is absent.
    let mut fallback = None;
    match kind {
        SourceKind::File => {
            ds.path = Some(s(args, "path")?.ok_or_else(|| err(at, "FileSource needs `path=`"))?);
            fallback = ds.path.clone();
            ds.file_format = file_format(args.get("file_format"))?;
            // FileSource accepts the deprecated `event_timestamp_column=`
            // and drops it: Feast then infers the timestamp from the data.
        }
        SourceKind::BigQuery | SourceKind::Trino => {
            ds.table = blank(s(args, "table")?);
            ds.query = blank(s(args, "query")?);
            if kind == SourceKind::BigQuery {
                ds.date_partition_column = s(args, "date_partition_column")?.unwrap_or_default();
                table_or_query(&ds, at, ctor, false)?;
            }
            fallback = ds.table.clone();
        }
        SourceKind::Redshift | SourceKind::Snowflake => {
            let table = blank(s(args, "table")?);
            ds.query = blank(s(args, "query")?);
            ds.database = blank(s(args, "database")?);
            let schema = blank(s(args, "schema")?);
            // Both classes name a default schema, in different cases and
            // under different conditions (redshift_source.py, snowflake_source.py).
            ds.db_schema = match (kind, schema) {
                (_, Some(s)) => Some(s),
                (SourceKind::Redshift, None) if table.is_some() => Some("public".into()),
                (SourceKind::Snowflake, None) if table.is_some() && ds.database.is_some() => {
                    Some("PUBLIC".into())
                }
                _ => None,
            };
            ds.table = table;
            table_or_query(&ds, at, ctor, kind == SourceKind::Snowflake)?;
            fallback = ds.table.clone();
        }
        SourceKind::Athena => {
            ds.table = blank(s(args, "table")?);
            ds.query = blank(s(args, "query")?);
            ds.database = blank(s(args, "database")?)
                .or_else(|| ds.table.as_ref().map(|_| "default".to_string()));
            ds.catalog = blank(s(args, "data_source")?);
            ds.date_partition_column = s(args, "date_partition_column")?.unwrap_or_default();
            // AthenaSource.to_proto does not store the owner.
            ds.meta.owner.clear();
            table_or_query(&ds, at, ctor, false)?;
            fallback = ds.table.clone();
        }
        SourceKind::Spark => {
            ds.table = blank(s(args, "table")?);
            ds.query = blank(s(args, "query")?);
            ds.path = blank(s(args, "path")?);
            ds.file_format = blank(s(args, "file_format")?);
            ds.date_partition_column = s(args, "date_partition_column")?.unwrap_or_default();
            spark_options(&ds, args, at)?;
            fallback = ds.table.clone();
        }
        SourceKind::PostgreSql | SourceKind::Clickhouse => {
            ds.table = blank(s(args, "table")?);
            ds.query = blank(s(args, "query")?);
            fallback = ds.table.clone();
        }
        SourceKind::CouchbaseColumnar => {
            ds.table = blank(s(args, "collection")?);
            ds.query = blank(s(args, "query")?);
            ds.database = Some(s(args, "database")?.unwrap_or_else(|| "Default".into()));
            ds.db_schema = Some(s(args, "scope")?.unwrap_or_else(|| "Default".into()));
            ds.database = blank(ds.database);
            ds.db_schema = blank(ds.db_schema);
            fallback = ds.table.clone();
        }
        SourceKind::MsSqlServer | SourceKind::Oracle => {
            ds.table = blank(s(args, "table_ref")?);
            // These two take the timestamp as `event_timestamp_column=`
            // and store neither description, tags nor owner.
            ds.timestamp_field = s(args, "event_timestamp_column")?.unwrap_or_default();
            ds.date_partition_column = s(args, "date_partition_column")?.unwrap_or_default();
            ds.meta = Meta::default();
        }
        SourceKind::Kafka => ds.table = s(args, "topic")?,
        SourceKind::Kinesis => ds.table = s(args, "stream_name")?,
        SourceKind::Push | SourceKind::Request => {}
        k if catalogs::is_catalog_source(k) => fallback = catalogs::fill(&mut ds, ctor, args, at)?,
        _ => unreachable!("source_kind lists every class"),
    }
    if !matches!(
        kind,
        SourceKind::File | SourceKind::MsSqlServer | SourceKind::Oracle
    ) && let Some(a) = args.get("event_timestamp_column")
    {
        return Err(err(
            &a.at,
            format!(
                "{ctor}() has no `event_timestamp_column=` in Feast 0.67 (Python raises TypeError); use `timestamp_field=`"
            ),
        ));
    }
    ds.name = match explicit_name.filter(|n| !n.is_empty()).or(fallback) {
        Some(n) => n,
        None => return Err(err(at, format!("{ctor} needs `name=`"))),
    };
    if !ds.timestamp_field.is_empty() && ds.timestamp_field == ds.created_timestamp_column {
        return Err(err(
            at,
            format!(
                "{ctor} `{}`: timestamp_field and created_timestamp_column are the same column (Feast raises ValueError)",
                ds.name
            ),
        ));
    }
    if ds.timestamp_field.is_empty() {
        match kind {
            SourceKind::Kafka | SourceKind::Kinesis => {
                return Err(err(
                    at,
                    format!("{ctor} needs `timestamp_field=` (Python raises TypeError)"),
                ));
            }
            SourceKind::Push | SourceKind::Request => {}
            k if !infers_timestamp(k) => {
                return Err(err(
                    at,
                    format!(
                        "{ctor} `{}` has no `timestamp_field=`, and Feast cannot infer it for this class: `feast apply` fails",
                        ds.name
                    ),
                ));
            }
            _ => {}
        }
    }
    let what = format!("{ctor} `{}`", ds.name);
    let batch = args.obj("batch_source", &what)?;
    if let Some((b, bat)) = &batch
        && !matches!(b.kind, ObjKind::Source { .. })
    {
        return Err(err(
            bat,
            format!(
                "`batch_source=` of {what} is {}, not a data source",
                b.describe()
            ),
        ));
    }
    if kind == SourceKind::Request
        && let Some((list, sat)) = args.take_list("schema", &what)?
    {
        ds.schema = fields_of(list, &sat, &format!("the schema of {what}"))?;
    }
    // PushSource.to_proto: a push source without timestamp fields of its
    // own is stored with its batch source's.
    if kind == SourceKind::Push
        && ds.timestamp_field.is_empty()
        && ds.created_timestamp_column.is_empty()
        && ds.field_mapping.is_empty()
        && let Some((b, _)) = &batch
        && let ObjKind::Source { ds: inner, .. } = &b.kind
    {
        ds.timestamp_field = inner.timestamp_field.clone();
        ds.created_timestamp_column = inner.created_timestamp_column.clone();
        ds.field_mapping = inner.field_mapping.clone();
    }
    ds.batch_source = batch.as_ref().map(|(b, _)| b.name().to_string());
    Ok(ObjKind::Source {
        ds,
        batch: batch.map(|(b, _)| b),
    })
}

/// `file_format=ParquetFormat()` / `DeltaFormat()`.
fn file_format(a: Option<&Arg>) -> Result<Option<String>, Diagnostic> {
    match a {
        None
        | Some(Arg {
            value: Value::None, ..
        }) => Ok(None),
        Some(Arg {
            value: Value::Obj(o),
            at,
        }) => match &o.kind {
            ObjKind::Other(n) if n == "ParquetFormat" => Ok(Some("parquet".into())),
            ObjKind::Other(n) if n == "DeltaFormat" => Ok(Some("delta".into())),
            _ => Err(err(
                at,
                format!(
                    "`file_format=` of FileSource must be ParquetFormat() or DeltaFormat(), got {}",
                    o.describe()
                ),
            )),
        },
        Some(a) => Err(super::args::wrong(
            &a.value,
            &a.at,
            "`file_format=` of FileSource",
            "ParquetFormat() or DeltaFormat()",
        )),
    }
}

/// The warehouse classes raise ValueError without a table or a query
/// (Snowflake also with both).
fn table_or_query(
    ds: &DataSource,
    at: &Loc,
    ctor: &str,
    exclusive: bool,
) -> Result<(), Diagnostic> {
    if ds.table.is_none() && ds.query.is_none() {
        return Err(err(
            at,
            format!("{ctor} needs `table=` or `query=` (Feast raises ValueError)"),
        ));
    }
    if exclusive && ds.table.is_some() && ds.query.is_some() {
        return Err(err(
            at,
            format!("{ctor} takes `table=` or `query=`, not both (Feast raises ValueError)"),
        ));
    }
    Ok(())
}

/// SparkOptions' checks: one of table/query/path, table alone, a path with
/// a known format.
fn spark_options(ds: &DataSource, args: &Args, at: &Loc) -> Result<(), Diagnostic> {
    let (t, q, p) = (ds.table.is_some(), ds.query.is_some(), ds.path.is_some());
    let fail = |m: &str| {
        Err(err(
            at,
            format!("SparkSource: {m} (Feast raises ValueError)"),
        ))
    };
    if t && (q || p) {
        return fail("`table=` cannot be combined with `query=` or `path=`");
    }
    if !(t || q || p) {
        return fail("one of `table=`, `query=`, `path=` is required");
    }
    let table_format = args
        .get("table_format")
        .is_some_and(|a| !matches!(a.value, Value::None));
    if p && !table_format {
        match ds.file_format.as_deref() {
            None => return fail("`path=` without `table_format=` needs `file_format=`"),
            Some("csv" | "json" | "parquet" | "avro") => {}
            Some(_) => return fail("`file_format=` must be one of csv, json, parquet, avro"),
        }
    }
    Ok(())
}

pub(super) fn is_stream(o: &Obj) -> bool {
    matches!(&o.kind, ObjKind::Source { ds, .. } if matches!(ds.kind, SourceKind::Push | SourceKind::Kafka | SourceKind::Kinesis))
}
