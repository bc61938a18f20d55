//! `str` methods and Python's three ways of formatting (f-strings and
//! `str.format`, which share the format-spec mini-language, and `%`).

use super::PyStdError;

/// A value being formatted.
#[derive(Debug, Clone, PartialEq)]
pub enum Fmt<'a> {
    Str(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
}

/// `str(x)` of a float: Python's shortest repr, in the range where it and
/// Rust's agree (no exponent).
pub fn float_str(f: f64) -> Result<String, PyStdError> {
    if !f.is_finite() {
        return Ok(if f.is_nan() {
            "nan".into()
        } else if f > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        });
    }
    let a = f.abs();
    if a != 0.0 && !(1e-4..1e16).contains(&a) {
        return Err(PyStdError::unsupported(
            "the text of a float written with an exponent",
        ));
    }
    Ok(format!("{f:?}"))
}

/// `str(x)`.
pub fn str_of(v: &Fmt) -> Result<String, PyStdError> {
    Ok(match v {
        Fmt::Str(s) => s.to_string(),
        Fmt::Int(i) => i.to_string(),
        Fmt::Float(f) => float_str(*f)?,
        Fmt::Bool(b) => if *b { "True" } else { "False" }.into(),
        Fmt::None => "None".into(),
    })
}

/// `repr(x)` for strings without quotes or backslashes inside, and scalars.
pub fn repr_of(v: &Fmt) -> Result<String, PyStdError> {
    match v {
        Fmt::Str(s) if !s.contains(['\'', '\\', '\n', '\r', '\t']) => Ok(format!("'{s}'")),
        Fmt::Str(_) => Err(PyStdError::unsupported(
            "repr of a string with quotes or escapes",
        )),
        v => str_of(v),
    }
}

/// The widest field and the longest precision formatted: Python would
/// build the string, but no schema needs a megabyte of padding.
pub const MAX_WIDTH: usize = 1024 * 1024;

/// Whether `rest` (after the width) is a `.precision` above `limit`.
fn precision_above(rest: &[char], limit: usize) -> bool {
    let digits = rest
        .iter()
        .skip(1)
        .take_while(|c| c.is_ascii_digit())
        .fold(0usize, |n, c| {
            n.saturating_mul(10)
                .saturating_add(c.to_digit(10).unwrap_or(0) as usize)
        });
    rest.first() == Some(&'.') && digits > limit
}

