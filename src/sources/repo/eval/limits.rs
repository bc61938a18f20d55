//! The evaluator's bounds beyond its step and call-depth budgets: how
//! deeply the code may nest, how deeply values may nest, and how many bytes
//! of strings and lists one read may build. Repos stay far inside them;
//! hostile or generated code would otherwise exhaust the stack or memory
//! (the parser itself grows its stack on the heap, so a file of any depth
//! parses).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::Value;

/// The deepest nesting of expressions and blocks read; CPython refuses
/// bracket nesting beyond 200 levels, and code this deep is generated.
pub const MAX_CODE_NESTING: usize = 1_000;
/// The deepest nesting of lists, dicts and sets a value may have.
pub const MAX_VALUE_NESTING: usize = 100;
/// The most bytes of strings and list slots one repo read may build.
pub const MAX_BUILT_BYTES: u64 = 256 * 1024 * 1024;
/// Below this much stack left, a nested evaluation continues on a new
/// stack segment of [`STACK_GROWTH`] bytes.
pub const STACK_RED_ZONE: usize = 256 * 1024;
pub const STACK_GROWTH: usize = 4 * 1024 * 1024;
/// The most expressions, statements and loop iterations one repo read may
/// evaluate in all. The step budget bounds each module-level statement's
/// loops and calls, but not what one iteration costs (an iteration may
/// evaluate a long expression in twenty nested comprehension scopes) nor
/// how many statements run: this bounds the whole read. Real repos are
/// far inside it: 6.5 thousand for the largest of the public repos
/// tests/corpus.rs reads, 531 thousand for a generated repo of 5,000 views
/// (scripts/bench/gen_repo.py).
pub const MAX_WORK: u64 = 10_000_000;
/// What a list slot is charged (a `Value` is 32 bytes).
pub const SLOT_BYTES: u64 = 32;

/// Where the code first nests deeper than [`MAX_CODE_NESTING`], if it does.
/// Stops descending at the limit, so its own recursion stays bounded.
pub fn too_deep(suite: &[Stmt]) -> Option<TextSize> {
    struct Depth {
        depth: usize,
        at: Option<TextSize>,
    }
    impl Depth {
        fn enter(&mut self, at: TextSize) -> bool {
            if self.at.is_some() {
                return false;
            }
            if self.depth >= MAX_CODE_NESTING {
                self.at = Some(at);
                return false;
            }
            true
        }
    }
    impl<'a> Visitor<'a> for Depth {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.enter(stmt.start()) {
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.enter(expr.start()) {
                self.depth += 1;
                visitor::walk_expr(self, expr);
                self.depth -= 1;
            }
        }
    }
    let mut d = Depth { depth: 0, at: None };
    d.visit_body(suite);
    d.at
}

/// Drops a syntax tree too deep for the ordinary (recursive) drop on the
/// current stack, on a thread whose stack fits it.
pub fn drop_deep<T: Send + 'static>(tree: T, source_len: usize) {
    // A level of nesting costs at least one source byte and well under a
    // kilobyte of stack to drop.
    let stack = (source_len.saturating_mul(1024)).max(8 << 20);
    // Without a thread (no room for its stack) the tree is leaked rather
    // than dropped here, where it would overflow the stack; the read
    // failed anyway and the process ends soon after.
    let tree = std::mem::ManuallyDrop::new(tree);
    let _ = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || drop(std::mem::ManuallyDrop::into_inner(tree)))
        .map(|h| h.join());
}

/// Whether `v` nests lists, dicts or sets deeper than [`MAX_VALUE_NESTING`].
/// Iterative, and it stops at the limit: cheap for the deep-and-narrow
/// values that matter.
/// `start` is how deep `v` itself will sit.
pub fn value_too_deep(v: &Value, start: usize) -> bool {
    let mut stack = vec![(v, start)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::List(items) | Value::Set(items) => Box::new(items.iter()),
            Value::Dict(items) => Box::new(items.iter().flat_map(|(k, v)| [k, v])),
            Value::Method(inner, _) => Box::new(std::iter::once(inner.as_ref())),
            _ => continue,
        };
        for c in children {
            if matches!(
                c,
                Value::List(_) | Value::Set(_) | Value::Dict(_) | Value::Method(..)
            ) {
                if depth + 1 >= MAX_VALUE_NESTING {
                    return true;
                }
                stack.push((c, depth + 1));
            }
        }
    }
    false
}

/// The bytes of strings and slots in `v`, counted until `cap` is passed:
/// what copying it builds.
pub fn deep_size(v: &Value, cap: u64) -> u64 {
    let mut total = 0u64;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        total = total.saturating_add(size_of(v));
        if total > cap {
            break;
        }
        match v {
            Value::List(items) | Value::Set(items) => stack.extend(items),
            Value::Dict(items) => stack.extend(items.iter().flat_map(|(k, v)| [k, v])),
            _ => {}
        }
    }
    total
}

/// The bytes a value built from others is charged: its string bytes or list
/// slots, shallowly.
pub fn size_of(v: &Value) -> u64 {
    match v {
        Value::Str(s) | Value::Path(s) => s.len() as u64,
        Value::List(items) | Value::Set(items) => items.len() as u64 * SLOT_BYTES,
        Value::Dict(items) => items.len() as u64 * 2 * SLOT_BYTES,
        _ => 0,
    }
}
