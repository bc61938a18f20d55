//! Statements: the same rules at module level and in function bodies,
//! except that only module-level names are what Feast collects.

use std::collections::BTreeMap;
use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::super::objects;
use super::value::{Function, FunctionBody, Loc, Value, dict_set, is_hashable, whole_lines};
use super::{Ctx, Evaluator, feast_name};

/// How a statement ended.
pub enum Flow {
    Normal,
    Return(Value),
    Break,
    Continue,
    /// Evaluation stopped at a reported diagnostic.
    Abort,
}

/// Methods that change a list, dict or set in place: the evaluator follows
/// some of them as statements and refuses the others, never ignores them.
pub(super) const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "update",
    "remove",
    "clear",
    "reverse",
    "sort",
    "pop",
    "popitem",
    "setdefault",
    "add",
    "discard",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
];

impl Evaluator<'_> {
    pub(super) fn block(&mut self, cx: &mut Ctx, stmts: &[Stmt]) -> Flow {
        for s in stmts {
            match self.stmt(cx, s) {
                Flow::Normal => {}
                other => return other,
            }
        }
        Flow::Normal
    }

    pub(super) fn stmt(&mut self, cx: &mut Ctx, stmt: &Stmt) -> Flow {
        stacker::maybe_grow(
            super::limits::STACK_RED_ZONE,
            super::limits::STACK_GROWTH,
            || self.stmt_inner(cx, stmt),
        )
    }

    fn stmt_inner(&mut self, cx: &mut Ctx, stmt: &Stmt) -> Flow {
        let at = cx.loc(stmt.range().start());
        if !self.step(&at) {
            return Flow::Abort;
        }
        match stmt {
            Stmt::Expr(e) => {
                if let Some(flow) = self.mutating_call(cx, &e.value, &at) {
                    return flow;
                }
                let v = self.expr(cx, &e.value);
                if cx.at_module_level() {
                    self.check_hidden(&v);
                }
            }
            Stmt::Assign(a) => {
                let v = self.expr(cx, &a.value);
                for t in &a.targets {
                    self.bind(cx, t, v.clone());
                    self.note_sharing(cx, t, Some(&a.value), &v);
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = self.expr(cx, value);
                    self.bind(cx, &a.target, v);
                }
            }
            Stmt::AugAssign(a) => {
                if let Expr::Name(n) = &*a.target
                    && let Some(scope) = cx.scope_of(n.id.as_str())
                    && self.is_shared(&scope, n.id.as_str())
                    && matches!(
                        scope.borrow().get(n.id.as_str()),
                        Some(Value::List(_) | Value::Dict(_) | Value::Set(_))
                    )
                {
                    self.error(at, format!("`{} {}= ...` changes in place a container another name shares (an argument, or a copy of a name); feastops does not follow shared containers", n.id, a.op.as_str()), true);
                    return Flow::Abort;
                }
                let left = self.expr(cx, &a.target);
                let right = self.expr(cx, &a.value);
                let v = self.binop(&left, a.op, &right, at);
                self.bind(cx, &a.target, v);
            }
            Stmt::FunctionDef(f) => self.function_def(cx, f),
            Stmt::ClassDef(c) => {
                let v = Value::Class(Rc::new(at), c.name.id.to_string());
                self.bind_name(cx, c.name.id.as_str(), v);
            }
            Stmt::Import(i) => self.import(cx, i),
            Stmt::ImportFrom(i) => self.import_from(cx, i, at),
            Stmt::If(s) if is_main_guard(&s.test) => {}
            Stmt::If(s) => return self.if_stmt(cx, s, at),
            Stmt::For(f) if !f.is_async => return self.for_stmt(cx, f, at),
            Stmt::With(w) if !w.is_async => return self.with_stmt(cx, w, at),
            Stmt::Try(t)
                if t.body
                    .iter()
                    .all(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_))) =>
            {
                return self.block(cx, &t.body);
            }
            Stmt::Return(r) if cx.in_function => {
                let v = match &r.value {
                    Some(e) => self.expr(cx, e),
                    None => Value::None,
                };
                return Flow::Return(v);
            }
            Stmt::Break(_) => return Flow::Break,
            Stmt::Continue(_) => return Flow::Continue,
            Stmt::Delete(d) => {
                for t in &d.targets {
                    if let Expr::Name(n) = t {
                        cx.ns.borrow_mut().remove(n.id.as_str());
                    }
                }
            }
            Stmt::Global(g) => {
                cx.global_names
                    .extend(g.names.iter().map(|n| n.id.to_string()));
            }
            Stmt::Pass(_) | Stmt::Assert(_) | Stmt::TypeAlias(_) => {}
            Stmt::Raise(_) => {
                self.error(
                    at,
                    "the code raises an exception here (feast apply would fail), or feastops evaluated a condition differently",
                    true,
                );
                return Flow::Abort;
            }
            Stmt::For(_) | Stmt::While(_) => {
                self.error(
                    at,
                    "`while` or `async for` loop: feastops evaluates `for` loops over known values only",
                    true,
                );
                return Flow::Abort;
            }
            Stmt::With(_) | Stmt::Try(_) | Stmt::Match(_) => {
                self.error(
                    at,
                    "`with`/`try`/`match` block: feastops evaluates `with open(...)` only",
                    true,
                );
                return Flow::Abort;
            }
            _ => {
                self.error(at, "statement feastops cannot evaluate", true);
                return Flow::Abort;
            }
        }
        Flow::Normal
    }

    fn if_stmt(&mut self, cx: &mut Ctx, s: &ast::StmtIf, at: Loc) -> Flow {
        let mut branches = std::iter::once((Some(&*s.test), &s.body[..])).chain(
            s.elif_else_clauses
                .iter()
                .map(|c| (c.test.as_ref(), &c.body[..])),
        );
        for (test, body) in branches.by_ref() {
            let Some(test) = test else {
                return self.block(cx, body);
            };
            let v = self.expr(cx, test);
            match v.truth() {
                Some(true) => return self.block(cx, body),
                Some(false) => {}
                None => {
                    let why = v.describe();
                    self.error(
                        at,
                        format!("an `if` whose condition is {why}, which only running the code would give"),
                        true,
                    );
                    return Flow::Abort;
                }
            }
        }
        Flow::Normal
    }

    fn for_stmt(&mut self, cx: &mut Ctx, f: &ast::StmtFor, at: Loc) -> Flow {
        let iter = self.expr(cx, &f.iter);
        let Some(items) = super::value::iterate(&iter) else {
            if !matches!(&iter, Value::Dynamic(d) if d.why == super::REPORTED) {
                self.error(
                    at,
                    format!(
                        "a loop over {}, which only running the code would give",
                        iter.describe()
                    ),
                    true,
                );
            }
            return Flow::Abort;
        };
        for item in items {
            if !self.step(&at) {
                return Flow::Abort;
            }
            let shared = matches!(item, Value::List(_) | Value::Dict(_) | Value::Set(_));
            self.bind(cx, &f.target, item);
            if shared {
                self.note_sharing(cx, &f.target, None, &Value::List(Vec::new()));
            }
            match self.block(cx, &f.body) {
                Flow::Normal | Flow::Continue => {}
                Flow::Break => return Flow::Normal,
                other => return other,
            }
        }
        self.block(cx, &f.orelse)
    }

    fn with_stmt(&mut self, cx: &mut Ctx, w: &ast::StmtWith, at: Loc) -> Flow {
        for item in &w.items {
            let v = self.expr(cx, &item.context_expr);
            if !matches!(v, Value::File(_)) {
                self.error(
                    at,
                    format!(
                        "a `with` block over {}; feastops evaluates `with open(...)` only",
                        v.describe()
                    ),
                    true,
                );
                return Flow::Abort;
            }
            if let Some(target) = &item.optional_vars {
                self.bind(cx, target, v);
            }
        }
        self.block(cx, &w.body)
    }

    /// `name.append(x)` and other in-place changes of a known list or dict,
    /// made in the namespace that holds `name`.
    fn mutating_call(&mut self, cx: &mut Ctx, e: &Expr, at: &Loc) -> Option<Flow> {
        let Expr::Call(call) = e else { return None };
        let Expr::Attribute(attr) = &*call.func else {
            return None;
        };
        let Expr::Name(target) = &*attr.value else {
            return None;
        };
        let method = attr.attr.id.as_str();
        if !MUTATORS.contains(&method) {
            return None;
        }
        let name = target.id.as_str();
        let scope = cx.scope_of(name)?;
        if !matches!(
            scope.borrow().get(name),
            Some(Value::List(_) | Value::Dict(_) | Value::Set(_))
        ) {
            return None;
        }
        if self.is_shared(&scope, name) {
            self.error(
                at.clone(),
                format!("`{name}.{method}(...)` changes a container another name shares (an argument, or a copy of a name); feastops does not follow shared containers"),
                true,
            );
            return Some(Flow::Abort);
        }
        let args = self.arguments(cx, &call.arguments);
        if !args.kw.is_empty() {
            self.error(
                at.clone(),
                format!("`{name}.{method}(...)` with keyword arguments"),
                true,
            );
            return Some(Flow::Abort);
        }
        let pos: Vec<Value> = args.pos.into_iter().map(|a| a.value).collect();
        // The arguments land one level inside the container.
        if !pos
            .iter()
            .all(|v| self.nesting_ok(v, 1, at) && self.charge_copy(v, at))
        {
            return Some(Flow::Abort);
        }
        let mut ns = scope.borrow_mut();
        let slot = ns.get_mut(name)?;
        let failed = match (slot, method, pos.as_slice()) {
            (Value::List(l), "append", [v]) => {
                l.push(v.clone());
                None
            }
            (Value::List(l), "extend", [v]) => match super::value::iterate(v) {
                Some(items) => {
                    l.extend(items);
                    None
                }
                None => Some(format!("`{name}.extend(...)` with {}", v.describe())),
            },
            (Value::List(l), "insert", [Value::Int(i), v]) => {
                let len = l.len() as i64;
                let i = if *i < 0 {
                    (len + i).max(0)
                } else {
                    (*i).min(len)
                };
                l.insert(i as usize, v.clone());
                None
            }
            (Value::List(l), "remove", [v]) => {
                match l
                    .iter()
                    .position(|x| super::value::py_eq(x, v) == Some(true))
                {
                    Some(i) => {
                        l.remove(i);
                        None
                    }
                    None => Some(format!("`{name}.remove(...)` of {}", v.describe())),
                }
            }
            (Value::List(l), "reverse", []) => {
                l.reverse();
                None
            }
            (Value::List(l), "clear", []) => {
                l.clear();
                None
            }
            (Value::Set(s), "add", [v]) if is_hashable(v) => {
                if !s.iter().any(|x| super::value::same_key(x, v)) {
                    s.push(v.clone());
                }
                None
            }
            (Value::Set(s), "discard", [v]) if is_hashable(v) => {
                s.retain(|x| !super::value::same_key(x, v));
                None
            }
            (Value::Dict(d), "clear", []) => {
                d.clear();
                None
            }
            (Value::Dict(d), "update", [Value::Dict(more)]) => {
                for (k, v) in more {
                    dict_set(d, k.clone(), v.clone());
                }
                None
            }
            (_, _, args) => Some(format!(
                "`{name}.{method}(...)` with {}",
                args.iter()
                    .map(Value::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        drop(ns);
        match failed {
            None => Some(Flow::Normal),
            Some(why) => {
                self.error(at.clone(), why, true);
                Some(Flow::Abort)
            }
        }
    }

    /// A module-level value that may be a Feast object feastops cannot see.
    pub(super) fn check_hidden(&mut self, v: &Value) {
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

    pub(super) fn bind_name(&mut self, cx: &mut Ctx, name: &str, v: Value) {
        if cx.global_names.iter().any(|g| g == name) || cx.at_module_level() {
            self.check_hidden(&v);
            cx.module.globals.borrow_mut().insert(name.to_string(), v);
        } else {
            cx.ns.borrow_mut().insert(name.to_string(), v);
        }
    }

    pub(super) fn bind(&mut self, cx: &mut Ctx, target: &Expr, v: Value) {
        let at = cx.loc(target.range().start());
        match target {
            Expr::Name(n) => self.bind_name(cx, n.id.as_str(), v),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                match super::value::iterate(&v) {
                    Some(items) if items.len() == elts.len() => {
                        for (t, item) in elts.iter().zip(items) {
                            self.bind(cx, t, item);
                        }
                    }
                    _ => {
                        let d = self.dynamic(at.clone(), format!("unpacking {}", v.describe()), false);
                        for t in elts {
                            self.bind(cx, t, d.clone());
                        }
                    }
                }
            }
            Expr::Subscript(s) => self.bind_item(cx, s, v, at),
            _ => self.error(
                at,
                "assignment to an attribute changes an object after it was built; feastops cannot follow that",
                true,
            ),
        }
    }

    /// `d[k] = v` on a known dict or list, and `globals()[name] = v`.
    fn bind_item(&mut self, cx: &mut Ctx, s: &ast::ExprSubscript, v: Value, at: Loc) {
        let key = self.expr(cx, &s.slice);
        if let Expr::Call(c) = &*s.value
            && matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "globals" && cx.lookup("globals").is_none())
            && c.arguments.is_empty()
        {
            match key {
                Value::Str(name) => {
                    self.check_hidden(&v);
                    cx.module.globals.borrow_mut().insert(name, v);
                }
                other => self.error(
                    at,
                    format!("`globals()[...]` with {} as the name", other.describe()),
                    true,
                ),
            }
            return;
        }
        let scope = match &*s.value {
            Expr::Name(n) => cx.scope_of(n.id.as_str()).map(|sc| (sc, n.id.as_str())),
            _ => None,
        };
        let Some((scope, name)) = scope else {
            self.error(
                at,
                "assignment to an item of a value feastops does not track",
                true,
            );
            return;
        };
        if self.is_shared(&scope, name) {
            self.error(
                at,
                format!("assignment to an item of `{name}`, a container another name shares (an argument, or a copy of a name); feastops does not follow shared containers"),
                true,
            );
            return;
        }
        let mut ns = scope.borrow_mut();
        let ok = match (ns.get_mut(name), &key) {
            (Some(Value::Dict(d)), k) if is_hashable(k) => {
                dict_set(d, key.clone(), v);
                true
            }
            (Some(Value::List(l)), Value::Int(i)) => {
                let idx = if *i < 0 { l.len() as i64 + i } else { *i };
                match usize::try_from(idx).ok().and_then(|i| l.get_mut(i)) {
                    Some(slot) => {
                        *slot = v;
                        true
                    }
                    None => false,
                }
            }
            _ => false,
        };
        drop(ns);
        if !ok {
            self.error(
                at,
                format!("assignment to an item of `{name}` feastops cannot follow (an object after it was built, or an unknown key)"),
                true,
            );
        }
    }

    fn function_def(&mut self, cx: &mut Ctx, f: &ast::StmtFunctionDef) {
        let name = f.name.id.to_string();
        let at = cx.loc(f.name.range.start());
        let mut wrapped = false;
        for deco in &f.decorator_list {
            let (func, args) = match &deco.expression {
                Expr::Call(call) => (&*call.func, Some(&call.arguments)),
                other => (other, None),
            };
            let fv = self.expr(cx, func);
            let feast = match &fv {
                Value::Ext(path) => feast_name(path),
                _ => None,
            };
            let Some(feast) = feast.filter(|f| {
                matches!(
                    *f,
                    "on_demand_feature_view" | "stream_feature_view" | "batch_feature_view"
                )
            }) else {
                wrapped = true;
                continue;
            };
            if f.decorator_list.len() > 1 {
                self.error(at.clone(), format!("`{name}` has more than one decorator; feastops reads a Feast decorator only alone"), true);
                return;
            }
            // dill.source.getsource: from the decorator's line to the end of the function.
            let body = whole_lines(cx.src, deco.range.start(), f.range.end());
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
            self.bind_name(cx, &name, v);
            return;
        }
        let defaults = self.defaults(cx, &f.parameters);
        let v = Value::Function(Rc::new(Function {
            name: name.clone(),
            at,
            module: cx.module.clone(),
            body: FunctionBody::Def(Box::new(f.clone())),
            defaults,
            wrapped,
            closure: closure_of(cx),
        }));
        self.bind_name(cx, &name, v);
    }

    /// Parameter defaults, evaluated where the function is defined.
    pub(super) fn defaults(
        &mut self,
        cx: &mut Ctx,
        p: &ast::Parameters,
    ) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        for pd in p.posonlyargs.iter().chain(&p.args).chain(&p.kwonlyargs) {
            if let Some(d) = &pd.default {
                let v = self.expr(cx, d);
                out.insert(pd.parameter.name.id.to_string(), v);
            }
        }
        out
    }
}

/// What a function defined here closes over: the frames of the functions
/// around it (module-level names are read through its module).
pub(super) fn closure_of(cx: &Ctx) -> Vec<super::value::Scope> {
    if cx.at_module_level() {
        return Vec::new();
    }
    let mut c = cx.enclosing.clone();
    c.push(cx.ns.clone());
    c
}

/// After a statement stopped at a reported diagnostic, the names it may
/// have bound are unknown rather than undefined (which would read as a
/// second, misleading error) or stale.
pub(super) fn poison(cx: &Ctx, stmts: &[Stmt]) {
    let mut ns = cx.ns.borrow_mut();
    for s in stmts {
        let mut names = Vec::new();
        assigned(s, &mut names);
        let at = cx.loc(s.range().start());
        for n in names {
            ns.insert(n, Evaluator::reported(at.clone()));
        }
    }
}

fn assigned(s: &Stmt, out: &mut Vec<String>) {
    fn targets(e: &Expr, out: &mut Vec<String>) {
        match e {
            Expr::Name(n) => out.push(n.id.to_string()),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| targets(e, out)),
            Expr::List(l) => l.elts.iter().for_each(|e| targets(e, out)),
            Expr::Starred(s) => targets(&s.value, out),
            _ => {}
        }
    }
    match s {
        Stmt::Assign(a) => a.targets.iter().for_each(|t| targets(t, out)),
        Stmt::AnnAssign(a) => targets(&a.target, out),
        Stmt::AugAssign(a) => targets(&a.target, out),
        Stmt::FunctionDef(f) => out.push(f.name.id.to_string()),
        Stmt::ClassDef(c) => out.push(c.name.id.to_string()),
        Stmt::For(f) => {
            targets(&f.target, out);
            f.body
                .iter()
                .chain(&f.orelse)
                .for_each(|s| assigned(s, out));
        }
        Stmt::While(w) => w
            .body
            .iter()
            .chain(&w.orelse)
            .for_each(|s| assigned(s, out)),
        Stmt::If(i) => {
            i.body.iter().for_each(|s| assigned(s, out));
            for c in &i.elif_else_clauses {
                c.body.iter().for_each(|s| assigned(s, out));
            }
        }
        Stmt::With(w) => {
            for item in &w.items {
                if let Some(v) = &item.optional_vars {
                    targets(v, out);
                }
            }
            w.body.iter().for_each(|s| assigned(s, out));
        }
        Stmt::Try(t) => {
            t.body
                .iter()
                .chain(&t.orelse)
                .chain(&t.finalbody)
                .for_each(|s| assigned(s, out));
        }
        Stmt::Import(i) => {
            for a in &i.names {
                let n = a.asname.as_ref().map_or_else(
                    || a.name.id.split('.').next().unwrap_or_default().to_string(),
                    |n| n.id.to_string(),
                );
                out.push(n);
            }
        }
        Stmt::ImportFrom(i) => {
            for a in &i.names {
                out.push(a.asname.as_ref().unwrap_or(&a.name).id.to_string());
            }
        }
        _ => {}
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
