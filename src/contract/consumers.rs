//! Consumer-aware severity (`models.only-protect-consumed`): when models
//! are configured, a finding that cannot reach any of them is lowered to
//! info. A finding on a feature service no model is bound to, or on a view
//! none of the bound services serves (in either schema), is lowered;
//! everything else (entities, sources, projects, the model checks) keeps
//! its level, since feastops cannot tell which models it reaches.

use std::collections::BTreeSet;

use crate::lint::{Finding, Level, ObjectKind};
use crate::model::Registry;

/// The views the `consumed` services serve in any of `registries`.
pub fn consumed_views(consumed: &BTreeSet<String>, registries: &[&Registry]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for r in registries {
        for p in r.projects.values() {
            for (name, s) in &p.feature_services {
                if !consumed.contains(name) {
                    continue;
                }
                for pr in &s.projections {
                    out.insert(pr.view.clone());
                    // An on-demand view reads its source views.
                    if let Some(v) = p.feature_views.get(&pr.view) {
                        out.extend(v.sources.iter().map(|src| src.name.clone()));
                    }
                }
            }
        }
    }
    out
}

/// Lowers findings that reach no consumed service to info, and says so in
/// the message. Returns how many were lowered.
pub fn lower_unconsumed(
    findings: &mut [Finding],
    consumed: &BTreeSet<String>,
    views: &BTreeSet<String>,
) -> usize {
    let mut n = 0;
    for f in findings.iter_mut() {
        let unconsumed = match f.object.kind {
            ObjectKind::FeatureService => !consumed.contains(&f.object.name),
            ObjectKind::FeatureView
            | ObjectKind::StreamFeatureView
            | ObjectKind::OnDemandFeatureView
            | ObjectKind::LabelView => !views.contains(&f.object.name),
            _ => false,
        };
        if unconsumed && f.level > Level::Info {
            f.message.push_str(&format!(
                " [lowered from {}: no configured model consumes it]",
                f.level
            ));
            f.level = Level::Info;
            n += 1;
        }
    }
    n
}
