//! Python's builtins and the methods of built-in values (`str`, `list`,
//! `dict`, paths, open files).

use std::cmp::Ordering;

use super::super::objects::Args;
use super::super::pystd::{PyStdError, pathlib, strings};
use super::value::{Loc, Value, dict_set, is_hashable, iterate, py_cmp, py_eq, same_key};
use super::{Evaluator, STEP_BUDGET};

const BUILTINS: &[&str] = &[
    "dict",
    "list",
    "tuple",
    "set",
    "frozenset",
    "str",
    "int",
    "float",
    "bool",
    "len",
    "range",
    "print",
    "sorted",
    "reversed",
    "enumerate",
    "zip",
    "map",
    "filter",
    "open",
    "isinstance",
    "issubclass",
    "getattr",
    "setattr",
    "hasattr",
    "delattr",
    "globals",
    "locals",
    "vars",
    "dir",
    "object",
    "super",
    "min",
    "max",
    "sum",
    "any",
    "all",
    "repr",
    "ascii",
    "type",
    "abs",
    "round",
    "divmod",
    "pow",
    "hash",
    "id",
    "iter",
    "next",
    "callable",
    "format",
    "chr",
    "ord",
    "hex",
    "oct",
    "bin",
    "bytes",
    "bytearray",
    "complex",
    "slice",
    "property",
    "staticmethod",
    "classmethod",
    "__import__",
    "exec",
    "eval",
    "compile",
    "input",
    "help",
    "memoryview",
    "NotImplemented",
    "Ellipsis",
    "BaseException",
    "Exception",
    "ValueError",
    "KeyError",
    "TypeError",
    "RuntimeError",
    "AttributeError",
    "ImportError",
    "ModuleNotFoundError",
    "FileNotFoundError",
    "OSError",
    "IndexError",
    "NotImplementedError",
    "StopIteration",
    "Warning",
    "UserWarning",
    "DeprecationWarning",
];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

