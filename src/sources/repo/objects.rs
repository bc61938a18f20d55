//! Feast's constructors, evaluated: `Entity`, `Field`, the data sources,
//! the feature view kinds, `FeatureService`, `Project`; and the collection
//! of module-level objects into the model, with the defaults and apply-time
//! inference `feast apply` performs.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use ruff_python_ast::name::Name;

use super::diagnostics::Diagnostic;
use super::eval::{Evaluator, Loc, Projection as ProjVal, Value};
use super::types;
use crate::model::{
    self, DType, DataSource, Entity, Feature, FeatureService, FeatureView, Meta, OdfvSource,
    OdfvSourceKind, Projection, SourceKind, Transformation, ViewKind,
};
use crate::sources::from_proto;

/// A Feast object built by a constructor; `id` is its identity, as Feast
/// deduplicates module-level objects with `is`.
#[derive(Debug, Clone)]
pub struct Obj {
    pub id: usize,
    pub at: Loc,
    pub kind: ObjKind,
}

#[derive(Debug, Clone)]
pub enum ObjKind {
    Project {
        name: String,
        meta: Meta,
    },
    Entity(Entity),
    Field(Feature),
    Source {
        ds: DataSource,
        batch: Option<Rc<Obj>>,
    },
    /// Any view kind; `sources` are the data source objects it carries.
    View {
        view: FeatureView,
        sources: Vec<Rc<Obj>>,
    },
    Service(FeatureService),
    /// Helpers that carry nothing the model keeps (formats, aggregations).
    Other(String),
}

impl Obj {
    pub fn name(&self) -> &str {
        match &self.kind {
            ObjKind::Project { name, .. } => name,
            ObjKind::Entity(e) => &e.name,
            ObjKind::Field(f) => &f.name,
            ObjKind::Source { ds, .. } => &ds.name,
            ObjKind::View { view, .. } => &view.name,
            ObjKind::Service(s) => &s.name,
            ObjKind::Other(n) => n,
        }
    }

    pub fn describe(&self) -> String {
        let kind = match &self.kind {
            ObjKind::Project { .. } => "Project",
            ObjKind::Entity(_) => "Entity",
            ObjKind::Field(_) => "Field",
            ObjKind::Source { .. } => "data source",
            ObjKind::View { view, .. } => view.kind.label(),
            ObjKind::Service(_) => "FeatureService",
            ObjKind::Other(n) => return format!("a `{n}`"),
        };
        format!("{kind} `{}`", self.name())
    }
}

#[derive(Debug)]
pub struct Arg {
    pub value: Value,
    pub at: Loc,
}

/// A call's evaluated arguments.
#[derive(Debug)]
pub struct Args {
    pub at: Loc,
    pub pos: Vec<Arg>,
    /// Ruff's `Name` is inline for short names: no allocation per keyword.
    pub kw: Vec<(Name, Arg)>,
}

fn err(at: &Loc, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        location: at.location(),
        message: message.into(),
        dynamic: false,
    }
}

/// The error for a value feastops cannot know, or `None` when it is known.
fn unknown(v: &Value, at: &Loc, what: &str) -> Option<Diagnostic> {
    match v {
        Value::Dynamic(d) => Some(Diagnostic {
            location: d.at.location(),
            message: format!(
                "{what} is {}, which only running the code would give",
                d.why
            ),
            dynamic: true,
        }),
        Value::Ext(p) if !p.starts_with("feast") => Some(Diagnostic {
            location: at.location(),
            message: format!("{what} comes from `{p}`, outside the feature repo"),
            dynamic: true,
        }),
        _ => None,
    }
}

fn wrong(v: &Value, at: &Loc, what: &str, expected: &str) -> Diagnostic {
    unknown(v, at, what).unwrap_or_else(|| {
        err(
            at,
            format!("{what} must be {expected}, got {}", v.describe()),
        )
    })
}

impl Args {
    pub fn new(at: Loc) -> Args {
        Args {
            at,
            pos: Vec::new(),
            kw: Vec::new(),
        }
    }

