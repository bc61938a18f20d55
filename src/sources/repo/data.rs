//! The schema of a batch source's data, read the way `feast apply` reads it
//! when a definition leaves types to the data: the parquet footer only (no
//! rows), its Arrow schema, and Feast's own Arrow → value type mapping
//! (`type_map.pa_to_feast_value_type`, then `types.from_value_type`).

use std::path::Path;

use arrow_schema::{DataType, Field};
use parquet::file::metadata::ParquetMetaDataReader;

use crate::model::{DType, DataColumn};
use crate::sources::parquet_footer::{self, FooterError};

/// Why a data file's schema could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a readable parquet file: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("{0}")]
    Footer(#[from] FooterError),
    #[error("{0}")]
    Remote(String),
}

/// Decodes the footer metadata bytes (without the 8-byte tail), reduced
/// to the schema by [`parquet_footer::schema_only`].
pub fn columns_from_metadata(buf: &[u8]) -> Result<Vec<DataColumn>, DataError> {
    let schema = parquet_footer::schema_only(buf)?;
    columns_of(&ParquetMetaDataReader::decode_metadata(&schema)?)
}

fn columns_of(md: &parquet::file::metadata::ParquetMetaData) -> Result<Vec<DataColumn>, DataError> {
    let fm = md.file_metadata();
    // The embedded ARROW:schema (pyarrow writes it) keeps what parquet
    // alone cannot say, e.g. large_string, which Feast maps to Json.
    let schema =
        parquet::arrow::parquet_to_arrow_schema(fm.schema_descr(), fm.key_value_metadata())?;
    Ok(schema
        .fields()
        .iter()
        .map(|f| DataColumn {
            name: f.name().clone(),
            arrow: f.data_type().to_string(),
            is_timestamp: matches!(f.data_type(), DataType::Timestamp(..)),
            dtype: feast_dtype(f).ok(),
        })
        .collect())
}

/// Reads a local parquet file's columns (its footer only).
pub fn local_columns(path: &Path) -> Result<Vec<DataColumn>, DataError> {
    columns_from_metadata(&parquet_footer::of_file(path)?)
}

/// Reads the columns of parquet bytes held in memory (a file at a git ref).
pub fn columns_from_file_bytes(buf: &[u8]) -> Result<Vec<DataColumn>, DataError> {
    columns_from_metadata(parquet_footer::of_bytes(buf)?)
}

/// Reads the columns of a parquet object in S3, GCS or Azure, through the
/// object storage stack the registry sources use (same credential chains).
pub fn remote_columns(url: &str) -> Result<Vec<DataColumn>, DataError> {
    let md = crate::sources::object_storage::parquet_metadata(url)
        .map_err(|e| DataError::Remote(e.to_string()))?;
    columns_from_metadata(&md)
}

/// ValueType numbers used below (Value.proto).
mod vt {
    pub const BYTES: i32 = 1;
    pub const STRING: i32 = 2;
    pub const INT32: i32 = 3;
    pub const INT64: i32 = 4;
    pub const DOUBLE: i32 = 5;
    pub const FLOAT: i32 = 6;
    pub const BOOL: i32 = 7;
    pub const UNIX_TIMESTAMP: i32 = 8;
    pub const MAP: i32 = 20;
    pub const JSON: i32 = 32;
    pub const STRUCT: i32 = 34;
    pub const VALUE_LIST: i32 = 42;
}