impl Evaluator<'_> {
    pub(super) fn builtin(&mut self, name: &str, args: Args, at: Loc) -> Value {
        let kw: Vec<(&str, &Value)> = args
            .kw
            .iter()
            .map(|(k, a)| (k.as_str(), &a.value))
            .collect();
        let pos: Vec<&Value> = args.pos.iter().map(|a| &a.value).collect();
        if let Some(d) = pos
            .iter()
            .chain(kw.iter().map(|(_, v)| v))
            .find_map(|v| match v {
                Value::Dynamic(d) => Some(d.clone()),
                _ => None,
            })
        {
            return Value::Dynamic(d);
        }
        let kwarg = |n: &str| kw.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        let unknown = |ev: &mut Self| {
            ev.dynamic(
                at.clone(),
                format!("the result of `{name}(...)` here"),
                false,
            )
        };
        match (name, pos.as_slice()) {
            ("len", [v]) => match v {
                Value::List(l) => Value::Int(l.len() as i64),
                Value::Dict(d) => Value::Int(d.len() as i64),
                Value::Set(s) => Value::Int(s.len() as i64),
                Value::Str(s) => Value::Int(s.chars().count() as i64),
                _ => unknown(self),
            },
            ("range", ints) if kw.is_empty() && !ints.is_empty() && ints.len() <= 3 => {
                let mut n = Vec::new();
                for v in ints {
                    match v {
                        Value::Int(i) => n.push(*i),
                        _ => return unknown(self),
                    }
                }
                let (lo, hi, step) = match n.as_slice() {
                    [h] => (0, *h, 1),
                    [l, h] => (*l, *h, 1),
                    [l, h, s] => (*l, *h, *s),
                    _ => return unknown(self),
                };
                if step == 0 {
                    return self.dynamic(
                        at,
                        "range() with step 0 (Python raises ValueError)",
                        false,
                    );
                }
                // In i128: the span of two i64 bounds, or a step of
                // i64::MIN negated, does not fit i64. Every item does.
                let (lo, hi, step) = (i128::from(lo), i128::from(hi), i128::from(step));
                let (span, stride) = if step > 0 {
                    ((hi - lo).max(0), step)
                } else {
                    ((lo - hi).max(0), -step)
                };
                let count = span / stride + i128::from(span % stride != 0);
                if count > i128::from(STEP_BUDGET) {
                    return self.dynamic(at, "a range too long to evaluate", false);
                }
                Value::List(
                    (0..count)
                        .map(|i| Value::Int((lo + i * step) as i64))
                        .collect(),
                )
            }
            ("str", []) => Value::Str(String::new()),
            ("str", [v]) if kw.is_empty() => match v {
                Value::Path(p) => Value::Str(p.clone()),
                v => match v.fmt().map(|f| strings::str_of(&f)) {
                    Some(Ok(s)) => Value::Str(s),
                    _ => unknown(self),
                },
            },
            ("repr", [v]) => match v
                .fmt()
                .filter(|_| !matches!(v, Value::Path(_)))
                .map(|f| strings::repr_of(&f))
            {
                Some(Ok(s)) => Value::Str(s),
                _ => unknown(self),
            },
            ("int", [v]) if kw.is_empty() => match v {
                Value::Int(i) => Value::Int(*i),
                Value::Bool(b) => Value::Int(i64::from(*b)),
                Value::Float(f) if f.is_finite() && f.abs() < 9e15 => Value::Int(f.trunc() as i64),
                Value::Str(s) => match s.trim().replace('_', "").parse::<i64>() {
                    Ok(i) if !s.trim().starts_with('_') && !s.contains("__") => Value::Int(i),
                    _ => self.dynamic(at, format!("int() of {}", v.describe()), false),
                },
                _ => unknown(self),
            },
            ("float", [v]) if kw.is_empty() => match v {
                Value::Float(f) => Value::Float(*f),
                Value::Int(i) => Value::Float(*i as f64),
                Value::Str(s) => match s.trim().parse::<f64>() {
                    Ok(f) if !s.contains('_') => Value::Float(f),
                    _ => self.dynamic(at, format!("float() of {}", v.describe()), false),
                },
                _ => unknown(self),
            },
            ("bool", []) => Value::Bool(false),
            ("bool", [v]) => match v.truth() {
                Some(b) => Value::Bool(b),
                None => unknown(self),
            },
            ("list" | "tuple", []) => Value::List(Vec::new()),
            ("list" | "tuple", [v]) => match iterate(v) {
                Some(items) => Value::List(items),
                None => unknown(self),
            },
            ("dict", rest) if rest.len() <= 1 => {
                let mut out = match rest.first() {
                    None => Vec::new(),
                    Some(Value::Dict(d)) => d.clone(),
                    Some(v) => match iterate(v) {
                        Some(items) => {
                            let mut out = Vec::new();
                            for item in items {
                                match item {
                                    Value::List(kv) if kv.len() == 2 && is_hashable(&kv[0]) => {
                                        let mut kv = kv.into_iter();
                                        let (k, v) = (
                                            kv.next().unwrap_or(Value::None),
                                            kv.next().unwrap_or(Value::None),
                                        );
                                        dict_set(&mut out, k, v);
                                    }
                                    _ => return unknown(self),
                                }
                            }
                            out
                        }
                        None => return unknown(self),
                    },
                };
                for (k, v) in &kw {
                    dict_set(&mut out, Value::Str(k.to_string()), (*v).clone());
                }
                Value::Dict(out)
            }
            ("set" | "frozenset", []) => Value::Set(Vec::new()),
            ("set" | "frozenset", [v]) => match iterate(v) {
                Some(items) if items.iter().all(is_hashable) => super::expr::set_of(items),
                _ => match v {
                    Value::Set(s) => Value::Set(s.clone()),
                    _ => unknown(self),
                },
            },
            ("sorted", [v]) => {
                // Sorting gives a set an order Python does not depend on.
                let items = match v {
                    Value::Set(s) => Some(s.clone()),
                    v => iterate(v),
                };
                let Some(items) = items else {
                    return unknown(self);
                };
                let reverse = match kwarg("reverse").map(Value::truth) {
                    None => false,
                    Some(Some(b)) => b,
                    Some(None) => return unknown(self),
                };
                let keys = match kwarg("key") {
                    None | Some(Value::None) => items.clone(),
                    Some(f) => {
                        let f = f.clone();
                        items
                            .iter()
                            .map(|i| self.call_value(&f, vec![i.clone()], &at))
                            .collect()
                    }
                };
                let mut idx: Vec<usize> = (0..items.len()).collect();
                let mut known = true;
                // Python's sort is stable, in both directions.
                idx.sort_by(|a, b| {
                    let o = py_cmp(&keys[*a], &keys[*b]).unwrap_or_else(|| {
                        known = false;
                        Ordering::Equal
                    });
                    if reverse { o.reverse() } else { o }
                });
                if !known {
                    return self.dynamic(at, "sorting values feastops cannot compare", false);
                }
                Value::List(idx.into_iter().map(|i| items[i].clone()).collect())
            }
            ("reversed", [Value::List(l)]) => Value::List(l.iter().rev().cloned().collect()),
            ("enumerate", [v]) => {
                let start = match kwarg("start") {
                    None => 0,
                    Some(Value::Int(i)) => *i,
                    Some(_) => return unknown(self),
                };
                match iterate(v) {
                    Some(items) => Value::List(
                        items
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| Value::List(vec![Value::Int(start + i as i64), v]))
                            .collect(),
                    ),
                    None => unknown(self),
                }
            }
            ("enumerate", [v, Value::Int(start)]) => match iterate(v) {
                Some(items) => Value::List(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| Value::List(vec![Value::Int(start + i as i64), v]))
                        .collect(),
                ),
                None => unknown(self),
            },
            ("zip", its) if kw.is_empty() => {
                let mut lists = Vec::new();
                for v in its {
                    match iterate(v) {
                        Some(items) => lists.push(items),
                        None => return unknown(self),
                    }
                }
                let n = lists.iter().map(Vec::len).min().unwrap_or(0);
                Value::List(
                    (0..n)
                        .map(|i| Value::List(lists.iter().map(|l| l[i].clone()).collect()))
                        .collect(),
                )
            }
            ("min" | "max", items) if kw.is_empty() && !items.is_empty() => {
                let list = if items.len() == 1 {
                    match iterate(items[0]) {
                        Some(l) => l,
                        None => return unknown(self),
                    }
                } else {
                    items.iter().map(|v| (*v).clone()).collect()
                };
                let mut best: Option<Value> = None;
                for v in list {
                    best = Some(match best {
                        None => v,
                        Some(b) => match py_cmp(&v, &b) {
                            Some(Ordering::Less) if name == "min" => v,
                            Some(Ordering::Greater) if name == "max" => v,
                            Some(_) => b,
                            None => return unknown(self),
                        },
                    });
                }
                best.unwrap_or_else(|| {
                    self.dynamic(
                        at.clone(),
                        format!("{name}() of an empty sequence (Python raises ValueError)"),
                        false,
                    )
                })
            }
            ("sum", [v]) if kw.is_empty() => {
                let Some(items) = iterate(v) else {
                    return unknown(self);
                };
                let mut acc = Value::Int(0);
                for i in items {
                    acc = self.binop(&acc, ruff_python_ast::Operator::Add, &i, at.clone());
                }
                acc
            }
            ("any" | "all", [v]) => {
                let Some(items) = iterate(v) else {
                    return unknown(self);
                };
                let want = name == "any";
                for i in items {
                    match i.truth() {
                        Some(t) if t == want => return Value::Bool(want),
                        Some(_) => {}
                        None => return unknown(self),
                    }
                }
                Value::Bool(!want)
            }
            ("map", [f, v]) => {
                let Some(items) = iterate(v) else {
                    return unknown(self);
                };
                let f = (*f).clone();
                Value::List(
                    items
                        .into_iter()
                        .map(|i| self.call_value(&f, vec![i], &at))
                        .collect(),
                )
            }
            ("filter", [f, v]) => {
                let Some(items) = iterate(v) else {
                    return unknown(self);
                };
                let f = (*f).clone();
                let mut out = Vec::new();
                for i in items {
                    let keep = match &f {
                        Value::None => i.truth(),
                        f => self.call_value(f, vec![i.clone()], &at).truth(),
                    };
                    match keep {
                        Some(true) => out.push(i),
                        Some(false) => {}
                        None => return unknown(self),
                    }
                }
                Value::List(out)
            }
            ("isinstance", [v, Value::Ext(t)]) => {
                let known = match (t.as_str(), v) {
                    ("builtins.str", Value::Str(_))
                    | ("builtins.dict", Value::Dict(_))
                    | ("builtins.float", Value::Float(_)) => Some(true),
                    ("builtins.int", Value::Int(_) | Value::Bool(_))
                    | ("builtins.bool", Value::Bool(_)) => Some(true),
                    (
                        "builtins.str" | "builtins.dict" | "builtins.float" | "builtins.int"
                        | "builtins.bool",
                        Value::Str(_)
                        | Value::Dict(_)
                        | Value::Float(_)
                        | Value::Int(_)
                        | Value::Bool(_)
                        | Value::None
                        | Value::List(_),
                    ) => Some(false),
                    _ => None,
                };
                match known {
                    Some(b) => Value::Bool(b),
                    None => unknown(self),
                }
            }
            ("print", _) => Value::None,
            ("open", [p, rest @ ..]) => {
                let mode = match (rest.first(), kwarg("mode")) {
                    (None, None) => "r",
                    (Some(Value::Str(m)), None) | (None, Some(Value::Str(m))) => m.as_str(),
                    _ => return unknown(self),
                };
                match (mode, p.as_path_str(), &self.root) {
                    ("r" | "rt", Some(p), Some(root)) => {
                        Value::File(super::super::pystd::os_path::abspath(p, root))
                    }
                    _ => self.dynamic(at, "open() other than reading a file of the repo", false),
                }
            }
            _ => unknown(self),
        }
    }

    /// `recv.method(args)` for built-in values.
    pub(super) fn method(&mut self, recv: Value, method: &str, args: Args, at: Loc) -> Value {
        let pos: Vec<Value> = args.pos.into_iter().map(|a| a.value).collect();
        let kw: Vec<(String, Value)> = args
            .kw
            .into_iter()
            .map(|(k, a)| (k.to_string(), a.value))
            .collect();
        if let Some(d) = pos
            .iter()
            .chain(kw.iter().map(|(_, v)| v))
            .find_map(|v| match v {
                Value::Dynamic(d) => Some(d.clone()),
                _ => None,
            })
        {
            return Value::Dynamic(d);
        }
        let r = match &recv {
            Value::Str(s) => self.str_method(s, method, &pos, &kw, &at),
            Value::List(l) => list_method(l, method, &pos),
            Value::Dict(d) => dict_method(d, method, &pos),
            Value::Path(p) => return self.path_method(p, method, &pos, &kw, at),
            Value::File(p) if method == "read" && pos.is_empty() => {
                return self.read_repo_file(p, &at);
            }
            _ => None,
        };
        match r {
            Some(Ok(v)) => v,
            Some(Err(e)) => self.dynamic(
                at,
                format!("`.{method}(...)` of {}: {e}", recv.describe()),
                false,
            ),
            None => self.dynamic(
                at,
                format!("`.{method}(...)` of {}", recv.describe()),
                false,
            ),
        }
    }

    fn str_method(
        &mut self,
        s: &str,
        method: &str,
        pos: &[Value],
        kw: &[(String, Value)],
        at: &Loc,
    ) -> Option<Result<Value, PyStdError>> {
        let str_arg = |i: usize| match pos.get(i) {
            Some(Value::Str(x)) => Some(Some(x.as_str())),
            None | Some(Value::None) => Some(None),
            _ => None,
        };
        let strs = |v: Vec<String>| Value::List(v.into_iter().map(Value::Str).collect());
        if method == "format" {
            return Some(format_call(s, pos, kw).map(Value::Str));
        }
        if !kw.is_empty() {
            return None;
        }
        Some(Ok(match (method, pos) {
            ("upper", []) => Value::Str(s.to_uppercase()),
            ("lower", []) => Value::Str(s.to_lowercase()),
            ("title", []) => Value::Str(strings::title(s)),
            ("capitalize", []) => Value::Str(strings::capitalize(s)),
            ("strip" | "lstrip" | "rstrip", _) if pos.len() <= 1 => {
                let chars = str_arg(0)?;
                Value::Str(strings::strip(
                    s,
                    chars,
                    method != "rstrip",
                    method != "lstrip",
                ))
            }
            // Each replacement may grow the string: charged before it is built.
            ("replace", [Value::Str(a), Value::Str(b), ..])
                if !self.charge(replaced_len(s, a, b), at) =>
            {
                return Some(Ok(Self::reported(at.clone())));
            }
            ("replace", [Value::Str(a), Value::Str(b)]) => Value::Str(s.replace(a.as_str(), b)),
            ("replace", [Value::Str(a), Value::Str(b), Value::Int(n)]) => Value::Str(if *n < 0 {
                s.replace(a.as_str(), b)
            } else {
                s.replacen(a.as_str(), b, *n as usize)
            }),
            ("split", _) if pos.len() <= 2 => {
                let sep = str_arg(0)?;
                let max = match pos.get(1) {
                    None => -1,
                    Some(Value::Int(n)) => *n,
                    _ => return None,
                };
                return Some(strings::split(s, sep, max).map(strs));
            }
            ("join", [v]) => {
                let items = iterate(v)?;
                let mut parts = Vec::with_capacity(items.len());
                for i in items {
                    match i {
                        Value::Str(x) => parts.push(x),
                        _ => return None,
                    }
                }
                let len = parts.iter().map(|p| p.len() as u64).sum::<u64>()
                    + s.len() as u64 * parts.len() as u64;
                if !self.charge(len, at) {
                    return Some(Ok(Self::reported(at.clone())));
                }
                Value::Str(parts.join(s))
            }
            ("startswith" | "endswith", [p]) => {
                let options: Vec<String> = match p {
                    Value::Str(x) => vec![x.clone()],
                    Value::List(l) => l
                        .iter()
                        .map(|v| match v {
                            Value::Str(x) => Some(x.clone()),
                            _ => None,
                        })
                        .collect::<Option<_>>()?,
                    _ => return None,
                };
                Value::Bool(options.iter().any(|o| {
                    if method == "startswith" {
                        s.starts_with(o.as_str())
                    } else {
                        s.ends_with(o.as_str())
                    }
                }))
            }
            ("removeprefix", [Value::Str(p)]) => {
                Value::Str(s.strip_prefix(p.as_str()).unwrap_or(s).to_string())
            }
            ("removesuffix", [Value::Str(p)]) => Value::Str(if p.is_empty() {
                s.to_string()
            } else {
                s.strip_suffix(p.as_str()).unwrap_or(s).to_string()
            }),
            ("zfill", [Value::Int(w)]) => return Some(strings::zfill(s, *w).map(Value::Str)),
            ("count", [Value::Str(x)]) if !x.is_empty() => {
                Value::Int(s.matches(x.as_str()).count() as i64)
            }
            ("isdigit", []) => Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())),
            _ => return None,
        }))
    }
}