    fn get(&self, name: &str) -> Option<&Arg> {
        self.kw
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, a)| a)
    }

    /// Feast's constructors take keyword arguments only.
    fn keywords_only(&self, ctor: &str) -> Result<(), Diagnostic> {
        if let Some(a) = self.pos.first() {
            return Err(err(
                &a.at,
                format!("{ctor}() takes keyword arguments only (Python raises TypeError here)"),
            ));
        }
        if let Some((_, a)) = self.kw.iter().find(|(k, _)| k.as_str() == "**") {
            return Err(unknown(&a.value, &a.at, "a `**` argument")
                .unwrap_or_else(|| err(&a.at, "bad `**` argument")));
        }
        Ok(())
    }

    fn str(&self, name: &str, what: &str) -> Result<Option<String>, Diagnostic> {
        match self.get(name) {
            None => Ok(None),
            Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::Str(s),
                ..
            }) => Ok(Some(s.clone())),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "a string",
            )),
        }
    }

    fn req_str(&self, name: &str, what: &str) -> Result<String, Diagnostic> {
        self.str(name, what)?
            .ok_or_else(|| err(&self.at, format!("{what} needs `{name}=`")))
    }

    fn bool(&self, name: &str, default: bool, what: &str) -> Result<bool, Diagnostic> {
        match self.get(name) {
            None => Ok(default),
            Some(Arg {
                value: Value::Bool(b),
                ..
            }) => Ok(*b),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "True or False",
            )),
        }
    }

    /// Moves a list argument out, so the objects in it can be moved too.
    fn take_list(
        &mut self,
        name: &str,
        what: &str,
    ) -> Result<Option<(Vec<Value>, Loc)>, Diagnostic> {
        let Some((_, arg)) = self.kw.iter_mut().rev().find(|(k, _)| k.as_str() == name) else {
            return Ok(None);
        };
        match std::mem::replace(&mut arg.value, Value::None) {
            Value::None => Ok(None),
            Value::List(v) => Ok(Some((v, arg.at.clone()))),
            other => Err(wrong(
                &other,
                &arg.at,
                &format!("`{name}=` of {what}"),
                "a list",
            )),
        }
    }

    fn list(&self, name: &str, what: &str) -> Result<Option<(Vec<Value>, Loc)>, Diagnostic> {
        match self.get(name) {
            None
            | Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::List(v),
                at,
            }) => Ok(Some((v.clone(), at.clone()))),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "a list",
            )),
        }
    }

    fn str_map(&self, name: &str, what: &str) -> Result<BTreeMap<String, String>, Diagnostic> {
        match self.get(name) {
            None
            | Some(Arg {
                value: Value::None, ..
            }) => Ok(BTreeMap::new()),
            Some(Arg {
                value: Value::Dict(items),
                at,
            }) => items
                .iter()
                .map(|(k, v)| match (k, v) {
                    (Value::Str(k), Value::Str(v)) => Ok((k.clone(), v.clone())),
                    (Value::Str(_), v) => Err(wrong(
                        v,
                        at,
                        &format!("a value in `{name}=` of {what}"),
                        "a string",
                    )),
                    (k, _) => Err(wrong(
                        k,
                        at,
                        &format!("a key in `{name}=` of {what}"),
                        "a string",
                    )),
                })
                .collect(),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "a dict of strings",
            )),
        }
    }

    fn meta(&self, what: &str) -> Result<Meta, Diagnostic> {
        Ok(Meta {
            description: self.str("description", what)?.unwrap_or_default(),
            tags: self.str_map("tags", what)?,
            owner: self.str("owner", what)?.unwrap_or_default(),
        })
    }

    fn obj(&self, name: &str, what: &str) -> Result<Option<(Rc<Obj>, Loc)>, Diagnostic> {
        match self.get(name) {
            None
            | Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::Obj(o),
                at,
            }) => Ok(Some((o.clone(), at.clone()))),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "a Feast object",
            )),
        }
    }

    fn ttl(&self, what: &str) -> Result<Option<u64>, Diagnostic> {
        match self.get("ttl") {
            None
            | Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::Timedelta(s),
                ..
            }) => Ok((*s > 0.0).then(|| s.floor() as u64)),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`ttl=` of {what}"),
                "a timedelta",
            )),
        }
    }

    fn mode(&self, default: &str, what: &str) -> Result<String, Diagnostic> {
        match self.get("mode") {
            None => Ok(default.to_string()),
            Some(Arg {
                value: Value::Str(s),
                ..
            }) => Ok(s.to_lowercase()),
            // TransformationMode.PANDAS and friends.
            Some(Arg {
                value: Value::Ext(p),
                ..
            }) if p.starts_with("feast") && p.contains("TransformationMode.") => {
                Ok(p.rsplit('.').next().unwrap_or_default().to_lowercase())
            }
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`mode=` of {what}"),
                "a transformation mode",
            )),
        }
    }
}

fn new_obj(ev: &mut Evaluator, at: Loc, kind: ObjKind) -> Value {
    Value::Obj(Rc::new(Obj {
        id: ev.next_id(),
        at,
        kind,
    }))
}

/// `timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks)`.
pub fn timedelta(args: &Args) -> Result<Value, Diagnostic> {
    const UNITS: &[(&str, f64)] = &[
        ("days", 86400.0),
        ("seconds", 1.0),
        ("microseconds", 1e-6),
        ("milliseconds", 1e-3),
        ("minutes", 60.0),
        ("hours", 3600.0),
        ("weeks", 604800.0),
    ];
    if args.pos.len() > UNITS.len() {
        return Err(err(&args.at, "timedelta() takes at most 7 arguments"));
    }
    let mut total = 0.0;
    let named = args.kw.iter().map(|(k, a)| (k.as_str(), a));
    let positional = args.pos.iter().enumerate().map(|(i, a)| (UNITS[i].0, a));
    for (name, a) in positional.chain(named) {
        let Some(unit) = UNITS.iter().find(|u| u.0 == name) else {
            return Err(err(&a.at, format!("timedelta() has no argument `{name}`")));
        };
        let n = match &a.value {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            v => {
                return Err(wrong(
                    v,
                    &a.at,
                    &format!("`{name}` of timedelta"),
                    "a number",
                ));
            }
        };
        total += n * unit.1;
    }
    Ok(Value::Timedelta(total))
}

