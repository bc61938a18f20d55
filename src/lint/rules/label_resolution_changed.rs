//! A label view's labeler field or conflict policy changed: the labels
//! training data reads are resolved differently (Feast enforces the policy
//! on offline reads; online serving is always last-write-wins).

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "label-resolution-changed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        let (Some(o), Some(n)) = (&v.old.label, &v.new.label) else {
            continue;
        };
        let mut changes = Vec::new();
        if o.conflict_policy != n.conflict_policy {
            changes.push(format!(
                "conflict policy {} → {}",
                o.conflict_policy, n.conflict_policy
            ));
        }
        if o.labeler_field != n.labeler_field {
            changes.push(format!(
                "labeler field `{}` → `{}`",
                o.labeler_field, n.labeler_field
            ));
        }
        if o.reference_view != n.reference_view {
            let show = |r: &Option<String>| r.clone().unwrap_or_else(|| "none".into());
            changes.push(format!(
                "reference view {} → {}",
                show(&o.reference_view),
                show(&n.reference_view)
            ));
        }
        if changes.is_empty() {
            continue;
        }
        // The reference view is informational in Feast (no dependency):
        // alone, it is metadata, whatever the mode.
        let (rule, level) =
            if o.conflict_policy != n.conflict_policy || o.labeler_field != n.labeler_field {
                (NAME, Level::Warning)
            } else {
                (super::metadata_changed::NAME, Level::Info)
            };
        out.push(
            Finding::new(
                rule,
                level,
                pair.name,
                super::view_ref(v.new),
                format!("label view `{}`: {}", v.new.name, changes.join(", ")),
            )
            .at(v.new.location.as_ref()),
        );
    }
}
