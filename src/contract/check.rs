//! Checks bound models against the services of one schema.

use std::collections::BTreeSet;

use super::align::align;
use super::rules::{RULES, attach_vector};
use super::{Binding, ModelSpec, ReadError, read};
use crate::lint::Finding;
use crate::model::{OdfvSourceKind, Project, Registry, ViewKind};

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("--model: no feature service `{service}` in {where_}{hint}")]
    UnknownService {
        service: String,
        where_: String,
        hint: String,
    },
    #[error(
        "--model: feature service `{service}` exists in projects {projects}; choose one with --project"
    )]
    Ambiguous { service: String, projects: String },
}

/// Reads every bound model and judges it against its service's vector in
/// `registry`. Findings are sorted like the lint's.
pub fn check_models(
    registry: &Registry,
    bindings: &[Binding],
    project: Option<&str>,
) -> Result<Vec<Finding>, CheckError> {
    // Read every model first: a bad artifact is an input error, never a
    // partial report.
    let specs: Vec<ModelSpec> = bindings
        .iter()
        .map(|b| read(&b.path))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (b, spec) in bindings.iter().zip(&specs) {
        let p = find_service(registry, &b.service, project)?;
        let service = &p.feature_services[&b.service];
        let frame_only = frame_only_columns(p, &b.service);
        let a = align(spec, &p.name, &b.service, &service.vector, &frame_only);
        let start = out.len();
        for rule in RULES {
            rule(&a, &mut out);
        }
        // The first finding after sorting is the one the formats show first.
        out[start..].sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        attach_vector(&a, &mut out[start..]);
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(out)
}

fn find_service<'r>(
    registry: &'r Registry,
    service: &str,
    project: Option<&str>,
) -> Result<&'r Project, CheckError> {
    let hits: Vec<&Project> = registry
        .projects
        .values()
        .filter(|p| project.is_none_or(|want| p.name == want))
        .filter(|p| p.feature_services.contains_key(service))
        .collect();
    match hits.as_slice() {
        [p] => Ok(p),
        [] => {
            let known: Vec<&str> = registry
                .projects
                .values()
                .flat_map(|p| p.feature_services.keys().map(String::as_str))
                .collect();
            let hint = match crate::suggest::did_you_mean(service, known.iter().copied()) {
                Some(s) => format!("; did you mean `{s}`?"),
                None if known.is_empty() => "; it has no feature services".into(),
                None => format!("; services: {}", known.join(", ")),
            };
            Err(CheckError::UnknownService {
                service: service.to_string(),
                where_: project.map_or("the schema".into(), |p| format!("project `{p}`")),
                hint,
            })
        }
        many => Err(CheckError::Ambiguous {
            service: service.to_string(),
            projects: many
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Columns `get_historical_features(...).to_df()` returns besides the
/// service's features: the entity join keys of its views, the fields of
/// the request sources its on-demand views read, the event timestamp.
fn frame_only_columns(p: &Project, service: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    out.insert("event_timestamp".to_string());
    let Some(s) = p.feature_services.get(service) else {
        return Vec::new();
    };
    let mut views: Vec<&str> = s.projections.iter().map(|pr| pr.view.as_str()).collect();
    // An on-demand view's frame also carries its source views' join keys.
    let mut k = 0;
    while k < views.len() {
        if let Some(v) = p.feature_views.get(views[k]) {
            for e in &v.entity_columns {
                out.insert(e.name.clone());
            }
            for e in &v.entities {
                if let Some(ent) = p.entities.get(e) {
                    out.insert(ent.join_key.clone());
                }
            }
            if v.kind == ViewKind::OnDemandFeatureView {
                for src in &v.sources {
                    match src.kind {
                        OdfvSourceKind::Request => {
                            if let Some(ds) = p.data_sources.get(&src.name) {
                                out.extend(ds.schema.iter().map(|f| f.name.clone()));
                            }
                        }
                        OdfvSourceKind::FeatureView => {
                            if !views.contains(&src.name.as_str()) {
                                views.push(&src.name);
                            }
                        }
                    }
                }
            }
            if let Some(ds) = v.batch_source.as_ref().and_then(|b| p.data_sources.get(b))
                && !ds.timestamp_field.is_empty()
            {
                out.insert(ds.timestamp_field.clone());
            }
        }
        k += 1;
    }
    out.into_iter().collect()
}
