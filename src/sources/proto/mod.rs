//! Hand-written prost messages for the subset of Feast's registry wire format
//! that feastops reads (package `feast.core`, protos/feast/core/*.proto).
//!
//! Field numbers follow Feast's .proto files exactly; fields feastops does not
//! use are left out, and prost skips unknown fields on decode, so newer Feast
//! versions that add fields still decode. Enums are decoded as plain `i32`
//! (proto3 enums are open: Feast itself writes ValueType 30 and 31, which the
//! .proto does not declare).

mod core;
mod data_source;
mod label_view;
mod well_known;

pub use self::core::*;
pub use data_source::*;
pub use label_view::*;
pub use well_known::*;

use prost::Message;

/// Decodes one serialized `feast.core.Registry` (the whole content of a
/// `registry.db`: no header, no compression).
pub fn decode_registry(bytes: &[u8]) -> Result<Registry, prost::DecodeError> {
    Registry::decode(bytes)
}
