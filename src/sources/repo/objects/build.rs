//! The module-level objects collected into the model, as `feast apply`
//! registers them: one object per name, sources reached through views.

use std::collections::HashMap;
use std::rc::Rc;

use super::args::err;
use super::{Obj, ObjKind};
use crate::model;
use crate::sources::from_proto;
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::Loc;

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
    let mut pending_refs = Vec::new();
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
            ObjKind::Service(s, refs) => {
                if !dup("feature service", &s.name, &o.at, &mut diags) {
                    if !refs.is_empty() {
                        pending_refs.push((s.name.clone(), refs));
                    }
                    proj.feature_services.insert(s.name.clone(), s);
                }
            }
            ObjKind::Field(_) | ObjKind::Other(_) | ObjKind::LanceFormat(_) => {}
        }
    }
    // After the object entries, as `feast apply` appends them.
    for (service, refs) in pending_refs {
        for r in refs {
            match r.resolve(&proj.feature_views) {
                Ok(p) => {
                    if let Some(s) = proj.feature_services.get_mut(&service) {
                        s.projections.push(p);
                    }
                }
                Err(d) => diags.push(d),
            }
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
