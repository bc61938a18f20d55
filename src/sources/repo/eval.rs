//! A static evaluator for the subset of Python that feature repos use:
//! module-level constants, lists (with `+`), dicts, imports between repo
//! modules, and calls to Feast's constructors. Anything that would need
//! running code (loops, comprehensions, calls into user functions) becomes a
//! [`Value::Dynamic`], which is an error wherever its value matters.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Number, Operator, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextSize};

use super::RepoTree;
use super::diagnostics::Diagnostic;
use super::objects::{self, Obj};
use super::types;
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
    /// A function (or class) defined in the repo.
    Function(Rc<Loc>, String),
    Dynamic(Rc<Dyn>),
}

/// A value only running the code would give.
#[derive(Debug)]
pub struct Dyn {
    pub at: Loc,
    pub why: String,
    /// It may be a Feast object (a call into user code): binding it at
    /// module level may hide an object from the reader.
    pub may_define: bool,
}

#[derive(Debug)]
pub struct Projection {
    pub view: Rc<Obj>,
    pub features: Vec<String>,
    pub alias: Option<String>,
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
            Value::Timedelta(_) => "a timedelta".into(),
            Value::DType(t) => format!("the type {t}"),
            Value::VType(_) => "a ValueType".into(),
            Value::Obj(o) => o.describe(),
            Value::Proj(p) => format!("a projection of {}", p.view.describe()),
            Value::Ext(p) => format!("`{p}`"),
            Value::Module(m) => format!("the module `{m}`"),
            Value::Method(_, m) => format!("the method `{m}`"),
            Value::Function(_, n) => format!("the function `{n}`"),
            Value::Dynamic(d) => d.why.clone(),
        }
    }
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
struct Lines(Vec<u32>);

impl Lines {
    fn new(src: &str) -> Lines {
        let mut starts = Vec::with_capacity(src.len() / 24 + 1);
        starts.push(0u32);
        starts.extend(src.match_indices('\n').map(|(i, _)| i as u32 + 1));
        Lines(starts)
    }

    fn line(&self, at: TextSize) -> u32 {
        self.0.partition_point(|&s| s <= u32::from(at)) as u32
    }
}

type Namespace = BTreeMap<String, Value>;

enum ModState {
    Running,
    Done(Rc<Namespace>),
}

/// Where evaluation currently is: one module being run.
struct Ctx<'s> {
    file: Rc<str>,
    src: &'s str,
    lines: Lines,
    /// Dotted module name, for relative imports.
    module: String,
    is_package: bool,
    ns: Namespace,
    /// `from feast... import *`: unresolved names fall back to these.
    star_ext: Vec<String>,
}

impl Ctx<'_> {
    fn loc(&self, at: TextSize) -> Loc {
        Loc {
            file: self.file.clone(),
            line: self.lines.line(at),
        }
    }
}

pub struct Evaluator<'t> {
    tree: &'t RepoTree,
    modules: HashMap<String, ModState>,
    diags: Vec<Diagnostic>,
    next_id: usize,
}

const BUILTINS: &[&str] = &[
    "dict",
    "list",
    "tuple",
    "set",
    "str",
    "int",
    "float",
    "bool",
    "len",
    "range",
    "print",
    "sorted",
    "enumerate",
    "zip",
    "map",
    "filter",
    "open",
    "isinstance",
    "getattr",
    "setattr",
    "globals",
    "object",
    "Exception",
    "ValueError",
    "super",
    "min",
    "max",
    "sum",
    "any",
    "all",
    "repr",
    "type",
];