/// `view[["a", "b"]]`.
pub fn project(base: &Value, names: Vec<String>, at: &Loc) -> Result<Value, Diagnostic> {
    let (view, alias) = match base {
        Value::Obj(o) => (o.clone(), None),
        Value::Proj(p) => (p.view.clone(), p.alias.clone()),
        _ => unreachable!("callers pass views and projections"),
    };
    let ObjKind::View { view: fv, .. } = &view.kind else {
        return Err(err(
            at,
            format!(
                "{} cannot be indexed; only feature views can",
                view.describe()
            ),
        ));
    };
    if let Some(missing) = names.iter().find(|n| fv.feature(n).is_none()) {
        return Err(err(
            at,
            format!("feature view `{}` has no feature `{missing}`", fv.name),
        ));
    }
    Ok(Value::Proj(Rc::new(ProjVal {
        view,
        features: names,
        alias,
    })))
}

/// `.with_name("x")` and `.with_join_key_map({...})` on a view or projection.
pub fn method(recv: Value, method: &str, args: Args, at: &Loc) -> Result<Value, Diagnostic> {
    let proj = match &recv {
        Value::Proj(p) => ProjVal {
            view: p.view.clone(),
            features: p.features.clone(),
            alias: p.alias.clone(),
        },
        Value::Obj(o) => match &o.kind {
            ObjKind::View { view, .. } => ProjVal {
                view: o.clone(),
                features: view.features.iter().map(|f| f.name.clone()).collect(),
                alias: None,
            },
            _ => return Err(err(at, format!("{} has no `{method}`", o.describe()))),
        },
        _ => return Err(err(at, format!("`{method}` on {}", recv.describe()))),
    };
    match method {
        "with_name" => {
            let name = match args.pos.first().or_else(|| args.get("name")) {
                Some(Arg {
                    value: Value::Str(s),
                    ..
                }) => s.clone(),
                Some(a) => {
                    return Err(wrong(
                        &a.value,
                        &a.at,
                        "the argument of with_name",
                        "a string",
                    ));
                }
                None => return Err(err(at, "with_name() needs a name")),
            };
            Ok(Value::Proj(Rc::new(ProjVal {
                alias: Some(name),
                ..proj
            })))
        }
        // A join key map renames entity columns at serving time; the
        // feature vector is unchanged.
        _ => Ok(Value::Proj(Rc::new(proj))),
    }
}

fn dtype(a: &Arg, what: &str) -> Result<DType, Diagnostic> {
    match &a.value {
        Value::DType(t) => Ok(t.clone()),
        Value::Ext(p) if p.starts_with("feast") => Err(err(
            &a.at,
            format!(
                "{what}: unknown Feast type `{}`; use a name from feast.types",
                p.rsplit('.').next().unwrap_or(p)
            ),
        )),
        v => Err(wrong(v, &a.at, what, "a feast.types type")),
    }
}

fn feast_type(name: &str, args: &Args) -> Result<Value, Diagnostic> {
    let first = args
        .pos
        .first()
        .ok_or_else(|| err(&args.at, format!("{name}() needs an argument")))?;
    match name {
        "Array" | "Set" => {
            let inner = dtype(first, &format!("the element type of {name}"))?;
            let t = if name == "Array" {
                types::array_of(inner)
            } else {
                types::set_of(inner)
            };
            t.map(Value::DType).map_err(|m| err(&first.at, m))
        }
        _ => {
            let Value::Dict(items) = &first.value else {
                return Err(wrong(
                    &first.value,
                    &first.at,
                    "the argument of Struct",
                    "a dict of field types",
                ));
            };
            let mut fields = Vec::new();
            for (k, v) in items {
                let Value::Str(k) = k else {
                    return Err(wrong(k, &first.at, "a Struct field name", "a string"));
                };
                let t = dtype(
                    &Arg {
                        value: v.clone(),
                        at: first.at.clone(),
                    },
                    &format!("Struct field `{k}`"),
                )?;
                fields.push((k.clone(), t));
            }
            Ok(Value::DType(DType::Struct(fields)))
        }
    }
}

/// Helpers whose objects carry nothing the lint model keeps.
const INERT: &[&str] = &[
    "JsonFormat",
    "AvroFormat",
    "ProtoFormat",
    "ParquetFormat",
    "DeltaFormat",
    "Aggregation",
    "LoggingConfig",
    "FeatureLoggingConfig",
    "FileLoggingDestination",
    "PushMode",
];

