//! `FeatureService`, and the projections it lists: `view[[...]]`,
//! `.with_name(...)`, `.with_join_key_map(...)`.

use std::rc::Rc;

use super::args::{Arg, Args, err, wrong};
pub use super::string_refs::StrRef;
use super::{Obj, ObjKind};
use crate::model::{FeatureService, Projection};
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::{Loc, Projection as ProjVal, Value};

/// `view[["a", "b"]]`.
pub fn project(base: &Value, names: Vec<String>, at: &Loc) -> Result<Value, Diagnostic> {
    let (view, alias) = match base {
        Value::Obj(o) => (o.clone(), None),
        Value::Proj(p) => (p.view.clone(), p.alias.clone()),
        _ => unreachable!("callers pass views and projections"),
    };
    let ObjKind::View { .. } = &view.kind else {
        return Err(err(
            at,
            format!(
                "{} cannot be indexed; only feature views can",
                view.describe()
            ),
        ));
    };
    // A name the view lacks is kept, not refused: it is the canonical
    // breaking change (a feature removed while a service still serves it),
    // and the lint reports it as `feature-removed` + `dangling-reference`
    // where SARIF and annotations show it. (`feast apply` raises here.)
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

pub(super) fn projection_of(
    v: &Value,
    at: &Loc,
    what: &str,
) -> Result<(Rc<Obj>, Projection), Diagnostic> {
    match v {
        Value::Obj(o) => match &o.kind {
            ObjKind::View { view, .. } => Ok((
                o.clone(),
                Projection {
                    view: view.name.clone(),
                    alias: None,
                    features: view.features.iter().map(|f| f.name.clone()).collect(),
                    version_tag: None,
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
                version_tag: None,
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

pub(super) fn service(args: &Args, at: &Loc) -> Result<ObjKind, Diagnostic> {
    let name = args.req_str("name", "FeatureService")?;
    let what = format!("FeatureService `{name}`");
    let (list, lat) = args
        .list("features", &what)?
        .ok_or_else(|| err(at, format!("{what} needs `features=`")))?;
    let mut projections = Vec::new();
    let mut refs = Vec::new();
    for v in &list {
        match v {
            Value::Str(r) => refs.push(StrRef::parse(r, &lat)?),
            v => projections.push(projection_of(v, &lat, &format!("`features=` of {what}"))?.1),
        }
    }
    Ok(ObjKind::Service(
        FeatureService {
            name,
            projections,
            vector: Vec::new(),
            precompute_online: args.bool("precompute_online", false, &what)?,
            meta: args.meta(&what)?,
            location: Some(at.location()),
        },
        refs,
    ))
}
