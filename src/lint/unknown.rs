//! Values a feature repo reader left unknown (Feast infers them from data
//! feastops could not reach) are taken from the other side of the
//! comparison before any rule runs, so no rule ever reports a change for a
//! value that is only unknown on one side. The same holds for view version
//! history: only a registry records it, and it is append-only, so a side
//! that pins a version it has no record of (a repo, an older lock file)
//! takes the records from the other side.

use crate::model::{DType, Feature, FeatureView, INFERRED, Project, Registry, same_features};

fn has_unknown(p: &Project) -> bool {
    p.data_sources
        .values()
        .any(|s| s.timestamp_field == INFERRED)
        || p.feature_views.values().any(|v| {
            v.inferred_features
                || v.entity_columns
                    .iter()
                    .chain(&v.features)
                    .any(|f| f.dtype == DType::Inferred)
        })
}

/// Copies of `old` and `new` with each unknown value filled from the other
/// side, or `None` when neither has any.
pub fn resolve(old: &Project, new: &Project) -> Option<(Project, Project)> {
    if !has_unknown(old)
        && !has_unknown(new)
        && !lacks_history(old, new)
        && !lacks_history(new, old)
        && !has_unfilled_pins(old)
        && !has_unfilled_pins(new)
        && !has_view_pin_to_restore(old, new)
        && !has_view_pin_to_restore(new, old)
    {
        return None;
    }
    let (mut o, mut n) = (old.clone(), new.clone());
    fill(&mut o, new);
    fill(&mut n, old);
    // Before the history is shared: a side that records the pinned version
    // itself already serves it.
    restore_pinned_views(&mut o, new);
    restore_pinned_views(&mut n, old);
    fill_history(&mut o, new);
    fill_history(&mut n, old);
    // Service vectors carry dtypes and whole-view feature lists: rebuild.
    let [o, n] = [o, n].map(|p| {
        let mut r = Registry::default();
        r.projects.insert(p.name.clone(), p);
        crate::sources::from_proto::finish(&mut r);
        r.projects.into_values().next().expect("one project")
    });
    Some((o, n))
}

/// Views `p` pins a version of without any record, which `other` has.
fn unrecorded_pins<'a>(p: &'a Project, other: &'a Project) -> impl Iterator<Item = &'a String> {
    p.feature_services
        .values()
        .flat_map(|s| &s.projections)
        .filter(|pr| pr.version_tag.is_some())
        .map(|pr| &pr.view)
        .filter(|v| !p.view_versions.contains_key(*v) && other.view_versions.contains_key(*v))
}

fn lacks_history(p: &Project, other: &Project) -> bool {
    unrecorded_pins(p, other).next().is_some()
}

/// A repo's `"fv@vN"` ref names no features: they are the recorded
/// version's.
fn has_unfilled_pins(p: &Project) -> bool {
    p.feature_services
        .values()
        .flat_map(|s| &s.projections)
        .any(|pr| pr.version_tag.is_some() && pr.features.is_empty())
}

fn fill_history(p: &mut Project, other: &Project) {
    let views: Vec<String> = unrecorded_pins(p, other).cloned().collect();
    for v in views {
        p.view_versions
            .insert(v.clone(), other.view_versions[&v].clone());
    }
    // A pin to the version this apply records: Feast saves a changed view
    // as the next version before it resolves the service's string refs
    // (registry.py apply_feature_view), so `fv@vN+1` beside a changed `fv`
    // serves the proposed view.
    let pins: Vec<(String, i32)> = p
        .feature_services
        .values()
        .flat_map(|s| &s.projections)
        .filter_map(|pr| pr.version_tag.map(|n| (pr.view.clone(), n)))
        .collect();
    for (view, n) in pins {
        let recorded = p.view_versions.get(&view);
        let next = recorded.map_or(0, |vs| vs.iter().map(|v| v.number + 1).max().unwrap_or(0));
        if n == next
            && recorded.is_some()
            && let (Some(mine), Some(theirs)) =
                (p.feature_views.get(&view), other.feature_views.get(&view))
            && !mine.same_schema(theirs)
        {
            let features = mine.features.clone();
            p.view_versions
                .entry(view)
                .or_default()
                .push(crate::model::ViewVersion {
                    number: n,
                    features,
                });
        }
    }
    let history = &p.view_versions;
    for s in p.feature_services.values_mut() {
        for pr in s.projections.iter_mut() {
            if let Some(n) = pr.version_tag
                && pr.features.is_empty()
                && let Some(v) = history
                    .get(&pr.view)
                    .and_then(|vs| vs.iter().find(|v| v.number == n))
            {
                pr.features = v.features.iter().map(|f| f.name.clone()).collect();
            }
        }
    }
}

/// Views of `p` written as `FeatureView(version="vN")` where only `other`
/// records version N, with the recorded schema: what `feast apply` serves.
fn pinned_view_restores(p: &Project, other: &Project) -> Vec<(String, Vec<Feature>)> {
    p.feature_views
        .values()
        .filter_map(|v| {
            let n = v.version_pin?;
            if p.view_versions
                .get(&v.name)
                .is_some_and(|vs| vs.iter().any(|x| x.number == n))
            {
                return None;
            }
            let recorded = other
                .view_versions
                .get(&v.name)?
                .iter()
                .find(|x| x.number == n)?;
            // registry.py apply_feature_view: Feast restores version N only when the
            // definition equals the active view (otherwise it refuses the apply,
            // which view-version-pinned reports).
            let active = other.feature_views.get(&v.name)?;
            (v.same_schema(active) && !same_features(&v.features, &recorded.features))
                .then(|| (v.name.clone(), recorded.features.clone()))
        })
        .collect()
}

