//! The code that computes a view's features changed: same names and types,
//! possibly different values.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "transformation-changed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        let (Some(o), Some(n)) = (&v.old.transformation, &v.new.transformation) else {
            continue;
        };
        if o == n {
            continue;
        }
        let what = if o.mode != n.mode {
            format!("mode changed from `{}` to `{}`", o.mode, n.mode)
        } else {
            format!(
                "function body changed ({} → {})",
                o.body_sha256, n.body_sha256
            )
        };
        out.push(
            Finding::new(
                NAME,
                Level::Warning,
                pair.name,
                super::view_ref(v.new),
                format!(
                    "transformation of {} `{}`: {what}",
                    v.new.kind.label(),
                    v.new.name
                ),
            )
            .at(v.new.location.as_ref()),
        );
    }
}
