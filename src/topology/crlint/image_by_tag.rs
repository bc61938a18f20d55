//! A CR that runs from a packaged repo image with init containers off is
//! the air-gapped pattern: nothing is cloned or pulled from the internet,
//! and what runs is whatever the mirror holds under each image reference. A
//! tag can be re-pushed; only a digest names the bytes that were reviewed.

use serde_json::Value;

use super::{Cr, Hit};
use crate::topology::spec::is_digest_pinned;

pub const NAME: &str = "cr-image-by-tag";

/// Every `image` in the spec, with its dotted path.
fn images<'a>(v: &'a Value, path: &str, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::Object(m) => {
            for (k, sub) in m {
                let p = format!("{path}.{k}");
                match (k.as_str(), sub) {
                    ("image" | "initImage", Value::String(s)) => out.push((p, s)),
                    _ => images(sub, &p, out),
                }
            }
        }
        Value::Array(a) => {
            for (i, sub) in a.iter().enumerate() {
                images(sub, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

pub fn check(cr: &Cr) -> Vec<Hit> {
    let spec = cr.spec();
    let airgapped = spec["feastProjectDir"].get("packaged").is_some()
        && spec["services"]["disableInitContainers"] == true;
    if !airgapped {
        return vec![];
    }
    let mut found = Vec::new();
    images(spec, "spec", &mut found);
    found
        .into_iter()
        .filter(|(_, img)| !is_digest_pinned(img))
        .map(|(path, img)| Hit {
            path,
            message: format!(
                "`{img}` is a tag in an air-gapped CR: pin it by digest (IMAGE@sha256:…)"
            ),
        })
        .collect()
}
