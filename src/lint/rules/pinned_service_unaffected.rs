//! A service that pins a view version (`"view@vN"`) keeps serving that
//! version's recorded schema when the latest view changes: said once per
//! service and view, so a reviewer sees why no vector change is reported.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair};

pub const NAME: &str = "pinned-service-unaffected";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        if v.old.same_schema(v.new) {
            continue;
        }
        for s in pair.new.feature_services.values() {
            let Some(old) = pair.old.feature_services.get(&s.name) else {
                continue;
            };
            if old.vector != s.vector {
                continue;
            }
            let mut pins: Vec<i32> = s
                .projections
                .iter()
                .filter(|p| p.view == v.new.name)
                .filter_map(|p| p.version_tag)
                .collect();
            pins.dedup();
            for n in pins {
                out.push(
                    Finding::new(
                        NAME,
                        Level::Info,
                        pair.name,
                        ObjectRef {
                            kind: ObjectKind::FeatureService,
                            name: s.name.clone(),
                        },
                        format!(
                            "feature service `{}` is pinned to `{}@v{n}`: the change to the latest `{}` does not reach it",
                            s.name, v.new.name, v.new.name
                        ),
                    )
                    .at(s.location.as_ref()),
                );
            }
        }
    }
}