/// `format(v, spec)`: `[[fill]align][sign][0][width][.precision][type]`
/// with types `s`, `d`, `f`, `%` or none.
pub fn format_value(v: &Fmt, spec: &str) -> Result<String, PyStdError> {
    if spec.is_empty() {
        return str_of(v);
    }
    let unsupported = || PyStdError::unsupported(format!("the format spec {spec:?}"));
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let (mut fill, mut align) = (' ', None);
    if chars.len() >= 2 && matches!(chars[1], '<' | '>' | '^' | '=') {
        fill = chars[0];
        align = Some(chars[1]);
        i = 2;
    } else if matches!(chars[0], '<' | '>' | '^' | '=') {
        align = Some(chars[0]);
        i = 1;
    }
    let mut sign = '-';
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        sign = chars[i];
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        if align.is_none() {
            fill = '0';
            align = Some('=');
        }
        i += 1;
    }
    let mut width = 0usize;
    while i < chars.len() && chars[i].is_ascii_digit() {
        width = width
            .saturating_mul(10)
            .saturating_add(chars[i].to_digit(10).unwrap_or(0) as usize);
        i += 1;
    }
    if width > MAX_WIDTH || precision_above(&chars[i..], MAX_WIDTH) {
        return Err(PyStdError::unsupported(format!(
            "a format width or precision above {MAX_WIDTH}"
        )));
    }
    let mut precision = None;
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let mut p = 0usize;
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            p = p
                .saturating_mul(10)
                .saturating_add(chars[i].to_digit(10).unwrap_or(0) as usize);
            i += 1;
        }
        if i == start {
            return Err(unsupported());
        }
        precision = Some(p);
    }
    let ty = match &chars[i..] {
        [] => None,
        [c] => Some(*c),
        _ => return Err(unsupported()),
    };
    let numeric = matches!(v, Fmt::Int(_) | Fmt::Float(_));
    if align == Some('=') && !numeric {
        return Err(PyStdError::value_error(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let body = match (v, ty) {
        (Fmt::Str(s), None | Some('s')) if sign == '-' => match precision {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_string(),
        },
        (Fmt::Int(n), None | Some('d')) if precision.is_none() => {
            signed(*n < 0, n.unsigned_abs().to_string(), sign)
        }
        (Fmt::Int(n), Some('f' | 'F')) => {
            let f = *n as f64;
            signed(
                f < 0.0,
                format!("{:.*}", precision.unwrap_or(6), f.abs()),
                sign,
            )
        }
        (Fmt::Float(f), Some('f' | 'F')) if f.is_finite() => signed(
            *f < 0.0,
            format!("{:.*}", precision.unwrap_or(6), f.abs()),
            sign,
        ),
        (Fmt::Float(f), Some('%')) if f.is_finite() => signed(
            *f < 0.0,
            format!("{:.*}%", precision.unwrap_or(6), f.abs() * 100.0),
            sign,
        ),
        (Fmt::Float(f), None) if precision.is_none() => signed(*f < 0.0, float_str(f.abs())?, sign),
        _ => return Err(unsupported()),
    };
    let len = body.chars().count();
    if len >= width {
        return Ok(body);
    }
    let pad = width - len;
    let align = align.unwrap_or(if numeric { '>' } else { '<' });
    let fills = |n: usize| std::iter::repeat_n(fill, n).collect::<String>();
    Ok(match align {
        '<' => format!("{body}{}", fills(pad)),
        '>' => format!("{}{body}", fills(pad)),
        '^' => format!("{}{body}{}", fills(pad / 2), fills(pad - pad / 2)),
        _ => {
            let (s, digits) = match body.chars().next() {
                Some(c @ ('-' | '+' | ' ')) => (c.to_string(), &body[1..]),
                _ => (String::new(), body.as_str()),
            };
            format!("{s}{}{digits}", fills(pad))
        }
    })
}

fn signed(negative: bool, digits: String, sign: char) -> String {
    match (negative, sign) {
        (true, _) => format!("-{digits}"),
        (false, '+') => format!("+{digits}"),
        (false, ' ') => format!(" {digits}"),
        _ => digits,
    }
}

/// One replacement field of a `str.format` template.
#[derive(Debug, PartialEq)]
pub enum Field<'a> {
    Text(String),
    /// `{}` / `{0}` / `{name}`, with its conversion (`r`, `s`) and spec.
    Arg {
        key: FieldKey<'a>,
        conversion: Option<char>,
        spec: &'a str,
    },
}

#[derive(Debug, PartialEq)]
pub enum FieldKey<'a> {
    Auto,
    Index(usize),
    Name(&'a str),
}

/// Splits a `str.format` template into text and fields; attribute and
/// index lookups inside a field (`{a.b}`, `{a[0]}`) and nested specs are
/// not emulated.
pub fn parse_format(template: &str) -> Result<Vec<Field<'_>>, PyStdError> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        let after = &rest[i + 1..];
        if after.as_bytes().first() == Some(&c) {
            text.push(c as char);
            rest = &after[1..];
            continue;
        }
        if c == b'}' {
            return Err(PyStdError::value_error(
                "Single '}' encountered in format string",
            ));
        }
        let end = after
            .find('}')
            .ok_or_else(|| PyStdError::value_error("expected '}' before end of string"))?;
        let field = &after[..end];
        if field.contains('{') {
            return Err(PyStdError::unsupported("a nested format spec"));
        }
        let (head, spec) = field.split_once(':').unwrap_or((field, ""));
        let (name, conversion) = match head.split_once('!') {
            Some((n, c)) if c == "r" || c == "s" => (n, c.chars().next()),
            Some(_) => return Err(PyStdError::unsupported("a format conversion")),
            None => (head, None),
        };
        if name.contains(['.', '[']) {
            return Err(PyStdError::unsupported(
                "an attribute or index in a format field",
            ));
        }
        let key = if name.is_empty() {
            FieldKey::Auto
        } else if let Ok(n) = name.parse() {
            FieldKey::Index(n)
        } else {
            FieldKey::Name(name)
        };
        if !text.is_empty() {
            out.push(Field::Text(std::mem::take(&mut text)));
        }
        out.push(Field::Arg {
            key,
            conversion,
            spec,
        });
        rest = &after[end + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Field::Text(text));
    }
    Ok(out)
}

