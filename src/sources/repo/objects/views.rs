//! `FeatureView`, `BatchFeatureView`, `StreamFeatureView`: their sources,
//! schema split into entity columns and features, and defaults.

use std::rc::Rc;

use super::args::{Arg, Args, err, wrong};
use super::entities::{EntityRefs, entities_of};
use super::fields::fields_of;
use super::sources::is_stream;
use super::{Obj, ObjKind};
use crate::model::{DType, Feature, FeatureView, Meta, Transformation, ViewKind};
use crate::sources::from_proto;
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::{Loc, Value};

/// Splits a schema into entity columns and features as Feast's constructor
/// does, then adds the entity columns `feast apply` infers from entities
/// with a known value type.
pub(super) fn split_schema(
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
        let mut from_data = Vec::new();
        for e in &ents.entities {
            if entity_columns.iter().any(|c| c.name == e.join_key) {
                continue;
            }
            let column = Feature {
                name: e.join_key.clone(),
                dtype: e.value_type.clone(),
                meta: Meta::default(),
                location: e.location.clone(),
            };
            if e.value_type == DType::Invalid {
                // Feast reads it from the data, after the typed ones
                // (inference.py); `data::complete` resolves it.
                from_data.push(Feature {
                    dtype: DType::Inferred,
                    ..column
                });
            } else {
                entity_columns.push(column);
            }
        }
        entity_columns.extend(from_data);
        // No features: Feast infers them from the data too.
    }
    Ok((entity_columns, features))
}

pub(super) fn udf_transformation(
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
pub(super) fn view(
    ctor: &str,
    args: &mut Args,
    at: &Loc,
    body: Option<&str>,
) -> Result<ObjKind, Diagnostic> {
    let name = args.req_str("name", ctor)?;
    let what = format!("{ctor} `{name}`");
    let version_pin = super::labels::version_pin(args, &what)?;
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
        version_pin,
        batch_source: batch.as_ref().map(|b| b.name().to_string()),
        stream_source: stream.as_ref().map(|s| s.name().to_string()),
        sources: Vec::new(),
        transformation,
        inferred_features: false,
        label: None,
        meta: args.meta(&what)?,
        location: Some(at.location()),
    };
    Ok(ObjKind::View {
        view,
        sources: batch.into_iter().chain(stream).collect(),
    })
}

pub(super) fn derived_sink(args: &Args, what: &str, at: &Loc) -> Result<Rc<Obj>, Diagnostic> {
    match args.obj("sink_source", what)? {
        Some((o, _)) if matches!(o.kind, ObjKind::Source { .. }) => Ok(o),
        _ => Err(err(
            at,
            format!("{what}: a view derived from other views needs `sink_source=` (a data source)"),
        )),
    }
}