impl<'t> Evaluator<'t> {
    pub fn new(tree: &'t RepoTree) -> Evaluator<'t> {
        Evaluator {
            tree,
            modules: HashMap::new(),
            diags: Vec::new(),
            next_id: 0,
        }
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diags
    }

    pub fn next_id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    fn error(&mut self, at: Loc, message: impl Into<String>, dynamic: bool) {
        self.diags.push(Diagnostic {
            location: at.location(),
            message: message.into(),
            dynamic,
        });
    }

    /// Runs a file (once) and returns its module namespace.
    pub fn run_file(&mut self, file: &str) -> Option<Rc<Namespace>> {
        match self.modules.get(file) {
            Some(ModState::Done(ns)) => return Some(ns.clone()),
            Some(ModState::Running) => return None,
            None => {}
        }
        let tree = self.tree;
        let src = tree.python.get(file)?;
        self.modules.insert(file.to_string(), ModState::Running);
        let is_package = file == "__init__.py" || file.ends_with("/__init__.py");
        let module = file
            .trim_end_matches(".py")
            .trim_end_matches("/__init__")
            .trim_end_matches("__init__")
            .replace('/', ".");
        let mut cx = Ctx {
            file: Rc::from(file),
            src,
            lines: Lines::new(src),
            module,
            is_package,
            ns: Namespace::new(),
            star_ext: Vec::new(),
        };
        match ruff_python_parser::parse_module(src) {
            Ok(parsed) => {
                for stmt in parsed.suite() {
                    self.stmt(&mut cx, stmt);
                }
            }
            Err(e) => {
                let at = cx.loc(e.location.start());
                self.error(
                    at,
                    format!(
                        "Python syntax error: {}; fix the file (feast apply would fail on it too)",
                        e.error
                    ),
                    false,
                );
            }
        }
        let ns = Rc::new(std::mem::take(&mut cx.ns));
        self.modules
            .insert(file.to_string(), ModState::Done(ns.clone()));
        Some(ns)
    }

    /// Every Feast object bound at module level of the applied files, once
    /// each, as Feast's parse_repo collects them (by identity).
    pub fn collect(&self, files: &[&str]) -> Vec<Rc<Obj>> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for f in files {
            let Some(ModState::Done(ns)) = self.modules.get(*f) else {
                continue;
            };
            for v in ns.values() {
                if let Value::Obj(o) = v
                    && seen.insert(o.id)
                {
                    out.push(o.clone());
                }
            }
        }
        out
    }