/// Feast's type for an Arrow column, or why Feast itself fails on it
/// (`pa_to_feast_value_type` raises KeyError for types outside its table,
/// `from_value_type` ValueError for NULL).
///
/// Feast matches on pyarrow's *string* of the type, which this follows:
/// `list<item: T>` is a list of T's mapping; a `list<element: T>` (how
/// parquet files written by pyarrow read back) is only known for the few
/// exact strings in Feast's table; a non-nullable element prints as
/// `T not null` and matches nothing.
pub fn feast_dtype(field: &Field) -> Result<DType, String> {
    let unknown = || {
        format!(
            "Feast has no value type for Arrow `{}` (feast apply fails with KeyError)",
            field.data_type()
        )
    };
    let number = match field.data_type() {
        DataType::List(inner) | DataType::FixedSizeList(inner, _) if inner.name() == "item" => {
            match inner.data_type() {
                DataType::List(f) if f.name() == "item" => vt::VALUE_LIST,
                DataType::List(_) => return Err(unknown()),
                t => {
                    let n = scalar(t).ok_or_else(unknown)?;
                    // A non-nullable element prints as `T not null`: only
                    // Feast's prefix matches (timestamp, map<, struct<) survive.
                    if !inner.is_nullable()
                        && !matches!(n, vt::UNIX_TIMESTAMP | vt::MAP | vt::STRUCT)
                    {
                        return Err(unknown());
                    }
                    list_of(n).ok_or_else(unknown)?
                }
            }
        }
        DataType::List(inner) if inner.name() == "element" && inner.is_nullable() => {
            match inner.data_type() {
                DataType::Float64 => 15,
                DataType::Int64 => 14,
                DataType::Int32 => 13,
                DataType::Boolean => 17,
                DataType::Float32 => 16,
                _ => return Err(unknown()),
            }
        }
        other => scalar(other).ok_or_else(unknown)?,
    };
    if number == 19 {
        return Err(format!(
            "Feast cannot type the all-null column `{}` (feast apply fails with ValueError)",
            field.name()
        ));
    }
    Ok(DType::from_value_type(number, None, None))
}

/// `pa_to_feast_value_type` for one non-list type.
fn scalar(t: &DataType) -> Option<i32> {
    Some(match t {
        DataType::Timestamp(..) => vt::UNIX_TIMESTAMP,
        DataType::Map(..) => vt::MAP,
        DataType::LargeUtf8 => vt::JSON,
        DataType::Struct(_) => vt::STRUCT,
        DataType::Int8 | DataType::Int16 | DataType::Int32 => vt::INT32,
        DataType::UInt8 | DataType::UInt16 => vt::INT32,
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => vt::INT64,
        DataType::Float64 => vt::DOUBLE,
        DataType::Float32 => vt::FLOAT,
        DataType::Utf8 => vt::STRING,
        DataType::Binary => vt::BYTES,
        DataType::Boolean => vt::BOOL,
        DataType::Null => 19,
        _ => return None,
    })
}