fn has_view_pin_to_restore(p: &Project, other: &Project) -> bool {
    !pinned_view_restores(p, other).is_empty()
}

fn restore_pinned_views(p: &mut Project, other: &Project) {
    for (name, features) in pinned_view_restores(p, other) {
        if let Some(v) = p.feature_views.get_mut(&name) {
            let at = v.location.clone();
            v.features = features
                .into_iter()
                .map(|f| Feature {
                    location: at.clone(),
                    ..f
                })
                .collect();
        }
    }
}

fn fill(p: &mut Project, other: &Project) {
    for (name, s) in &mut p.data_sources {
        if s.timestamp_field == INFERRED
            && let Some(t) = other.data_sources.get(name)
            && t.timestamp_field != INFERRED
        {
            s.timestamp_field = t.timestamp_field.clone();
        }
    }
    for (name, v) in &mut p.feature_views {
        let Some(ov) = other.feature_views.get(name) else {
            continue;
        };
        if v.inferred_features && !ov.inferred_features {
            v.features = ov
                .features
                .iter()
                .map(|f| Feature {
                    location: v.location.clone(),
                    ..f.clone()
                })
                .collect();
            v.inferred_features = false;
            for s in p.feature_services.values_mut() {
                for pr in s.projections.iter_mut() {
                    if &pr.view == name && pr.features.is_empty() && pr.version_tag.is_none() {
                        pr.features = v.features.iter().map(|f| f.name.clone()).collect();
                    }
                }
            }
        }
        fill_types(v, ov);
    }
}

fn fill_types(v: &mut FeatureView, other: &FeatureView) {
    let known = |name: &str| {
        other
            .entity_columns
            .iter()
            .chain(&other.features)
            .find(|f| f.name == name && f.dtype != DType::Inferred)
            .map(|f| f.dtype.clone())
    };
    for f in v.entity_columns.iter_mut().chain(v.features.iter_mut()) {
        if f.dtype == DType::Inferred
            && let Some(t) = known(&f.name)
        {
            f.dtype = t;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{CompareOptions, compare};
    use crate::model::Registry;

    fn reg(view: serde_json::Value) -> Registry {
        let mut r: Registry = serde_json::from_value(serde_json::json!({
            "projects": {"p": {
                "name": "p",
                "data_sources": {"s": {"name": "s", "kind": "file", "path": "x.parquet",
                                       "timestamp_field": view["ts"].clone()}},
                "feature_views": {"v": view["view"].clone()},
                "feature_services": {"svc": {"name": "svc", "projections": [
                    {"view": "v", "features": view["served"].clone()}]}}
            }}
        }))
        .unwrap();
        crate::sources::from_proto::finish(&mut r);
        r
    }

    fn known() -> Registry {
        reg(serde_json::json!({
            "ts": "event_timestamp",
            "served": ["a", "b"],
            "view": {"name": "v", "kind": "feature_view", "online": true, "offline": false,
                     "batch_source": "s",
                     "entity_columns": [{"name": "id", "dtype": "Int64"}],
                     "features": [{"name": "a", "dtype": "Float32"}, {"name": "b", "dtype": "String"}]}
        }))
    }

    #[test]
    fn unknown_values_take_the_other_sides() {
        let unknown = reg(serde_json::json!({
            "ts": "<inferred>",
            "served": [],
            "view": {"name": "v", "kind": "feature_view", "online": true, "offline": false,
                     "batch_source": "s", "inferred_features": true,
                     "entity_columns": [{"name": "id", "dtype": "Inferred"}],
                     "features": []}
        }));
        let opts = CompareOptions::default();
        assert_eq!(compare(&known(), &unknown, &opts).unwrap(), vec![]);
        assert_eq!(compare(&unknown, &known(), &opts).unwrap(), vec![]);
        assert_eq!(compare(&unknown, &unknown, &opts).unwrap(), vec![]);
    }

    #[test]
    fn an_unknown_type_is_never_a_dtype_change() {
        let partly = reg(serde_json::json!({
            "ts": "event_timestamp",
            "served": ["a", "b"],
            "view": {"name": "v", "kind": "feature_view", "online": true, "offline": false,
                     "batch_source": "s",
                     "entity_columns": [{"name": "id", "dtype": "Inferred"}],
                     "features": [{"name": "a", "dtype": "Float32"}, {"name": "b", "dtype": "Int64"}]}
        }));
        let found = compare(&known(), &partly, &CompareOptions::default()).unwrap();
        // `b` really changed; the unknown join key type is not reported.
        assert!(
            found.iter().all(|f| !f.message.contains("`id`")),
            "{found:?}"
        );
        assert!(found.iter().any(|f| f.rule == "feature-dtype-changed"));
    }
}
