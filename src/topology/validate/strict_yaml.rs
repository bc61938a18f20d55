//! YAML to JSON values the way the API server reads manifests: a mapping with the same
//! key twice is an error (kubectl and the API server's strict decoding refuse it; a
//! lenient reader would silently keep one of the two values).

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Deserializes any YAML node into a [`Value`], refusing duplicate mapping keys.
pub struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

/// A mapping key as a string (YAML allows scalar keys of any type).
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        match Strict.deserialize(d)? {
            Value::String(s) => Ok(s),
            Value::Null => Ok("null".into()),
            v @ (Value::Bool(_) | Value::Number(_)) => Ok(v.to_string()),
            _ => Err(de::Error::custom("a mapping key must be a scalar")),
        }
    }
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Strict.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key_seed(Key)? {
            if out.contains_key(&k) {
                return Err(de::Error::custom(format!(
                    "duplicate key `{k}`: the API server refuses it; keep one"
                )));
            }
            let v = map.next_value_seed(Strict)?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Value, String> {
        let de = serde_yaml_ng::Deserializer::from_str(t);
        Strict.deserialize(de).map_err(|e| e.to_string())
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        assert!(
            parse("a: 1\na: 2\n")
                .unwrap_err()
                .contains("duplicate key `a`")
        );
        let nested = parse("m:\n  x: 1\n  x: 1\n").unwrap_err();
        assert!(nested.contains("duplicate key `x`"), "{nested}");
        assert_eq!(
            parse("a: [1, {b: true}]\nc: ~\n").unwrap(),
            serde_json::json!({"a": [1, {"b": true}], "c": null})
        );
    }
}
