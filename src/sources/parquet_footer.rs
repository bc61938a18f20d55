//! Finds a parquet file's footer and checks it before the parquet crate
//! decodes it.
//!
//! The footer is Thrift's compact protocol. The parquet crate (60.1) skips
//! a boolean element of a list as zero bytes, although the protocol spends
//! a byte on each, so a list header claiming two billion booleans loops two
//! billion times without reading (15 bytes hung it; found by the `parquet`
//! fuzz target). It also reserves room for as many elements as a header
//! claims. [`check`] walks the same encoding first, charging every element
//! at least one byte, so a footer that claims more than it holds is refused
//! in time linear in its size.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::input_limits::Input;

/// The 8-byte tail of a parquet file: footer length, then the magic.
pub const TAIL: usize = 8;
/// Nesting of structs and containers the walk follows; parquet metadata
/// nests about five deep (its schema is a flat list).
const MAX_DEPTH: u32 = 64;

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
pub fn footer_len(tail: &[u8]) -> Result<u64, FooterError> {
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

/// The footer of a whole parquet file held in memory.
pub fn of_bytes(buf: &[u8]) -> Result<&[u8], FooterError> {
    // The smallest file is the leading magic and the tail.
    if buf.len() < 4 + TAIL {
        return Err(FooterError::NotParquet);
    }
    let len = footer_len(buf)?;
    let n = buf.len() as u64;
    if len + TAIL as u64 + 4 > n {
        return Err(FooterError::Truncated {
            claimed: len,
            held: n,
        });
    }
    Ok(&buf[(n - TAIL as u64 - len) as usize..buf.len() - TAIL])
}

/// The footer of a parquet file on disk: reads the tail and then only the
/// footer, bounded by [`Input::ParquetFooter`] before anything is reserved.
pub fn of_file(path: &Path) -> Result<Vec<u8>, std::io::Error> {
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let bad = |e: FooterError| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    if size < (4 + TAIL) as u64 {
        return Err(bad(FooterError::NotParquet));
    }
    let mut tail = [0u8; TAIL];
    file.seek(SeekFrom::End(-(TAIL as i64)))?;
    file.read_exact(&mut tail)?;
    let len = footer_len(&tail).map_err(bad)?;
    if len + TAIL as u64 + 4 > size {
        return Err(bad(FooterError::Truncated {
            claimed: len,
            held: size,
        }));
    }
    file.seek(SeekFrom::Start(size - TAIL as u64 - len))?;
    let mut footer = vec![0u8; len as usize];
    file.read_exact(&mut footer)?;
    Ok(footer)
}

/// Walks footer metadata (without its tail) as a compact-protocol struct;
/// an error says where it first claims more than it holds, nests too deep
/// or holds a type the protocol does not have.
pub fn check(footer: &[u8]) -> Result<(), FooterError> {
    Walk { buf: footer, at: 0 }.value(STRUCT, 0, false)
}

const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const STRUCT: u8 = 12;

struct Walk<'a> {
    buf: &'a [u8],
    at: usize,
}

impl Walk<'_> {
    fn corrupt(&self, why: impl Into<String>) -> FooterError {
        FooterError::Corrupt {
            why: why.into(),
            at: self.at,
        }
    }

    fn left(&self) -> u64 {
        (self.buf.len() - self.at) as u64
    }

    fn skip(&mut self, n: u64) -> Result<(), FooterError> {
        if n > self.left() {
            return Err(self.corrupt(format!("{n} bytes claimed, {} left", self.left())));
        }
        self.at += n as usize;
        Ok(())
    }

    fn byte(&mut self) -> Result<u8, FooterError> {
        let b = *self
            .buf
            .get(self.at)
            .ok_or_else(|| self.corrupt("the footer ends early"))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, FooterError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.corrupt("a variable-length integer longer than 10 bytes"))
    }

    /// One value of compact type `ty`. A boolean costs a byte inside a
    /// list, set or map, and nothing as a struct field (its field header
    /// holds it).
    fn value(&mut self, ty: u8, depth: u32, in_container: bool) -> Result<(), FooterError> {
        if depth > MAX_DEPTH {
            return Err(self.corrupt(format!("values nested more than {MAX_DEPTH} deep")));
        }
        match ty {
            BOOL_TRUE | BOOL_FALSE if in_container => self.skip(1),
            BOOL_TRUE | BOOL_FALSE => Ok(()),
            3 => self.skip(1),
            4..=6 => self.varint().map(|_| ()),
            7 => self.skip(8),
            8 => {
                let n = self.varint()?;
                self.skip(n)
            }
            9 | 10 => {
                let header = self.byte()?;
                let size = match header >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                self.elements(size, 1)?;
                for _ in 0..size {
                    self.value(header & 0x0f, depth + 1, true)?;
                }
                Ok(())
            }
            11 => {
                let size = self.varint()?;
                if size == 0 {
                    return Ok(());
                }
                let kinds = self.byte()?;
                self.elements(size, 2)?;
                for _ in 0..size {
                    self.value(kinds >> 4, depth + 1, true)?;
                    self.value(kinds & 0x0f, depth + 1, true)?;
                }
                Ok(())
            }
            STRUCT => loop {
                let header = self.byte()?;
                if header == 0 {
                    return Ok(());
                }
                if header >> 4 == 0 {
                    self.varint()?; // the field id, when not a delta
                }
                self.value(header & 0x0f, depth + 1, false)?;
            },
            13 => self.skip(16), // UUID
            _ => Err(self.corrupt(format!("unknown compact type {ty}"))),
        }
    }

    /// Refuses a container claiming more elements than bytes remain: each
    /// element is at least `min_bytes` long.
    fn elements(&self, size: u64, min_bytes: u64) -> Result<(), FooterError> {
        if size.saturating_mul(min_bytes) > self.left() {
            return Err(self.corrupt(format!(
                "a container of {size} elements with {} bytes left",
                self.left()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_booleans_claiming_more_than_it_holds_is_refused_at_once() {
        // struct { field 1: list<bool> of 2^31-1 elements } with one byte left.
        let footer = [0x19, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x01];
        let e = check(&footer).unwrap_err();
        assert!(
            matches!(&e, FooterError::Corrupt { why, at: 7 } if why.contains("2147483647 elements with 1 bytes left")),
            "{e}"
        );
    }

    #[test]
    fn booleans_cost_a_byte_in_a_list_and_nothing_as_a_field() {
        // struct { 1: true, 2: list<bool>[true, false], 3: map<i32,bool>{1: true} } stop
        let footer = [
            0x11, 0x19, 0x21, 0x01, 0x02, 0x1b, 0x01, 0x51, 0x02, 0x01, 0x00,
        ];
        assert_eq!(check(&footer), Ok(()));
        let e = check(&footer[..footer.len() - 1]).unwrap_err();
        assert!(e.to_string().contains("ends early at byte 10"), "{e}");
    }

    #[test]
    fn nesting_unknown_types_and_long_varints_are_refused() {
        let deep: Vec<u8> = std::iter::repeat_n(0x1c, 100).collect();
        let e = check(&deep).unwrap_err();
        assert!(e.to_string().contains("nested more than 64 deep"), "{e}");
        let e = check(&[0x1e]).unwrap_err();
        assert!(e.to_string().contains("unknown compact type 14"), "{e}");
        let e = check(&[
            0x15, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ])
        .unwrap_err();
        assert!(e.to_string().contains("longer than 10 bytes"), "{e}");
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
