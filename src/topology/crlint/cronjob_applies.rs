//! The operator's CronJob runs, by default, `feast apply` and then
//! `feast materialize-incremental` through `kubectl exec` into the server
//! pod: an hourly apply of the pod's repo copy deletes what CI applied that
//! the copy lacks. A CronJob left unscheduled is created suspended
//! (`@yearly`), so only a scheduled one counts.

use super::{Cr, Hit};

pub const NAME: &str = "cr-cronjob-applies";

pub fn check(cr: &Cr) -> Vec<Hit> {
    let cron = &cr.spec()["cronJob"];
    let scheduled = cron["schedule"].as_str().is_some_and(|s| !s.is_empty())
        && !cron["suspend"].as_bool().unwrap_or(false);
    if !scheduled {
        return vec![];
    }
    let commands = cron["containerConfigs"]["commands"].as_array();
    let applies = match commands {
        None => true,
        Some(c) => c.iter().filter_map(|c| c.as_str()).any(|c| {
            c.split_whitespace()
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| w == ["feast", "apply"])
        }),
    };
    if !applies {
        return vec![];
    }
    vec![Hit {
        path: "spec.cronJob.containerConfigs.commands".into(),
        message: if commands.is_none() {
            "no commands: the operator's default runs `feast apply` before materializing, on schedule; set commands to materialization only".into()
        } else {
            "the CronJob runs `feast apply` on schedule; apply from CI and keep the CronJob to materialization".into()
        },
    }]
}