/// `template.format(*pos, **kw)`.
fn format_call(
    template: &str,
    pos: &[Value],
    kw: &[(String, Value)],
) -> Result<String, PyStdError> {
    let mut out = String::new();
    let mut auto = 0usize;
    for field in strings::parse_format(template)? {
        match field {
            strings::Field::Text(t) => out.push_str(&t),
            strings::Field::Arg {
                key,
                conversion,
                spec,
            } => {
                let v = match key {
                    strings::FieldKey::Auto => {
                        auto += 1;
                        pos.get(auto - 1)
                    }
                    strings::FieldKey::Index(i) => pos.get(i),
                    strings::FieldKey::Name(n) => kw.iter().find(|(k, _)| k == n).map(|(_, v)| v),
                }
                .ok_or_else(|| PyStdError::Raises {
                    kind: "IndexError/KeyError",
                    message: "a format field without an argument".into(),
                })?;
                let s = super::expr::format_one(v, conversion, spec)
                    .map_err(PyStdError::Unsupported)?;
                out.push_str(&s);
            }
        }
    }
    Ok(out)
}

fn list_method(l: &[Value], method: &str, pos: &[Value]) -> Option<Result<Value, PyStdError>> {
    Some(Ok(match (method, pos) {
        ("copy", []) => Value::List(l.to_vec()),
        ("count", [v]) => {
            let mut n = 0;
            for x in l {
                if py_eq(x, v)? {
                    n += 1;
                }
            }
            Value::Int(n)
        }
        ("index", [v]) => {
            for (i, x) in l.iter().enumerate() {
                if py_eq(x, v)? {
                    return Some(Ok(Value::Int(i as i64)));
                }
            }
            return Some(Err(PyStdError::value_error("the value is not in the list")));
        }
        _ => return None,
    }))
}