    fn stmt(&mut self, cx: &mut Ctx, stmt: &Stmt) {
        let at = cx.loc(stmt.range().start());
        match stmt {
            Stmt::Expr(e) => {
                if let Expr::Call(call) = &*e.value
                    && let Expr::Attribute(attr) = &*call.func
                    && let Expr::Name(target) = &*attr.value
                    && matches!(attr.attr.id.as_str(), "append" | "extend")
                    && let Some(Value::List(_)) = cx.ns.get(target.id.as_str())
                {
                    let args: Vec<Value> = call
                        .arguments
                        .args
                        .iter()
                        .map(|a| self.expr(cx, a))
                        .collect();
                    if let (Some(Value::List(list)), [arg]) =
                        (cx.ns.get_mut(target.id.as_str()), args.as_slice())
                    {
                        match (attr.attr.id.as_str(), arg) {
                            ("append", v) => list.push(v.clone()),
                            ("extend", Value::List(more)) => list.extend(more.iter().cloned()),
                            _ => self.error(
                                at,
                                format!("`{}.extend(...)` with {}", target.id, arg.describe()),
                                true,
                            ),
                        }
                    }
                    return;
                }
                let v = self.expr(cx, &e.value);
                self.check_hidden(&v);
            }
            Stmt::Assign(a) => {
                let v = self.expr(cx, &a.value);
                for t in &a.targets {
                    self.bind(cx, t, v.clone());
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = self.expr(cx, value);
                    self.bind(cx, &a.target, v);
                }
            }
            Stmt::AugAssign(a) => {
                let left = self.expr(cx, &a.target);
                let right = self.expr(cx, &a.value);
                let v = self.binop(cx, &left, a.op, &right, at);
                self.bind(cx, &a.target, v);
            }
            Stmt::FunctionDef(f) => self.function_def(cx, f),
            Stmt::ClassDef(c) => {
                cx.ns.insert(
                    c.name.id.to_string(),
                    Value::Function(Rc::new(at), c.name.id.to_string()),
                );
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let full = alias.name.id.as_str();
                    match &alias.asname {
                        Some(asname) => {
                            let v = self.module_value(full);
                            cx.ns.insert(asname.id.to_string(), v);
                        }
                        None => {
                            let top = full.split('.').next().unwrap_or(full);
                            let v = self.module_value(top);
                            cx.ns.insert(top.to_string(), v);
                        }
                    }
                }
            }
            Stmt::ImportFrom(i) => self.import_from(cx, i, at),
            Stmt::If(s) if is_main_guard(&s.test) => {}
            Stmt::Try(t)
                if t.body
                    .iter()
                    .all(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_))) =>
            {
                for s in &t.body {
                    self.stmt(cx, s);
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    if let Expr::Name(n) = t {
                        cx.ns.remove(n.id.as_str());
                    }
                }
            }
            Stmt::Pass(_)
            | Stmt::Assert(_)
            | Stmt::Global(_)
            | Stmt::Nonlocal(_)
            | Stmt::TypeAlias(_) => {}
            Stmt::If(_) => self.error(
                at,
                "module-level `if`: feastops does not evaluate conditions",
                true,
            ),
            Stmt::For(_) | Stmt::While(_) => self.error(
                at,
                "module-level loop: objects or schemas built in a loop cannot be read statically",
                true,
            ),
            Stmt::With(_) | Stmt::Try(_) | Stmt::Match(_) => self.error(
                at,
                "module-level `with`/`try`/`match` block: feastops cannot evaluate it",
                true,
            ),
            _ => self.error(
                at,
                "statement feastops cannot evaluate at module level",
                true,
            ),
        }
    }

    /// A module-level value that may be a Feast object feastops cannot see.
    fn check_hidden(&mut self, v: &Value) {
        if let Value::Dynamic(d) = v
            && d.may_define
        {
            let d = d.clone();
            self.error(
                d.at.clone(),
                format!("{}: it may define Feast objects feastops cannot see", d.why),
                true,
            );
        }
    }

    fn bind(&mut self, cx: &mut Ctx, target: &Expr, v: Value) {
        let at = cx.loc(target.range().start());
        match target {
            Expr::Name(n) => {
                self.check_hidden(&v);
                cx.ns.insert(n.id.to_string(), v);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => match v {
                Value::List(items) if items.len() == elts.len() => {
                    for (t, item) in elts.iter().zip(items) {
                        self.bind(cx, t, item);
                    }
                }
                other => {
                    let d = self.dynamic(at.clone(), format!("unpacking {}", other.describe()), false);
                    for t in elts {
                        self.bind(cx, t, d.clone());
                    }
                }
            },
            _ => self.error(
                at,
                "assignment to an attribute or item changes an object after it was built; feastops cannot follow that",
                true,
            ),
        }
    }

    fn dynamic(&mut self, at: Loc, why: impl Into<String>, may_define: bool) -> Value {
        Value::Dynamic(Rc::new(Dyn {
            at,
            why: why.into(),
            may_define,
        }))
    }

    fn function_def(&mut self, cx: &mut Ctx, f: &ast::StmtFunctionDef) {
        let name = f.name.id.to_string();
        let at = cx.loc(f.name.range.start());
        for deco in &f.decorator_list {
            let (func, args) = match &deco.expression {
                Expr::Call(call) => (&*call.func, Some(&call.arguments)),
                other => (other, None),
            };
            let fv = self.expr(cx, func);
            let Value::Ext(path) = &fv else { continue };
            let Some(feast) = feast_name(path) else {
                continue;
            };
            if !matches!(
                feast,
                "on_demand_feature_view" | "stream_feature_view" | "batch_feature_view"
            ) {
                continue;
            }
            if f.decorator_list.len() > 1 {
                self.error(at.clone(), format!("`{name}` has more than one decorator; feastops reads a Feast decorator only alone"), true);
                return;
            }
            // dill.source.getsource: from the decorator's line to the end of the function.
            let start = cx.src[..usize::from(deco.range.start())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let end = cx.src[usize::from(f.range.end())..]
                .find('\n')
                .map_or(cx.src.len(), |i| usize::from(f.range.end()) + i + 1);
            let body = &cx.src[start..end];
            let args = match args {
                Some(a) => self.arguments(cx, a),
                None => objects::Args::new(at.clone()),
            };
            let v = match objects::decorated(self, feast, &name, body, args, at.clone()) {
                Ok(v) => v,
                Err(d) => {
                    self.diags.push(d);
                    self.dynamic(at.clone(), format!("`{name}`"), false)
                }
            };
            cx.ns.insert(name, v);
            return;
        }
        cx.ns
            .insert(name.clone(), Value::Function(Rc::new(at), name));
    }

    /// The value an `import` statement binds for a dotted module name.
    fn module_value(&mut self, dotted: &str) -> Value {
        if self.module_file(dotted).is_some() || self.is_namespace_package(dotted) {
            Value::Module(dotted.to_string())
        } else {
            ext_value(dotted.to_string())
        }
    }

    fn module_file(&self, dotted: &str) -> Option<String> {
        let base = dotted.replace('.', "/");
        [format!("{base}.py"), format!("{base}/__init__.py")]
            .into_iter()
            .find(|f| self.tree.python.contains_key(f))
    }

    fn is_namespace_package(&self, dotted: &str) -> bool {
        let prefix = format!("{}/", dotted.replace('.', "/"));
        self.tree
            .python
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// Attribute `name` of repo module `dotted`: a module-level value, or a
    /// submodule.
    fn module_attr(&mut self, dotted: &str, name: &str, at: &Loc) -> Option<Value> {
        if let Some(file) = self.module_file(dotted) {
            match self.run_file(&file) {
                Some(ns) => {
                    if let Some(v) = ns.get(name) {
                        return Some(v.clone());
                    }
                }
                None => {
                    self.error(at.clone(), format!("circular import of `{dotted}`"), true);
                    return Some(self.dynamic(at.clone(), format!("`{dotted}.{name}`"), false));
                }
            }
        }
        let sub = format!("{dotted}.{name}");
        (self.module_file(&sub).is_some() || self.is_namespace_package(&sub))
            .then_some(Value::Module(sub))
    }

    fn import_from(&mut self, cx: &mut Ctx, i: &ast::StmtImportFrom, at: Loc) {
        let module = i
            .module
            .as_ref()
            .map(|m| m.id.to_string())
            .unwrap_or_default();
        let dotted = if i.level == 0 {
            module
        } else {
            let mut parts: Vec<&str> = if cx.module.is_empty() {
                vec![]
            } else {
                cx.module.split('.').collect()
            };
            if !cx.is_package {
                parts.pop();
            }
            for _ in 1..i.level {
                parts.pop();
            }
            if !module.is_empty() {
                parts.push(&module);
            }
            parts.join(".")
        };
        let in_repo = dotted.is_empty()
            || self.module_file(&dotted).is_some()
            || self.is_namespace_package(&dotted);
        for alias in &i.names {
            let name = alias.name.id.as_str();
            if name == "*" {
                if in_repo {
                    if let Some(file) = self.module_file(&dotted)
                        && let Some(ns) = self.run_file(&file)
                    {
                        for (k, v) in ns.iter().filter(|(k, _)| !k.starts_with('_')) {
                            cx.ns.insert(k.clone(), v.clone());
                        }
                    }
                } else {
                    cx.star_ext.push(dotted.clone());
                }
                continue;
            }
            let bound = alias
                .asname
                .as_ref()
                .map_or(name, |a| a.id.as_str())
                .to_string();
            let v = if in_repo {
                match self.module_attr(&dotted, name, &at) {
                    Some(v) => v,
                    None => {
                        self.error(at.clone(), format!("cannot import `{name}` from `{dotted}`: the repo module does not define it"), false);
                        self.dynamic(at.clone(), format!("`{name}`"), false)
                    }
                }
            } else {
                ext_value(format!("{dotted}.{name}"))
            };
            cx.ns.insert(bound, v);
        }
    }

    fn arguments(&mut self, cx: &mut Ctx, a: &ast::Arguments) -> objects::Args {
        let mut args = objects::Args::new(cx.loc(a.range.start()));
        args.pos.reserve(a.args.len());
        args.kw.reserve(a.keywords.len());
        for e in a.args.iter() {
            let at = cx.loc(e.range().start());
            if let Expr::Starred(s) = e {
                match self.expr(cx, &s.value) {
                    Value::List(items) => {
                        args.pos.extend(items.into_iter().map(|value| objects::Arg {
                            value,
                            at: at.clone(),
                        }))
                    }
                    other => args.pos.push(objects::Arg {
                        value: self.dynamic(
                            at.clone(),
                            format!("`*` of {}", other.describe()),
                            false,
                        ),
                        at,
                    }),
                }
                continue;
            }
            let value = self.expr(cx, e);
            args.pos.push(objects::Arg { value, at });
        }
        for k in &a.keywords {
            let at = cx.loc(k.value.range().start());
            let value = self.expr(cx, &k.value);
            match &k.arg {
                Some(name) => args.kw.push((name.id.clone(), objects::Arg { value, at })),
                None => match value {
                    Value::Dict(items) => {
                        for (key, value) in items {
                            if let Value::Str(key) = key {
                                args.kw.push((
                                    key.into(),
                                    objects::Arg {
                                        value,
                                        at: at.clone(),
                                    },
                                ));
                            }
                        }
                    }
                    other => {
                        let d = self.dynamic(
                            at.clone(),
                            format!("`**` of {}", other.describe()),
                            false,
                        );
                        args.kw.push(("**".into(), objects::Arg { value: d, at }));
                    }
                },
            }
        }
        args
    }

    fn expr(&mut self, cx: &mut Ctx, e: &Expr) -> Value {
        // Locations allocate; most expressions never need theirs.
        let start = e.range().start();
        match e {
            Expr::StringLiteral(s) => Value::Str(s.value.to_str().to_string()),
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => match i.as_i64() {
                    Some(i) => Value::Int(i),
                    None => self.dynamic(cx.loc(start), "a very large integer", false),
                },
                Number::Float(f) => Value::Float(*f),
                Number::Complex { .. } => self.dynamic(cx.loc(start), "a complex number", false),
            },
            Expr::BooleanLiteral(b) => Value::Bool(b.value),
            Expr::NoneLiteral(_) => Value::None,
            Expr::FString(f) => self.fstring(cx, f, start),
            Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
                let mut out = Vec::with_capacity(elts.len());
                for el in elts {
                    if let Expr::Starred(s) = el {
                        match self.expr(cx, &s.value) {
                            Value::List(items) => out.extend(items),
                            other => {
                                let why = format!("`*` of {}", other.describe());
                                out.push(self.dynamic(cx.loc(start), why, false));
                            }
                        }
                    } else {
                        out.push(self.expr(cx, el));
                    }
                }
                Value::List(out)
            }
            Expr::Dict(d) => {
                let mut out: Vec<(Value, Value)> = Vec::with_capacity(d.items.len());
                for item in &d.items {
                    let v = self.expr(cx, &item.value);
                    match &item.key {
                        Some(k) => {
                            let k = self.expr(cx, k);
                            dict_set(&mut out, k, v);
                        }
                        None => match v {
                            Value::Dict(more) => {
                                for (k, v) in more {
                                    dict_set(&mut out, k, v);
                                }
                            }
                            other => {
                                return self.dynamic(
                                    cx.loc(start),
                                    format!("`**` of {}", other.describe()),
                                    false,
                                );
                            }
                        },
                    }
                }
                Value::Dict(out)
            }
            Expr::Name(n) => {
                let name = n.id.as_str();
                match cx.ns.get(name) {
                    Some(v) => v.clone(),
                    None => self.name(cx, name, cx.loc(start)),
                }
            }
            Expr::Attribute(a) => {
                let base = self.expr(cx, &a.value);
                self.attribute(base, a.attr.id.as_str(), cx.loc(start))
            }
            Expr::Subscript(s) => {
                let base = self.expr(cx, &s.value);
                let index = self.expr(cx, &s.slice);
                self.subscript(base, index, cx.loc(start))
            }
            Expr::BinOp(b) => {
                let l = self.expr(cx, &b.left);
                let r = self.expr(cx, &b.right);
                {
                    let at = cx.loc(start);
                    self.binop(cx, &l, b.op, &r, at)
                }
            }
            Expr::UnaryOp(u) => match (u.op, self.expr(cx, &u.operand)) {
                (UnaryOp::USub, Value::Int(i)) => Value::Int(-i),
                (UnaryOp::USub, Value::Float(f)) => Value::Float(-f),
                (UnaryOp::UAdd, v @ (Value::Int(_) | Value::Float(_))) => v,
                (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
                (_, v) => self.dynamic(
                    cx.loc(start),
                    format!("an operator on {}", v.describe()),
                    false,
                ),
            },
            Expr::Call(call) => {
                let func = self.expr(cx, &call.func);
                let args = self.arguments(cx, &call.arguments);
                {
                    let at = cx.loc(start);
                    self.call(func, args, at)
                }
            }
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                self.dynamic(cx.loc(start), "a comprehension", false)
            }
            Expr::Lambda(_) => self.dynamic(cx.loc(start), "a lambda", false),
            Expr::If(_) | Expr::BoolOp(_) | Expr::Compare(_) => {
                self.dynamic(cx.loc(start), "a conditional expression", false)
            }
            _ => self.dynamic(
                cx.loc(start),
                "an expression feastops does not evaluate",
                false,
            ),
        }
    }

    fn fstring(&mut self, cx: &mut Ctx, f: &ast::ExprFString, start: TextSize) -> Value {
        let at = cx.loc(start);
        let mut out = String::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(l) => out.push_str(&l.value),
                ast::FStringPart::FString(fs) => {
                    for el in fs.elements.iter() {
                        match el {
                            ast::InterpolatedStringElement::Literal(l) => out.push_str(&l.value),
                            ast::InterpolatedStringElement::Interpolation(i) => {
                                if i.format_spec.is_some() || i.debug_text.is_some() {
                                    return self.dynamic(
                                        at,
                                        "an f-string with a format spec",
                                        false,
                                    );
                                }
                                match self.expr(cx, &i.expression) {
                                    Value::Str(s) => out.push_str(&s),
                                    Value::Int(n) => out.push_str(&n.to_string()),
                                    other => {
                                        return self.dynamic(
                                            at,
                                            format!("an f-string using {}", other.describe()),
                                            false,
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        Value::Str(out)
    }

    fn name(&mut self, cx: &mut Ctx, name: &str, at: Loc) -> Value {
        if let Some(v) = cx.ns.get(name) {
            return v.clone();
        }
        if let Some(m) = cx.star_ext.iter().rev().find(|m| feast_name(m).is_some()) {
            return ext_value(format!("{m}.{name}"));
        }
        if name == "__name__" {
            return Value::Str(cx.module.clone());
        }
        if BUILTINS.contains(&name) {
            return Value::Ext(format!("builtins.{name}"));
        }
        self.error(at.clone(), format!("name `{name}` is not defined"), false);
        self.dynamic(at, format!("`{name}`"), false)
    }

    fn attribute(&mut self, base: Value, attr: &str, at: Loc) -> Value {
        match base {
            Value::Ext(path) => ext_value(format!("{path}.{attr}")),
            Value::Module(m) => match self.module_attr(&m, attr, &at) {
                Some(v) => v,
                None => {
                    self.error(
                        at.clone(),
                        format!("module `{m}` has no attribute `{attr}`"),
                        false,
                    );
                    self.dynamic(at, format!("`{m}.{attr}`"), false)
                }
            },
            Value::Obj(ref o) if attr == "name" => Value::Str(o.name().to_string()),
            Value::Obj(_) | Value::Proj(_) if matches!(attr, "with_name" | "with_join_key_map") => {
                Value::Method(Box::new(base), attr.to_string())
            }
            Value::Dynamic(d) => Value::Dynamic(d),
            other => self.dynamic(
                at,
                format!("attribute `{attr}` of {}", other.describe()),
                false,
            ),
        }
    }

    fn subscript(&mut self, base: Value, index: Value, at: Loc) -> Value {
        match (&base, &index) {
            (Value::Obj(_) | Value::Proj(_), Value::List(items)) => {
                let mut names = Vec::new();
                for i in items {
                    match i {
                        Value::Str(s) => names.push(s.clone()),
                        other => {
                            return self.dynamic(
                                at,
                                format!("a projection selecting {}", other.describe()),
                                false,
                            );
                        }
                    }
                }
                match objects::project(&base, names, &at) {
                    Ok(v) => v,
                    Err(d) => {
                        self.diags.push(d);
                        self.dynamic(at, "a projection", false)
                    }
                }
            }
            (Value::List(items), Value::Int(i)) => {
                let idx = if *i < 0 { items.len() as i64 + i } else { *i };
                match usize::try_from(idx).ok().and_then(|i| items.get(i)) {
                    Some(v) => v.clone(),
                    None => self.dynamic(at, "an index out of range", false),
                }
            }
            (Value::Dict(items), key) if is_hashable(key) => {
                match items.iter().find(|(k, _)| same_key(k, key)) {
                    Some((_, v)) => v.clone(),
                    None => self.dynamic(at, "a missing dict key", false),
                }
            }
            (Value::Dynamic(d), _) => Value::Dynamic(d.clone()),
            _ => self.dynamic(at, format!("indexing {}", base.describe()), false),
        }
    }

    fn binop(&mut self, _cx: &mut Ctx, l: &Value, op: Operator, r: &Value, at: Loc) -> Value {
        use Value::*;
        match (op, l, r) {
            (Operator::Add, List(a), List(b)) => List(a.iter().chain(b).cloned().collect()),
            (Operator::Add, Str(a), Str(b)) => Str(format!("{a}{b}")),
            (Operator::Add, Int(a), Int(b)) => Int(a.saturating_add(*b)),
            (Operator::Sub, Int(a), Int(b)) => Int(a.saturating_sub(*b)),
            (Operator::Mult, Int(a), Int(b)) => Int(a.saturating_mul(*b)),
            (Operator::Add, Timedelta(a), Timedelta(b)) => Timedelta(a + b),
            (Operator::Sub, Timedelta(a), Timedelta(b)) => Timedelta(a - b),
            (Operator::Mult, Timedelta(a), Int(n)) | (Operator::Mult, Int(n), Timedelta(a)) => {
                Timedelta(a * *n as f64)
            }
            (Operator::BitOr, Dict(a), Dict(b)) => {
                let mut out = a.clone();
                for (k, v) in b {
                    dict_set(&mut out, k.clone(), v.clone());
                }
                Dict(out)
            }
            (_, Dynamic(d), _) | (_, _, Dynamic(d)) => Dynamic(d.clone()),
            _ => self.dynamic(
                at,
                format!(
                    "`{}` between {} and {}",
                    op.as_str(),
                    l.describe(),
                    r.describe()
                ),
                false,
            ),
        }
    }

    fn call(&mut self, func: Value, args: objects::Args, at: Loc) -> Value {
        let result = match func {
            Value::Ext(path) => {
                if let Some(name) = feast_name(&path) {
                    objects::construct(self, name, args, at.clone())
                } else if path == "datetime.timedelta" {
                    objects::timedelta(&args)
                } else if path == "builtins.dict" && args.pos.is_empty() {
                    Ok(Value::Dict(
                        args.kw
                            .into_iter()
                            .map(|(k, a)| (Value::Str(k.to_string()), a.value))
                            .collect(),
                    ))
                } else {
                    // Libraries outside the repo do not build Feast objects.
                    Ok(self.dynamic(at.clone(), format!("the result of `{path}(...)`"), false))
                }
            }
            Value::Method(recv, method) => objects::method(*recv, &method, args, &at),
            Value::Function(def, name) => Ok(self.dynamic(
                at.clone(),
                format!("a call to `{name}` (defined at {}:{})", def.file, def.line),
                true,
            )),
            Value::Dynamic(d) => Ok(Value::Dynamic(Rc::new(Dyn {
                at: at.clone(),
                why: format!("a call to {}", d.why),
                may_define: true,
            }))),
            other => Ok(self.dynamic(at.clone(), format!("a call to {}", other.describe()), false)),
        };
        match result {
            Ok(v) => v,
            Err(d) => {
                self.diags.push(d);
                // Already reported: later uses stay quiet.
                Value::Dynamic(Rc::new(Dyn {
                    at,
                    why: "an object with errors".into(),
                    may_define: false,
                }))
            }
        }
    }
}

fn dict_set(out: &mut Vec<(Value, Value)>, k: Value, v: Value) {
    if let Some(slot) = out.iter_mut().find(|(ek, _)| same_key(ek, &k)) {
        slot.1 = v;
    } else {
        out.push((k, v));
    }
}

fn is_hashable(v: &Value) -> bool {
    matches!(v, Value::Str(_) | Value::Int(_) | Value::Bool(_))
}

fn same_key(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(a), Value::Str(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        _ => false,
    }
}

fn is_main_guard(test: &Expr) -> bool {
    match test {
        Expr::Name(n) => n.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(a) => a.attr.id.as_str() == "TYPE_CHECKING",
        Expr::Compare(c) => {
            matches!(&*c.left, Expr::Name(n) if n.id.as_str() == "__name__")
                && matches!(c.comparators.first(), Some(Expr::StringLiteral(s)) if s.value.to_str() == "__main__")
        }
        _ => false,
    }
}

/// The name within Feast of a dotted path into the `feast` package.
pub fn feast_name(path: &str) -> Option<&str> {
    if path == "feast" || path.starts_with("feast.") {
        path.rsplit('.').next()
    } else {
        None
    }
}

/// The value of an external dotted path: Feast types and ValueType members
/// are known values, anything else stays a reference.
fn ext_value(path: String) -> Value {
    if let Some(name) = feast_name(&path) {
        if let Some(t) = types::primitive(name) {
            return Value::DType(t);
        }
        let mut parts = path.rsplitn(3, '.');
        let (member, owner) = (parts.next(), parts.next());
        if owner == Some("ValueType")
            && let Some(n) = member.and_then(types::value_type)
        {
            return Value::VType(n);
        }
    }
    Value::Ext(path)
}
