//! The ordered vector a service returns changed. Appending at the end or
//! widening a type is a warning; anything that moves, drops or re-types an
//! existing position is an error.

use crate::lint::{Finding, Level, ObjectKind, ObjectRef, ProjectPair, VectorChange};
use crate::model::{FeatureService, VectorEntry, ViewVersion, same_features};

pub const NAME: &str = "feature-service-vector-changed";

/// Judges the change and summarises it in a few words.
fn judge(before: &[VectorEntry], after: &[VectorEntry]) -> (Level, String) {
    let same_refs = |a: &VectorEntry, b: &VectorEntry| a.view == b.view && a.feature == b.feature;
    let prefix =
        before.len() <= after.len() && before.iter().zip(after).all(|(a, b)| same_refs(a, b));
    if prefix {
        let retyped: Vec<_> = before
            .iter()
            .zip(after)
            .filter(|(a, b)| a.dtype != b.dtype)
            .collect();
        let all_promotions = retyped.iter().all(|(a, b)| match (&a.dtype, &b.dtype) {
            (Some(x), Some(y)) => x.is_promotion_to(y),
            _ => false,
        });
        if all_promotions {
            let grown = after.len() - before.len();
            let mut parts = Vec::new();
            if grown > 0 {
                parts.push(format!("{grown} feature(s) appended"));
            }
            if !retyped.is_empty() {
                parts.push(format!("{} feature(s) widened", retyped.len()));
            }
            return (Level::Warning, parts.join(", "));
        }
    }
    // Positions a model trained on `before` now reads differently.
    let broken = before
        .iter()
        .enumerate()
        .filter(|(i, e)| after.get(*i) != Some(*e))
        .count();
    (
        Level::Error,
        format!(
            "{} → {} features; {broken} of {} trained positions changed",
            before.len(),
            after.len(),
            before.len()
        ),
    )
}

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for (old, new) in ProjectPair::common(&pair.old.feature_services, &pair.new.feature_services) {
        if old.vector == new.vector {
            continue;
        }
        let (level, summary) = judge(&old.vector, &new.vector);
        let mut f = Finding::new(
            NAME,
            level,
            pair.name,
            ObjectRef {
                kind: ObjectKind::FeatureService,
                name: new.name.clone(),
            },
            format!(
                "feature vector of service `{}` changed: {summary}",
                new.name
            ),
        )
        .at(new.location.as_ref());
        if level == Level::Error {
            f = f.hint(match pins(pair, old) {
                Some(refs) => format!(
                    "models trained on `{}` read this vector by position; pin what they were trained on ({refs} in its features) or publish a new service (e.g. `{}`) and retrain",
                    new.name,
                    next_version(&new.name)
                ),
                None => format!(
                    "models trained on `{}` read this vector by position; publish a new service (e.g. `{}`) and retrain",
                    new.name,
                    next_version(&new.name)
                ),
            });
        }
        f.vector = Some(VectorChange {
            before: old.vector.clone(),
            after: new.vector.clone(),
        });
        out.push(f);
    }
}

/// `"view@vN"` refs that keep serving what `old` served (Feast 0.62+): for
/// each unpinned view of the service whose schema changed, the recorded
/// version with the schema it had. None when any changed view has none.
fn pins(pair: &ProjectPair, old: &FeatureService) -> Option<String> {
    let mut refs = Vec::new();
    for pr in old.projections.iter().filter(|p| p.version_tag.is_none()) {
        let (Some(before), after) = (
            pair.old.feature_views.get(&pr.view),
            pair.new.feature_views.get(&pr.view),
        ) else {
            continue;
        };
        if after.is_some_and(|a| a.same_schema(before)) {
            continue;
        }
        let same = |v: &ViewVersion| same_features(&v.features, &before.features);
        let n = pair
            .old
            .view_versions
            .get(&pr.view)?
            .iter()
            .filter(|v| same(v))
            .map(|v| v.number)
            .max()?;
        let r = format!("`\"{}@v{n}\"`", pr.view);
        if !refs.contains(&r) {
            refs.push(r);
        }
    }
    (!refs.is_empty()).then(|| refs.join(", "))
}

/// `model_v1` → `model_v2`; `model` → `model_v2`.
pub(crate) fn next_version(name: &str) -> String {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let stem = &name[..name.len() - digits];
    match (digits, stem.strip_suffix('v')) {
        (1.., Some(base)) => {
            let n: u64 = name[stem.len()..].parse().unwrap_or(1);
            format!("{base}v{}", n + 1)
        }
        _ => format!("{name}_v2"),
    }
}

#[cfg(test)]
mod tests {
    use super::next_version;

    #[test]
    fn suggests_the_next_service_version() {
        assert_eq!(next_version("attrition_model_v1"), "attrition_model_v2");
        assert_eq!(next_version("ranker_v9"), "ranker_v10");
        assert_eq!(
            next_version("attrition_model_lite"),
            "attrition_model_lite_v2"
        );
        assert_eq!(next_version("model2"), "model2_v2");
    }
}
