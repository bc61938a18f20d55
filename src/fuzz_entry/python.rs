//! Structure-aware inputs for the static feature-repo reader: the fuzzer's
//! bytes choose a program from a small grammar of Feast constructs and the
//! Python around them (assignments, loops, functions, conditionals,
//! f-strings, comprehensions, imports between files), which is printed as
//! source and read like a repo on disk. Random bytes would almost never get
//! past the Python parser; this grammar reaches the evaluator and Feast's
//! constructors instead.

use std::fmt::{self, Display, Formatter, Write};

use arbitrary::{Arbitrary, Unstructured};

use crate::sources::repo::{self, RepoError, RepoTree};

const NAMES: &[&str] = &[
    "driver",
    "customer",
    "trips",
    "conv_rate",
    "acc_rate",
    "driver_id",
    "id",
    "event_ts",
    "created",
    "",
    "a b",
    "ünï",
    "v@1",
    "x.y",
    "__dummy",
    "feast:tag",
];

/// A short string from a fixed list (names that collide, empty, unicode).
#[derive(Debug, Clone, Copy)]
struct Name(u8);
impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Name(u.arbitrary()?))
    }
}
impl Display for Name {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(NAMES[self.0 as usize % NAMES.len()])
    }
}

/// A variable name: few of them, so statements refer to each other.
#[derive(Debug, Clone, Copy, Arbitrary)]
struct Var(u8);
impl Display for Var {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0 % 8)
    }
}

#[derive(Debug, Arbitrary)]
enum DType {
    Float32,
    Float64,
    Int32,
    Int64,
    String,
    Bool,
    Bytes,
    UnixTimestamp,
    Array(Box<DType>),
    Set(Box<DType>),
    /// A name the evaluator must not know.
    Unknown,
}
impl Display for DType {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            DType::Array(t) => write!(f, "Array({t})"),
            DType::Set(t) => write!(f, "Set({t})"),
            DType::Unknown => f.write_str("NotAType"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Op {
    Add,
    Mul,
    Mod,
    Sub,
    FloorDiv,
    Eq,
    And,
}
impl Display for Op {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Add => "+",
            Op::Mul => "*",
            Op::Mod => "%",
            Op::Sub => "-",
            Op::FloorDiv => "//",
            Op::Eq => "==",
            Op::And => "and",
        })
    }
}

#[derive(Debug, Arbitrary)]
enum Expr {
    Int(i16),
    Str(Name),
    Var(Var),
    Bin(Box<Expr>, Op, Box<Expr>),
    FStr(Name, Box<Expr>),
    List(Vec<Expr>),
    Dict(Vec<(Name, Expr)>),
    Index(Box<Expr>, Box<Expr>),
    Slice(Box<Expr>, i8, i8),
    Len(Box<Expr>),
    Method(Box<Expr>, StrMethod),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Comp(Box<Expr>, u8),
    Call(Var, Vec<Expr>),
    Lambda(Box<Expr>),
    Env(Name),
    Path(Name),
    Timedelta(u8),
    Field(Name, DType),
    Ref(Var, Vec<Name>),
    /// 64-bit edges: Python's ints are unbounded, the evaluator's are not.
    Big(i64),
    /// Short ranges: long ones are the `eval_budget` target's job.
    Range(i8, i8, i8),
}

