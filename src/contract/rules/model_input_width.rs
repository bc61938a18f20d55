//! A nameless model whose width differs from the served vector's.

use super::finding;
use crate::contract::Inputs;
use crate::contract::align::Alignment;
use crate::lint::{Finding, Level};

pub const NAME: &str = "model-input-width";

pub fn check(a: &Alignment, out: &mut Vec<Finding>) {
    let Inputs::Positional { width: Some(w), .. } = a.spec.inputs else {
        return;
    };
    if w as usize == a.served.len() {
        return;
    }
    out.push(finding(
        a,
        NAME,
        Level::Error,
        format!(
            "the model takes {w} inputs by position; service `{}` serves {}",
            a.service,
            a.served.len()
        ),
    ));
}