/// `template % args` with `%s`, `%r`, `%d`/`%i`, `%f` (flags, width and
/// precision) and `%%`.
pub fn percent(template: &str, args: &[Fmt]) -> Result<String, PyStdError> {
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut spec = String::new();
        let ty = loop {
            match chars.next() {
                Some(c) if "-+ 0123456789.".contains(c) => spec.push(c),
                Some(c) => break c,
                None => return Err(PyStdError::value_error("incomplete format")),
            }
        };
        let v = it.next().ok_or_else(|| PyStdError::Raises {
            kind: "TypeError",
            message: "not enough arguments for format string".into(),
        })?;
        let spec = spec.replacen('-', "<", 1);
        let spec = if spec.is_empty() || spec.starts_with(['<', '0']) {
            spec
        } else {
            format!(">{spec}")
        };
        let s = match (ty, v) {
            ('s', v) => format_value(&Fmt::Str(&str_of(v)?), &spec)?,
            ('r', v) => format_value(&Fmt::Str(&repr_of(v)?), &spec)?,
            ('d' | 'i', Fmt::Int(_)) => format_value(v, &spec)?,
            ('d' | 'i', Fmt::Float(f)) => format_value(&Fmt::Int(f.trunc() as i64), &spec)?,
            ('f', Fmt::Float(_) | Fmt::Int(_)) => format_value(v, &format!("{spec}f"))?,
            _ => return Err(PyStdError::unsupported(format!("`%{ty}` of a value"))),
        };
        out.push_str(&s);
    }
    if it.next().is_some() {
        return Err(PyStdError::Raises {
            kind: "TypeError",
            message: "not all arguments converted during string formatting".into(),
        });
    }
    Ok(out)
}

/// `s.split(sep, maxsplit)`; no `sep` splits on runs of whitespace.
pub fn split(s: &str, sep: Option<&str>, maxsplit: i64) -> Result<Vec<String>, PyStdError> {
    let max = usize::try_from(maxsplit).ok();
    match sep {
        Some("") => Err(PyStdError::value_error("empty separator")),
        Some(sep) => Ok(match max {
            Some(m) => s.splitn(m + 1, sep).map(str::to_string).collect(),
            None => s.split(sep).map(str::to_string).collect(),
        }),
        None => {
            let mut out = Vec::new();
            let mut rest = s.trim_start();
            while !rest.is_empty() {
                if max.is_some_and(|m| out.len() == m) {
                    out.push(rest.to_string());
                    break;
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                out.push(rest[..end].to_string());
                rest = rest[end..].trim_start();
            }
            Ok(out)
        }
    }
}

/// `strip`/`lstrip`/`rstrip` with optional characters.
pub fn strip(s: &str, chars: Option<&str>, left: bool, right: bool) -> String {
    let pred = |c: char| match chars {
        Some(set) => set.contains(c),
        None => c.is_whitespace(),
    };
    let mut out = s;
    if left {
        out = out.trim_start_matches(pred);
    }
    if right {
        out = out.trim_end_matches(pred);
    }
    out.to_string()
}

/// `str.title()`: a letter after a non-letter is upper-cased, others lowered.
pub fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_cased = c.is_alphabetic();
    }
    out
}

