//! What the artifact does not record cannot be checked: said as a warning,
//! never passed silently.

use super::finding;
use crate::contract::Inputs;
use crate::contract::align::Alignment;
use crate::lint::{Finding, Level};

pub const NAME: &str = "model-unverifiable";

pub fn check(a: &Alignment, out: &mut Vec<Finding>) {
    let message = match &a.spec.inputs {
        Inputs::Unknown { why } => format!("cannot check the model's inputs: {why}"),
        Inputs::Positional { width: None, .. } => format!(
            "the model takes one nameless input of unfixed width: neither the width nor the order of service `{}`'s {} features can be checked",
            a.service,
            a.served.len()
        ),
        Inputs::Positional { width: Some(w), .. } if *w as usize == a.served.len() => format!(
            "the model takes {w} nameless inputs, as many as service `{}` serves: the width matches, the order cannot be checked",
            a.service
        ),
        Inputs::Columns(c) if a.spec.truncated => format!(
            "Feast truncated the model's feature list after {} refs: service `{}`'s features from index {} on cannot be checked",
            c.len(),
            a.service,
            c.len()
        ),
        _ => return,
    };
    out.push(finding(a, NAME, Level::Warning, message));
}
