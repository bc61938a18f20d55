//! A kept feature changed type. Widening (Int32→Int64, Float32→Float64) is a
//! warning; every other change is an error.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "feature-dtype-changed";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        for k in &v.features.kept {
            let (old, new) = (&v.old.features[k.old_index], &v.new.features[k.new_index]);
            if old.dtype == new.dtype {
                continue;
            }
            let promotion = old.dtype.is_promotion_to(&new.dtype);
            let level = if promotion {
                Level::Warning
            } else {
                Level::Error
            };
            let how = if promotion { "widened" } else { "changed" };
            out.push(
                Finding::new(
                    NAME,
                    level,
                    pair.name,
                    super::view_ref(v.new),
                    format!(
                        "feature `{}` dtype {how} from {} to {} in {} `{}`",
                        new.name,
                        old.dtype,
                        new.dtype,
                        v.new.kind.label(),
                        v.new.name
                    ),
                )
                .feature(&new.name)
                .at(new.location.as_ref().or(v.new.location.as_ref())),
            );
        }
    }
}
