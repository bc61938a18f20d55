//! Expressions: literals, names, attributes, indexing, operators,
//! comparisons, conditionals, comprehensions, f-strings and lambdas.

use std::cell::RefCell;
use std::rc::Rc;

use ruff_python_ast::{self as ast, BoolOp, CmpOp, Expr, Number, Operator, UnaryOp};
use ruff_text_size::{Ranged, TextSize};

use super::super::objects;
use super::super::pystd::{pathlib, strings};
use super::super::types;
use super::limits::{self, STACK_GROWTH, STACK_RED_ZONE};
use super::value::{
    Function, FunctionBody, Loc, Namespace, Value, dict_set, is_hashable, iterate, py_cmp, py_eq,
    same_key,
};
use super::{Ctx, Evaluator, feast_name};

impl Evaluator<'_> {
    pub(super) fn arguments(&mut self, cx: &mut Ctx, a: &ast::Arguments) -> objects::Args {
        let mut args = objects::Args::new(cx.loc(a.range.start()));
        args.pos.reserve(a.args.len());
        args.kw.reserve(a.keywords.len());
        for e in a.args.iter() {
            let at = cx.loc(e.range().start());
            if let Expr::Starred(s) = e {
                let v = self.expr(cx, &s.value);
                match iterate(&v) {
                    Some(items) => args.pos.extend(items.into_iter().map(|value| objects::Arg {
                        value,
                        at: at.clone(),
                    })),
                    None => args.pos.push(objects::Arg {
                        value: self.dynamic(at.clone(), format!("`*` of {}", v.describe()), false),
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

    pub(super) fn expr(&mut self, cx: &mut Ctx, e: &Expr) -> Value {
        if !self.count_work(1, || cx.loc(e.range().start())) {
            return Self::reported(cx.loc(e.range().start()));
        }
        // Expressions nest up to `limits::MAX_CODE_NESTING` deep inside up
        // to `DEPTH_BUDGET` calls: grow the stack on the heap when it runs
        // low rather than overflow it.
        let v = stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.expr_inner(cx, e));
        let builds_container = matches!(
            e,
            Expr::List(_)
                | Expr::Tuple(_)
                | Expr::Set(_)
                | Expr::Dict(_)
                | Expr::ListComp(_)
                | Expr::SetComp(_)
                | Expr::DictComp(_)
        );
        if builds_container {
            let at = cx.loc(e.range().start());
            if !self.nesting_ok(&v, 0, &at) || !self.charge_copy(&v, &at) {
                return Self::reported(at);
            }
        }
        v
    }

    fn expr_inner(&mut self, cx: &mut Ctx, e: &Expr) -> Value {
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
                        let v = self.expr(cx, &s.value);
                        match iterate(&v) {
                            Some(items) => out.extend(items),
                            None => {
                                let why = format!("`*` of {}", v.describe());
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
                            if !is_hashable(&k) {
                                return self.dynamic(
                                    cx.loc(start),
                                    format!("a dict keyed by {}", k.describe()),
                                    false,
                                );
                            }
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
                match cx.lookup(name) {
                    Some(v) => v,
                    None => self.name(cx, name, start),
                }
            }
            Expr::Attribute(a) => {
                let base = self.expr(cx, &a.value);
                self.attribute(base, a.attr.id.as_str(), cx.loc(start))
            }
            Expr::Subscript(s) => {
                let base = self.expr(cx, &s.value);
                let at = cx.loc(start);
                if let Expr::Slice(sl) = &*s.slice {
                    return self.slice(cx, base, sl, at);
                }
                let index = self.expr(cx, &s.slice);
                self.subscript(base, index, at)
            }
            Expr::BinOp(b) => {
                let l = self.expr(cx, &b.left);
                let r = self.expr(cx, &b.right);
                // `%` spreads a tuple but formats a list whole; the values
                // do not tell the two apart, the syntax does.
                if b.op == Operator::Mod
                    && matches!(l, Value::Str(_))
                    && matches!(r, Value::List(_))
                    && !matches!(&*b.right, Expr::Tuple(_))
                {
                    return self.dynamic(
                        cx.loc(start),
                        "`%` formatting with a list or a tuple held in a name",
                        false,
                    );
                }
                self.binop(&l, b.op, &r, cx.loc(start))
            }
            Expr::UnaryOp(u) => match (u.op, self.expr(cx, &u.operand)) {
                (UnaryOp::USub, Value::Int(i)) => self.int_result(i.checked_neg(), cx.loc(start)),
                (UnaryOp::USub, Value::Float(f)) => Value::Float(-f),
                (UnaryOp::USub, Value::Timedelta(f)) => Value::Timedelta(-f),
                (UnaryOp::UAdd, v @ (Value::Int(_) | Value::Float(_))) => v,
                (UnaryOp::Not, v) if v.truth().is_some() => {
                    Value::Bool(!v.truth().unwrap_or_default())
                }
                (_, v @ Value::Dynamic(_)) => v,
                (_, v) => self.dynamic(
                    cx.loc(start),
                    format!("an operator on {}", v.describe()),
                    false,
                ),
            },
            Expr::BoolOp(b) => {
                let mut last = Value::None;
                for (i, e) in b.values.iter().enumerate() {
                    last = self.expr(cx, e);
                    if i + 1 == b.values.len() {
                        break;
                    }
                    match (b.op, last.truth()) {
                        (BoolOp::And, Some(false)) | (BoolOp::Or, Some(true)) => return last,
                        (_, Some(_)) => {}
                        (_, None) => {
                            let why = format!("`{}` over {}", b.op.as_str(), last.describe());
                            return self.dynamic(cx.loc(start), why, false);
                        }
                    }
                }
                last
            }
            Expr::If(i) => {
                let test = self.expr(cx, &i.test);
                match test.truth() {
                    Some(true) => self.expr(cx, &i.body),
                    Some(false) => self.expr(cx, &i.orelse),
                    None => {
                        let why = format!("a conditional expression on {}", test.describe());
                        self.dynamic(cx.loc(start), why, false)
                    }
                }
            }
            Expr::Compare(c) => self.compare(cx, c, start),
            Expr::Call(call) => {
                let func = self.expr(cx, &call.func);
                let args = self.arguments(cx, &call.arguments);
                let v = self.call(func, args, cx.loc(start));
                self.forget_changed(cx, &call.func, start);
                v
            }
            Expr::ListComp(c) => {
                self.comprehension(cx, &c.generators, start, &mut |ev, cx, out| {
                    let v = ev.expr(cx, &c.elt);
                    out.push(v);
                })
            }
            Expr::Generator(c) => {
                self.comprehension(cx, &c.generators, start, &mut |ev, cx, out| {
                    let v = ev.expr(cx, &c.elt);
                    out.push(v);
                })
            }
            Expr::DictComp(c) => {
                let Some(key) = c.key.as_deref() else {
                    return self.dynamic(cx.loc(start), "a dict comprehension with `**`", false);
                };
                let pairs = self.comprehension(cx, &c.generators, start, &mut |ev, cx, out| {
                    let k = ev.expr(cx, key);
                    let v = ev.expr(cx, &c.value);
                    out.push(Value::List(vec![k, v]));
                });
                match pairs {
                    Value::List(pairs) => {
                        let mut out = Vec::with_capacity(pairs.len());
                        for p in pairs {
                            let Value::List(mut kv) = p else {
                                unreachable!("pairs are built above")
                            };
                            let v = kv.pop().unwrap_or(Value::None);
                            let k = kv.pop().unwrap_or(Value::None);
                            if !is_hashable(&k) {
                                return self.dynamic(
                                    cx.loc(start),
                                    format!("a dict keyed by {}", k.describe()),
                                    false,
                                );
                            }
                            dict_set(&mut out, k, v);
                        }
                        Value::Dict(out)
                    }
                    other => other,
                }
            }
            Expr::Set(s) => {
                let mut items = Vec::with_capacity(s.elts.len());
                for el in &s.elts {
                    let v = self.expr(cx, el);
                    if !is_hashable(&v) {
                        return self.dynamic(
                            cx.loc(start),
                            format!("a set of {}", v.describe()),
                            false,
                        );
                    }
                    items.push(v);
                }
                set_of(items)
            }
            Expr::SetComp(c) => {
                match self.comprehension(cx, &c.generators, start, &mut |ev, cx, out| {
                    let v = ev.expr(cx, &c.elt);
                    out.push(v);
                }) {
                    Value::List(items) if items.iter().all(is_hashable) => set_of(items),
                    Value::List(_) => {
                        self.dynamic(cx.loc(start), "a set of unhashable values", false)
                    }
                    other => other,
                }
            }
            Expr::Lambda(l) => {
                let at = cx.loc(start);
                let defaults = match &l.parameters {
                    Some(p) => self.defaults(cx, p),
                    None => Default::default(),
                };
                Value::Function(Rc::new(Function {
                    name: "<lambda>".into(),
                    at,
                    module: cx.module.clone(),
                    body: FunctionBody::Lambda(Box::new(l.clone())),
                    defaults,
                    wrapped: false,
                    closure: super::stmt::closure_of(cx),
                }))
            }
            Expr::Starred(_) => self.dynamic(cx.loc(start), "a `*` expression here", false),
            _ => self.dynamic(
                cx.loc(start),
                "an expression feastops does not evaluate",
                false,
            ),
        }
    }

    /// `x.pop()` and other in-place changes used as values: the value of
    /// `x` afterwards is not followed, so it becomes unknown (statements
    /// like `x.append(...)` are followed in `stmt.rs`).
    fn forget_changed(&mut self, cx: &mut Ctx, func: &Expr, start: TextSize) {
        let Expr::Attribute(a) = func else { return };
        let Expr::Name(n) = &*a.value else { return };
        if !super::stmt::MUTATORS.contains(&a.attr.id.as_str()) {
            return;
        }
        let name = n.id.as_str();
        let Some(scope) = cx.scope_of(name) else {
            return;
        };
        if !matches!(
            scope.borrow().get(name),
            Some(Value::List(_) | Value::Dict(_) | Value::Set(_))
        ) {
            return;
        }
        let why = format!(
            "`{name}` after `{name}.{}(...)` changed it in place",
            a.attr.id
        );
        let d = self.dynamic(cx.loc(start), why, false);
        scope.borrow_mut().insert(name.to_string(), d);
    }

    /// Runs a comprehension's `for`/`if` clauses in a scope of its own (its
    /// variables do not leak, as in Python 3), calling `each` per item.
    fn comprehension(
        &mut self,
        cx: &mut Ctx,
        generators: &[ast::Comprehension],
        start: TextSize,
        each: &mut dyn FnMut(&mut Self, &mut Ctx, &mut Vec<Value>),
    ) -> Value {
        let mut inner = Ctx {
            module: cx.module.clone(),
            src: cx.src,
            ns: Rc::new(RefCell::new(Namespace::new())),
            enclosing: if cx.at_module_level() {
                Vec::new()
            } else {
                let mut e = cx.enclosing.clone();
                e.push(cx.ns.clone());
                e
            },
            in_function: cx.in_function,
            global_names: Vec::new(),
        };
        let mut out = Vec::new();
        match self.generators(&mut inner, generators, each, &mut out) {
            Ok(()) => Value::List(out),
            Err(why) => {
                if why.is_empty() {
                    Self::reported(cx.loc(start))
                } else {
                    self.dynamic(cx.loc(start), why, false)
                }
            }
        }
    }

    fn generators(
        &mut self,
        cx: &mut Ctx,
        generators: &[ast::Comprehension],
        each: &mut dyn FnMut(&mut Self, &mut Ctx, &mut Vec<Value>),
        out: &mut Vec<Value>,
    ) -> Result<(), String> {
        let Some((g, rest)) = generators.split_first() else {
            each(self, cx, out);
            return Ok(());
        };
        let at = cx.loc(g.range.start());
        let iter = self.expr(cx, &g.iter);
        let Some(items) = iterate(&iter) else {
            return Err(format!("a comprehension over {}", iter.describe()));
        };
        'items: for item in items {
            if !self.step(&at) {
                return Err(String::new());
            }
            self.bind(cx, &g.target, item);
            for cond in &g.ifs {
                let c = self.expr(cx, cond);
                match c.truth() {
                    Some(true) => {}
                    Some(false) => continue 'items,
                    None => return Err(format!("a comprehension filtered on {}", c.describe())),
                }
            }
            self.generators(cx, rest, each, out)?;
        }
        Ok(())
    }

    fn compare(&mut self, cx: &mut Ctx, c: &ast::ExprCompare, start: TextSize) -> Value {
        let mut left = self.expr(cx, &c.left);
        for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
            let right = self.expr(cx, right);
            let r = match op {
                CmpOp::Eq => py_eq(&left, &right),
                CmpOp::NotEq => py_eq(&left, &right).map(|b| !b),
                CmpOp::Is | CmpOp::IsNot => {
                    let same = match (&left, &right) {
                        (Value::None, Value::None)
                        | (Value::Bool(true), Value::Bool(true))
                        | (Value::Bool(false), Value::Bool(false)) => Some(true),
                        (Value::Obj(a), Value::Obj(b)) => Some(Rc::ptr_eq(a, b)),
                        (Value::Dynamic(_) | Value::Ext(_), _)
                        | (_, Value::Dynamic(_) | Value::Ext(_)) => None,
                        (Value::None | Value::Bool(_), _) | (_, Value::None | Value::Bool(_)) => {
                            Some(false)
                        }
                        _ => None,
                    };
                    same.map(|s| s == matches!(op, CmpOp::Is))
                }
                CmpOp::In | CmpOp::NotIn => {
                    let found = match (&left, &right) {
                        (Value::Str(a), Value::Str(b)) => Some(b.contains(a.as_str())),
                        (_, Value::Dict(items)) => {
                            let mut r = Some(false);
                            for (k, _) in items {
                                match py_eq(&left, k) {
                                    Some(true) => {
                                        r = Some(true);
                                        break;
                                    }
                                    Some(false) => {}
                                    None => r = None,
                                }
                            }
                            r
                        }
                        (_, Value::List(items) | Value::Set(items)) => {
                            let mut r = Some(false);
                            for k in items {
                                match py_eq(&left, k) {
                                    Some(true) => {
                                        r = Some(true);
                                        break;
                                    }
                                    Some(false) => {}
                                    None => r = None,
                                }
                            }
                            r
                        }
                        _ => None,
                    };
                    found.map(|f| f == matches!(op, CmpOp::In))
                }
                CmpOp::Lt => py_cmp(&left, &right).map(|o| o.is_lt()),
                CmpOp::LtE => py_cmp(&left, &right).map(|o| o.is_le()),
                CmpOp::Gt => py_cmp(&left, &right).map(|o| o.is_gt()),
                CmpOp::GtE => py_cmp(&left, &right).map(|o| o.is_ge()),
            };
            match r {
                Some(true) => left = right,
                Some(false) => return Value::Bool(false),
                None => {
                    let why = format!(
                        "a comparison of {} and {}",
                        left.describe(),
                        right.describe()
                    );
                    return self.dynamic(cx.loc(start), why, false);
                }
            }
        }
        Value::Bool(true)
    }

    fn fstring(&mut self, cx: &mut Ctx, f: &ast::ExprFString, start: TextSize) -> Value {
        let mut out = String::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(l) => out.push_str(&l.value),
                ast::FStringPart::FString(fs) => {
                    for el in fs.elements.iter() {
                        match el {
                            ast::InterpolatedStringElement::Literal(l) => out.push_str(&l.value),
                            ast::InterpolatedStringElement::Interpolation(i) => {
                                if i.debug_text.is_some() {
                                    return self.dynamic(
                                        cx.loc(start),
                                        "an f-string with `=`",
                                        false,
                                    );
                                }
                                let spec = match &i.format_spec {
                                    None => String::new(),
                                    Some(spec) => {
                                        let mut s = String::new();
                                        for el in spec.elements.iter() {
                                            match el {
                                                ast::InterpolatedStringElement::Literal(l) => {
                                                    s.push_str(&l.value)
                                                }
                                                ast::InterpolatedStringElement::Interpolation(
                                                    _,
                                                ) => {
                                                    return self.dynamic(
                                                        cx.loc(start),
                                                        "an f-string with a nested format spec",
                                                        false,
                                                    );
                                                }
                                            }
                                        }
                                        s
                                    }
                                };
                                let v = self.expr(cx, &i.expression);
                                let conv = match i.conversion {
                                    ast::ConversionFlag::None => None,
                                    ast::ConversionFlag::Repr => Some('r'),
                                    ast::ConversionFlag::Str => Some('s'),
                                    ast::ConversionFlag::Ascii => Some('a'),
                                };
                                match format_one(&v, conv, &spec) {
                                    Ok(s) => out.push_str(&s),
                                    Err(why) => {
                                        let why = format!("an f-string using {why}");
                                        return self.dynamic(cx.loc(start), why, false);
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

    fn name(&mut self, cx: &mut Ctx, name: &str, start: TextSize) -> Value {
        // A lookup searches every enclosing scope (comprehensions nest one each).
        if !self.count_work(cx.enclosing.len() as u64, || cx.loc(start)) {
            return Self::reported(cx.loc(start));
        }
        let star = cx
            .module
            .star_ext
            .borrow()
            .iter()
            .rev()
            .find(|m| feast_name(m).is_some())
            .cloned();
        if let Some(m) = star {
            return ext_value(format!("{m}.{name}"));
        }
        match name {
            "__name__" => return Value::Str(cx.module.name.clone()),
            "__file__" => {
                return match &self.root {
                    Some(root) => Value::Str(format!("{root}/{}", cx.module.file)),
                    None => self.dynamic(
                        cx.loc(start),
                        "`__file__` (the repo directory is not known as an absolute path)",
                        false,
                    ),
                };
            }
            _ => {}
        }
        if super::builtins::is_builtin(name) {
            return Value::Ext(format!("builtins.{name}"));
        }
        let at = cx.loc(start);
        self.error(at.clone(), format!("name `{name}` is not defined"), false);
        Self::reported(at)
    }

    pub(super) fn attribute(&mut self, base: Value, attr: &str, at: Loc) -> Value {
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
                    Self::reported(at)
                }
            },
            Value::Obj(ref o) if attr == "name" => Value::Str(o.name().to_string()),
            Value::Obj(_) | Value::Proj(_) if matches!(attr, "with_name" | "with_join_key_map") => {
                Value::Method(Box::new(base), attr.to_string())
            }
            Value::Path(ref p) => match attr {
                "parent" => Value::Path(pathlib::parent(p)),
                "name" => Value::Str(pathlib::name(p)),
                "stem" => Value::Str(pathlib::stem(p)),
                "suffix" => Value::Str(pathlib::suffix(p)),
                "suffixes" => {
                    Value::List(pathlib::suffixes(p).into_iter().map(Value::Str).collect())
                }
                "parts" => Value::List(pathlib::parts(p).into_iter().map(Value::Str).collect()),
                "parents" => {
                    let n = pathlib::parts(p).len() - usize::from(pathlib::is_absolute(p));
                    Value::List(
                        (0..n as i64)
                            .filter_map(|i| pathlib::parents(p, i).ok())
                            .map(Value::Path)
                            .collect(),
                    )
                }
                _ => Value::Method(Box::new(base), attr.to_string()),
            },
            Value::Str(_) | Value::List(_) | Value::Dict(_) | Value::File(_) => {
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

    pub(super) fn subscript(&mut self, base: Value, index: Value, at: Loc) -> Value {
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
                        Self::reported(at)
                    }
                }
            }
            (Value::List(items), Value::Int(i)) => {
                let idx = if *i < 0 { items.len() as i64 + i } else { *i };
                match usize::try_from(idx).ok().and_then(|i| items.get(i)) {
                    Some(v) => v.clone(),
                    None => self.dynamic(at, "an index out of range (Python raises IndexError)", false),
                }
            }
            (Value::Str(s), Value::Int(i)) => {
                let chars: Vec<char> = s.chars().collect();
                let idx = if *i < 0 { chars.len() as i64 + i } else { *i };
                match usize::try_from(idx).ok().and_then(|i| chars.get(i)) {
                    Some(c) => Value::Str(c.to_string()),
                    None => self.dynamic(at, "an index out of range (Python raises IndexError)", false),
                }
            }
            (Value::Dict(items), key) if is_hashable(key) => {
                match items.iter().find(|(k, _)| same_key(k, key)) {
                    Some((_, v)) => v.clone(),
                    None => self.dynamic(at, format!("a missing dict key {}", key.describe()), false),
                }
            }
            (Value::Ext(p), Value::Str(key)) if p == "os.environ" => self.dynamic(
                at,
                format!("the environment variable `{key}` (no default: only the environment feast apply runs in knows it)"),
                false,
            ),
            (Value::Dynamic(d), _) | (_, Value::Dynamic(d)) => Value::Dynamic(d.clone()),
            _ => self.dynamic(at, format!("indexing {} with {}", base.describe(), index.describe()), false),
        }
    }

    fn slice(&mut self, cx: &mut Ctx, base: Value, s: &ast::ExprSlice, at: Loc) -> Value {
        let mut bound = |ev: &mut Self, e: &Option<Box<Expr>>| -> Result<Option<i64>, Value> {
            match e.as_deref().map(|e| ev.expr(cx, e)) {
                None | Some(Value::None) => Ok(None),
                Some(Value::Int(i)) => Ok(Some(i)),
                Some(other) => Err(other),
            }
        };
        let (lo, hi, step) = match (
            bound(self, &s.lower),
            bound(self, &s.upper),
            bound(self, &s.step),
        ) {
            (Ok(l), Ok(h), Ok(st)) => (l, h, st.unwrap_or(1)),
            _ => return self.dynamic(at, "a slice with unknown bounds", false),
        };
        if step < 1 {
            return self.dynamic(at, "a slice with a step below 1", false);
        }
        let pick = |len: usize| -> Vec<usize> {
            let len = len as i64;
            let clamp = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
            let (lo, hi) = (lo.map_or(0, clamp), hi.map_or(len, clamp));
            (lo..hi.max(lo))
                .step_by(step as usize)
                .map(|i| i as usize)
                .collect()
        };
        match base {
            Value::List(items) => Value::List(
                pick(items.len())
                    .into_iter()
                    .map(|i| items[i].clone())
                    .collect(),
            ),
            Value::Str(s) => {
                let chars: Vec<char> = s.chars().collect();
                Value::Str(pick(chars.len()).into_iter().map(|i| chars[i]).collect())
            }
            Value::Dynamic(d) => Value::Dynamic(d),
            other => self.dynamic(at, format!("slicing {}", other.describe()), false),
        }
    }

    /// An int result, or a dynamic value when it does not fit 64 bits:
    /// Python's ints are unbounded, so a saturated or wrapped value would
    /// be a silent wrong answer.
    fn int_result(&mut self, v: Option<i64>, at: Loc) -> Value {
        match v {
            Some(i) => Value::Int(i),
            None => self.dynamic(at, "an integer beyond 64 bits", false),
        }
    }

    pub(super) fn binop(&mut self, l: &Value, op: Operator, r: &Value, at: Loc) -> Value {
        use Value::*;
        let built = match (op, l, r) {
            (Operator::Add, List(_) | Str(_), List(_) | Str(_)) => {
                limits::size_of(l).saturating_add(limits::size_of(r))
            }
            (Operator::Mult, List(_) | Str(_), Int(n))
            | (Operator::Mult, Int(n), List(_) | Str(_)) => {
                let v = if matches!(l, Int(_)) { r } else { l };
                limits::size_of(v).saturating_mul((*n).max(0) as u64)
            }
            _ => 0,
        };
        if built > 0 && !self.charge(built, &at) {
            return Self::reported(at);
        }
        match (op, l, r) {
            (Operator::Add, List(a), List(b)) => List(a.iter().chain(b).cloned().collect()),
            (Operator::Add, Str(a), Str(b)) => Str(format!("{a}{b}")),
            (Operator::Add, Int(a), Int(b)) => self.int_result(a.checked_add(*b), at),
            (Operator::Sub, Int(a), Int(b)) => self.int_result(a.checked_sub(*b), at),
            (Operator::Mult, Int(a), Int(b)) => self.int_result(a.checked_mul(*b), at),
            (Operator::Add, Float(a), Float(b)) => Float(a + b),
            (Operator::Add, Int(a), Float(b)) | (Operator::Add, Float(b), Int(a)) => {
                Float(*a as f64 + b)
            }
            (Operator::Mult, Float(a), Float(b)) => Float(a * b),
            (Operator::Sub, Float(a), Float(b)) => Float(a - b),
            (Operator::Sub, Int(a), Float(b)) => Float(*a as f64 - b),
            (Operator::Sub, Float(a), Int(b)) => Float(a - *b as f64),
            (Operator::Div, Int(_) | Float(_), Int(_) | Float(_)) => {
                let (a, b) = (num(l), num(r));
                if b == 0.0 {
                    return self.dynamic(
                        at,
                        "a division by zero (Python raises ZeroDivisionError)",
                        false,
                    );
                }
                Float(a / b)
            }
            // Python's remainder takes the divisor's sign.
            // In i128: `i64::MIN % -1` and `(a % b) + b` overflow i64; the
            // result is smaller than the divisor.
            (Operator::Mod, Int(a), Int(b)) if *b != 0 => {
                let (a, b) = (i128::from(*a), i128::from(*b));
                Int((((a % b) + b) % b) as i64)
            }
            (Operator::Mult, Int(a), Float(b)) | (Operator::Mult, Float(b), Int(a)) => {
                Float(*a as f64 * b)
            }
            (Operator::FloorDiv, Int(a), Int(b)) if *b != 0 => {
                // `i64::MIN // -1` is 2**63: past 64 bits.
                let (a, b) = (i128::from(*a), i128::from(*b));
                let q = a / b;
                let q = if a % b != 0 && ((a < 0) != (b < 0)) {
                    q - 1
                } else {
                    q
                };
                self.int_result(i64::try_from(q).ok(), at)
            }
            (Operator::Mult, Str(s), Int(n)) | (Operator::Mult, Int(n), Str(s)) => {
                Str(s.repeat((*n).max(0) as usize))
            }
            (Operator::Mult, List(v), Int(n)) | (Operator::Mult, Int(n), List(v)) => {
                // An empty list builds nothing, so the budget above does not
                // stop it: repeating it would loop n times for nothing.
                let n = if v.is_empty() {
                    0
                } else {
                    (*n).max(0) as usize
                };
                List(
                    std::iter::repeat_n(v.iter().cloned(), n)
                        .flatten()
                        .collect(),
                )
            }
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
            (Operator::Div, Path(a), Str(b) | Path(b)) => Path(pathlib::join(a, b)),
            (Operator::Div, Str(a), Path(b)) => Path(pathlib::join(&pathlib::new(&[a]), b)),
            (Operator::Mod, Str(t), args) if !matches!(args, Dynamic(_)) => {
                let items: Vec<&Value> = match args {
                    List(items) => items.iter().collect(),
                    other => vec![other],
                };
                // repr() of a path is `PosixPath('...')`, not emulated.
                if t.contains("%r") && items.iter().any(|v| matches!(v, Path(_))) {
                    return self.dynamic(at, "`%r` of a path", false);
                }
                let fmts: Option<Vec<_>> = items.iter().map(|v| v.fmt()).collect();
                match fmts.map(|f| strings::percent(t, &f)) {
                    Some(Ok(s)) => Str(s),
                    Some(Err(e)) => self.dynamic(at, format!("`%` formatting: {e}"), false),
                    Option::None => self.dynamic(
                        at,
                        "`%` formatting of a value feastops does not format",
                        false,
                    ),
                }
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
}

/// A set from hashable items, duplicates dropped.
pub(super) fn set_of(items: Vec<Value>) -> Value {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for v in items {
        if !out.iter().any(|x| same_key(x, &v)) {
            out.push(v);
        }
    }
    Value::Set(out)
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => f64::NAN,
    }
}

/// One replacement field of an f-string or `str.format`.
pub(super) fn format_one(v: &Value, conv: Option<char>, spec: &str) -> Result<String, String> {
    let f = v.fmt().ok_or_else(|| v.describe())?;
    let text = match conv {
        None => return strings::format_value(&f, spec).map_err(|e| e.to_string()),
        Some('s') => strings::str_of(&f),
        Some('r') if !matches!(v, Value::Path(_)) => strings::repr_of(&f),
        _ => return Err(format!("a conversion of {}", v.describe())),
    }
    .map_err(|e| e.to_string())?;
    strings::format_value(&strings::Fmt::Str(&text), spec).map_err(|e| e.to_string())
}

/// The value of an external dotted path: Feast types, ValueType members and
/// a few standard constants are known values, anything else stays a
/// reference.
/// `UNIX_TIMESTAMP` → `UnixTimestamp`: an enum member's name as the
/// `feast.types` alias spells it.
fn camel_case(member: &str) -> String {
    member
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase()
            })
        })
        .collect()
}

pub(super) fn ext_value(path: String) -> Value {
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
        // `PrimitiveFeastType.INT64` is the object `feast.types.Int64` names.
        if owner == Some("PrimitiveFeastType")
            && let Some(t) = member.map(camel_case).as_deref().and_then(types::primitive)
        {
            return Value::DType(t);
        }
    }
    match path.as_str() {
        "os.sep" | "os.path.sep" => Value::Str("/".into()),
        "os.curdir" | "os.path.curdir" => Value::Str(".".into()),
        "os.pardir" | "os.path.pardir" => Value::Str("..".into()),
        _ => Value::Ext(path),
    }
}