/// Calls a Feast constructor by its name.
pub fn construct(
    ev: &mut Evaluator,
    name: &str,
    mut args: Args,
    at: Loc,
) -> Result<Value, Diagnostic> {
    if types::is_composite(name) {
        return feast_type(name, &args);
    }
    if INERT.contains(&name) {
        return Ok(new_obj(ev, at, ObjKind::Other(name.to_string())));
    }
    if !matches!(
        name,
        "Project"
            | "Entity"
            | "Field"
            | "FeatureView"
            | "BatchFeatureView"
            | "StreamFeatureView"
            | "FeatureService"
    ) && source_kind(name).is_none()
    {
        return Err(Diagnostic {
            location: at.location(),
            message: format!("feastops does not read `{name}(...)` statically"),
            dynamic: true,
        });
    }
    args.keywords_only(name)?;
    let kind = match name {
        "Project" => {
            let what = "Project";
            ObjKind::Project {
                name: args.req_str("name", what)?,
                meta: args.meta(what)?,
            }
        }
        "Entity" => entity(&args, &at)?,
        "Field" => {
            let fname = args.req_str("name", "Field")?;
            let what = format!("Field `{fname}`");
            let t = args
                .get("dtype")
                .ok_or_else(|| err(&at, format!("{what} needs `dtype=`")))?;
            ObjKind::Field(Feature {
                name: fname,
                dtype: dtype(t, &format!("`dtype=` of {what}"))?,
                meta: Meta {
                    description: args.str("description", &what)?.unwrap_or_default(),
                    tags: args.str_map("tags", &what)?,
                    owner: String::new(),
                },
                location: Some(at.location()),
            })
        }
        "FeatureView" | "BatchFeatureView" | "StreamFeatureView" => {
            view(name, &mut args, &at, None)?
        }
        "FeatureService" => service(&args, &at)?,
        _ => source(name, &mut args, &at)?,
    };
    Ok(new_obj(ev, at, kind))
}

fn entity(args: &Args, at: &Loc) -> Result<ObjKind, Diagnostic> {
    let name = args.req_str("name", "Entity")?;
    let what = format!("Entity `{name}`");
    let join_key = match args.list("join_keys", &what)? {
        None => name.clone(),
        Some((keys, kat)) => match keys.as_slice() {
            [] => name.clone(),
            [Value::Str(k)] => k.clone(),
            [v] => {
                return Err(wrong(
                    v,
                    &kat,
                    &format!("the join key of {what}"),
                    "a string",
                ));
            }
            _ => {
                return Err(err(
                    &kat,
                    format!("{what} has more than one join key; Feast allows one"),
                ));
            }
        },
    };
    let value_type = match args.get("value_type") {
        None
        | Some(Arg {
            value: Value::None, ..
        }) => 0,
        Some(Arg {
            value: Value::VType(n),
            ..
        }) => *n,
        Some(a) => {
            return Err(match &a.value {
                Value::Ext(p) if p.starts_with("feast") => err(
                    &a.at,
                    format!(
                        "`value_type=` of {what}: unknown ValueType `{}`",
                        p.rsplit('.').next().unwrap_or(p)
                    ),
                ),
                v => wrong(
                    v,
                    &a.at,
                    &format!("`value_type=` of {what}"),
                    "a ValueType member",
                ),
            });
        }
    };
    Ok(ObjKind::Entity(Entity {
        name,
        join_key,
        value_type: DType::from_value_type(value_type, None, None),
        meta: args.meta(&what)?,
        location: Some(at.location()),
    }))
}

fn source_kind(ctor: &str) -> Option<SourceKind> {
    Some(match ctor {
        "FileSource" => SourceKind::File,
        "PushSource" => SourceKind::Push,
        "RequestSource" => SourceKind::Request,
        "KafkaSource" => SourceKind::Kafka,
        "KinesisSource" => SourceKind::Kinesis,
        "BigQuerySource" => SourceKind::BigQuery,
        "RedshiftSource" => SourceKind::Redshift,
        "SnowflakeSource" => SourceKind::Snowflake,
        "AthenaSource" => SourceKind::Athena,
        "TrinoSource" => SourceKind::Trino,
        "SparkSource" => SourceKind::Spark,
        _ => return None,
    })
}

fn fields_of(list: Vec<Value>, at: &Loc, what: &str) -> Result<Vec<Feature>, Diagnostic> {
    list.into_iter()
        .map(|v| match v {
            // A Field written inline has no other owner: move it.
            Value::Obj(o) => match Rc::try_unwrap(o) {
                Ok(Obj {
                    kind: ObjKind::Field(f),
                    ..
                }) => Ok(f),
                Ok(o) => Err(err(
                    at,
                    format!("{what} lists {}, not a Field", o.describe()),
                )),
                Err(o) => match &o.kind {
                    ObjKind::Field(f) => Ok(f.clone()),
                    _ => Err(err(
                        at,
                        format!("{what} lists {}, not a Field", o.describe()),
                    )),
                },
            },
            v => Err(wrong(
                &v,
                at,
                &format!("an entry of {what}"),
                "a Field(...)",
            )),
        })
        .collect()
}

