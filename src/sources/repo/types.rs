//! `feast.types` names and `ValueType` members, as a repo spells them.

use crate::model::DType;

/// A `feast.types` primitive by its Python name.
pub fn primitive(name: &str) -> Option<DType> {
    Some(match name {
        "Invalid" => DType::Invalid,
        "Bytes" => DType::Bytes,
        "String" => DType::String,
        "Int32" => DType::Int32,
        "Int64" => DType::Int64,
        "Float64" => DType::Float64,
        "Float32" => DType::Float32,
        "Bool" => DType::Bool,
        "UnixTimestamp" => DType::UnixTimestamp,
        "PdfBytes" => DType::PdfBytes,
        "ImageBytes" => DType::ImageBytes,
        "Map" => DType::Map,
        "Json" => DType::Json,
        "Uuid" => DType::Uuid,
        "TimeUuid" => DType::TimeUuid,
        "Decimal" => DType::Decimal,
        "ScalarMap" => DType::ScalarMap,
        "ZonedTimestamp" => DType::ZonedTimestamp,
        _ => return None,
    })
}

/// `feast.types` constructors of composite types.
pub fn is_composite(name: &str) -> bool {
    matches!(name, "Array" | "Set" | "Struct")
}

/// A `ValueType` member's number (feast/value_type.py).
pub fn value_type(member: &str) -> Option<i32> {
    crate::model::value_type_number(member)
}

/// `Array(inner)`: Feast rejects element types that have no list form.
pub fn array_of(inner: DType) -> Result<DType, String> {
    match inner {
        DType::PdfBytes
        | DType::ImageBytes
        | DType::Invalid
        | DType::ScalarMap
        | DType::ZonedTimestamp => Err(format!("Array({}) has no Feast value type", inner)),
        other => Ok(DType::Array(Box::new(other))),
    }
}

/// `Set(inner)`: Feast rejects element types that have no set form.
pub fn set_of(inner: DType) -> Result<DType, String> {
    match inner {
        DType::Map
        | DType::Json
        | DType::PdfBytes
        | DType::ImageBytes
        | DType::Invalid
        | DType::ScalarMap
        | DType::ZonedTimestamp
        | DType::Struct(_) => Err(format!("Set({}) has no Feast value type", inner)),
        other => Ok(DType::Set(Box::new(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_type_members_match_dtype_numbers() {
        assert_eq!(
            value_type("INT64").map(|n| DType::from_value_type(n, None, None)),
            Some(DType::Int64)
        );
        assert_eq!(
            value_type("STRING_LIST").map(|n| DType::from_value_type(n, None, None)),
            Some(DType::Array(Box::new(DType::String)))
        );
        assert_eq!(value_type("NOPE"), None);
    }

    #[test]
    fn collections_reject_what_feast_rejects() {
        assert!(array_of(DType::PdfBytes).is_err());
        assert!(set_of(DType::Json).is_err());
        assert_eq!(
            array_of(DType::Int64),
            Ok(DType::Array(Box::new(DType::Int64)))
        );
    }
}
