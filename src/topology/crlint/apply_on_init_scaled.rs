//! `runFeastApplyOnInit` defaults to true (operator v0.62+): every pod start
//! runs `feast apply` in an init container. With replicas > 1 or an HPA,
//! pods start together and their applies race on the registry; a scale-out
//! re-applies whatever repo the pod has over what CI applied.

use super::{Cr, Hit};

pub const NAME: &str = "cr-apply-on-init-scaled";

pub fn check(cr: &Cr) -> Vec<Hit> {
    let services = &cr.spec()["services"];
    let applies = services["runFeastApplyOnInit"].as_bool().unwrap_or(true)
        && !services["disableInitContainers"].as_bool().unwrap_or(false);
    if !(applies && cr.scales()) {
        return vec![];
    }
    vec![Hit {
        path: "spec.services.runFeastApplyOnInit".into(),
        message: "apply on init (the default) with replicas > 1 or autoscaling: concurrent `feast apply` at every pod start; set runFeastApplyOnInit: false and apply from CI".into(),
    }]
}
