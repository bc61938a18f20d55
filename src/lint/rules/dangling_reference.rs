//! A service or on-demand view refers to a view or feature that does not
//! exist in the proposed schema. Feast resolves these at request time, so the
//! failure shows up in production, not at apply.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};
use crate::model::{FeatureService, OdfvSourceKind, Project, Projection};

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
            // A pinned projection serves its recorded version, not the
            // latest view: judge it against that version's features.
            if let Some(n) = proj.version_tag {
                pinned(p, s, proj, n, &object, out);
                continue;
            }
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

/// A projection pinned to `view@vN`: its features must be in that recorded
/// version. Without any history for the view (two repos compared, a
/// registry server's answer) the version cannot be read: one warning says
/// so instead of judging the latest view.
fn pinned(
    p: &Project,
    s: &FeatureService,
    proj: &Projection,
    n: i32,
    object: &ObjectRef,
    out: &mut Vec<Finding>,
) {
    let finding = |level: Level, message: String| {
        Finding::new(NAME, level, &p.name, object.clone(), message).at(s.location.as_ref())
    };
    let (svc, view) = (&s.name, &proj.view);
    let Some(history) = p.view_versions.get(view) else {
        out.push(finding(
            Level::Warning,
            format!(
                "feature service `{svc}` pins `{view}@v{n}`, and neither side has the version history to read it: compare with the registry, or a lock file written from it, to check this service"
            ),
        ));
        return;
    };
    let Some(version) = history.iter().find(|v| v.number == n) else {
        out.push(finding(
            Level::Error,
            format!("feature service `{svc}` pins `{view}@v{n}`, which the version history does not record"),
        ));
        return;
    };
    for f in proj
        .features
        .iter()
        .filter(|f| !version.features.iter().any(|x| &x.name == *f))
    {
        out.push(
            finding(
                Level::Error,
                format!("feature service `{svc}` refers to `{view}@v{n}:{f}`, which that version does not have"),
            )
            .feature(f),
        );
    }
}
