//! Feature dtypes, spelled the way `feast.types` spells them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The type of one feature or entity column.
///
/// Printed and parsed in `feast.types` syntax (`Int64`, `Array(String)`,
/// `Struct({city: String})`), so lock files and messages read like the
/// Python a user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DType {
    Invalid,
    Bytes,
    String,
    Int32,
    Int64,
    Float64,
    Float32,
    Bool,
    UnixTimestamp,
    PdfBytes,
    ImageBytes,
    Map,
    Json,
    Uuid,
    TimeUuid,
    Decimal,
    ScalarMap,
    ZonedTimestamp,
    Null,
    Array(Box<DType>),
    Set(Box<DType>),
    /// Named fields in declaration order.
    Struct(Vec<(String, DType)>),
    /// A ValueType number this version of feastops does not know. Kept, not
    /// rejected: proto3 enums are open and newer Feast versions add types.
    ValueType(i32),
    /// A type Feast reads from data at apply time that feastops could not
    /// reach (a warehouse table, remote data without credentials). No rule
    /// judges it; the lint takes the other side's type when it has one.
    Inferred,
}

const PRIMITIVES: &[(DType, &str, i32)] = &[
    (DType::Invalid, "Invalid", 0),
    (DType::Bytes, "Bytes", 1),
    (DType::String, "String", 2),
    (DType::Int32, "Int32", 3),
    (DType::Int64, "Int64", 4),
    (DType::Float64, "Float64", 5),
    (DType::Float32, "Float32", 6),
    (DType::Bool, "Bool", 7),
    (DType::UnixTimestamp, "UnixTimestamp", 8),
    (DType::Null, "Null", 19),
    (DType::Map, "Map", 20),
    (DType::PdfBytes, "PdfBytes", 30),
    (DType::ImageBytes, "ImageBytes", 31),
    (DType::Json, "Json", 32),
    (DType::Uuid, "Uuid", 36),
    (DType::TimeUuid, "TimeUuid", 37),
    (DType::Decimal, "Decimal", 44),
    (DType::ScalarMap, "ScalarMap", 47),
    (DType::ZonedTimestamp, "ZonedTimestamp", 48),
];

/// ValueType enum names and numbers: the proto's names (`INVALID`, used by
/// the registry server's JSON) plus Python's (`UNKNOWN`, and `PDF_BYTES` /
/// `IMAGE_BYTES`, which only the Python enum declares).
pub const VALUE_TYPE_NAMES: &[(&str, i32)] = &[
    ("INVALID", 0),
    ("UNKNOWN", 0),
    ("BYTES", 1),
    ("STRING", 2),
    ("INT32", 3),
    ("INT64", 4),
    ("DOUBLE", 5),
    ("FLOAT", 6),
    ("BOOL", 7),
    ("UNIX_TIMESTAMP", 8),
    ("BYTES_LIST", 11),
    ("STRING_LIST", 12),
    ("INT32_LIST", 13),
    ("INT64_LIST", 14),
    ("DOUBLE_LIST", 15),
    ("FLOAT_LIST", 16),
    ("BOOL_LIST", 17),
    ("UNIX_TIMESTAMP_LIST", 18),
    ("NULL", 19),
    ("MAP", 20),
    ("MAP_LIST", 21),
    ("BYTES_SET", 22),
    ("STRING_SET", 23),
    ("INT32_SET", 24),
    ("INT64_SET", 25),
    ("DOUBLE_SET", 26),
    ("FLOAT_SET", 27),
    ("BOOL_SET", 28),
    ("UNIX_TIMESTAMP_SET", 29),
    ("PDF_BYTES", 30),
    ("IMAGE_BYTES", 31),
    ("JSON", 32),
    ("JSON_LIST", 33),
    ("STRUCT", 34),
    ("STRUCT_LIST", 35),
    ("UUID", 36),
    ("TIME_UUID", 37),
    ("UUID_LIST", 38),
    ("TIME_UUID_LIST", 39),
    ("UUID_SET", 40),
    ("TIME_UUID_SET", 41),
    ("VALUE_LIST", 42),
    ("VALUE_SET", 43),
    ("DECIMAL", 44),
    ("DECIMAL_LIST", 45),
    ("DECIMAL_SET", 46),
    ("SCALAR_MAP", 47),
    ("ZONED_TIMESTAMP", 48),
];

