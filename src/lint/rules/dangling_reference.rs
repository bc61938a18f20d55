//! A service or on-demand view refers to a view or feature that does not
//! exist in the proposed schema. Feast resolves these at request time, so the
//! failure shows up in production, not at apply.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};
use crate::model::{OdfvSourceKind, Project};

pub const NAME: &str = "dangling-reference";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    check_new(pair.new, out);
}

/// Checks one project on its own (also used for projects that are new).
pub fn check_new(p: &Project, out: &mut Vec<Finding>) {
    for s in p.feature_services.values() {
        let object = ObjectRef {
            kind: ObjectKind::FeatureService,
            name: s.name.clone(),
        };
        for proj in &s.projections {
            let Some(view) = p.feature_views.get(&proj.view) else {
                out.push(
                    Finding::new(NAME, Level::Error, &p.name, object.clone(), format!("feature service `{}` refers to feature view `{}`, which does not exist", s.name, proj.view))
                        .at(s.location.as_ref()),
                );
                continue;
            };
            for f in proj.features.iter().filter(|f| view.feature(f).is_none()) {
                out.push(
                    Finding::new(
                        NAME,
                        Level::Error,
                        &p.name,
                        object.clone(),
                        format!(
                            "feature service `{}` refers to `{}:{f}`, which does not exist",
                            s.name, proj.view
                        ),
                    )
                    .feature(f)
                    .at(s.location.as_ref()),
                );
            }
        }
    }
    for v in p.feature_views.values() {
        for src in &v.sources {
            let object = super::view_ref(v);
            let missing_source = match src.kind {
                OdfvSourceKind::FeatureView => !p.feature_views.contains_key(&src.name),
                OdfvSourceKind::Request => !p.data_sources.contains_key(&src.name),
            };
            if missing_source {
                out.push(
                    Finding::new(
                        NAME,
                        Level::Error,
                        &p.name,
                        object,
                        format!(
                            "{} `{}` reads from `{}`, which does not exist",
                            v.kind.label(),
                            v.name,
                            src.name
                        ),
                    )
                    .at(v.location.as_ref()),
                );
                continue;
            }
            if let Some(input) = p.feature_views.get(&src.name) {
                for f in src.features.iter().filter(|f| input.feature(f).is_none()) {
                    out.push(
                        Finding::new(
                            NAME,
                            Level::Error,
                            &p.name,
                            object.clone(),
                            format!(
                                "{} `{}` reads `{}:{f}`, which does not exist",
                                v.kind.label(),
                                v.name,
                                src.name
                            ),
                        )
                        .feature(f)
                        .at(v.location.as_ref()),
                    );
                }
            }
        }
        for e in v.entities.iter().filter(|e| !p.entities.contains_key(*e)) {
            out.push(
                Finding::new(
                    NAME,
                    Level::Error,
                    &p.name,
                    super::view_ref(v),
                    format!(
                        "{} `{}` is keyed on entity `{e}`, which does not exist",
                        v.kind.label(),
                        v.name
                    ),
                )
                .at(v.location.as_ref()),
            );
        }
    }
}
