//! The `model-*` rules: one file per kind of mismatch between a model's
//! inputs and the served vector. Each judges an [`Alignment`] and explains
//! the consequence in the runtime's own terms.

pub mod model_input_dtype;
pub mod model_input_extra;
pub mod model_input_missing;
pub mod model_input_renamed;
pub mod model_input_reordered;
pub mod model_input_width;
pub mod model_unverifiable;

use super::align::Alignment;
use crate::lint::{Finding, Level, ObjectKind, ObjectRef, VectorChange};
use crate::model::Location;

pub type Rule = fn(&Alignment, &mut Vec<Finding>);

/// Every model rule, in catalog order.
pub const RULES: &[Rule] = &[
    model_input_missing::check,
    model_input_extra::check,
    model_input_reordered::check,
    model_input_renamed::check,
    model_input_width::check,
    model_input_dtype::check,
    model_unverifiable::check,
];

/// Every model rule's name.
pub const NAMES: &[&str] = &[
    model_input_missing::NAME,
    model_input_extra::NAME,
    model_input_reordered::NAME,
    model_input_renamed::NAME,
    model_input_width::NAME,
    model_input_dtype::NAME,
    model_unverifiable::NAME,
];

/// A finding about `a`'s service, located at the model file.
pub(crate) fn finding(a: &Alignment, rule: &'static str, level: Level, message: String) -> Finding {
    let mut f = Finding::new(
        rule,
        level,
        a.project,
        ObjectRef {
            kind: ObjectKind::FeatureService,
            name: a.service.to_string(),
        },
        format!(
            "{} ({}): {message}",
            a.spec.path.display(),
            a.spec.runtime.label()
        ),
    );
    f.location = Some(Location {
        file: a.spec.path.to_string_lossy().replace('\\', "/"),
        line: 1,
    });
    f
}

/// The model's expected row (`-`) beside the served vector (`+`), attached
/// once per model (to its first finding) so a model with many findings is
/// shown once.
pub(crate) fn attach_vector(a: &Alignment, findings: &mut [Finding]) {
    if let Some(first) = findings.first_mut() {
        const LEGEND: &str = "vector below: `-` the model's input row, `+` the served vector";
        first.hint = Some(match first.hint.take() {
            Some(h) => format!("{h}; {LEGEND}"),
            None => LEGEND.to_string(),
        });
        first.vector = Some(VectorChange {
            before: a.expected_row(),
            after: a.served.to_vec(),
        });
    }
}

/// `view:feature` of a served index.
pub(crate) fn served_ref(a: &Alignment, j: usize) -> String {
    a.served[j].reference()
}