#[derive(Debug, Arbitrary)]
enum StrMethod {
    Upper,
    Format(Box<Expr>),
    Join(Box<Expr>),
    Split,
    Replace(Name, Name),
    Strip,
    Items,
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Int(i) => write!(f, "{i}"),
            Expr::Str(n) => write!(f, "{:?}", n.to_string()),
            Expr::Var(v) => write!(f, "{v}"),
            Expr::Bin(a, op, b) => write!(f, "({a} {op} {b})"),
            Expr::FStr(n, e) => write!(f, "f\"{n}_{{{e}}}\""),
            Expr::List(items) => {
                f.write_char('[')?;
                for i in items {
                    write!(f, "{i}, ")?;
                }
                f.write_char(']')
            }
            Expr::Dict(items) => {
                f.write_char('{')?;
                for (k, v) in items {
                    write!(f, "{:?}: {v}, ", k.to_string())?;
                }
                f.write_char('}')
            }
            Expr::Index(a, i) => write!(f, "{a}[{i}]"),
            Expr::Slice(a, s, e) => write!(f, "{a}[{s}:{e}]"),
            Expr::Len(a) => write!(f, "len({a})"),
            Expr::Method(a, m) => match m {
                StrMethod::Upper => write!(f, "{a}.upper()"),
                StrMethod::Format(x) => write!(f, "\"{{}}_{{}}\".format({a}, {x})"),
                StrMethod::Join(x) => write!(f, "{a}.join({x})"),
                StrMethod::Split => write!(f, "{a}.split(\"_\")"),
                StrMethod::Replace(x, y) => {
                    write!(f, "{a}.replace({:?}, {:?})", x.to_string(), y.to_string())
                }
                StrMethod::Strip => write!(f, "{a}.strip()"),
                StrMethod::Items => write!(f, "[k for k, _ in {a}.items()]"),
            },
            Expr::Cond(c, a, b) => write!(f, "({a} if {c} else {b})"),
            Expr::Comp(e, n) => write!(f, "[{e} for i in range({})]", n % 12),
            Expr::Call(v, args) => {
                write!(f, "{v}(")?;
                for a in args {
                    write!(f, "{a}, ")?;
                }
                f.write_char(')')
            }
            Expr::Lambda(e) => write!(f, "(lambda i: {e})"),
            Expr::Env(n) => write!(f, "os.environ.get({:?}, \"dflt\")", n.to_string()),
            Expr::Path(n) => write!(
                f,
                "os.path.join(os.path.dirname(__file__), \"data\", {:?})",
                n.to_string()
            ),
            Expr::Timedelta(d) => write!(f, "timedelta(days={d})"),
            Expr::Field(n, t) => write!(f, "Field(name={:?}, dtype={t})", n.to_string()),
            Expr::Big(i) => write!(f, "({i})"),
            Expr::Range(a, b, c) => write!(f, "list(range({a}, {b}, {c}))"),
            Expr::Ref(v, cols) => {
                write!(f, "{v}[[")?;
                for c in cols {
                    write!(f, "{:?}, ", c.to_string())?;
                }
                f.write_str("]]")
            }
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Stmt {
    Assign(Var, Expr),
    Entity {
        var: Var,
        name: Expr,
        keys: Vec<Name>,
        value_type: Option<DType>,
    },
    Source {
        var: Var,
        name: Name,
        file: Name,
        ts: Name,
    },
    View {
        var: Var,
        name: Expr,
        entities: Vec<Var>,
        schema: Vec<Expr>,
        source: Var,
        ttl: Option<Expr>,
        online: bool,
        tags: Expr,
    },
    OnDemand {
        name: Name,
        sources: Vec<Var>,
        schema: Vec<Expr>,
    },
    Service {
        var: Var,
        name: Expr,
        features: Vec<Expr>,
    },
    For(Var, u8, Vec<Stmt>),
    Def(Var, Vec<Stmt>, Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    ImportFrom(u8),
    Append(Var, Expr),
}

fn indent(f: &mut Formatter<'_>, depth: usize) -> fmt::Result {
    for _ in 0..depth {
        f.write_str("    ")?;
    }
    Ok(())
}

fn list<T: Display>(items: &[T]) -> String {
    let mut s = String::from("[");
    for i in items {
        let _ = write!(s, "{i}, ");
    }
    s.push(']');
    s
}

struct Block<'a>(&'a [Stmt], usize);
impl Display for Block<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            indent(f, self.1)?;
            return f.write_str("pass\n");
        }
        for s in self.0 {
            write_stmt(f, s, self.1)?;
        }
        Ok(())
    }
}

