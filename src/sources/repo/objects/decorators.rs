//! `@on_demand_feature_view`, `@batch_feature_view`, `@stream_feature_view`.

use super::args::{Arg, Args, err};
use super::entities::entities_of;
use super::fields::fields_of;
use super::services::projection_of;
use super::views::{split_schema, view};
use super::{ObjKind, new_obj};
use crate::model::{FeatureView, OdfvSource, OdfvSourceKind, SourceKind, Transformation, ViewKind};
use crate::sources::from_proto;
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::{Evaluator, Loc, Value};

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
        version_pin: None,
        batch_source: None,
        stream_source: None,
        sources,
        transformation: Some(Transformation {
            mode,
            body_sha256: from_proto::body_hash(body),
        }),
        inferred_features: false,
        label: None,
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
