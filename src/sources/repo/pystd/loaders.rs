//! `yaml.safe_load` and `json.load`/`json.loads`, into plain data.
//!
//! PyYAML reads YAML 1.1, serde_yaml_ng YAML 1.2. Where the two disagree
//! on a plain scalar (`yes`/`no`/`on`/`off`, octal `017`, `1_000`,
//! `1e3`, sexagesimal `1:30`, dates) the document is refused rather than
//! read with the wrong type.

use super::PyStdError;

/// A loaded document.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Data>),
    /// In document order, as Python's dict keeps it.
    Dict(Vec<(Data, Data)>),
}

/// `yaml.safe_load(text)`.
pub fn yaml(text: &str) -> Result<Data, PyStdError> {
    if let Some(token) = yaml11_ambiguity(text) {
        return Err(PyStdError::unsupported(format!(
            "the YAML scalar `{token}`, which PyYAML (YAML 1.1) reads differently from YAML 1.2"
        )));
    }
    let v: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| PyStdError::Raises {
            kind: "yaml.YAMLError",
            message: e.to_string(),
        })?;
    from_yaml(v)
}

fn from_yaml(v: serde_yaml_ng::Value) -> Result<Data, PyStdError> {
    use serde_yaml_ng::Value as Y;
    Ok(match v {
        Y::Null => Data::None,
        Y::Bool(b) => Data::Bool(b),
        Y::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Data::Int(i),
            (None, Some(f)) if n.is_f64() => Data::Float(f),
            _ => return Err(PyStdError::unsupported("a very large integer")),
        },
        Y::String(s) => Data::Str(s),
        Y::Sequence(items) => {
            Data::List(items.into_iter().map(from_yaml).collect::<Result<_, _>>()?)
        }
        Y::Mapping(m) => Data::Dict(
            m.into_iter()
                .map(|(k, v)| Ok((from_yaml(k)?, from_yaml(v)?)))
                .collect::<Result<_, PyStdError>>()?,
        ),
        Y::Tagged(_) => return Err(PyStdError::unsupported("a tagged YAML value")),
    })
}

/// The first plain scalar YAML 1.1 and 1.2 read differently, if any. It
/// looks at every word outside quotes and comments, so it may refuse a
/// document that is fine, never the other way round.
fn yaml11_ambiguity(text: &str) -> Option<String> {
    for line in text.lines() {
        let mut in_quote: Option<char> = None;
        let mut word = String::new();
        let mut prev = ' ';
        let check = |w: &mut String| -> Option<String> {
            let t = w.trim();
            let found = (!t.is_empty() && is_ambiguous(t)).then(|| t.to_string());
            w.clear();
            found
        };
        for c in line.chars() {
            match in_quote {
                Some(q) => {
                    if c == q {
                        in_quote = None;
                    }
                }
                None => match c {
                    '"' | '\'' if word.trim().is_empty() => in_quote = Some(c),
                    '#' if prev.is_whitespace() => break,
                    ',' | '[' | ']' | '{' | '}' => {
                        if let Some(t) = check(&mut word) {
                            return Some(t);
                        }
                    }
                    ':' | '-' | '?' if word.trim().is_empty() => {}
                    _ => word.push(c),
                },
            }
            prev = c;
        }
        // `key: value` — both sides are scalars.
        for part in word.split(": ") {
            let part = part.trim().trim_end_matches(':').trim();
            if !part.is_empty() && is_ambiguous(part) {
                return Some(part.to_string());
            }
        }
    }
    None
}

