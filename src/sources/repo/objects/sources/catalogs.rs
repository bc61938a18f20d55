//! Sources that address data through a catalog, a dataset service or a
//! reader rather than a path or a warehouse table: Iceberg and Unity Catalog
//! (`iceberg_catalog/`), Lance, MLflow datasets, MongoDB, Ray and Chronon.
//! Each keeps what its class's `_to_proto_impl` writes into
//! `custom_options`, minus connection settings (endpoints, tokens), which
//! say how to reach the data, not which data it is.

use std::collections::BTreeMap;

use super::super::ObjKind;
use super::super::args::{Arg, Args, err, unknown, wrong};
use super::blank;
use crate::model::{DataSource, SourceKind};
use crate::sources::from_proto::is_connection_option;
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::{Loc, Value};

/// `LanceFormat(...)` (feast/table_format.py): the catalog and namespace
/// of a catalog-based dataset, and an optional version or tag pin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LanceFormat {
    pub catalog: Option<String>,
    pub namespace: Option<String>,
    pub version: Option<i64>,
    pub tag: Option<String>,
}

const LANCE_FORMAT_PARAMS: [&str; 5] = ["catalog", "namespace", "version", "tag", "properties"];

/// `ray_source.py`'s SUPPORTED_READER_TYPES.
const RAY_READERS: [&str; 11] = [
    "parquet",
    "csv",
    "json",
    "text",
    "images",
    "binary_files",
    "tfrecords",
    "webdataset",
    "huggingface",
    "mongo",
    "sql",
];

/// Builds a `LanceFormat`, positional or keyword, with its two checks.
pub(in crate::sources::repo::objects) fn lance_format(args: &Args) -> Result<ObjKind, Diagnostic> {
    let what = "LanceFormat";
    if let Some((_, a)) = args.kw.iter().find(|(k, _)| k.as_str() == "**") {
        return Err(unknown(&a.value, &a.at, "a `**` argument")
            .unwrap_or_else(|| err(&a.at, "bad `**` argument")));
    }
    let mut by_name: BTreeMap<&str, &Arg> = BTreeMap::new();
    for (i, a) in args.pos.iter().enumerate() {
        let Some(name) = LANCE_FORMAT_PARAMS.get(i) else {
            return Err(err(&a.at, "LanceFormat() takes at most 5 arguments"));
        };
        by_name.insert(name, a);
    }
    for name in LANCE_FORMAT_PARAMS {
        if let Some(a) = args.get(name) {
            by_name.insert(name, a);
        }
    }
    let text = |name: &str| -> Result<Option<String>, Diagnostic> {
        match by_name.get(name) {
            None => Ok(None),
            Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::Str(s),
                ..
            }) => Ok(blank(Some(s.clone()))),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "a string",
            )),
        }
    };
    let version = match by_name.get("version") {
        None
        | Some(Arg {
            value: Value::None, ..
        }) => None,
        Some(Arg {
            value: Value::Int(n),
            at,
        }) => {
            if *n < 1 {
                return Err(err(
                    at,
                    format!("LanceFormat version must be >= 1, got {n} (Feast raises ValueError)"),
                ));
            }
            Some(*n)
        }
        Some(a) => {
            return Err(wrong(
                &a.value,
                &a.at,
                "`version=` of LanceFormat",
                "an int",
            ));
        }
    };
    let format = LanceFormat {
        catalog: text("catalog")?,
        namespace: text("namespace")?,
        version,
        tag: text("tag")?,
    };
    if format.version.is_some() && format.tag.is_some() {
        return Err(err(
            &args.at,
            "LanceFormat takes `version=` or `tag=`, not both (Feast raises ValueError)",
        ));
    }
    Ok(ObjKind::LanceFormat(format))
}

