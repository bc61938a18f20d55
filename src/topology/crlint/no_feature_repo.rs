//! No `feastProjectDir`, or `init`: the operator's init container runs
//! `feast init` and the servers (and any apply on init) use that demo repo.

use super::{Cr, Hit};

pub const NAME: &str = "cr-no-feature-repo";

pub fn check(cr: &Cr) -> Vec<Hit> {
    let dir = &cr.spec()["feastProjectDir"];
    let message = match dir {
        Value::Null => {
            "no feastProjectDir: the operator runs `feast init` and serves its demo repo (and applies it on init); set feastProjectDir.git (immutable ref) or .packaged (image by digest)"
        }
        d if d.get("init").is_some() => {
            "feastProjectDir.init deploys a `feast init` demo repo; production needs feastProjectDir.git (immutable ref) or .packaged (image by digest)"
        }
        _ => return vec![],
    };
    vec![Hit {
        path: "spec.feastProjectDir".into(),
        message: message.into(),
    }]
}

use serde_json::Value;
