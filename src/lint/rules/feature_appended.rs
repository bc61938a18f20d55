//! A new feature at the end of a view. Safe, unless a feature service serves
//! the whole view: then that service's vector grows.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "feature-appended";

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        for &j in &v.features.appended {
            let f = &v.new.features[j];
            let consumers: Vec<&str> = pair
                .new
                .feature_services
                .values()
                .filter(|s| {
                    s.projections
                        .iter()
                        .any(|p| p.view == v.new.name && p.features.contains(&f.name))
                })
                .map(|s| s.name.as_str())
                .collect();
            let (level, tail) = if consumers.is_empty() {
                (Level::Info, String::new())
            } else {
                (
                    Level::Warning,
                    format!(
                        "; feature service(s) {} serve the whole view, so their vector grows",
                        quote_list(&consumers)
                    ),
                )
            };
            out.push(
                Finding::new(
                    NAME,
                    level,
                    pair.name,
                    super::view_ref(v.new),
                    format!(
                        "feature `{}` ({}) was appended to {} `{}`{tail}",
                        f.name,
                        f.dtype,
                        v.new.kind.label(),
                        v.new.name
                    ),
                )
                .feature(&f.name)
                .at(f.location.as_ref().or(v.new.location.as_ref())),
            );
        }
    }
}

pub(crate) fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