fn is_ambiguous(t: &str) -> bool {
    // PyYAML's YAML 1.1 booleans, minus `y`/`n`, which it reads as strings.
    const BOOLS: &[&str] = &[
        "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    ];
    if BOOLS.contains(&t) || t == "=" || t == "<<" {
        return true;
    }
    let body = t.trim_start_matches(['+', '-']);
    let starts_digit = body.starts_with(|c: char| c.is_ascii_digit()) || body.starts_with('.');
    if !starts_digit {
        return false;
    }
    let numeric_chars = body.chars().all(|c| {
        c.is_ascii_hexdigit()
            || matches!(c, '_' | ':' | '.' | 'x' | 'o' | 'b' | '+' | '-' | 'e' | 'E')
    });
    // Dates and times: PyYAML makes them datetime objects.
    let looks_date = body.len() >= 8
        && body.as_bytes()[4] == b'-'
        && body[..4].bytes().all(|b| b.is_ascii_digit());
    if looks_date {
        return true;
    }
    if !numeric_chars {
        return false;
    }
    let leading_zero =
        body.len() > 1 && body.starts_with('0') && body.as_bytes()[1].is_ascii_digit();
    // PyYAML's float needs a dot and a signed exponent: `1e3` and `1.5e3`
    // are strings to it.
    let exponent = body.contains(['e', 'E']) && !body.starts_with("0x");
    body.contains(['_', ':'])
        || body.starts_with("0o")
        || body.starts_with("0b")
        || leading_zero
        || exponent
}

/// `json.loads(text)` (and `json.load(f)` of the file's text).
pub fn json(text: &str) -> Result<Data, PyStdError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| PyStdError::Raises {
        kind: "json.JSONDecodeError",
        message: e.to_string(),
    })?;
    from_json(v)
}

fn from_json(v: serde_json::Value) -> Result<Data, PyStdError> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => Data::None,
        J::Bool(b) => Data::Bool(b),
        J::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Data::Int(i),
            (None, Some(f)) if n.is_f64() => Data::Float(f),
            _ => return Err(PyStdError::unsupported("a very large integer")),
        },
        J::String(s) => Data::Str(s),
        J::Array(items) => Data::List(items.into_iter().map(from_json).collect::<Result<_, _>>()?),
        J::Object(m) => Data::Dict(
            m.into_iter()
                .map(|(k, v)| Ok((Data::Str(k), from_json(v)?)))
                .collect::<Result<_, PyStdError>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keeps_document_order_and_types() {
        let d =
            yaml("views:\n  b: [x, 'y', 3]\n  a: {ttl: 1.5, on_line: true}\nname: null\n").unwrap();
        let Data::Dict(top) = d else { panic!() };
        assert_eq!(top[0].0, Data::Str("views".into()));
        let Data::Dict(views) = &top[0].1 else {
            panic!()
        };
        assert_eq!(views[0].0, Data::Str("b".into()));
        assert_eq!(
            views[0].1,
            Data::List(vec![
                Data::Str("x".into()),
                Data::Str("y".into()),
                Data::Int(3)
            ])
        );
        assert_eq!(top[1].1, Data::None);
    }

    #[test]
    fn yaml_refuses_what_pyyaml_reads_differently() {
        for doc in [
            "a: yes\n",
            "on: 1\n",
            "a: 017\n",
            "a: 1_000\n",
            "a: 1e3\n",
            "a: 1.5e3\n",
            "a: 1:30\n",
            "a: 2024-01-01\n",
            "- [x, off]\n",
        ] {
            assert!(
                matches!(yaml(doc), Err(PyStdError::Unsupported(_))),
                "{doc}"
            );
        }
        for doc in [
            "a: 'yes'\n",
            "a: 10\n",
            "a: 1.5\n",
            "a: no_way # yes\n",
            "[y, n]\n",
            "a: data/x.parquet\n",
            "- -1\n",
        ] {
            assert!(yaml(doc).is_ok(), "{doc}");
        }
    }

    #[test]
    fn json_loads_in_order() {
        let d = json(r#"{"b": [1, 2.5, "x"], "a": null, "c": false}"#).unwrap();
        let Data::Dict(items) = d else { panic!() };
        assert_eq!(items[0].0, Data::Str("b".into()));
        assert_eq!(items[2].1, Data::Bool(false));
        assert!(matches!(json("{"), Err(PyStdError::Raises { .. })));
    }
}
