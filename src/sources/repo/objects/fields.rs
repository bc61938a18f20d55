//! `Field(...)`, and the `feast.types` composites `Array`, `Set`, `Struct`.

use std::rc::Rc;

use super::args::{Arg, Args, err, wrong};
use super::{Obj, ObjKind};
use crate::model::{DType, Feature, Meta};
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::{Loc, Value};
use crate::sources::repo::types;

pub(super) fn dtype(a: &Arg, what: &str) -> Result<DType, Diagnostic> {
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

pub(super) fn feast_type(name: &str, args: &Args) -> Result<Value, Diagnostic> {
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

pub(super) fn fields_of(
    list: Vec<Value>,
    at: &Loc,
    what: &str,
) -> Result<Vec<Feature>, Diagnostic> {
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

/// `Field(name=, dtype=, description=, tags=)`.
pub(super) fn field(args: &Args, at: &Loc) -> Result<ObjKind, Diagnostic> {
    let fname = args.req_str("name", "Field")?;
    let what = format!("Field `{fname}`");
    let t = args
        .get("dtype")
        .ok_or_else(|| err(at, format!("{what} needs `dtype=`")))?;
    Ok(ObjKind::Field(Feature {
        name: fname,
        dtype: dtype(t, &format!("`dtype=` of {what}"))?,
        meta: Meta {
            description: args.str("description", &what)?.unwrap_or_default(),
            tags: args.str_map("tags", &what)?,
            owner: String::new(),
        },
        location: Some(at.location()),
    }))
}