fn write_stmt(f: &mut Formatter<'_>, s: &Stmt, d: usize) -> fmt::Result {
    indent(f, d)?;
    match s {
        Stmt::Assign(v, e) => writeln!(f, "{v} = {e}"),
        Stmt::Entity {
            var,
            name,
            keys,
            value_type,
        } => {
            write!(
                f,
                "{var} = Entity(name={name}, join_keys={}",
                list(&quoted(keys))
            )?;
            if let Some(t) = value_type {
                write!(
                    f,
                    ", value_type=ValueType.{}",
                    format!("{t}").to_uppercase()
                )?;
            }
            writeln!(f, ")")
        }
        Stmt::Source {
            var,
            name,
            file,
            ts,
        } => writeln!(
            f,
            "{var} = FileSource(name={:?}, path=\"data/{file}.parquet\", timestamp_field={:?})",
            name.to_string(),
            ts.to_string()
        ),
        Stmt::View {
            var,
            name,
            entities,
            schema,
            source,
            ttl,
            online,
            tags,
        } => {
            write!(
                f,
                "{var} = FeatureView(name={name}, entities={}, schema={}, source={source}, online={}, tags={tags}",
                list(entities),
                list(schema),
                if *online { "True" } else { "False" }
            )?;
            if let Some(t) = ttl {
                write!(f, ", ttl={t}")?;
            }
            writeln!(f, ")")
        }
        Stmt::OnDemand {
            name,
            sources,
            schema,
        } => {
            writeln!(
                f,
                "@on_demand_feature_view(sources={}, schema={})",
                list(sources),
                list(schema)
            )?;
            indent(f, d)?;
            writeln!(f, "def odfv_{}(inputs):", name.0 % 4)?;
            indent(f, d + 1)?;
            writeln!(f, "return inputs")
        }
        Stmt::Service {
            var,
            name,
            features,
        } => {
            writeln!(
                f,
                "{var} = FeatureService(name={name}, features={})",
                list(features)
            )
        }
        Stmt::For(v, n, body) => {
            writeln!(f, "for {v} in range({}):", n % 8)?;
            write!(f, "{}", Block(body, d + 1))
        }
        Stmt::Def(v, body, ret) => {
            writeln!(f, "def {v}(*args, **kwargs):")?;
            write!(f, "{}", Block(body, d + 1))?;
            indent(f, d + 1)?;
            writeln!(f, "return {ret}")
        }
        Stmt::If(c, a, b) => {
            writeln!(f, "if {c}:")?;
            write!(f, "{}", Block(a, d + 1))?;
            indent(f, d)?;
            writeln!(f, "else:")?;
            write!(f, "{}", Block(b, d + 1))
        }
        Stmt::ImportFrom(n) => writeln!(f, "from m{} import *", n % 3),
        Stmt::Append(v, e) => writeln!(f, "{v}.append({e})"),
    }
}

fn quoted(names: &[Name]) -> Vec<String> {
    names
        .iter()
        .map(|n| format!("{:?}", n.to_string()))
        .collect()
}

const PRELUDE: &str = "import os\nfrom datetime import timedelta\n\
from feast import Entity, FeatureService, FeatureView, Field, FileSource, ValueType\n\
from feast.on_demand_feature_view import on_demand_feature_view\n\
from feast.types import Array, Bool, Bytes, Float32, Float64, Int32, Int64, Set, String, UnixTimestamp\n";

/// A feature repo of up to three modules (`m0.py`..`m2.py`), which may
/// import each other (cycles included).
#[derive(Debug, Arbitrary)]
pub struct FeatureRepo {
    files: Vec<Vec<Stmt>>,
}