fn source(ctor: &str, args: &mut Args, at: &Loc) -> Result<ObjKind, Diagnostic> {
    let kind = source_kind(ctor).expect("checked by construct");
    let what = ctor;
    let table_key = match kind {
        SourceKind::Kafka => "topic",
        SourceKind::Kinesis => "stream_name",
        _ => "table",
    };
    let path = args.str("path", what)?;
    let table = args.str(table_key, what)?;
    let name = match (args.str("name", what)?, kind) {
        (Some(n), _) => n,
        (None, SourceKind::File) => path
            .clone()
            .ok_or_else(|| err(at, "FileSource needs `path=`"))?,
        (None, _) => table.clone().unwrap_or_default(),
    };
    if name.is_empty() {
        return Err(err(at, format!("{ctor} needs `name=`")));
    }
    let what = format!("{ctor} `{name}`");
    let batch = args.obj("batch_source", &what)?;
    if let Some((b, bat)) = &batch
        && !matches!(b.kind, ObjKind::Source { .. })
    {
        return Err(err(
            bat,
            format!(
                "`batch_source=` of {what} is {}, not a data source",
                b.describe()
            ),
        ));
    }
    let schema = match args.take_list("schema", &what)? {
        Some((list, sat)) if kind == SourceKind::Request => {
            fields_of(list, &sat, &format!("the schema of {what}"))?
        }
        _ => Vec::new(),
    };
    let timestamp_field = match args.str("timestamp_field", &what)? {
        Some(t) => t,
        None => args
            .str("event_timestamp_column", &what)?
            .unwrap_or_default(),
    };
    let (mut timestamp_field, mut created_timestamp_column, mut field_mapping) = (
        timestamp_field,
        args.str("created_timestamp_column", &what)?
            .unwrap_or_default(),
        args.str_map("field_mapping", &what)?,
    );
    // PushSource.to_proto: a push source without timestamp fields of its
    // own is stored with its batch source's.
    if kind == SourceKind::Push
        && timestamp_field.is_empty()
        && created_timestamp_column.is_empty()
        && field_mapping.is_empty()
        && let Some((b, _)) = &batch
        && let ObjKind::Source { ds: inner, .. } = &b.kind
    {
        timestamp_field = inner.timestamp_field.clone();
        created_timestamp_column = inner.created_timestamp_column.clone();
        field_mapping = inner.field_mapping.clone();
    }
    let ds = DataSource {
        name,
        kind,
        path,
        table,
        query: args.str("query", &what)?,
        timestamp_field,
        created_timestamp_column,
        field_mapping,
        batch_source: batch.as_ref().map(|(b, _)| b.name().to_string()),
        schema,
        meta: args.meta(&what)?,
        location: Some(at.location()),
    };
    Ok(ObjKind::Source {
        ds,
        batch: batch.map(|(b, _)| b),
    })
}

fn is_stream(o: &Obj) -> bool {
    matches!(&o.kind, ObjKind::Source { ds, .. } if matches!(ds.kind, SourceKind::Push | SourceKind::Kafka | SourceKind::Kinesis))
}

struct EntityRefs {
    names: Vec<String>,
    entities: Vec<Entity>,
}

fn entities_of(args: &Args, what: &str) -> Result<EntityRefs, Diagnostic> {
    let mut out = EntityRefs {
        names: Vec::new(),
        entities: Vec::new(),
    };
    if let Some((list, at)) = args.list("entities", what)? {
        for v in list {
            match &v {
                Value::Obj(o) if matches!(o.kind, ObjKind::Entity(_)) => {
                    let ObjKind::Entity(e) = &o.kind else {
                        unreachable!()
                    };
                    out.names.push(e.name.clone());
                    out.entities.push(e.clone());
                }
                v => {
                    return Err(wrong(
                        v,
                        &at,
                        &format!("an entry of `entities=` of {what}"),
                        "an Entity",
                    ));
                }
            }
        }
    }
    let mut keys: Vec<&str> = out.entities.iter().map(|e| e.join_key.as_str()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return Err(err(
            &args.at,
            format!("{what}: two entities share a join key (Feast raises ValueError)"),
        ));
    }
    Ok(out)
}

