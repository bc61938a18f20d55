//! Feast's constructors, evaluated, one module per family: entities,
//! fields and types, data sources, feature views, services and projections,
//! the view decorators; and the collection of module-level objects into the
//! model (`build`), with the defaults and apply-time inference `feast apply`
//! performs. `args` holds the argument readers every constructor shares.

mod args;
mod build;
mod decorators;
mod entities;
mod fields;
mod labels;
mod services;
mod sources;
mod string_refs;
mod views;

use std::rc::Rc;

use super::diagnostics::Diagnostic;
use super::eval::{Evaluator, Loc, Value};
use super::types;
use crate::model::{DataSource, Entity, Feature, FeatureService, FeatureView, Meta};

pub use args::{Arg, Args, timedelta};
pub use build::build;
pub use decorators::decorated;
pub use services::{method, project};
pub(in crate::sources::repo) use sources::infers_timestamp;

use entities::entity;
use fields::{feast_type, field};
use labels::label_view;
use services::{StrRef, service};
use sources::{LanceFormat, lance_format, source, source_kind};
use views::view;

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
    /// With its string refs, resolved once every view is known.
    Service(FeatureService, Vec<StrRef>),
    /// A Lance dataset's catalog address and version pin.
    LanceFormat(LanceFormat),
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
            ObjKind::Service(s, _) => &s.name,
            ObjKind::LanceFormat(_) => "LanceFormat",
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
            ObjKind::Service(..) => "FeatureService",
            ObjKind::LanceFormat(_) => return "a `LanceFormat`".into(),
            ObjKind::Other(n) => return format!("a `{n}`"),
        };
        format!("{kind} `{}`", self.name())
    }
}

pub(super) fn new_obj(ev: &mut Evaluator, at: Loc, kind: ObjKind) -> Value {
    Value::Obj(Rc::new(Obj {
        id: ev.next_id(),
        at,
        kind,
    }))
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
    // Its tags (`feast.connection-ref.*`) say how to connect; the model
    // drops them.
    "ConnectionRef",
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
    if name == "LanceFormat" {
        return Ok(new_obj(ev, at, lance_format(&args)?));
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
            | "LabelView"
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
        "Field" => field(&args, &at)?,
        "FeatureView" | "BatchFeatureView" | "StreamFeatureView" => {
            view(name, &mut args, &at, None)?
        }
        "FeatureService" => service(&args, &at)?,
        "LabelView" => label_view(&mut args, &at)?,
        _ => source(name, &mut args, &at)?,
    };
    Ok(new_obj(ev, at, kind))
}