/// The number of a ValueType enum member, by name.
pub fn value_type_number(name: &str) -> Option<i32> {
    VALUE_TYPE_NAMES.iter().find(|m| m.0 == name).map(|m| m.1)
}

/// `(element type, *_LIST value, *_SET value)`; 0 where Feast has none.
const COLLECTIONS: &[(i32, i32, i32)] = &[
    (1, 11, 22),
    (2, 12, 23),
    (3, 13, 24),
    (4, 14, 25),
    (5, 15, 26),
    (6, 16, 27),
    (7, 17, 28),
    (8, 18, 29),
    (20, 21, 0),
    (32, 33, 0),
    (36, 38, 40),
    (37, 39, 41),
    (44, 45, 46),
];

const STRUCT: i32 = 34;
const STRUCT_LIST: i32 = 35;
const VALUE_LIST: i32 = 42;
const VALUE_SET: i32 = 43;

/// Tag keys Feast writes into `FeatureSpecV2.tags` to carry the parts of a
/// type that the ValueType number cannot express.
pub const STRUCT_SCHEMA_TAG: &str = "feast:struct_schema";
pub const NESTED_INNER_TYPE_TAG: &str = "feast:nested_inner_type";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown Feast type `{0}`")]
pub struct UnknownDType(pub String);

impl DType {
    fn primitive(value_type: i32) -> Option<DType> {
        PRIMITIVES
            .iter()
            .find(|p| p.2 == value_type)
            .map(|p| p.0.clone())
    }

    fn primitive_number(&self) -> Option<i32> {
        PRIMITIVES.iter().find(|p| &p.0 == self).map(|p| p.2)
    }

    /// Builds a dtype from a registry field: its ValueType number plus the
    /// reserved tags Feast uses for structs and nested collections.
    pub fn from_value_type(
        value_type: i32,
        struct_schema: Option<&str>,
        nested: Option<&str>,
    ) -> DType {
        if let Some(p) = Self::primitive(value_type) {
            return p;
        }
        if let Some(&(elem, _, _)) = COLLECTIONS.iter().find(|c| c.1 == value_type) {
            return DType::Array(Box::new(
                Self::primitive(elem).unwrap_or(DType::ValueType(elem)),
            ));
        }
        if let Some(&(elem, _, _)) = COLLECTIONS.iter().find(|c| c.2 == value_type && c.2 != 0) {
            return DType::Set(Box::new(
                Self::primitive(elem).unwrap_or(DType::ValueType(elem)),
            ));
        }
        let parsed_struct = || {
            struct_schema
                .and_then(|s| parse_struct_json(s).ok())
                .unwrap_or_else(|| vec![("_value".to_string(), DType::String)])
        };
        match value_type {
            STRUCT => DType::Struct(parsed_struct()),
            STRUCT_LIST => DType::Array(Box::new(DType::Struct(parsed_struct()))),
            // Feast's own fallbacks when the tag is missing.
            VALUE_LIST => nested
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| DType::Array(Box::new(DType::Array(Box::new(DType::String))))),
            VALUE_SET => nested
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| DType::Set(Box::new(DType::Array(Box::new(DType::String))))),
            n => DType::ValueType(n),
        }
    }

    /// The ValueType number Feast stores for this dtype.
    pub fn value_type(&self) -> i32 {
        if let Some(n) = self.primitive_number() {
            return n;
        }
        match self {
            DType::Array(inner) => match inner.as_ref() {
                DType::Struct(_) => STRUCT_LIST,
                DType::Array(_) | DType::Set(_) => VALUE_LIST,
                other => collection_number(other, |c| c.1).unwrap_or(VALUE_LIST),
            },
            DType::Set(inner) => match inner.as_ref() {
                DType::Array(_) | DType::Set(_) => VALUE_SET,
                other => collection_number(other, |c| c.2).unwrap_or(VALUE_SET),
            },
            DType::Struct(_) => STRUCT,
            DType::ValueType(n) => *n,
            _ => 0,
        }
    }

    /// Widening conversions a consumer reading by position usually survives:
    /// the value still fits, but the model input type changes.
    pub fn is_promotion_to(&self, new: &DType) -> bool {
        matches!(
            (self, new),
            (DType::Int32, DType::Int64) | (DType::Float32, DType::Float64)
        ) || match (self, new) {
            (DType::Array(a), DType::Array(b)) | (DType::Set(a), DType::Set(b)) => {
                a.is_promotion_to(b)
            }
            _ => false,
        }
    }
}