impl FeatureRepo {
    fn sources(&self) -> Vec<(String, String)> {
        self.files
            .iter()
            .take(3)
            .enumerate()
            .map(|(i, stmts)| (format!("m{i}.py"), format!("{PRELUDE}{}", Block(stmts, 0))))
            .collect()
    }
}

fn tree(files: Vec<(String, String)>) -> RepoTree {
    RepoTree {
        display: "fuzz-repo".into(),
        python: files.into_iter().collect(),
        feature_store_yaml: Some(
            "project: fuzz\nprovider: local\nregistry: data/registry.db\n".into(),
        ),
        root: std::path::PathBuf::from("/nonexistent/fuzz-repo"),
        ..Default::default()
    }
}

/// The Python a `repo` input stands for (to read or save a finding).
pub fn repo_source(data: &[u8]) -> Option<Vec<(String, String)>> {
    FeatureRepo::arbitrary_take_rest(Unstructured::new(data))
        .ok()
        .map(|r| r.sources())
}

/// The static reader on a generated feature repo. Its files never name a
/// remote path, so no input reaches the network. A repo that reads must
/// survive a lock-file round trip unchanged.
pub fn repo(data: &[u8]) {
    if let Some(files) = repo_source(data)
        && let Ok(reg) = repo::parse(&tree(files))
    {
        super::round_trip(&reg);
    }
}

/// Code that runs long, deep or big: the evaluator must stop it within its
/// budgets with a diagnostic, never hang, overflow its stack or exhaust
/// memory.
#[derive(Debug, Arbitrary)]
pub enum BudgetProgram {
    Recursion,
    MutualRecursion,
    NestedLoops(u8, u32),
    Doubling(u8),
    Repeat(u32),
    ListRepeat(u32),
    FormatWidth(u32),
    Pad(u32),
    NestedValue(u32),
    DeepBrackets(u16),
    DeepUnary(u16),
    LongChain(u16),
    DeepBlocks(u8),
    BigComprehension(u16, u16),
    JoinRepeat(u32),
    Power(u32),
    SelfAppend(u16),
    ManyLoops(u16, u32),
}

impl BudgetProgram {
    fn source(&self) -> String {
        let mut s = String::from("import os\n");
        let use_x = "from feast import Entity\ne = Entity(name=\"e\", join_keys=[\"id\"], description=str(x)[:8])\n";
        match self {
            BudgetProgram::Recursion => s += "def f(n):\n    return f(n + 1)\nx = f(0)\n",
            BudgetProgram::MutualRecursion => {
                s += "def f(n):\n    return g(n)\ndef g(n):\n    return [f(n) for _ in range(2)]\nx = f(0)\n"
            }
            BudgetProgram::NestedLoops(depth, n) => {
                s += "x = 0\n";
                let depth = (*depth % 6) as usize + 1;
                for d in 0..depth {
                    let _ = writeln!(s, "{}for i{d} in range({n}):", "    ".repeat(d));
                }
                let _ = writeln!(s, "{}x = x + 1", "    ".repeat(depth));
            }
            BudgetProgram::Doubling(n) => {
                let _ = writeln!(s, "x = \"ab\"\nfor i in range({n}):\n    x = x + x");
            }
            BudgetProgram::Repeat(n) => {
                let _ = writeln!(s, "x = \"ab\" * {n}");
            }
            BudgetProgram::ListRepeat(n) => {
                let _ = writeln!(s, "x = [1, 2] * {n}");
            }
            BudgetProgram::FormatWidth(n) => {
                let _ = writeln!(
                    s,
                    "x = \"{{:>{n}}}\".format(1) + f\"{{1:<{n}}}\" + \"%{n}d\" % 1"
                );
            }
            BudgetProgram::Pad(n) => {
                let _ = writeln!(
                    s,
                    "x = \"a\".ljust({n}) + \"b\".zfill({n}) + \"c\".center({n})"
                );
            }
            BudgetProgram::NestedValue(n) => {
                let _ = writeln!(s, "x = []\nfor i in range({n}):\n    x = [x]");
            }
            BudgetProgram::DeepBrackets(n) => {
                let n = *n as usize;
                let _ = writeln!(s, "x = {}1{}", "[".repeat(n), "]".repeat(n));
            }
            BudgetProgram::DeepUnary(n) => {
                let _ = writeln!(s, "x = {}1", "-".repeat(*n as usize));
            }
            BudgetProgram::LongChain(n) => {
                let _ = writeln!(s, "x = 1{}", " + 1".repeat(*n as usize));
            }
            BudgetProgram::DeepBlocks(n) => {
                let n = *n as usize;
                for d in 0..n {
                    let _ = writeln!(s, "{}if True:", " ".repeat(d));
                }
                let _ = writeln!(s, "{}x = 1", " ".repeat(n));
            }
            BudgetProgram::BigComprehension(a, b) => {
                let _ = writeln!(s, "x = [i * j for i in range({a}) for j in range({b})]");
            }
            BudgetProgram::JoinRepeat(n) => {
                let _ = writeln!(s, "x = \",\".join([\"abc\"] * {n})");
            }
            BudgetProgram::Power(n) => {
                let _ = writeln!(s, "x = 7 ** {n}");
            }
            BudgetProgram::SelfAppend(n) => {
                let _ = writeln!(s, "x = [1]\nfor i in range({n}):\n    x = x + x");
            }
            BudgetProgram::ManyLoops(count, n) => {
                // Each statement's loop stays inside the step budget; together
                // they run past the read's work budget.
                let count = (*count % 2048) as usize;
                s += &format!("for a in range({n}):\n    pass\n").repeat(count);
                s += "x = 1\n";
            }
        }
        s + use_x
    }

