//! What the evaluator knows about a Python value, and the value-level
//! operations of the language (truth, equality, order, iteration).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use ruff_python_ast as ast;
use ruff_text_size::TextSize;

use super::super::objects::Obj;
use super::super::pystd::strings::Fmt;
use crate::model::{DType, Location};

/// A Python value as far as the evaluator can know it.
#[derive(Debug, Clone)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A list or tuple.
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// A set of hashable values: membership and size are known, its
    /// iteration order (Python's hash order) is not.
    Set(Vec<Value>),
    /// A `timedelta`, in seconds.
    Timedelta(f64),
    DType(DType),
    /// A `ValueType` member's number.
    VType(i32),
    /// A Feast object built by a constructor.
    Obj(Rc<Obj>),
    /// `view[[...]]` and `.with_name(...)`.
    Proj(Rc<Projection>),
    /// Something imported from outside the repo, by dotted path
    /// (`feast.FeatureView`, `datetime.timedelta`, `pandas.DataFrame`).
    Ext(String),
    /// A module of the repo, by dotted name.
    Module(String),
    /// A method looked up on a value, waiting for its call.
    Method(Box<Value>, String),
    /// A function or lambda defined in the repo.
    Function(Rc<Function>),
    /// A class defined in the repo (never instantiated by the evaluator).
    Class(Rc<Loc>, String),
    /// A `pathlib` path, in its normalized string form.
    Path(String),
    /// What `open(path)` returned, by absolute path.
    File(String),
    Dynamic(Rc<Dyn>),
}

/// A value only running the code would give.
#[derive(Debug)]
pub struct Dyn {
    pub at: Loc,
    pub why: String,
    /// It may be a Feast object (a call into code feastops cannot follow):
    /// binding it at module level may hide an object from the reader.
    pub may_define: bool,
    /// It comes from a library outside the repo that was handed no repo
    /// function: calling it runs library code only, which builds no Feast
    /// object the repo binds (`logger.info(...)`).
    pub library: bool,
}

#[derive(Debug)]
pub struct Projection {
    pub view: Rc<Obj>,
    pub features: Vec<String>,
    pub alias: Option<String>,
}

/// A namespace shared by the frames and closures that see it, so a name
/// rebound later is seen by a function that reads it later, as in Python.
pub type Scope = Rc<RefCell<Namespace>>;
pub type Namespace = BTreeMap<String, Value>;

/// A repo module as functions defined in it see it.
#[derive(Debug)]
pub struct Module {
    pub file: Rc<str>,
    /// Dotted module name, for relative imports and `__name__`.
    pub name: String,
    pub is_package: bool,
    pub lines: Lines,
    pub globals: Scope,
    /// `from feast... import *`: unresolved names fall back to these.
    pub star_ext: RefCell<Vec<String>>,
}

/// A function or lambda of the repo. Its syntax is kept (cloned from the
/// parsed file) so it can be called after its module was read.
#[derive(Debug)]
pub struct Function {
    pub name: String,
    pub at: Loc,
    pub module: Rc<Module>,
    pub body: FunctionBody,
    /// Defaults are evaluated once, where the function is defined.
    pub defaults: BTreeMap<String, Value>,
    /// Wrapped by a decorator that is not Feast's: what calling it does is
    /// that library's business.
    pub wrapped: bool,
    /// The frames of the functions it is nested in, innermost last.
    pub closure: Vec<Scope>,
}

#[derive(Debug)]
pub enum FunctionBody {
    Def(Box<ast::StmtFunctionDef>),
    Lambda(Box<ast::ExprLambda>),
}

impl Function {
    pub fn parameters(&self) -> Option<&ast::Parameters> {
        match &self.body {
            FunctionBody::Def(d) => Some(&d.parameters),
            FunctionBody::Lambda(l) => l.parameters.as_deref(),
        }
    }

