//! A static evaluator for the Python that feature repos are written in:
//! constants, lists, dicts, strings and paths, imports between repo
//! modules, `if`/`for` and comprehensions over known values, calls into the
//! repo's own functions (bounded), and calls to Feast's constructors
//! (delegated to [`super::objects`]). Anything that would need running
//! code outside the repo becomes a [`Value::Dynamic`], which is an error
//! wherever its value matters.
//!
//! - `stmt.rs`: statements, at module level and in function bodies
//! - `expr.rs`: expressions, operators, comprehensions
//! - `call.rs`: calls: Feast, the repo's functions and lambdas
//! - `builtins.rs`: Python's builtins and the methods of built-in values
//! - `stdlib.rs`: the standard library calls, over [`super::pystd`]
//! - `imports.rs`: `import` and `from ... import`
//! - `value.rs`: the values

mod builtins;
mod call;
mod expr;
mod imports;
mod limits;
mod stdlib;
mod stmt;
mod value;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use ruff_text_size::TextSize;

pub use value::{Dyn, Loc, Projection, Value};
use value::{Lines, Module, Namespace, Scope};

use super::RepoTree;
use super::diagnostics::Diagnostic;
use super::objects::Obj;
use crate::model::Note;

/// How a value whose failure was already reported describes itself.
pub const REPORTED: &str = "a value with errors";

enum ModState {
    Running,
    Done(Rc<Module>),
}

/// The most statements, loop iterations and calls one module-level
/// statement may take: repos build tens of views in loops, not millions.
const STEP_BUDGET: u32 = 200_000;
/// The deepest chain of calls into repo functions.
const DEPTH_BUDGET: u32 = 32;

/// Where evaluation currently is: a module's top level, a function's body
/// or a comprehension.
struct Ctx<'t> {
    module: Rc<Module>,
    src: &'t str,
    /// The innermost namespace: the module's globals at top level.
    ns: Scope,
    /// The frames of enclosing functions, innermost last.
    enclosing: Vec<Scope>,
    /// In a function body (or a comprehension inside one).
    in_function: bool,
    /// Names a function declared `global`.
    global_names: Vec<String>,
}

impl Ctx<'_> {
    fn loc(&self, at: TextSize) -> Loc {
        Loc {
            file: self.module.file.clone(),
            line: self.module.lines.line(at),
        }
    }

    fn at_module_level(&self) -> bool {
        Rc::ptr_eq(&self.ns, &self.module.globals)
    }

    fn lookup(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.ns.borrow().get(name) {
            return Some(v.clone());
        }
        for scope in self.enclosing.iter().rev() {
            if let Some(v) = scope.borrow().get(name) {
                return Some(v.clone());
            }
        }
        if !self.at_module_level() {
            return self.module.globals.borrow().get(name).cloned();
        }
        None
    }

    /// The namespace that holds `name`, for changing it in place.
    fn scope_of(&self, name: &str) -> Option<Scope> {
        std::iter::once(&self.ns)
            .chain(self.enclosing.iter().rev())
            .chain(std::iter::once(&self.module.globals))
            .find(|s| s.borrow().contains_key(name))
            .cloned()
    }
}

pub struct Evaluator<'t> {
    tree: &'t RepoTree,
    modules: HashMap<String, ModState>,
    diags: Vec<Diagnostic>,
    notes: Vec<Note>,
    next_id: usize,
    steps: u32,
    /// Expressions, statements and loop iterations evaluated so far in
    /// this read ([`limits::MAX_WORK`]).
    work: u64,
    /// A value nested too deep was reported (once is enough).
    nesting_reported: bool,
    /// Bytes of strings and list slots built so far ([`limits::MAX_BUILT_BYTES`]).
    built: u64,
    /// Names (by namespace) holding a list, dict or set that another name
    /// may hold too: an argument, a copy of a name, an item of another
    /// container. Lists are values here, not shared references, so an
    /// in-place change of one of these is refused rather than half-followed.
    shared: HashSet<(usize, String)>,
    depth: u32,
    /// `tree.root` as a string, when it is an absolute UTF-8 path.
    root: Option<String>,
}

