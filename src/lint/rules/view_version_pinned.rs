//! `FeatureView(version="vN")` (Feast 0.62+). At `feast apply`, a version
//! the registry records is restored as the served view, and the fields
//! written in the repo are not what is served; a definition that also
//! differs from the active view is refused (`FeatureViewPinConflict`). A
//! version the registry does not record is a forward declaration: the
//! definition is applied and recorded as that version
//! (infra/registry/registry.py `apply_feature_view`).

use super::view_ref;
use crate::lint::{Finding, Level, ProjectPair};
use crate::model::{Feature, ViewVersion, same_features};

pub const NAME: &str = "view-version-pinned";

fn names(f: &[Feature]) -> String {
    f.iter()
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for (old, new) in ProjectPair::common(&pair.old.feature_views, &pair.new.feature_views) {
        let Some(n) = new.version_pin else { continue };
        let recorded: Option<&ViewVersion> = pair
            .old
            .view_versions
            .get(&new.name)
            .and_then(|vs| vs.iter().find(|v| v.number == n));
        let Some(recorded) = recorded else { continue };
        let served_is_recorded = same_features(&new.features, &recorded.features);
        let (level, message) = if served_is_recorded {
            if same_features(&old.features, &recorded.features) {
                continue;
            }
            (
                Level::Info,
                format!(
                    "`{}` pins version v{n}: `feast apply` restores that recorded version as the served view ({}), not the fields the definition lists; the changes below are the restore",
                    new.name,
                    names(&recorded.features)
                ),
            )
        } else if !new.same_schema(old) {
            (
                Level::Error,
                format!(
                    "`{}` pins recorded version v{n} and also changes the definition: `feast apply` refuses it (FeatureViewPinConflict)",
                    new.name
                ),
            )
        } else {
            continue;
        };
        let mut f =
            Finding::new(NAME, level, pair.name, view_ref(new), message).at(new.location.as_ref());
        if level == Level::Error {
            f = f.hint("either pin the version with the definition left as it is, or change the definition with `version=\"latest\"` (a new version is recorded)");
        }
        out.push(f);
    }
}
