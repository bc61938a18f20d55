//! A view that was served online no longer is: online lookups fail.

use crate::lint::{Finding, Level, ProjectPair};
use crate::model::ViewKind;

pub const NAME: &str = "online-disabled";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        // On-demand views compute at request time; `write_to_online_store`
        // only caches, so turning it off breaks no lookup.
        let turned_off = v.old.online && !v.new.online;
        if v.new.kind == ViewKind::OnDemandFeatureView || !turned_off {
            continue;
        }
        out.push(
            Finding::new(
                NAME,
                Level::Error,
                pair.name,
                super::view_ref(v.new),
                format!(
                    "online serving was disabled for {} `{}`",
                    v.new.kind.label(),
                    v.new.name
                ),
            )
            .at(v.new.location.as_ref()),
        );
    }
}