impl<'t> Evaluator<'t> {
    pub fn new(tree: &'t RepoTree) -> Evaluator<'t> {
        // `feast apply` runs in the repo directory and Python's getcwd()
        // is the physical path: symbolic links in it are resolved.
        let physical = std::fs::canonicalize(&tree.root).unwrap_or_else(|_| tree.root.clone());
        let root = physical
            .to_str()
            .filter(|r| r.starts_with('/'))
            .map(super::pystd::os_path::normpath);
        Evaluator {
            tree,
            modules: HashMap::new(),
            diags: Vec::new(),
            notes: Vec::new(),
            next_id: 0,
            steps: 0,
            work: 0,
            built: 0,
            nesting_reported: false,
            shared: HashSet::new(),
            depth: 0,
            root,
        }
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        // Functions hold their module, whose globals hold them: clearing
        // the globals breaks the cycle, so the objects collected from them
        // have one owner left and move into the model without copies.
        for m in self.modules.values() {
            if let ModState::Done(m) = m {
                m.globals.borrow_mut().clear();
            }
        }
        self.diags
    }

    /// Info lines about values read from defaults rather than the
    /// environment, in the order they were met.
    pub fn take_notes(&mut self) -> Vec<Note> {
        std::mem::take(&mut self.notes)
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

    fn note(&mut self, at: &Loc, message: String) {
        let note = Note {
            location: Some(at.location()),
            message,
        };
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn dynamic(&mut self, at: Loc, why: impl Into<String>, may_define: bool) -> Value {
        Value::Dynamic(Rc::new(Dyn {
            at,
            why: why.into(),
            may_define,
            library: false,
        }))
    }

    /// A value whose problem was already reported: later uses stay quiet.
    fn reported(at: Loc) -> Value {
        Value::Dynamic(Rc::new(Dyn {
            at,
            why: REPORTED.into(),
            may_define: false,
            library: false,
        }))
    }

    fn mark_shared(&mut self, scope: &Scope, name: &str) {
        self.shared
            .insert((Rc::as_ptr(scope) as usize, name.to_string()));
    }

    fn is_shared(&self, scope: &Scope, name: &str) -> bool {
        self.shared
            .contains(&(Rc::as_ptr(scope) as usize, name.to_string()))
    }

    /// After `target = <value of source>`: a container reached through a
    /// name, an item or an attribute is shared by both.
    fn note_sharing(
        &mut self,
        cx: &Ctx,
        target: &ruff_python_ast::Expr,
        source: Option<&ruff_python_ast::Expr>,
        v: &Value,
    ) {
        use ruff_python_ast::Expr;
        if !matches!(v, Value::List(_) | Value::Dict(_) | Value::Set(_)) {
            return;
        }
        let fresh = match source {
            None => false,
            Some(Expr::Name(_) | Expr::Subscript(_) | Expr::Attribute(_)) => false,
            Some(_) => true,
        };
        if fresh {
            return;
        }
        if let Some(Expr::Name(src)) = source
            && let Some(scope) = cx.scope_of(src.id.as_str())
        {
            self.mark_shared(&scope, src.id.as_str());
        }
        if let Expr::Name(t) = target
            && let Some(scope) = cx.scope_of(t.id.as_str())
        {
            self.mark_shared(&scope, t.id.as_str());
        }
    }

    /// Counts one step; false (and reported) when over budget.
    fn step(&mut self, at: &Loc) -> bool {
        if !self.count_work(1, || at.clone()) {
            return false;
        }
        self.steps += 1;
        if self.steps == STEP_BUDGET {
            self.error(
                at.clone(),
                format!(
                    "the code here runs more than {STEP_BUDGET} steps; feastops stops evaluating it"
                ),
                true,
            );
        }
        self.steps < STEP_BUDGET
    }

    /// Counts `units` of work (an expression, statement or iteration is
    /// one; a name looked up through nested scopes one per scope); false
    /// (and reported once, where `at` says) when the read is over
    /// [`limits::MAX_WORK`]. Everything after that is left unread.
    fn count_work(&mut self, units: u64, at: impl FnOnce() -> Loc) -> bool {
        let before = self.work;
        self.work = self.work.saturating_add(units);
        if before < limits::MAX_WORK && self.work >= limits::MAX_WORK {
            self.error(
                at(),
                format!(
                    "the repo's code evaluates more than {} expressions and loop iterations in all; feastops evaluates at most that many in one read and stops here: build the definitions with fewer or smaller loops",
                    limits::MAX_WORK
                ),
                true,
            );
        }
        self.work < limits::MAX_WORK
    }

    /// Counts `bytes` about to be built; false (and reported once) when
    /// the read would build more than [`limits::MAX_BUILT_BYTES`].
    /// Charges a copy of `v` (name lookups copy values: lists are values here).
    fn charge_copy(&mut self, v: &Value, at: &Loc) -> bool {
        let room = limits::MAX_BUILT_BYTES.saturating_sub(self.built);
        self.charge(limits::deep_size(v, room), at)
    }

    fn charge(&mut self, bytes: u64, at: &Loc) -> bool {
        let before = self.built;
        self.built = self.built.saturating_add(bytes);
        if self.built > limits::MAX_BUILT_BYTES {
            if before <= limits::MAX_BUILT_BYTES {
                self.error(
                    at.clone(),
                    format!(
                        "the code here builds strings or lists larger than {} MiB in total; feastops stops evaluating it",
                        limits::MAX_BUILT_BYTES >> 20
                    ),
                    false,
                );
            }
            return false;
        }
        true
    }

    /// False (and reported) when `v` nests deeper than
    /// [`limits::MAX_VALUE_NESTING`] levels.
    /// `start` is how deep `v` will sit.
    fn nesting_ok(&mut self, v: &Value, start: usize, at: &Loc) -> bool {
        if !limits::value_too_deep(v, start) {
            return true;
        }
        if std::mem::replace(&mut self.nesting_reported, true) {
            return false;
        }
        self.error(
            at.clone(),
            format!(
                "the code here nests lists, dicts or sets more than {} levels deep; feastops stops evaluating it",
                limits::MAX_VALUE_NESTING
            ),
            false,
        );
        false
    }

    /// Runs a file (once) and returns its module namespace.
    pub fn run_file(&mut self, file: &str) -> Option<Scope> {
        match self.modules.get(file) {
            Some(ModState::Done(m)) => return Some(m.globals.clone()),
            Some(ModState::Running) => return None,
            None => {}
        }
        let tree = self.tree;
        let src = tree.python.get(file)?;
        self.modules.insert(file.to_string(), ModState::Running);
        let is_package = file == "__init__.py" || file.ends_with("/__init__.py");
        let name = file
            .trim_end_matches(".py")
            .trim_end_matches("/__init__")
            .trim_end_matches("__init__")
            .replace('/', ".");
        let module = Rc::new(Module {
            file: Rc::from(file),
            name,
            is_package,
            lines: Lines::new(src),
            globals: Rc::new(RefCell::new(Namespace::new())),
            star_ext: RefCell::new(Vec::new()),
        });
        let mut cx = Ctx {
            module: module.clone(),
            src,
            ns: module.globals.clone(),
            enclosing: Vec::new(),
            in_function: false,
            global_names: Vec::new(),
        };
        match ruff_python_parser::parse_module(src) {
            Ok(parsed) => {
                if let Some(at) = limits::too_deep(parsed.suite()) {
                    let at = cx.loc(at);
                    self.error(
                        at,
                        format!(
                            "the code here nests expressions or blocks more than {} levels deep; feastops does not read code this deep (CPython itself refuses brackets nested 200 deep): split it up",
                            limits::MAX_CODE_NESTING
                        ),
                        false,
                    );
                    limits::drop_deep(parsed, src.len());
                    let globals = module.globals.clone();
                    self.modules
                        .insert(file.to_string(), ModState::Done(module));
                    return Some(globals);
                }
                for stmt in parsed.suite() {
                    self.steps = 0;
                    if let stmt::Flow::Abort = self.stmt(&mut cx, stmt) {
                        stmt::poison(&cx, std::slice::from_ref(stmt));
                    }
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
        let globals = module.globals.clone();
        self.modules
            .insert(file.to_string(), ModState::Done(module));
        Some(globals)
    }

    /// Every Feast object bound at module level of the applied files, once
    /// each, as Feast's parse_repo collects them (by identity).
    pub fn collect(&self, files: &[&str]) -> Vec<Rc<Obj>> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for f in files {
            let Some(ModState::Done(m)) = self.modules.get(*f) else {
                continue;
            };
            for v in m.globals.borrow().values() {
                if let Value::Obj(o) = v
                    && seen.insert(o.id)
                {
                    out.push(o.clone());
                }
            }
        }
        out
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
