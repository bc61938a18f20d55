//! `LabelView(...)` (Feast 0.64+): mutable labels keyed by entities, served
//! like a feature view.
//!
//! Its constructor differs from `FeatureView`'s: no feature inference at
//! apply (the schema is what it is, possibly only entity columns), and a
//! join key missing from the schema gets the entity's type, or `String`
//! when the entity has none (never read from data).

use super::args::{Args, err, wrong};
use super::entities::entities_of;
use super::fields::fields_of;
use super::views::split_schema;
use super::{Obj, ObjKind};
use crate::model::{
    DType, Feature, FeatureView, LabelSpec, Meta, SourceKind, ViewKind, conflict_policy_member,
};
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::{Loc, Value};
use std::rc::Rc;

pub(super) fn label_view(args: &mut Args, at: &Loc) -> Result<ObjKind, Diagnostic> {
    let name = args.req_str("name", "LabelView")?;
    let what = format!("LabelView `{name}`");
    let ents = entities_of(args, &what)?;
    let schema = match args.take_list("schema", &what)? {
        Some((list, sat)) => fields_of(list, &sat, &format!("the schema of {what}"))?,
        None => Vec::new(),
    };
    let (mut entity_columns, features) = split_schema(schema, &ents, at, &what, false)?;
    for e in &ents.entities {
        if entity_columns.iter().any(|c| c.name == e.join_key) {
            continue;
        }
        let dtype = if e.value_type == DType::Invalid {
            DType::String
        } else {
            e.value_type.clone()
        };
        entity_columns.push(Feature {
            name: e.join_key.clone(),
            dtype,
            meta: Meta::default(),
            location: e.location.clone(),
        });
    }
    let source = args.obj("source", &what)?;
    let (batch, stream) = match &source {
        None => (None, None),
        Some((o, _)) if is_push(o) => {
            let ObjKind::Source { batch, .. } = &o.kind else {
                unreachable!("is_push checked the kind")
            };
            (batch.clone(), Some(o.clone()))
        }
        Some((o, _)) if matches!(o.kind, ObjKind::Source { .. }) => (Some(o.clone()), None),
        Some((o, sat)) => return Err(err(sat, format!("`source=` of {what} is {}", o.describe()))),
    };
    let label = LabelSpec {
        labeler_field: args
            .str("labeler_field", &what)?
            .unwrap_or_else(|| "labeler".into()),
        conflict_policy: conflict_policy(args, &what)?,
        reference_view: args
            .str("reference_feature_view", &what)?
            .filter(|r| !r.is_empty()),
    };
    let view = FeatureView {
        name,
        kind: ViewKind::LabelView,
        entities: ents.names,
        entity_columns,
        features,
        // Feast's default is timedelta(0): labels never expire.
        ttl_seconds: args.ttl(&what)?,
        online: args.bool("online", true, &what)?,
        offline: false,
        enabled: true,
        version_pin: None,
        batch_source: batch.as_ref().map(|b| b.name().to_string()),
        stream_source: stream.as_ref().map(|s| s.name().to_string()),
        sources: Vec::new(),
        transformation: None,
        inferred_features: false,
        label: Some(label),
        meta: args.meta(&what)?,
        location: Some(at.location()),
    };
    Ok(ObjKind::View {
        view,
        sources: source.into_iter().map(|(o, _)| o).collect(),
    })
}

fn is_push(o: &Rc<Obj>) -> bool {
    matches!(&o.kind, ObjKind::Source { ds, .. } if ds.kind == SourceKind::Push)
}

fn conflict_policy(args: &Args, what: &str) -> Result<String, Diagnostic> {
    let Some(a) = args.get("conflict_policy") else {
        return Ok("last_write_wins".into());
    };
    let member = match &a.value {
        Value::Ext(p) if p.starts_with("feast") => {
            let mut parts = p.rsplitn(2, '.');
            let member = parts.next().unwrap_or_default();
            let owner = parts.next().unwrap_or_default();
            (owner == "ConflictPolicy" || owner.ends_with(".ConflictPolicy"))
                .then(|| conflict_policy_member(member))
                .flatten()
        }
        _ => None,
    };
    member.map(str::to_string).ok_or_else(|| {
        wrong(
            &a.value,
            &a.at,
            &format!("`conflict_policy=` of {what}"),
            "a ConflictPolicy member",
        )
    })
}

/// `FeatureView(version=...)`: `None`/"latest" is no pin, "vN"/"versionN"
/// pins N (resolved against the registry's history at comparison, see
/// lint/unknown.rs); anything else is not a version Feast accepts.
pub(super) fn version_pin(args: &Args, what: &str) -> Result<Option<i32>, Diagnostic> {
    match args.get("version") {
        None => Ok(None),
        Some(a) => match &a.value {
            Value::None => Ok(None),
            Value::Str(s) => crate::model::parse_version_pin(s).map_err(|m| Diagnostic {
                location: a.at.location(),
                message: format!("`version=` of {what}: {m}"),
                dynamic: false,
            }),
            v => Err(Diagnostic {
                location: a.at.location(),
                message: format!(
                    "`version=` of {what} is {}, not a version string",
                    v.describe()
                ),
                dynamic: true,
            }),
        },
    }
}