fn dict_method(
    d: &[(Value, Value)],
    method: &str,
    pos: &[Value],
) -> Option<Result<Value, PyStdError>> {
    Some(Ok(match (method, pos) {
        ("items", []) => Value::List(
            d.iter()
                .map(|(k, v)| Value::List(vec![k.clone(), v.clone()]))
                .collect(),
        ),
        ("keys", []) => Value::List(d.iter().map(|(k, _)| k.clone()).collect()),
        ("values", []) => Value::List(d.iter().map(|(_, v)| v.clone()).collect()),
        ("copy", []) => Value::Dict(d.to_vec()),
        ("get", [k, rest @ ..]) if rest.len() <= 1 && is_hashable(k) => {
            match d.iter().find(|(x, _)| same_key(x, k)) {
                Some((_, v)) => v.clone(),
                None => rest.first().cloned().unwrap_or(Value::None),
            }
        }
        _ => return None,
    }))
}

impl Evaluator<'_> {
    fn path_method(
        &mut self,
        p: &str,
        method: &str,
        pos: &[Value],
        kw: &[(String, Value)],
        at: Loc,
    ) -> Value {
        let s = |i: usize| pos.get(i).and_then(Value::as_path_str);
        let path_result = |ev: &mut Self, r: Result<String, PyStdError>| match r {
            Ok(p) => Value::Path(p),
            Err(e) => ev.dynamic(
                at.clone(),
                format!("`.{method}(...)` of a path: {e}"),
                false,
            ),
        };
        if !kw.is_empty() && method != "open" {
            return self.dynamic(
                at,
                format!("`.{method}(...)` of a path with keyword arguments"),
                false,
            );
        }
        match (method, pos.len()) {
            ("joinpath", _) => {
                let mut out = p.to_string();
                for v in pos {
                    match v.as_path_str() {
                        Some(x) => out = pathlib::join(&out, x),
                        None => {
                            return self.dynamic(
                                at,
                                format!("`.joinpath(...)` with {}", v.describe()),
                                false,
                            );
                        }
                    }
                }
                Value::Path(out)
            }
            ("with_suffix", 1) if s(0).is_some() => {
                path_result(self, pathlib::with_suffix(p, s(0).unwrap_or_default()))
            }
            ("with_name", 1) if s(0).is_some() => {
                path_result(self, pathlib::with_name(p, s(0).unwrap_or_default()))
            }
            ("with_stem", 1) if s(0).is_some() => {
                path_result(self, pathlib::with_stem(p, s(0).unwrap_or_default()))
            }
            ("relative_to", 1) if s(0).is_some() => path_result(
                self,
                pathlib::relative_to(p, &pathlib::new(&[s(0).unwrap_or_default()])),
            ),
            ("as_posix", 0) | ("__str__", 0) => Value::Str(p.to_string()),
            ("is_absolute", 0) => Value::Bool(pathlib::is_absolute(p)),
            ("absolute" | "resolve", 0) => match self.root.clone() {
                Some(root) if method == "absolute" => Value::Path(pathlib::absolute(p, &root)),
                Some(root) => Value::Path(self.realpath(&pathlib::absolute(p, &root))),
                None => self.dynamic(
                    at,
                    "the repo directory (not known as an absolute path)",
                    false,
                ),
            },
            ("exists" | "is_file" | "is_dir", 0) => self.repo_file_test(p, method, &at),
            ("read_text", 0) => self.read_repo_file(p, &at),
            ("open", 0) if kw.is_empty() => match &self.root {
                Some(root) => Value::File(super::super::pystd::os_path::abspath(p, root)),
                None => self.dynamic(
                    at,
                    "the repo directory (not known as an absolute path)",
                    false,
                ),
            },
            _ => self.dynamic(at, format!("`.{method}(...)` of a path"), false),
        }
    }
}

/// The length of `s.replace(old, new)`, without building it.
fn replaced_len(s: &str, old: &str, new: &str) -> u64 {
    let count = if old.is_empty() {
        s.chars().count() as u64 + 1
    } else {
        s.matches(old).count() as u64
    };
    (s.len() as u64)
        .saturating_sub(count.saturating_mul(old.len() as u64))
        .saturating_add(count.saturating_mul(new.len() as u64))
}
