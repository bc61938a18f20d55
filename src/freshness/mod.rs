//! `feastops freshness`: how old each online feature view's materialized data is, from
//! the materialization intervals Feast records in the registry (`FeatureViewMeta`), judged
//! against the view's ttl or a `--max-age`.

pub mod report;

use std::collections::BTreeMap;

use crate::sources::proto;

/// How a view's age compares with what it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Materialized within its allowed age.
    Fresh,
    /// Last materialized end older than allowed.
    Stale,
    /// Online, never materialized: it serves nothing.
    Never,
    /// Materialized, but no ttl (0 = forever) and no `--max-age`: no bound to judge by.
    Unbounded,
}

impl Status {
    pub fn is_stale(self) -> bool {
        matches!(self, Status::Stale | Status::Never)
    }
}

/// One online feature view.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct View {
    pub project: String,
    pub name: String,
    /// `feature_view` or `stream_feature_view`.
    pub kind: &'static str,
    /// The view's ttl in seconds (`None` when 0, which Feast reads as forever).
    pub ttl_seconds: Option<i64>,
    /// Unix seconds of the latest materialized interval end.
    pub last_materialized: Option<i64>,
    /// `now - last_materialized`.
    pub age_seconds: Option<i64>,
    /// The bound applied: `--max-age`, else the ttl.
    pub max_age_seconds: Option<i64>,
    /// Materialization runs recorded.
    pub intervals: usize,
    pub status: Status,
}

/// The whole assessment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Assessment {
    /// Unix seconds the ages are measured at.
    pub now: i64,
    pub views: Vec<View>,
    /// Offline-only views (`online=False`), never materialized by design.
    pub offline_only: Vec<String>,
}

impl Assessment {
    pub fn stale(&self) -> impl Iterator<Item = &View> {
        self.views.iter().filter(|v| v.status.is_stale())
    }
}

fn latest_end(meta: Option<&proto::FeatureViewMeta>) -> (Option<i64>, usize) {
    let Some(m) = meta else { return (None, 0) };
    let end = m
        .materialization_intervals
        .iter()
        .filter_map(|i| i.end_time.as_ref().map(|t| t.seconds))
        .max();
    (end, m.materialization_intervals.len())
}

/// Judge every online view of `registry` (only `project`'s when given) at `now`.
pub fn assess(
    registry: &proto::Registry,
    now: i64,
    max_age: Option<i64>,
    project: Option<&str>,
) -> Assessment {
    // (project, name) → view; BTreeMap keeps the report ordered.
    let mut views: BTreeMap<(String, String), View> = BTreeMap::new();
    let mut offline_only = Vec::new();
    let wanted = |p: &str| project.is_none_or(|want| want == p);
    let mut add = |project: &str,
                   name: &str,
                   kind: &'static str,
                   online: bool,
                   ttl: Option<&proto::Duration>,
                   meta: Option<&proto::FeatureViewMeta>| {
        if !wanted(project) {
            return;
        }
        if !online {
            offline_only.push(format!("{project}/{name}"));
            return;
        }
        let ttl_seconds = ttl.map(|d| d.seconds).filter(|s| *s > 0);
        let (last, intervals) = latest_end(meta);
        let bound = max_age.or(ttl_seconds);
        let age = last.map(|l| now - l);
        let status = match (age, bound) {
            (None, _) => Status::Never,
            (Some(a), Some(b)) if a > b => Status::Stale,
            (Some(_), Some(_)) => Status::Fresh,
            (Some(_), None) => Status::Unbounded,
        };
        views.insert(
            (project.to_string(), name.to_string()),
            View {
                project: project.to_string(),
                name: name.to_string(),
                kind,
                ttl_seconds,
                last_materialized: last,
                age_seconds: age,
                max_age_seconds: bound,
                intervals,
                status,
            },
        );
    };
    for fv in &registry.feature_views {
        if let Some(s) = &fv.spec {
            add(
                &s.project,
                &s.name,
                "feature_view",
                s.online,
                s.ttl.as_ref(),
                fv.meta.as_ref(),
            );
        }
    }
    for fv in &registry.stream_feature_views {
        if let Some(s) = &fv.spec {
            add(
                &s.project,
                &s.name,
                "stream_feature_view",
                s.online,
                s.ttl.as_ref(),
                fv.meta.as_ref(),
            );
        }
    }
    offline_only.sort();
    Assessment {
        now,
        views: views.into_values().collect(),
        offline_only,
    }
}

/// `90`, `90s`, `15m`, `2h`, `1d`, `1w` as seconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (num, unit) = t
        .find(|c: char| !c.is_ascii_digit())
        .map(|i| t.split_at(i))
        .unwrap_or((t, "s"));
    let n: i64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: use e.g. 90m, 2h, 1d"))?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        "w" => 7 * 86400,
        _ => return Err(format!("`{text}`: unknown unit `{unit}` (s, m, h, d, w)")),
    };
    if n <= 0 {
        return Err(format!("`{text}`: the age must be positive"));
    }
    n.checked_mul(mult)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("15m"), Ok(900));
        assert_eq!(parse_duration("2h"), Ok(7200));
        assert_eq!(parse_duration("1d"), Ok(86400));
        assert!(parse_duration("0h").is_err());
        assert!(parse_duration("2y").is_err());
        assert!(parse_duration("h").is_err());
    }
}
