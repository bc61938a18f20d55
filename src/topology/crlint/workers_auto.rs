//! `workerConfigs.workers: -1` makes the feature server start
//! `2 × cpu_count() + 1` gunicorn workers, and `cpu_count()` is the node's,
//! not the container's limit: 33 workers on a 16-vCPU node inside a 2 Gi
//! limit is an OOM kill.

use super::{Cr, Hit};

pub const NAME: &str = "cr-workers-auto";

pub fn check(cr: &Cr) -> Vec<Hit> {
    let mut out = Vec::new();
    for server in ["onlineStore", "offlineStore", "registry"] {
        let base = if server == "registry" {
            &cr.spec()["services"]["registry"]["local"]["server"]
        } else {
            &cr.spec()["services"][server]["server"]
        };
        if base["workerConfigs"]["workers"].as_i64() == Some(-1)
            && base["resources"]["limits"].get("cpu").is_some()
        {
            out.push(Hit {
                path: format!("spec.services.{server}.server.workerConfigs.workers"),
                message: "workers: -1 counts the node's CPUs, not the container's limit; set an explicit count (2 × CPU limit + 1, at most memory limit / 512Mi)".into(),
            });
        }
    }
    out
}
