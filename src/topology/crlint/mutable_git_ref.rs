//! `feastProjectDir.git` without a ref (the default branch) or with a
//! branch: every pod start clones whatever the branch holds then.

use super::{Cr, Hit};
use crate::topology::spec::is_immutable_ref;

pub const NAME: &str = "cr-mutable-git-ref";

pub fn check(cr: &Cr) -> Vec<Hit> {
    let git = &cr.spec()["feastProjectDir"]["git"];
    if git.is_null() {
        return vec![];
    }
    let message = match git["ref"].as_str() {
        None | Some("") => "no git ref: each pod start clones the default branch's head, so a restart deploys unreviewed definitions; pin a commit SHA or a tag".to_string(),
        Some(r) if !is_immutable_ref(r) => format!("git ref `{r}` can move (a branch?): pin a commit SHA, refs/tags/NAME or a version tag"),
        Some(_) => return vec![],
    };
    vec![Hit {
        path: "spec.feastProjectDir.git.ref".into(),
        message,
    }]
}