fn collection_number(elem: &DType, pick: impl Fn(&(i32, i32, i32)) -> i32) -> Option<i32> {
    let n = elem.primitive_number()?;
    COLLECTIONS
        .iter()
        .find(|c| c.0 == n)
        .map(pick)
        .filter(|&v| v != 0)
}

/// Parses Feast's `feast:struct_schema` JSON: `{"field": "TYPE", ...}`, with
/// nested structs as `{"__struct__": {...}}`. Field order is kept.
fn parse_struct_json(s: &str) -> Result<Vec<(String, DType)>, UnknownDType> {
    let value: serde_json::Value =
        serde_json::from_str(s).map_err(|_| UnknownDType(s.to_string()))?;
    struct_fields_from_json(&value).ok_or_else(|| UnknownDType(s.to_string()))
}

fn struct_fields_from_json(value: &serde_json::Value) -> Option<Vec<(String, DType)>> {
    let map = value.as_object()?;
    map.iter()
        .map(|(k, v)| {
            let t = match v {
                serde_json::Value::String(s) => s.parse().ok()?,
                serde_json::Value::Object(o) => {
                    DType::Struct(struct_fields_from_json(o.get("__struct__")?)?)
                }
                _ => return None,
            };
            Some((k.clone(), t))
        })
        .collect()
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = PRIMITIVES.iter().find(|p| &p.0 == self) {
            return f.write_str(p.1);
        }
        match self {
            DType::Array(inner) => write!(f, "Array({inner})"),
            DType::Set(inner) => write!(f, "Set({inner})"),
            DType::Struct(fields) => {
                f.write_str("Struct({")?;
                for (i, (name, t)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    if is_plain_field_name(name) {
                        write!(f, "{name}: {t}")?;
                    } else {
                        // Quoted, so the text parses back (found by fuzzing:
                        // a registry's struct field named `c]ty`).
                        let quoted = serde_json::to_string(name).map_err(|_| fmt::Error)?;
                        write!(f, "{quoted}: {t}")?;
                    }
                }
                f.write_str("})")
            }
            DType::ValueType(n) => write!(f, "ValueType({n})"),
            DType::Inferred => f.write_str("Inferred"),
            _ => unreachable!("every primitive is in PRIMITIVES"),
        }
    }
}

impl FromStr for DType {
    type Err = UnknownDType;

    /// Accepts `feast.types` names (`Float64`), Feast's upper-case type
    /// strings used in registry tags (`FLOAT64`, `INT64`), and the ValueType
    /// enum names (`DOUBLE`, `FLOAT`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let err = || UnknownDType(s.to_string());
        if let Some(inner) = strip_call(s, "Array") {
            return Ok(DType::Array(Box::new(inner.parse()?)));
        }
        if let Some(inner) = strip_call(s, "Set") {
            return Ok(DType::Set(Box::new(inner.parse()?)));
        }
        if let Some(inner) = strip_call(s, "Struct") {
            return parse_struct_body(inner).ok_or_else(err);
        }
        if let Some(n) = strip_call(s, "ValueType") {
            return n.trim().parse().map(DType::ValueType).map_err(|_| err());
        }
        if s == "Inferred" {
            return Ok(DType::Inferred);
        }
        if s.starts_with('{') {
            // A struct as it appears nested in a `feast:nested_inner_type` tag.
            let v: serde_json::Value = serde_json::from_str(s).map_err(|_| err())?;
            return struct_fields_from_json(v.get("__struct__").ok_or_else(err)?)
                .map(DType::Struct)
                .ok_or_else(err);
        }
        let key: String = s
            .chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        let alias = match key.as_str() {
            "double" => "float64",
            "float" => "float32",
            "unknown" => "invalid",
            other => other,
        };
        PRIMITIVES
            .iter()
            .find(|p| p.1.to_ascii_lowercase() == alias)
            .map(|p| p.0.clone())
            .ok_or_else(err)
    }
}

fn strip_call<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    s.strip_prefix(name)?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')
}

/// A struct field name written bare: nothing in it the struct syntax uses.
fn is_plain_field_name(name: &str) -> bool {
    !name.is_empty()
        && name.trim() == name
        && !name
            .chars()
            .any(|c| "{}()[],:\"'\\".contains(c) || c.is_control())
}