/// Splits a schema into entity columns and features as Feast's constructor
/// does, then adds the entity columns `feast apply` infers from entities
/// with a known value type.
fn split_schema(
    schema: Vec<Feature>,
    ents: &EntityRefs,
    at: &Loc,
    what: &str,
    infer: bool,
) -> Result<(Vec<Feature>, Vec<Feature>), Diagnostic> {
    let mut entity_columns = Vec::new();
    let mut features = Vec::new();
    for f in schema {
        if let Some(e) = ents.entities.iter().find(|e| e.join_key == f.name) {
            if e.value_type != DType::Invalid && e.value_type != f.dtype {
                let fat = f.location.clone().unwrap_or_else(|| at.location());
                return Err(Diagnostic::error(
                    fat,
                    format!(
                        "{what}: column `{}` is {} but entity `{}` is {}",
                        f.name, f.dtype, e.name, e.value_type
                    ),
                ));
            }
            entity_columns.push(f);
        } else {
            features.push(f);
        }
    }
    if infer {
        for e in &ents.entities {
            if entity_columns.iter().any(|c| c.name == e.join_key) {
                continue;
            }
            if e.value_type == DType::Invalid {
                return Err(Diagnostic {
                    location: at.location(),
                    message: format!(
                        "{what}: entity `{}` has no value_type and its join key `{}` is not in the schema, so Feast reads its type from the data",
                        e.name, e.join_key
                    ),
                    dynamic: true,
                });
            }
            entity_columns.push(Feature {
                name: e.join_key.clone(),
                dtype: e.value_type.clone(),
                meta: Meta::default(),
                location: e.location.clone(),
            });
        }
        if features.is_empty() {
            return Err(Diagnostic {
                location: at.location(),
                message: format!(
                    "{what} declares no features, so Feast infers them from the data source"
                ),
                dynamic: true,
            });
        }
    }
    Ok((entity_columns, features))
}

fn udf_transformation(
    args: &Args,
    mode: &str,
    what: &str,
) -> Result<Option<Transformation>, Diagnostic> {
    let body = args.str("udf_string", what)?.unwrap_or_default();
    if body.is_empty() {
        // Without `udf_string=`, Feast 0.67 stores the function only as a
        // dill pickle with an empty body text (to_proto), so the model has
        // no transformation whatever the function is. A function of the
        // repo is known to be one; anything else is left to --via-feast.
        if let Some(a) = args
            .get("udf")
            .filter(|a| !matches!(a.value, Value::None | Value::Function(_)))
        {
            return Err(Diagnostic {
                location: a.at.location(),
                message: format!(
                    "{what} has `udf=` {} without `udf_string=`; feastops reads `udf=` only as a function defined in the repo",
                    a.value.describe()
                ),
                dynamic: true,
            });
        }
        return Ok(None);
    }
    Ok(Some(Transformation {
        mode: mode.to_string(),
        body_sha256: from_proto::body_hash(&body),
    }))
}

/// `body`: the decorated function's source, for `@batch_feature_view` and
/// `@stream_feature_view`, whose defaults differ from the classes'.
fn view(ctor: &str, args: &mut Args, at: &Loc, body: Option<&str>) -> Result<ObjKind, Diagnostic> {
    let name = args.req_str("name", ctor)?;
    let what = format!("{ctor} `{name}`");
    let ents = entities_of(args, &what)?;
    let schema = match args.take_list("schema", &what)? {
        Some((list, sat)) => fields_of(list, &sat, &format!("the schema of {what}"))?,
        None => Vec::new(),
    };
    let (mut batch, mut stream) = (None, None);
    match args.get("source") {
        None
        | Some(Arg {
            value: Value::None, ..
        }) => {}
        Some(Arg {
            value: Value::Obj(o),
            at: sat,
        }) => match &o.kind {
            ObjKind::Source { batch: inner, .. } if is_stream(o) => {
                if ctor == "BatchFeatureView" {
                    return Err(err(
                        sat,
                        format!(
                            "{what}: a BatchFeatureView needs a batch source, not {}",
                            o.describe()
                        ),
                    ));
                }
                let inner = inner.clone().ok_or_else(|| {
                    err(
                        sat,
                        format!("{what}: stream source `{}` needs a batch_source", o.name()),
                    )
                })?;
                stream = Some(o.clone());
                batch = Some(inner);
            }
            ObjKind::Source { .. } if ctor == "StreamFeatureView" => {
                return Err(err(
                    sat,
                    format!("{what}: a StreamFeatureView needs a KafkaSource or PushSource"),
                ));
            }
            ObjKind::Source { .. } => batch = Some(o.clone()),
            ObjKind::View { .. } => batch = Some(derived_sink(args, &what, sat)?),
            _ => return Err(err(sat, format!("`source=` of {what} is {}", o.describe()))),
        },
        Some(Arg {
            value: Value::List(_),
            at: sat,
        }) => batch = Some(derived_sink(args, &what, sat)?),
        Some(a) => {
            return Err(wrong(
                &a.value,
                &a.at,
                &format!("`source=` of {what}"),
                "a data source",
            ));
        }
    }
    if ctor == "StreamFeatureView" && stream.is_none() {
        return Err(err(
            at,
            format!("{what} needs `source=` (a KafkaSource or PushSource)"),
        ));
    }
    let (entity_columns, features) = split_schema(schema, &ents, at, &what, true)?;
    let (kind, online, offline, mode) = match (ctor, body.is_some()) {
        ("FeatureView", _) => (ViewKind::FeatureView, true, false, ""),
        ("BatchFeatureView", false) => (ViewKind::FeatureView, false, false, "python"),
        ("BatchFeatureView", true) => (ViewKind::FeatureView, true, true, "python"),
        (_, false) => (ViewKind::StreamFeatureView, true, false, "python"),
        (_, true) => (ViewKind::StreamFeatureView, true, false, "spark"),
    };
    let mode = args.mode(mode, &what)?;
    let transformation = match body {
        _ if ctor == "FeatureView" => None,
        Some(body) => Some(Transformation {
            mode: mode.clone(),
            body_sha256: from_proto::body_hash(body),
        }),
        None => udf_transformation(args, &mode, &what)?,
    };
    let online = args.bool("online", online, &what)?;
    let offline = if kind == ViewKind::StreamFeatureView {
        false
    } else {
        args.bool("offline", offline, &what)?
    };
    let view = FeatureView {
        name,
        kind,
        entities: ents.names,
        entity_columns,
        features,
        ttl_seconds: args.ttl(&what)?,
        online,
        offline,
        enabled: args.bool("enabled", true, &what)?,
        batch_source: batch.as_ref().map(|b| b.name().to_string()),
        stream_source: stream.as_ref().map(|s| s.name().to_string()),
        sources: Vec::new(),
        transformation,
        meta: args.meta(&what)?,
        location: Some(at.location()),
    };
    Ok(ObjKind::View {
        view,
        sources: batch.into_iter().chain(stream).collect(),
    })
}