/// Fills the class's options into `ds`; returns the name the class falls
/// back on without `name=`.
pub(super) fn fill(
    ds: &mut DataSource,
    ctor: &str,
    args: &Args,
    at: &Loc,
) -> Result<Option<String>, Diagnostic> {
    let s = |key: &str| args.str(key, ctor);
    let req = |key: &str| -> Result<String, Diagnostic> {
        s(key)?.ok_or_else(|| {
            err(
                at,
                format!("{ctor}() needs `{key}=` (Python raises TypeError)"),
            )
        })
    };
    let fail = |m: &str| Err(err(at, format!("{ctor}: {m} (Feast raises ValueError)")));
    Ok(match ds.kind {
        SourceKind::Iceberg | SourceKind::UnityCatalog => {
            let (warehouse, namespace, table) =
                (req("warehouse")?, req("namespace")?, req("table")?);
            let fallback = format!("{warehouse}.{namespace}.{table}");
            ds.catalog = blank(Some(warehouse));
            ds.db_schema = blank(Some(namespace));
            ds.table = blank(Some(table));
            for (key, default) in [("catalog_type", "rest"), ("catalog_name", "feast_iceberg")] {
                let v = s(key)?.unwrap_or_else(|| default.to_string());
                if let Some(v) = blank(Some(v)) {
                    ds.options.insert(key.into(), v);
                }
            }
            Some(fallback)
        }
        SourceKind::Lance => {
            let uri = blank(s("uri")?);
            let table = blank(s("table")?);
            let namespace_impl = blank(s("namespace_impl")?);
            let format = match args.obj("table_format", ctor)? {
                None => LanceFormat::default(),
                Some((o, fat)) => match &o.kind {
                    ObjKind::LanceFormat(f) => f.clone(),
                    _ => {
                        return Err(err(
                            &fat,
                            format!(
                                "LanceSource requires a LanceFormat table_format, got {} (Feast raises ValueError)",
                                o.describe()
                            ),
                        ));
                    }
                },
            };
            match (&uri, &table) {
                (Some(_), Some(_)) => return fail("takes `uri=` or `table=`, not both"),
                (None, None) => return fail("needs `uri=` or `table=`"),
                (None, Some(_)) if namespace_impl.is_none() => {
                    return fail("`table=` needs `namespace_impl=`");
                }
                _ => {}
            }
            let fallback = uri.clone().or_else(|| {
                let parts = [&format.catalog, &format.namespace, &table];
                Some(
                    parts
                        .iter()
                        .filter_map(|p| p.as_deref())
                        .collect::<Vec<_>>()
                        .join("."),
                )
            });
            ds.path = uri;
            ds.table = table;
            ds.catalog = format.catalog;
            ds.db_schema = format.namespace;
            if let Some(v) = namespace_impl {
                ds.options.insert("namespace_impl".into(), v);
            }
            if let Some(v) = format.version {
                ds.options.insert("version".into(), v.to_string());
            }
            if let Some(v) = format.tag {
                ds.options.insert("tag".into(), v);
            }
            fallback
        }
        SourceKind::MlflowDataset => {
            let mut opt = |key: &str, v: Option<String>| {
                if let Some(v) = blank(v) {
                    ds.options.insert(key.into(), v);
                }
            };
            let (name, id) = (blank(s("dataset_name")?), blank(s("dataset_id")?));
            let (run, path) = (blank(s("run_id")?), blank(s("artifact_path")?));
            let format = s("artifact_format")?.unwrap_or_else(|| "parquet".into());
            let genai = name.is_some() || id.is_some();
            let artifact = run.is_some() && path.is_some();
            if !genai && !artifact {
                return fail(
                    "needs `dataset_name=`/`dataset_id=` (GenAI dataset) or `run_id=` and `artifact_path=` (artifact)",
                );
            }
            if genai && artifact {
                return fail("takes a GenAI dataset or a run artifact, not both");
            }
            if artifact && !matches!(format.as_str(), "parquet" | "csv") {
                return fail("`artifact_format=` must be parquet or csv");
            }
            opt("dataset_name", name);
            opt("dataset_id", id);
            opt("run_id", run);
            opt("artifact_path", path);
            opt("artifact_format", Some(format));
            let batch = match args.obj("batch_source", ctor)? {
                Some((b, _)) => b,
                None => return fail("needs `batch_source=`"),
            };
            // The class copies its batch source's timestamps at construction,
            // before apply infers any from data.
            if let ObjKind::Source { ds: inner, .. } = &batch.kind {
                if ds.timestamp_field.is_empty() {
                    ds.timestamp_field = inner.timestamp_field.clone();
                }
                if ds.created_timestamp_column.is_empty() {
                    ds.created_timestamp_column = inner.created_timestamp_column.clone();
                }
            }
            None
        }
        SourceKind::MongoDb => {
            // Unlike other classes, a missing argument is not empty here.
            for (key, default) in [
                ("timestamp_field", "event_timestamp"),
                ("created_timestamp_column", "created_at"),
            ] {
                let v = match args.get(key) {
                    None => default.to_string(),
                    Some(_) => s(key)?.unwrap_or_default(),
                };
                match key {
                    "timestamp_field" => ds.timestamp_field = v,
                    _ => ds.created_timestamp_column = v,
                }
            }
            None
        }
        SourceKind::Ray => {
            let reader = req("reader_type")?;
            if !RAY_READERS.contains(&reader.as_str()) {
                return fail(&format!(
                    "`reader_type=` must be one of {}, got `{reader}`",
                    RAY_READERS.join(", ")
                ));
            }
            ds.options.insert("reader_type".into(), reader);
            ds.path = blank(s("path")?);
            reader_options(ds, args)?;
            None
        }
        SourceKind::Chronon => {
            let path = blank(s("materialization_path")?);
            let Some(path) = path else {
                return fail("needs `materialization_path=`");
            };
            if ds.timestamp_field.is_empty() {
                return fail("needs `timestamp_field=`");
            }
            let group_by = blank(s("chronon_group_by")?);
            let join = blank(s("chronon_join")?);
            if group_by.is_some() && join.is_some() {
                return fail("takes `chronon_join=` or `chronon_group_by=`, not both");
            }
            if blank(s("online_endpoint")?).is_some() && group_by.is_none() && join.is_none() {
                return fail("`online_endpoint=` needs `chronon_join=` or `chronon_group_by=`");
            }
            ds.path = Some(path.clone());
            if let Some(v) = group_by {
                ds.options.insert("chronon_group_by".into(), v);
            }
            if let Some(v) = join {
                ds.options.insert("chronon_join".into(), v);
            }
            Some(path)
        }
        _ => unreachable!("fill is called for catalog sources only"),
    })
}