/// `{city: String, zip: Int32}` (bare, single- or JSON-quoted names),
/// nesting allowed.
fn parse_struct_body(body: &str) -> Option<DType> {
    let body = body.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut fields = Vec::new();
    for part in split_top_level(body) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (name, t) = if part.starts_with('"') {
            let mut names = serde_json::Deserializer::from_str(part).into_iter::<String>();
            let name = names.next()?.ok()?;
            let rest = part[names.byte_offset()..].trim_start().strip_prefix(':')?;
            (name, rest)
        } else {
            let (name, t) = part.split_once(':')?;
            (name.trim().trim_matches('\'').to_string(), t)
        };
        fields.push((name, t.parse().ok()?));
    }
    Some(DType::Struct(fields))
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    let (mut quoted, mut escaped) = (false, false);
    for (i, c) in s.char_indices() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

impl Serialize for DType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for DType {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A feast.types dtype: Invalid, Bytes, String, Int32, Int64, Float32, Float64, Bool, UnixTimestamp, PdfBytes, ImageBytes, Map, Json, Uuid, TimeUuid, Decimal, ScalarMap, ZonedTimestamp, Null, Array(T), Set(T), Struct({name: T, ...}), ValueType(N) for a ValueType number this feastops does not know, or Inferred for a type Feast reads from data feastops could not reach.",
            "examples": ["Int64", "Array(String)", "Struct({city: String, zip: Int32})"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse_round_trip() {
        for s in [
            "Int64",
            "Array(String)",
            "Set(Float32)",
            "Array(Array(Int64))",
            "Struct({city: String, zip: Int32})",
            "Array(Struct({a: Bool}))",
            "PdfBytes",
            "ImageBytes",
            "Json",
            "Map",
            "ValueType(99)",
            "Inferred",
        ] {
            let t: DType = s.parse().unwrap();
            assert_eq!(t.to_string(), s);
        }
    }

    #[test]
    fn registry_spellings_parse() {
        assert_eq!("FLOAT64".parse::<DType>().unwrap(), DType::Float64);
        assert_eq!("DOUBLE".parse::<DType>().unwrap(), DType::Float64);
        assert_eq!(
            "UNIX_TIMESTAMP".parse::<DType>().unwrap(),
            DType::UnixTimestamp
        );
        assert!("Tensor".parse::<DType>().is_err());
    }

    #[test]
    fn struct_field_names_with_syntax_characters_round_trip() {
        let t = DType::Struct(vec![
            ("c]ty".into(), DType::String),
            ("a, b: {c}".into(), DType::Array(Box::new(DType::Int32))),
            ("say \"hi\"\\".into(), DType::Bool),
            (String::new(), DType::Int64),
            (
                "zip".into(),
                DType::Struct(vec![("(x)".into(), DType::Bytes)]),
            ),
        ]);
        let text = t.to_string();
        assert_eq!(text.parse::<DType>().unwrap(), t, "{text}");
        assert!(text.contains("zip: Struct({\"(x)\": Bytes})"), "{text}");
    }

    #[test]
    fn value_types_map_both_ways() {
        for n in (0..=48).filter(|n| ![9, 10].contains(n)) {
            let t = DType::from_value_type(n, None, None);
            if matches!(t, DType::ValueType(_)) {
                continue;
            }
            assert_eq!(t.value_type(), n, "{t}");
        }
        assert_eq!(DType::from_value_type(30, None, None), DType::PdfBytes);
        assert_eq!(DType::from_value_type(77, None, None), DType::ValueType(77));
    }

    #[test]
    fn tags_complete_struct_and_nested_types() {
        let s = DType::from_value_type(34, Some(r#"{"city": "STRING", "zip": "INT32"}"#), None);
        assert_eq!(s.to_string(), "Struct({city: String, zip: Int32})");
        let n = DType::from_value_type(42, None, Some("Array(Array(INT64))"));
        assert_eq!(n.to_string(), "Array(Array(Int64))");
    }

    #[test]
    fn promotions() {
        assert!(DType::Int32.is_promotion_to(&DType::Int64));
        assert!(DType::Float32.is_promotion_to(&DType::Float64));
        assert!(!DType::Int64.is_promotion_to(&DType::Int32));
        assert!(!DType::Int64.is_promotion_to(&DType::String));
        assert!(
            DType::Array(Box::new(DType::Int32))
                .is_promotion_to(&DType::Array(Box::new(DType::Int64)))
        );
    }
}
