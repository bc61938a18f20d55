//! The data source classes: file, warehouse, stream, push and request.

use super::args::{Args, err};
use super::fields::fields_of;
use super::{Obj, ObjKind};
use crate::model::{DataSource, SourceKind};
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::Loc;

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
        _ => return None,
    })
}

pub(super) fn source(ctor: &str, args: &mut Args, at: &Loc) -> Result<ObjKind, Diagnostic> {
    let kind = source_kind(ctor).expect("checked by construct");
    let what = ctor;
    let table_key = match kind {
        SourceKind::Kafka => "topic",
        SourceKind::Kinesis => "stream_name",
        _ => "table",
    };
    let path = args.str("path", what)?;
    let table = args.str(table_key, what)?;
    let name = match (args.str("name", what)?, kind) {
        (Some(n), _) => n,
        (None, SourceKind::File) => path
            .clone()
            .ok_or_else(|| err(at, "FileSource needs `path=`"))?,
        (None, _) => table.clone().unwrap_or_default(),
    };
    if name.is_empty() {
        return Err(err(at, format!("{ctor} needs `name=`")));
    }
    let what = format!("{ctor} `{name}`");
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
    let schema = match args.take_list("schema", &what)? {
        Some((list, sat)) if kind == SourceKind::Request => {
            fields_of(list, &sat, &format!("the schema of {what}"))?
        }
        _ => Vec::new(),
    };
    let timestamp_field = match args.str("timestamp_field", &what)? {
        Some(t) => t,
        None => args
            .str("event_timestamp_column", &what)?
            .unwrap_or_default(),
    };
    let (mut timestamp_field, mut created_timestamp_column, mut field_mapping) = (
        timestamp_field,
        args.str("created_timestamp_column", &what)?
            .unwrap_or_default(),
        args.str_map("field_mapping", &what)?,
    );
    // PushSource.to_proto: a push source without timestamp fields of its
    // own is stored with its batch source's.
    if kind == SourceKind::Push
        && timestamp_field.is_empty()
        && created_timestamp_column.is_empty()
        && field_mapping.is_empty()
        && let Some((b, _)) = &batch
        && let ObjKind::Source { ds: inner, .. } = &b.kind
    {
        timestamp_field = inner.timestamp_field.clone();
        created_timestamp_column = inner.created_timestamp_column.clone();
        field_mapping = inner.field_mapping.clone();
    }
    let ds = DataSource {
        name,
        kind,
        path,
        table,
        query: args.str("query", &what)?,
        timestamp_field,
        created_timestamp_column,
        field_mapping,
        batch_source: batch.as_ref().map(|(b, _)| b.name().to_string()),
        schema,
        meta: args.meta(&what)?,
        location: Some(at.location()),
    };
    Ok(ObjKind::Source {
        ds,
        batch: batch.map(|(b, _)| b),
    })
}

pub(super) fn is_stream(o: &Obj) -> bool {
    matches!(&o.kind, ObjKind::Source { ds, .. } if matches!(ds.kind, SourceKind::Push | SourceKind::Kafka | SourceKind::Kinesis))
}