/// A Ray reader's string options, minus how to connect.
fn reader_options(ds: &mut DataSource, args: &Args) -> Result<(), Diagnostic> {
    let Some(a) = args.get("reader_options") else {
        return Ok(());
    };
    let items = match &a.value {
        Value::None => return Ok(()),
        Value::Dict(items) => items,
        v => return Err(wrong(v, &a.at, "`reader_options=` of RaySource", "a dict")),
    };
    for (k, v) in items {
        let Value::Str(k) = k else {
            return Err(wrong(
                k,
                &a.at,
                "a key in `reader_options=` of RaySource",
                "a string",
            ));
        };
        if is_connection_option(k) {
            continue;
        }
        if let Some(d) = unknown(v, &a.at, &format!("`reader_options[{k:?}]` of RaySource")) {
            return Err(d);
        }
        if let Value::Str(v) = v
            && !v.is_empty()
        {
            ds.options.insert(format!("reader_options.{k}"), v.clone());
        }
    }
    Ok(())
}

pub(super) fn is_catalog_source(kind: SourceKind) -> bool {
    matches!(
        kind,
        SourceKind::Iceberg
            | SourceKind::UnityCatalog
            | SourceKind::Lance
            | SourceKind::MlflowDataset
            | SourceKind::MongoDb
            | SourceKind::Ray
            | SourceKind::Chronon
    )
}
