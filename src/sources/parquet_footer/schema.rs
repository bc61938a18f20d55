//! The part of parquet.thrift's `FileMetaData` a column schema needs, and
//! the footer reduced to it.
//!
//! The parquet crate reads a field it knows by the type parquet.thrift
//! declares, whatever type the bytes give; a walk that took the bytes'
//! word would then read different bytes than the crate. So the fields on
//! the path to the schema are checked against their declarations, and the
//! crate is handed only those: row groups (most of a footer, and all its
//! statistics) are replaced by an empty list, which the schema does not
//! need.
//!
//! The tables mirror the fields the parquet crate 60.1 reads by type
//! (`SchemaElement` and `FileMetaData` in `file/metadata/thrift`, the
//! `LogicalType` union and its structs in `basic.rs`); a crate upgrade
//! must check them again.

use super::FooterError;
use super::walk::{BINARY, BOOL_TRUE, BYTE, Declared, Field, I32, I64, LIST, STRUCT, Walk};

use Declared::{ListOf, Scalar, Struct};

const EMPTY: &[Field] = &[];
const TIME_UNIT: &[Field] = &[(1, Struct(EMPTY)), (2, Struct(EMPTY)), (3, Struct(EMPTY))];
const DECIMAL: &[Field] = &[(1, Scalar(I32)), (2, Scalar(I32))];
const TIME_OR_TIMESTAMP: &[Field] = &[(1, Scalar(BOOL_TRUE)), (2, Struct(TIME_UNIT))];
const INT: &[Field] = &[(1, Scalar(BYTE)), (2, Scalar(BOOL_TRUE))];
const VARIANT: &[Field] = &[(1, Scalar(BYTE))];
const GEOMETRY: &[Field] = &[(1, Scalar(BINARY))];
const GEOGRAPHY: &[Field] = &[(1, Scalar(BINARY)), (2, Scalar(I32))];
/// The `LogicalType` union (9 is reserved for INTERVAL).
const LOGICAL_TYPE: &[Field] = &[
    (1, Struct(EMPTY)),
    (2, Struct(EMPTY)),
    (3, Struct(EMPTY)),
    (4, Struct(EMPTY)),
    (5, Struct(DECIMAL)),
    (6, Struct(EMPTY)),
    (7, Struct(TIME_OR_TIMESTAMP)),
    (8, Struct(TIME_OR_TIMESTAMP)),
    (10, Struct(INT)),
    (11, Struct(EMPTY)),
    (12, Struct(EMPTY)),
    (13, Struct(EMPTY)),
    (14, Struct(EMPTY)),
    (15, Struct(EMPTY)),
    (16, Struct(VARIANT)),
    (17, Struct(GEOMETRY)),
    (18, Struct(GEOGRAPHY)),
    (19, Struct(EMPTY)),
];
const SCHEMA_ELEMENT: &[Field] = &[
    (1, Scalar(I32)),
    (2, Scalar(I32)),
    (3, Scalar(I32)),
    (4, Scalar(BINARY)),
    (5, Scalar(I32)),
    (6, Scalar(I32)),
    (7, Scalar(I32)),
    (8, Scalar(I32)),
    (9, Scalar(I32)),
    (10, Struct(LOGICAL_TYPE)),
];
const KEY_VALUE: &[Field] = &[(1, Scalar(BINARY)), (2, Scalar(BINARY))];
/// `FileMetaData`'s fields kept: version, schema, num_rows,
/// key_value_metadata (pyarrow's `ARROW:schema`), created_by.
const FILE_METADATA: &[Field] = &[
    (1, Scalar(I32)),
    (2, ListOf(SCHEMA_ELEMENT)),
    (3, Scalar(I64)),
    (5, ListOf(KEY_VALUE)),
    (6, Scalar(BINARY)),
];
/// `row_groups`, required: written back as an empty list of structs.
const ROW_GROUPS: i16 = 4;

/// The footer reduced to the kept fields, in id order, with an empty
/// `row_groups`; every other field is walked (bounded) and dropped.
pub fn reduce(footer: &[u8]) -> Result<Vec<u8>, FooterError> {
    let read = Walk::new(footer).top_struct(FILE_METADATA)?;
    let mut kept: Vec<(i16, u8, &[u8])> = Vec::new();
    for (id, _) in FILE_METADATA {
        // Thrift lets a field repeat; the crate keeps the last.
        if let Some(r) = read.iter().rev().find(|r| r.id == *id) {
            kept.push((r.id, r.ty, &footer[r.bytes.clone()]));
        }
    }
    kept.push((ROW_GROUPS, LIST, &[STRUCT]));
    kept.sort_by_key(|(id, _, _)| *id);
    let mut out = Vec::with_capacity(footer.len().min(1 << 20));
    let mut last = 0;
    for (id, ty, bytes) in kept {
        // Ids 1 to 6: every delta fits the header's four bits.
        out.push((((id - last) as u8) << 4) | ty);
        out.extend_from_slice(bytes);
        last = id;
    }
    out.push(0);
    Ok(out)
}