    /// Its source text as `inspect.getsource` gives it: whole lines, from
    /// the first decorator to the end of the body. Feast 0.67 stores a
    /// function's text only for decorated views (read at the decorator);
    /// kept for the versions that store it for `udf=` too.
    #[allow(dead_code)]
    pub fn source<'a>(&self, src: &'a str) -> &'a str {
        let (start, end) = match &self.body {
            FunctionBody::Def(d) => (
                d.decorator_list
                    .first()
                    .map_or(d.range.start(), |x| x.range.start()),
                d.range.end(),
            ),
            FunctionBody::Lambda(l) => (l.range.start(), l.range.end()),
        };
        whole_lines(src, start, end)
    }
}

/// The lines of `src` that hold `start..end`, with the final newline.
pub fn whole_lines(src: &str, start: TextSize, end: TextSize) -> &str {
    let s = src[..usize::from(start)].rfind('\n').map_or(0, |i| i + 1);
    let e = src[usize::from(end)..]
        .find('\n')
        .map_or(src.len(), |i| usize::from(end) + i + 1);
    &src[s..e]
}

impl Value {
    pub fn describe(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(_) => "a bool".into(),
            Value::Int(_) => "an int".into(),
            Value::Float(_) => "a float".into(),
            Value::Str(s) => format!("the string {s:?}"),
            Value::List(_) => "a list".into(),
            Value::Dict(_) => "a dict".into(),
            Value::Set(_) => "a set (its order is Python's hash order)".into(),
            Value::Timedelta(_) => "a timedelta".into(),
            Value::DType(t) => format!("the type {t}"),
            Value::VType(_) => "a ValueType".into(),
            Value::Obj(o) => o.describe(),
            Value::Proj(p) => format!("a projection of {}", p.view.describe()),
            Value::Ext(p) => format!("`{p}`"),
            Value::Module(m) => format!("the module `{m}`"),
            Value::Method(_, m) => format!("the method `{m}`"),
            Value::Function(f) => format!(
                "the function `{}` (defined at {}:{})",
                f.name, f.at.file, f.at.line
            ),
            Value::Class(_, n) => format!("the class `{n}`"),
            Value::Path(p) => format!("the path {p:?}"),
            Value::File(p) => format!("the open file {p:?}"),
            Value::Dynamic(d) => d.why.clone(),
        }
    }

    /// `bool(v)`, when known.
    pub fn truth(&self) -> Option<bool> {
        Some(match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Set(s) => !s.is_empty(),
            Value::Timedelta(s) => *s != 0.0,
            Value::Obj(_)
            | Value::Proj(_)
            | Value::DType(_)
            | Value::Module(_)
            | Value::Function(_)
            | Value::Class(..)
            | Value::Path(_)
            | Value::File(_)
            | Value::Method(..) => true,
            Value::VType(_) | Value::Ext(_) | Value::Dynamic(_) => return None,
        })
    }

    /// The value as an argument of string formatting.
    pub fn fmt(&self) -> Option<Fmt<'_>> {
        Some(match self {
            Value::Str(s) | Value::Path(s) => Fmt::Str(s),
            Value::Int(i) => Fmt::Int(*i),
            Value::Float(f) => Fmt::Float(*f),
            Value::Bool(b) => Fmt::Bool(*b),
            Value::None => Fmt::None,
            _ => return None,
        })
    }

    /// A `str` or `os.PathLike` argument (`os.fspath`).
    pub fn as_path_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Path(s) => Some(s),
            _ => None,
        }
    }
}