    /// Whether CPython would run past the evaluator's budgets (200,000
    /// steps per statement, 10 million units of work per read, 32 nested
    /// calls) or its value limits: then reading the repo must fail with a
    /// diagnostic that names the limit.
    fn must_stop(&self) -> bool {
        match self {
            BudgetProgram::Recursion | BudgetProgram::MutualRecursion => true,
            BudgetProgram::NestedLoops(depth, n) => {
                let depth = (*depth % 6) as u32 + 1;
                (*n as u64)
                    .checked_pow(depth)
                    .is_none_or(|total| total > 400_000)
            }
            BudgetProgram::Doubling(n) => *n > 40,
            // Two units per iteration (the loop's step and `pass`).
            BudgetProgram::ManyLoops(count, n) => {
                (*count % 2048) as u64 * 2 * *n as u64 > 10_100_000
            }
            _ => false,
        }
    }
}

/// The Python a `eval_budget` input stands for.
pub fn budget_source(data: &[u8]) -> Option<String> {
    BudgetProgram::arbitrary_take_rest(Unstructured::new(data))
        .ok()
        .map(|p| p.source())
}

/// The evaluator's budgets on hostile code.
pub fn budget(data: &[u8]) {
    let Ok(program) = BudgetProgram::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let result = repo::parse(&tree(vec![("m.py".into(), program.source())]));
    if program.must_stop() {
        match result {
            Err(RepoError::Diagnostics { diagnostics, .. }) => assert!(
                diagnostics.iter().any(|d| is_limit(&d.message)),
                "{program:?}: no diagnostic names the limit: {diagnostics:?}"
            ),
            other => panic!("{program:?} ran past every budget: {other:?}"),
        }
    }
}

/// The evaluator's budget messages, and its refusal of ranges too long to
/// iterate (found by the fuzzer: a loop over `range(505282916)` stops there,
/// before any step is spent).
fn is_limit(message: &str) -> bool {
    [
        "steps",
        "deeper",
        "larger than",
        "nest",
        "too long to evaluate",
        "expressions and loop iterations in all",
    ]
    .iter()
    .any(|k| message.contains(k))
}
