//! The freshness report as text, JSON, or Prometheus text exposition (for node_exporter's
//! textfile collector or a Pushgateway, where kube-state-metrics is not available).

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::{Assessment, Status, View};

/// RFC 3339 in UTC, seconds precision.
pub fn rfc3339(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| unix.to_string())
}

fn human(seconds: i64) -> String {
    let s = seconds.abs();
    let sign = if seconds < 0 { "-" } else { "" };
    if s >= 86400 {
        format!("{sign}{}d{}h", s / 86400, (s % 86400) / 3600)
    } else if s >= 3600 {
        format!("{sign}{}h{}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{sign}{}m{}s", s / 60, s % 60)
    } else {
        format!("{sign}{s}s")
    }
}

fn status_word(v: &View) -> &'static str {
    match v.status {
        Status::Fresh => "fresh",
        Status::Stale => "STALE",
        Status::Never => "NEVER MATERIALIZED",
        Status::Unbounded => "no bound",
    }
}

pub fn text(a: &Assessment) -> String {
    let mut s = format!("Feature view freshness at {}\n", rfc3339(a.now));
    for v in &a.views {
        let last = v
            .last_materialized
            .map(|l| {
                format!(
                    "last materialized end {} ({} ago)",
                    rfc3339(l),
                    human(a.now - l)
                )
            })
            .unwrap_or_else(|| "never materialized".into());
        let bound = match v.max_age_seconds {
            Some(b) if Some(b) == v.ttl_seconds => format!("ttl {}", human(b)),
            Some(b) => format!("max age {}", human(b)),
            None => "no ttl; pass --max-age to judge it".into(),
        };
        let _ = writeln!(
            s,
            "  {:<18} {}/{}: {last}; {bound}",
            status_word(v),
            v.project,
            v.name
        );
    }
    if !a.offline_only.is_empty() {
        let _ = writeln!(
            s,
            "  {} offline-only view(s) not checked (online=False): {}",
            a.offline_only.len(),
            a.offline_only.join(", ")
        );
    }
    let stale = a.stale().count();
    let _ = writeln!(
        s,
        "{} online view(s), {stale} stale or never materialized",
        a.views.len()
    );
    s
}

pub fn json(a: &Assessment) -> String {
    let mut v = serde_json::to_value(a).unwrap_or_default();
    v["now_rfc3339"] = serde_json::json!(rfc3339(a.now));
    v["stale"] = serde_json::json!(a.stale().count());
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

fn label_value(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `(metric name, help, value of a view)`; `None` leaves the view's sample out.
type Family = (&'static str, &'static str, fn(&View) -> Option<f64>);

/// Prometheus text exposition format 0.0.4. The `_timestamp` gauge is absent for a view
/// never materialized; `feast_feature_view_stale` is 1 for it.
pub fn prometheus(a: &Assessment) -> String {
    let families: [Family; 5] = [
        (
            "feast_feature_view_last_materialized_timestamp",
            "Unix time of the latest materialization interval end recorded in the registry.",
            |v| v.last_materialized.map(|t| t as f64),
        ),
        (
            "feast_feature_view_materialization_age_seconds",
            "Seconds between the report time and the latest materialization interval end.",
            |v| v.age_seconds.map(|t| t as f64),
        ),
        (
            "feast_feature_view_max_age_seconds",
            "Allowed age: --max-age, else the view's ttl (absent when neither bounds it).",
            |v| v.max_age_seconds.map(|t| t as f64),
        ),
        (
            "feast_feature_view_materialization_intervals",
            "Materialization runs recorded for the view.",
            |v| Some(v.intervals as f64),
        ),
        (
            "feast_feature_view_stale",
            "1 when the view is older than allowed or never materialized, else 0.",
            |v| Some(if v.status.is_stale() { 1.0 } else { 0.0 }),
        ),
    ];
    let mut s = String::new();
    for (name, help, value) in families {
        let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} gauge");
        for v in &a.views {
            if let Some(x) = value(v) {
                let _ = writeln!(
                    s,
                    "{name}{{project=\"{}\",feature_view=\"{}\"}} {x}",
                    label_value(&v.project),
                    label_value(&v.name)
                );
            }
        }
    }
    let _ = writeln!(
        s,
        "# HELP feast_feature_view_freshness_report_timestamp Unix time the report was made.\n\
         # TYPE feast_feature_view_freshness_report_timestamp gauge\n\
         feast_feature_view_freshness_report_timestamp {}",
        a.now
    );
    s
}