fn derived_sink(args: &Args, what: &str, at: &Loc) -> Result<Rc<Obj>, Diagnostic> {
    match args.obj("sink_source", what)? {
        Some((o, _)) if matches!(o.kind, ObjKind::Source { .. }) => Ok(o),
        _ => Err(err(
            at,
            format!("{what}: a view derived from other views needs `sink_source=` (a data source)"),
        )),
    }
}

fn projection_of(v: &Value, at: &Loc, what: &str) -> Result<(Rc<Obj>, Projection), Diagnostic> {
    match v {
        Value::Obj(o) => match &o.kind {
            ObjKind::View { view, .. } => Ok((
                o.clone(),
                Projection {
                    view: view.name.clone(),
                    alias: None,
                    features: view.features.iter().map(|f| f.name.clone()).collect(),
                },
            )),
            _ => Err(err(
                at,
                format!("{what} lists {}, not a feature view", o.describe()),
            )),
        },
        Value::Proj(p) => Ok((
            p.view.clone(),
            Projection {
                view: p.view.name().to_string(),
                alias: p.alias.clone(),
                features: p.features.clone(),
            },
        )),
        v => Err(wrong(
            v,
            at,
            &format!("an entry of {what}"),
            "a feature view or projection",
        )),
    }
}

fn service(args: &Args, at: &Loc) -> Result<ObjKind, Diagnostic> {
    let name = args.req_str("name", "FeatureService")?;
    let what = format!("FeatureService `{name}`");
    let (list, lat) = args
        .list("features", &what)?
        .ok_or_else(|| err(at, format!("{what} needs `features=`")))?;
    let projections = list
        .iter()
        .map(|v| projection_of(v, &lat, &format!("`features=` of {what}")).map(|p| p.1))
        .collect::<Result<_, _>>()?;
    Ok(ObjKind::Service(FeatureService {
        name,
        projections,
        vector: Vec::new(),
        meta: args.meta(&what)?,
        location: Some(at.location()),
    }))
}

