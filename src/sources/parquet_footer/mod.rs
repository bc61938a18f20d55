//! Finds a parquet file's footer and checks it before the parquet crate
//! decodes it.
//!
//! The footer is Thrift's compact protocol. The parquet crate (60.1) skips
//! a boolean element of a list, set or map as zero bytes, although the
//! protocol spends a byte on each, so a list header claiming two billion
//! booleans loops two billion times without reading (15 bytes hung it;
//! found by the `parquet` fuzz target). Having skipped too little, it then
//! reads the booleans' bytes as the next fields, which can claim such a
//! list again. It also reserves room for as many elements as a header
//! claims.
//!
//! The crate also reads every field it knows by its declared type,
//! whatever type the bytes give, and so can read bytes a generic walk
//! took for something else (the fuzzer found that too).
//!
//! [`schema_only`] walks the encoding first ([`walk`]): every element costs
//! at least one byte, so a footer that claims more than it holds is
//! refused in time linear in its size; containers of booleans are refused
//! outright (footer metadata has none); the fields on the path to the
//! schema must have their declared types ([`schema`]). The crate is then
//! handed only those fields, which it reads byte for byte as the walk did,
//! so its loops are bounded by what the walk checked.

mod schema;
mod walk;

use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

use crate::input_limits::Input;

/// The 8-byte tail of a parquet file: footer length, then the magic.
pub const TAIL: usize = 8;

/// Why a file's footer cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FooterError {
    #[error("not a parquet file (no PAR1 footer)")]
    NotParquet,
    #[error(
        "an encrypted parquet footer (PARE), which feastops cannot read; declare the schema in the definition"
    )]
    Encrypted,
    #[error("the footer claims {claimed} bytes but the file holds {held}")]
    Truncated { claimed: u64, held: u64 },
    #[error("a corrupt parquet footer: {why} at byte {at}")]
    Corrupt { why: String, at: usize },
    #[error("{0}")]
    TooLarge(String),
}

/// The footer length the 8-byte tail gives.
fn footer_len(tail: &[u8]) -> Result<u64, FooterError> {
    if tail.len() < TAIL {
        return Err(FooterError::NotParquet);
    }
    let tail = &tail[tail.len() - TAIL..];
    match &tail[4..] {
        b"PAR1" => {}
        b"PARE" => return Err(FooterError::Encrypted),
        _ => return Err(FooterError::NotParquet),
    }
    let len = u64::from(u32::from_le_bytes(tail[..4].try_into().expect("4 bytes")));
    let kind = Input::ParquetFooter;
    if len > kind.limit() {
        return Err(FooterError::TooLarge(kind.too_large(Some(len)).to_string()));
    }
    Ok(len)
}

/// Where the footer metadata lies in a file of `size` bytes, from the
/// file's last bytes (`tail`, at least its 8-byte tail): checked for the
/// magic, the [`Input::ParquetFooter`] bound and the file's size, before
/// any of the footer is read.
pub fn locate(tail: &[u8], size: u64) -> Result<Range<u64>, FooterError> {
    // The smallest file is the leading magic and the tail.
    if size < (4 + TAIL) as u64 {
        return Err(FooterError::NotParquet);
    }
    let len = footer_len(tail)?;
    if len + TAIL as u64 + 4 > size {
        return Err(FooterError::Truncated {
            claimed: len,
            held: size,
        });
    }
    let end = size - TAIL as u64;
    Ok(end - len..end)
}

/// The footer of a whole parquet file held in memory.
pub fn of_bytes(buf: &[u8]) -> Result<&[u8], FooterError> {
    let r = locate(buf, buf.len() as u64)?;
    Ok(&buf[r.start as usize..r.end as usize])
}

/// The footer of a parquet file on disk: reads the tail and then only the
/// footer, bounded by [`Input::ParquetFooter`] before anything is reserved.
pub fn of_file(path: &Path) -> Result<Vec<u8>, std::io::Error> {
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let bad = |e: FooterError| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let mut tail = [0u8; TAIL];
    if size >= TAIL as u64 {
        file.seek(SeekFrom::End(-(TAIL as i64)))?;
        file.read_exact(&mut tail)?;
    }
    let r = locate(&tail, size).map_err(bad)?;
    file.seek(SeekFrom::Start(r.start))?;
    let mut footer = vec![0u8; (r.end - r.start) as usize];
    file.read_exact(&mut footer)?;
    Ok(footer)
}

