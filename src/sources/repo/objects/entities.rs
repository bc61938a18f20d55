//! `Entity(...)`, and the entities a view lists.

use super::ObjKind;
use super::args::{Arg, Args, err, wrong};
use crate::model::{DType, Entity};
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::{Loc, Value};

pub(super) fn entity(args: &Args, at: &Loc) -> Result<ObjKind, Diagnostic> {
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

pub(super) struct EntityRefs {
    pub(super) names: Vec<String>,
    pub(super) entities: Vec<Entity>,
}

pub(super) fn entities_of(args: &Args, what: &str) -> Result<EntityRefs, Diagnostic> {
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