/// `a == b`, when known.
pub fn py_eq(a: &Value, b: &Value) -> Option<bool> {
    use Value::*;
    Some(match (a, b) {
        (None, None) => true,
        (Bool(x), Bool(y)) => x == y,
        (Int(x), Int(y)) => x == y,
        (Float(x), Float(y)) => x == y,
        (Int(x), Float(y)) | (Float(y), Int(x)) => (*x as f64) == *y,
        (Bool(x), Int(y)) | (Int(y), Bool(x)) => i64::from(*x) == *y,
        (Str(x), Str(y)) => x == y,
        (Path(x), Path(y)) => x == y,
        (Timedelta(x), Timedelta(y)) => x == y,
        (DType(x), DType(y)) => x == y,
        (List(x), List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (p, q) in x.iter().zip(y) {
                if !py_eq(p, q)? {
                    return Some(false);
                }
            }
            true
        }
        (Dict(x), Dict(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (k, v) in x {
                match y.iter().find(|(k2, _)| py_eq(k, k2) == Some(true)) {
                    Some((_, v2)) if py_eq(v, v2)? => {}
                    _ => return Some(false),
                }
            }
            true
        }
        (Obj(x), Obj(y)) => Rc::ptr_eq(x, y),
        (Set(x), Set(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|a| y.iter().any(|b| py_eq(a, b) == Some(true)))
        }
        (Dynamic(_) | Ext(_) | VType(_), _) | (_, Dynamic(_) | Ext(_) | VType(_)) => {
            return Option::None;
        }
        (Obj(_) | Proj(_) | Function(_) | Method(..) | Module(_) | Class(..) | File(_), _)
        | (_, Obj(_) | Proj(_) | Function(_) | Method(..) | Module(_) | Class(..) | File(_)) => {
            return Option::None;
        }
        // Different scalar kinds are never equal.
        _ => false,
    })
}

/// `a < b` as an ordering, when known (numbers, strings, lists of those).
pub fn py_cmp(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (Float(x), Float(y)) => x.partial_cmp(y),
        (Int(x), Float(y)) => (*x as f64).partial_cmp(y),
        (Float(x), Int(y)) => x.partial_cmp(&(*y as f64)),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Str(x), Str(y)) => Some(x.cmp(y)),
        (Timedelta(x), Timedelta(y)) => x.partial_cmp(y),
        (List(x), List(y)) => {
            for (p, q) in x.iter().zip(y) {
                if py_eq(p, q)? {
                    continue;
                }
                return py_cmp(p, q);
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => Option::None,
    }
}

/// The items `for x in v` visits, when known.
pub fn iterate(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(items) => Some(items.clone()),
        Value::Dict(items) => Some(items.iter().map(|(k, _)| k.clone()).collect()),
        Value::Str(s) => Some(s.chars().map(|c| Value::Str(c.to_string())).collect()),
        _ => None,
    }
}

pub fn dict_set(out: &mut Vec<(Value, Value)>, k: Value, v: Value) {
    if let Some(slot) = out.iter_mut().find(|(ek, _)| same_key(ek, &k)) {
        slot.1 = v;
    } else {
        out.push((k, v));
    }
}

pub fn is_hashable(v: &Value) -> bool {
    match v {
        Value::Str(_) | Value::Int(_) | Value::Bool(_) | Value::None | Value::Path(_) => true,
        Value::List(items) => items.iter().all(is_hashable),
        _ => false,
    }
}

pub fn same_key(a: &Value, b: &Value) -> bool {
    is_hashable(a) && is_hashable(b) && py_eq(a, b) == Some(true)
}

/// A position while evaluating: cheap to copy around (the file name is
/// shared); turned into a model [`Location`] only where one is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub file: Rc<str>,
    pub line: u32,
}

impl Loc {
    pub fn location(&self) -> Location {
        Location {
            file: self.file.to_string(),
            line: self.line,
        }
    }
}

/// Maps byte offsets to 1-based lines.
#[derive(Debug)]
pub struct Lines(Vec<u32>);

impl Lines {
    pub fn new(src: &str) -> Lines {
        let mut starts = Vec::with_capacity(src.len() / 24 + 1);
        starts.push(0u32);
        starts.extend(src.match_indices('\n').map(|(i, _)| i as u32 + 1));
        Lines(starts)
    }

    pub fn line(&self, at: TextSize) -> u32 {
        self.0.partition_point(|&s| s <= u32::from(at)) as u32
    }
}