/// A function decorated with `@on_demand_feature_view(...)` (and, through
/// the same path, `@stream_feature_view` / `@batch_feature_view`).
pub fn decorated(
    ev: &mut Evaluator,
    decorator: &str,
    func_name: &str,
    body: &str,
    args: Args,
    at: Loc,
) -> Result<Value, Diagnostic> {
    args.keywords_only(decorator)?;
    if decorator != "on_demand_feature_view" {
        let mut args = args;
        // @stream_feature_view has no `name`; @batch_feature_view defaults it.
        if decorator == "stream_feature_view" || args.get("name").is_none() {
            args.kw.retain(|(k, _)| k.as_str() != "name");
            let a = Arg {
                value: Value::Str(func_name.to_string()),
                at: at.clone(),
            };
            args.kw.push(("name".into(), a));
        }
        let ctor = if decorator == "batch_feature_view" {
            "BatchFeatureView"
        } else {
            "StreamFeatureView"
        };
        let kind = view(ctor, &mut args, &at, Some(body))?;
        return Ok(new_obj(ev, at, kind));
    }
    let name = args
        .str("name", "on_demand_feature_view")?
        .unwrap_or_else(|| func_name.to_string());
    let what = format!("on-demand feature view `{name}`");
    if args.get("input_schema").is_some() {
        return Err(Diagnostic {
            location: at.location(),
            message: format!(
                "{what} uses `input_schema=`, which feastops does not read statically"
            ),
            dynamic: true,
        });
    }
    let ents = entities_of(&args, &what)?;
    let (schema, sat) = args
        .list("schema", &what)?
        .ok_or_else(|| err(&at, format!("{what} needs `schema=`")))?;
    let schema = fields_of(schema, &sat, &format!("the schema of {what}"))?;
    let (sources_list, srcat) = args
        .list("sources", &what)?
        .ok_or_else(|| err(&at, format!("{what} needs `sources=`")))?;
    let mut sources = Vec::new();
    for v in &sources_list {
        let src = match v {
            Value::Obj(o) if matches!(&o.kind, ObjKind::Source { ds, .. } if ds.kind == SourceKind::Request) => {
                OdfvSource {
                    name: o.name().to_string(),
                    kind: OdfvSourceKind::Request,
                    features: Vec::new(),
                }
            }
            v => {
                let (_, p) = projection_of(v, &srcat, &format!("`sources=` of {what}"))?;
                OdfvSource {
                    name: p.view,
                    kind: OdfvSourceKind::FeatureView,
                    features: p.features,
                }
            }
        };
        sources.push(src);
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    let (entity_columns, features) = split_schema(schema, &ents, &at, &what, false)?;
    let mode = args.mode("pandas", &what)?;
    let view = FeatureView {
        name,
        kind: ViewKind::OnDemandFeatureView,
        entities: ents.names,
        entity_columns,
        features,
        ttl_seconds: None,
        online: args.bool("write_to_online_store", false, &what)?,
        offline: false,
        enabled: true,
        batch_source: None,
        stream_source: None,
        sources,
        transformation: Some(Transformation {
            mode,
            body_sha256: from_proto::body_hash(body),
        }),
        meta: args.meta(&what)?,
        location: Some(at.location()),
    };
    Ok(new_obj(
        ev,
        at,
        ObjKind::View {
            view,
            sources: Vec::new(),
        },
    ))
}

/// Builds the model from the collected module-level objects, as
/// `feast apply` would register them under `project`.
pub fn build(project: &str, objs: Vec<Rc<Obj>>) -> Result<model::Registry, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut proj = model::Project {
        name: project.to_string(),
        ..Default::default()
    };
    let mut seen: HashMap<(&'static str, String), Loc> = HashMap::new();
    let mut dup = |kind: &'static str, name: &str, at: &Loc, diags: &mut Vec<Diagnostic>| {
        let key = (
            kind,
            if kind == "feature view" {
                name.to_lowercase()
            } else {
                name.to_string()
            },
        );
        if let Some(first) = seen.get(&key) {
            diags.push(err(
                at,
                format!("two different {kind}s are named `{name}` (the other is at {}:{}); Feast rejects or overwrites one", first.file, first.line),
            ));
            true
        } else {
            seen.insert(key, at.clone());
            false
        }
    };
    let mut source_ids = std::collections::HashSet::new();
    let mut pending_sources: Vec<Rc<Obj>> = Vec::new();
    let mut projects = 0;
    for o in objs {
        // The evaluator is gone: most objects have no other owner left, so
        // they are moved into the model rather than copied.
        let o = Rc::try_unwrap(o).unwrap_or_else(|rc| (*rc).clone());
        match o.kind {
            ObjKind::Project { name, meta } => {
                projects += 1;
                if projects > 1 {
                    diags.push(err(
                        &o.at,
                        "more than one Project object; Feast allows one per repo",
                    ));
                } else if name != project {
                    diags.push(err(
                        &o.at,
                        format!("Project `{name}` does not match feature_store.yaml's project `{project}`; Feast refuses to apply"),
                    ));
                }
                proj.meta = meta;
                proj.location = Some(o.at.location());
            }
            ObjKind::Entity(e) => {
                if !dup("entity", &e.name, &o.at, &mut diags) {
                    proj.entities.insert(e.name.clone(), e);
                }
            }
            ObjKind::Source { .. } => pending_sources.push(Rc::new(o)),
            ObjKind::View { view, sources } => {
                pending_sources.extend(sources);
                if !dup("feature view", &view.name, &o.at, &mut diags) {
                    proj.feature_views.insert(view.name.clone(), view);
                }
            }
            ObjKind::Service(s) => {
                if !dup("feature service", &s.name, &o.at, &mut diags) {
                    proj.feature_services.insert(s.name.clone(), s);
                }
            }
            ObjKind::Field(_) | ObjKind::Other(_) => {}
        }
    }
    while let Some(o) = pending_sources.pop() {
        if !source_ids.insert(o.id) {
            continue;
        }
        let ObjKind::Source { ds, batch } = &o.kind else {
            continue;
        };
        pending_sources.extend(batch.iter().cloned());
        if !dup("data source", &ds.name, &o.at, &mut diags) {
            proj.data_sources.insert(ds.name.clone(), ds.clone());
        }
    }
    if !diags.is_empty() {
        diags.sort_by(|a, b| {
            (&a.location.file, a.location.line).cmp(&(&b.location.file, b.location.line))
        });
        return Err(diags);
    }
    let mut registry = model::Registry::default();
    registry.projects.insert(project.to_string(), proj);
    from_proto::finish(&mut registry);
    Ok(registry)
}
