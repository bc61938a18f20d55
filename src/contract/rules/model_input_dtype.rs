//! A served dtype the model's runtime converts, converts only for some
//! values, or refuses.

use super::finding;
use crate::contract::align::{Alignment, Slot};
use crate::contract::casting::{self, Verdict};
use crate::contract::{InputType, Inputs};
use crate::lint::{Finding, Level};
use crate::model::DType;

pub const NAME: &str = "model-input-dtype";

pub fn check(a: &Alignment, out: &mut Vec<Finding>) {
    match &a.spec.inputs {
        Inputs::Columns(cols) => {
            for (i, (c, s)) in cols.iter().zip(&a.slots).enumerate() {
                let Slot::Served(j) = *s else { continue };
                let (Some(m), Some(d)) = (&c.dtype, &a.served[j].dtype) else {
                    continue;
                };
                judge(a, out, m, d, j, &format!("`{}` (input {i})", c.name));
            }
        }
        // One tensor: the caller builds it; only a value no numeric tensor
        // can hold is certain to fail.
        Inputs::Positional { dtype: Some(m), .. } => {
            for (j, e) in a.served.iter().enumerate() {
                let Some(d) = &e.dtype else { continue };
                let numeric = matches!(
                    d,
                    DType::Float32 | DType::Float64 | DType::Int32 | DType::Int64 | DType::Bool
                );
                if !numeric {
                    judge(a, out, m, d, j, &format!("input[{j}]"));
                }
            }
        }
        _ => {}
    }
}

fn judge(a: &Alignment, out: &mut Vec<Finding>, m: &InputType, d: &DType, j: usize, what: &str) {
    let (level, why) = match casting::judge(m, d) {
        Verdict::Same => return,
        Verdict::Converts(w) => (Level::Info, w),
        Verdict::Risky(w) => (Level::Warning, w),
        Verdict::Refused(w) => (Level::Error, w),
    };
    out.push(
        finding(
            a,
            NAME,
            level,
            format!(
                "the model records {what} as {m}; service `{}` serves `{}` as {d}: {why}",
                a.service,
                a.served[j].reference()
            ),
        )
        .feature(&a.served[j].feature),
    );
}
