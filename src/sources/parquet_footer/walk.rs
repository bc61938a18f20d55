//! A bounded walk over Thrift's compact protocol: every step reads at
//! least one byte, containers may not claim more elements than bytes
//! remain, nesting stops at [`MAX_DEPTH`], and fields whose id parquet.thrift
//! declares must have the declared type.

use std::ops::Range;

use super::FooterError;

/// Nesting of structs and containers the walk follows; parquet metadata
/// nests about five deep (its schema is a flat list).
const MAX_DEPTH: u32 = 64;

pub const BOOL_TRUE: u8 = 1;
pub const BOOL_FALSE: u8 = 2;
pub const BYTE: u8 = 3;
pub const I32: u8 = 5;
pub const I64: u8 = 6;
pub const BINARY: u8 = 8;
pub const LIST: u8 = 9;
pub const STRUCT: u8 = 12;

/// What parquet.thrift declares for a field the crate decodes by type.
#[derive(Clone, Copy)]
pub enum Declared {
    /// A scalar of this compact type (`BOOL_TRUE` stands for either bool).
    Scalar(u8),
    Struct(&'static [Field]),
    ListOf(&'static [Field]),
}

/// A field id and its declared type.
pub type Field = (i16, Declared);

/// One top-level field as read: its id, compact type and value bytes.
pub struct Read {
    pub id: i16,
    pub ty: u8,
    pub bytes: Range<usize>,
}

pub struct Walk<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Walk<'a> {
    pub fn new(buf: &'a [u8]) -> Walk<'a> {
        Walk { buf, at: 0 }
    }

    /// Walks the struct at the start (its fields checked against `fields`)
    /// and returns each top-level field read.
    pub fn top_struct(&mut self, fields: &[Field]) -> Result<Vec<Read>, FooterError> {
        let mut read = Vec::new();
        self.fields(fields, 0, |id, ty, bytes| read.push(Read { id, ty, bytes }))?;
        Ok(read)
    }

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

    /// The fields of a struct up to its stop byte, each checked against
    /// `declared` when its id is there; `each` sees every field read.
    fn fields(
        &mut self,
        declared: &[Field],
        depth: u32,
        mut each: impl FnMut(i16, u8, Range<usize>),
    ) -> Result<(), FooterError> {
        let mut last: i32 = 0;
        loop {
            let header = self.byte()?;
            if header == 0 {
                return Ok(());
            }
            let ty = header & 0x0f;
            let id = match header >> 4 {
                0 => {
                    let z = self.varint()?;
                    // zigzag
                    (z >> 1) as i64 ^ -((z & 1) as i64)
                }
                delta => i64::from(last) + i64::from(delta),
            };
            // The crate keeps ids as i16; one outside it could be read as
            // another field there than here.
            let Ok(id) = i16::try_from(id) else {
                return Err(self.corrupt(format!("field id {id} out of range")));
            };
            last = i32::from(id);
            let start = self.at;
            match declared.iter().find(|(d, _)| *d == id) {
                Some((_, want)) => self.declared(*want, ty, id, depth + 1)?,
                None => self.value(ty, depth + 1, false)?,
            }
            each(id, ty, start..self.at);
        }
    }

    /// A field parquet.thrift declares: the crate reads it as declared
    /// whatever type the bytes give, so a mismatch is refused here.
    fn declared(&mut self, want: Declared, ty: u8, id: i16, depth: u32) -> Result<(), FooterError> {
        let is = |t: u8| ty == t || (t == BOOL_TRUE && ty == BOOL_FALSE);
        let expected = match want {
            Declared::Scalar(t) => t,
            Declared::Struct(_) => STRUCT,
            Declared::ListOf(_) => LIST,
        };
        if !is(expected) {
            return Err(self.corrupt(format!(
                "field {id} has compact type {ty}, parquet.thrift declares {expected}"
            )));
        }
        match want {
            Declared::Scalar(t) => self.value(t, depth, false),
            Declared::Struct(inner) => self.struct_at(inner, depth),
            Declared::ListOf(inner) => {
                let (size, element) = self.list_header()?;
                if size > 0 && element != STRUCT {
                    return Err(self.corrupt(format!(
                        "a list of compact type {element} where parquet.thrift declares structs"
                    )));
                }
                for _ in 0..size {
                    self.struct_at(inner, depth + 1)?;
                }
                Ok(())
            }
        }
    }

    fn struct_at(&mut self, declared: &[Field], depth: u32) -> Result<(), FooterError> {
        if depth > MAX_DEPTH {
            return Err(self.corrupt(format!("values nested more than {MAX_DEPTH} deep")));
        }
        self.fields(declared, depth, |_, _, _| {})
    }

    /// A list or set header: the size (checked against the bytes left) and
    /// the element type (not boolean).
    fn list_header(&mut self) -> Result<(u64, u8), FooterError> {
        let header = self.byte()?;
        let size = match header >> 4 {
            15 => self.varint()?,
            n => u64::from(n),
        };
        self.elements(size, 1)?;
        if size > 0 {
            self.not_booleans(header & 0x0f)?;
        }
        Ok((size, header & 0x0f))
    }

    /// One value of compact type `ty` no declaration covers. A boolean
    /// costs a byte inside a container, and nothing as a struct field (its
    /// field header holds it).
    fn value(&mut self, ty: u8, depth: u32, in_container: bool) -> Result<(), FooterError> {
        if depth > MAX_DEPTH {
            return Err(self.corrupt(format!("values nested more than {MAX_DEPTH} deep")));
        }
        match ty {
            BOOL_TRUE | BOOL_FALSE if in_container => self.skip(1),
            BOOL_TRUE | BOOL_FALSE => Ok(()),
            BYTE => self.skip(1),
            4..=6 => self.varint().map(|_| ()),
            7 => self.skip(8),
            BINARY => {
                let n = self.varint()?;
                self.skip(n)
            }
            LIST | 10 => {
                let (size, element) = self.list_header()?;
                for _ in 0..size {
                    self.value(element, depth + 1, true)?;
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
                self.not_booleans(kinds >> 4)?;
                self.not_booleans(kinds & 0x0f)?;
                for _ in 0..size {
                    self.value(kinds >> 4, depth + 1, true)?;
                    self.value(kinds & 0x0f, depth + 1, true)?;
                }
                Ok(())
            }
            STRUCT => self.struct_at(&[], depth),
            13 => self.skip(16), // UUID
            _ => Err(self.corrupt(format!("unknown compact type {ty}"))),
        }
    }

    /// Refuses booleans as the elements of a container (see the module).
    fn not_booleans(&self, ty: u8) -> Result<(), FooterError> {
        if matches!(ty, BOOL_TRUE | BOOL_FALSE) {
            return Err(self.corrupt(
                "a list, set or map of booleans, which parquet footer metadata never holds",
            ));
        }
        Ok(())
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