/// `ValueType[name + "_LIST"]`: NULL has no list form (KeyError).
fn list_of(n: i32) -> Option<i32> {
    Some(match n {
        vt::BYTES => 11,
        vt::STRING => 12,
        vt::INT32 => 13,
        vt::INT64 => 14,
        vt::DOUBLE => 15,
        vt::FLOAT => 16,
        vt::BOOL => 17,
        vt::UNIX_TIMESTAMP => 18,
        vt::MAP => 21,
        vt::JSON => 33,
        vt::STRUCT => 35,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn t(dt: DataType) -> Result<String, String> {
        feast_dtype(&Field::new("c", dt, true)).map(|d| d.to_string())
    }

    fn list(name: &str, inner: DataType, nullable: bool) -> DataType {
        DataType::List(Arc::new(Field::new(name, inner, nullable)))
    }

    #[test]
    fn scalars_map_as_feast_type_map_does() {
        use arrow_schema::TimeUnit;
        assert_eq!(t(DataType::Int8).unwrap(), "Int32");
        assert_eq!(t(DataType::UInt16).unwrap(), "Int32");
        assert_eq!(t(DataType::UInt32).unwrap(), "Int64");
        assert_eq!(t(DataType::Float64).unwrap(), "Float64");
        assert_eq!(t(DataType::Float32).unwrap(), "Float32");
        assert_eq!(t(DataType::Utf8).unwrap(), "String");
        assert_eq!(t(DataType::LargeUtf8).unwrap(), "Json");
        assert_eq!(t(DataType::Binary).unwrap(), "Bytes");
        assert_eq!(
            t(DataType::Timestamp(
                TimeUnit::Microsecond,
                Some("UTC".into())
            ))
            .unwrap(),
            "UnixTimestamp"
        );
        assert!(t(DataType::Date32).is_err());
        assert!(t(DataType::LargeBinary).is_err());
        assert!(t(DataType::Null).is_err());
    }

    #[test]
    fn lists_follow_the_string_feast_matches() {
        assert_eq!(
            t(list("item", DataType::Utf8, true)).unwrap(),
            "Array(String)"
        );
        assert_eq!(
            t(list("element", DataType::Float64, true)).unwrap(),
            "Array(Float64)"
        );
        // "list<element: string>" is not in Feast's table.
        assert!(t(list("element", DataType::Utf8, true)).is_err());
        // "list<item: int64 not null>" neither.
        assert!(t(list("item", DataType::Int64, false)).is_err());
        assert_eq!(
            t(list("item", list("item", DataType::Int64, true), true)).unwrap(),
            "Array(Array(String))"
        );
    }

    #[test]
    fn footer_of_a_pyarrow_file_in_memory() {
        // Written by scripts/fixtures/make_parquet.py (pyarrow).
        let bytes =
            include_bytes!("../../../tests/fixtures/feast/repos/inferred/data/customers.parquet");
        let cols = columns_from_file_bytes(bytes).unwrap();
        let got: Vec<(String, bool, Option<String>)> = cols
            .into_iter()
            .map(|c| (c.name, c.is_timestamp, c.dtype.map(|d| d.to_string())))
            .collect();
        let want = [
            ("customer_id", false, Some("String")),
            ("ts", true, Some("UnixTimestamp")),
            ("spend", false, Some("Float64")),
            ("visits", false, Some("Int32")),
        ]
        .map(|(n, t, d)| (n.to_string(), t, d.map(str::to_string)));
        assert_eq!(got, want);
        assert!(columns_from_file_bytes(b"not parquet at all").is_err());
    }

    /// Every parquet file of the fixtures (and of the public repo corpus,
    /// when `FEASTOPS_CORPUS` names it) reads through the footer check to
    /// the same columns as the parquet crate's own file reader gives.
    #[test]
    fn the_footer_check_refuses_no_real_file() {
        fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "parquet") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
            &mut files,
        );
        let fixtures = files.len();
        if let Some(corpus) = std::env::var_os("FEASTOPS_CORPUS") {
            walk(Path::new(&corpus), &mut files);
        }
        assert!(fixtures >= 5, "{fixtures} parquet fixtures");
        for f in files {
            let crate_reader = ParquetMetaDataReader::new()
                .parse_and_finish(&std::fs::File::open(&f).unwrap())
                .map_err(|e| e.to_string())
                .and_then(|md| columns_of(&md).map_err(|e| e.to_string()));
            let ours = local_columns(&f).map_err(|e| e.to_string());
            match (crate_reader, ours) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", f.display()),
                (Err(_), Err(_)) => {}
                (a, b) => panic!("{}: the crate read {a:?}, feastops {b:?}", f.display()),
            }
        }
    }

    /// Found by the `parquet` fuzz target (2026-11-30, two timeouts):
    /// 15 bytes of footer whose list of booleans claims about 2^31
    /// elements spun inside the parquet crate, which skips such booleans as
    /// zero bytes; and a footer whose known fields have other types than
    /// declared, which the crate reads as declared and so reaches such a
    /// list where a generic walk saw none. The footer check refuses both
    /// first (a watchdog, not a timing: without the check neither returns).
    #[test]
    fn footers_the_parquet_crate_spins_on_are_refused_first() {
        let cases: [(&[u8], &str); 2] = [
            (
                include_bytes!("../../../fuzz/corpus/parquet/regression-thrift-skip-bool-list"),
                "a corrupt parquet footer: a container of",
            ),
            (
                include_bytes!(
                    "../../../fuzz/corpus/parquet/regression-thrift-declared-type-mismatch"
                ),
                "a corrupt parquet footer: field 3 has compact type 7, parquet.thrift declares 6",
            ),
        ];
        for (footer, expect) in cases {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(columns_from_metadata(footer).map_err(|e| e.to_string()));
            });
            let got = rx
                .recv_timeout(std::time::Duration::from_secs(20))
                .expect("decoding the footer hung");
            let err = got.unwrap_err();
            assert!(err.starts_with(expect), "{err}");
        }
    }
}