/// `str.capitalize()`.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// `str.zfill(width)`.
pub fn zfill(s: &str, width: i64) -> Result<String, PyStdError> {
    if width > MAX_WIDTH as i64 {
        return Err(PyStdError::unsupported(format!(
            "a `zfill` width above {MAX_WIDTH}"
        )));
    }
    Ok(zfill_unbounded(s, width))
}

fn zfill_unbounded(s: &str, width: i64) -> String {
    let len = s.chars().count() as i64;
    if len >= width {
        return s.to_string();
    }
    let pad = "0".repeat((width - len) as usize);
    match s.chars().next() {
        Some(c @ ('-' | '+')) => format!("{c}{pad}{}", &s[1..]),
        _ => format!("{pad}{s}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_specs_like_python() {
        assert_eq!(format_value(&Fmt::Int(3), "03d").unwrap(), "003");
        assert_eq!(format_value(&Fmt::Str("ab"), ">6").unwrap(), "    ab");
        assert_eq!(format_value(&Fmt::Str("c"), "<3").unwrap(), "c  ");
        assert_eq!(format_value(&Fmt::Float(2.25), "05.1f").unwrap(), "002.2");
        assert_eq!(format_value(&Fmt::Float(1.5), "").unwrap(), "1.5");
        assert_eq!(format_value(&Fmt::Int(-5), "04d").unwrap(), "-005");
        assert_eq!(format_value(&Fmt::Str("x"), "*^5").unwrap(), "**x**");
        assert!(format_value(&Fmt::Str("x"), "d").is_err());
        assert!(format_value(&Fmt::Str("x"), "=5").is_err());
    }

    #[test]
    fn str_of_scalars() {
        assert_eq!(str_of(&Fmt::Float(1.0)).unwrap(), "1.0");
        assert_eq!(str_of(&Fmt::Float(123456789.0)).unwrap(), "123456789.0");
        assert_eq!(str_of(&Fmt::Float(0.0001)).unwrap(), "0.0001");
        assert!(str_of(&Fmt::Float(1e16)).is_err());
        assert_eq!(str_of(&Fmt::Bool(true)).unwrap(), "True");
        assert_eq!(str_of(&Fmt::None).unwrap(), "None");
        assert_eq!(repr_of(&Fmt::Str("q")).unwrap(), "'q'");
    }

    #[test]
    fn format_templates() {
        let f = parse_format("{}/{x!r:>4}{{}}{1}").unwrap();
        assert_eq!(f.len(), 5);
        assert_eq!(
            f[2],
            Field::Arg {
                key: FieldKey::Name("x"),
                conversion: Some('r'),
                spec: ">4"
            }
        );
        assert_eq!(f[3], Field::Text("{}".into()));
        assert!(parse_format("{a.b}").is_err());
        assert!(parse_format("}").is_err());
    }

    #[test]
    fn percent_formatting() {
        let args = [Fmt::Float(1.23456), Fmt::Str("ab"), Fmt::Int(7)];
        assert_eq!(percent("%5.2f|%-4s|%03d", &args).unwrap(), " 1.23|ab  |007");
        assert_eq!(
            percent("%s_%d%%", &[Fmt::Str("a"), Fmt::Int(2)]).unwrap(),
            "a_2%"
        );
        assert!(percent("%s", &[]).is_err());
        assert!(percent("x", &[Fmt::Int(1)]).is_err());
    }

    #[test]
    fn split_strip_and_case() {
        assert_eq!(split(" a  b ", None, -1).unwrap(), ["a", "b"]);
        assert_eq!(split("a,b,c", Some(","), 1).unwrap(), ["a", "b,c"]);
        assert_eq!(split("a b c", None, 1).unwrap(), ["a", "b c"]);
        assert!(split("a", Some(""), -1).is_err());
        assert_eq!(strip("xxaxx", Some("x"), true, false), "axx");
        assert_eq!(strip("  a ", None, true, true), "a");
        assert_eq!(title("hello world_x"), "Hello World_X");
        assert_eq!(capitalize("hELLO"), "Hello");
        assert_eq!(zfill("-7", 4).unwrap(), "-007");
    }
}