/// The footer metadata (without its tail) reduced to what a column schema
/// needs, once checked (see the module); an error says where the footer
/// first claims more than it holds, nests too deep, holds a type the
/// protocol does not have or a field of another type than declared.
pub fn schema_only(footer: &[u8]) -> Result<Vec<u8>, FooterError> {
    schema::reduce(footer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(footer: &[u8], expect: &str) {
        let e = schema_only(footer).unwrap_err();
        assert!(e.to_string().contains(expect), "{footer:x?}: {e}");
    }

    #[test]
    fn the_schema_fields_are_kept_and_row_groups_emptied() {
        let footer = [
            0x15, 0x02, // 1: version 1
            0x19, 0x1c, 0x48, 0x01, b'a', 0x00, // 2: [SchemaElement { 4: name "a" }]
            0x16, 0x00, // 3: num_rows 0
            0x19, 0x1c, 0x16, 0x07, 0x00, // 4: [RowGroup { 1: 7 }]
            0x31, // 7: true (not kept)
            0x00,
        ];
        let want = [
            0x15, 0x02, 0x19, 0x1c, 0x48, 0x01, b'a', 0x00, 0x16, 0x00, 0x19, 0x0c, 0x00,
        ];
        assert_eq!(schema_only(&footer).unwrap(), want);
        refused(&footer[..footer.len() - 1], "ends early at byte 16");
    }

    #[test]
    fn a_list_of_booleans_claiming_more_than_it_holds_is_refused_at_once() {
        // 10: list<bool> of 2^31-1 elements, one byte left.
        refused(
            &[0xa9, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x01],
            "a container of 2147483647 elements with 1 bytes left at byte 7",
        );
    }

    #[test]
    fn containers_of_booleans_are_refused_booleans_as_fields_are_not() {
        // The parquet crate skips these booleans as zero bytes and then
        // reads them as fields: in the first, a list header (0x19).
        for footer in [
            &[0xa9, 0x11, 0x19, 0x00][..],
            &[0xaa, 0x12, 0x01, 0x00][..],
            &[0xab, 0x01, 0x51, 0x02, 0x01, 0x00][..],
            &[0xab, 0x01, 0x15, 0x01, 0x02, 0x00][..],
        ] {
            refused(footer, "list, set or map of booleans");
        }
        // 10: true, 11: false, 12: an empty list<bool>.
        assert!(schema_only(&[0xa1, 0x12, 0x19, 0x01, 0x00]).is_ok());
    }

    #[test]
    fn a_declared_field_of_another_type_is_refused() {
        refused(
            &[0x16, 0x02, 0x00],
            "field 1 has compact type 6, parquet.thrift declares 5",
        );
        refused(
            &[0x29, 0x15, 0x02, 0x00],
            "a list of compact type 5 where parquet.thrift declares structs",
        );
        // schema: [SchemaElement { 10: LogicalType { 10: IntType { 1: i32 } } }]
        refused(
            &[0x29, 0x1c, 0xac, 0xac, 0x15, 0x10, 0x00, 0x00, 0x00, 0x00],
            "field 1 has compact type 5, parquet.thrift declares 3",
        );
    }

    #[test]
    fn nesting_unknown_types_long_varints_and_wide_ids_are_refused() {
        let mut deep = vec![0xac];
        deep.extend(std::iter::repeat_n(0x1c, 100));
        refused(&deep, "nested more than 64 deep");
        refused(&[0xae], "unknown compact type 14");
        refused(
            &[
                0xa5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            ],
            "longer than 10 bytes",
        );
        // A full field id: zigzag(70000) = 140000.
        refused(
            &[0x05, 0xe0, 0xc5, 0x08, 0x02, 0x00],
            "field id 70000 out of range",
        );
    }

    #[test]
    fn the_tail_names_plain_encrypted_and_oversized_footers() {
        assert_eq!(footer_len(b"\x10\0\0\0PAR1"), Ok(16));
        assert_eq!(footer_len(b"\x10\0\0\0PARE"), Err(FooterError::Encrypted));
        assert_eq!(footer_len(b"\x10\0\0\0PAR2"), Err(FooterError::NotParquet));
        let e = footer_len(b"\xff\xff\xff\xffPAR1").unwrap_err();
        assert!(e.to_string().contains("64 MiB"), "{e}");
        let mut file = b"PAR1".to_vec();
        file.extend_from_slice(b"\x05\0\0\0PAR1");
        assert_eq!(
            of_bytes(&file),
            Err(FooterError::Truncated {
                claimed: 5,
                held: 12
            })
        );
    }
}
