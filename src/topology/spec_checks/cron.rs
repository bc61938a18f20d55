//! CronJob `schedule` and `timeZone` as the Kubernetes API server accepts them: the
//! standard five-field cron syntax (robfig/cron's standard parser, which the CronJob
//! controller uses) or one of its `@` macros; an IANA time zone name.

use std::str::FromStr;

const MACROS: &[&str] = &[
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        name: "day of month",
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
    },
    Field {
        name: "day of week",
        min: 0,
        max: 6,
        names: DAYS,
    },
];

fn value(f: &Field, s: &str) -> Result<u32, String> {
    if let Some(i) = f.names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        return Ok(i as u32 + f.min);
    }
    let v: u32 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number in the {} field", f.name))?;
    if v < f.min || v > f.max {
        return Err(format!(
            "{v} is outside {}–{} in the {} field",
            f.min, f.max, f.name
        ));
    }
    Ok(v)
}

fn field(f: &Field, text: &str) -> Result<(), String> {
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (part, None),
        };
        if let Some(st) = step {
            let n: u32 = st
                .parse()
                .map_err(|_| format!("step `{st}` is not a number in the {} field", f.name))?;
            if n == 0 {
                return Err(format!("step 0 in the {} field", f.name));
            }
        }
        if range == "*" || range == "?" {
            continue;
        }
        match range.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (value(f, a)?, value(f, b)?);
                if a > b {
                    return Err(format!(
                        "range {a}-{b} runs backwards in the {} field",
                        f.name
                    ));
                }
            }
            None => {
                value(f, range)?;
            }
        }
    }
    Ok(())
}

pub fn check_schedule(s: &str) -> Result<(), String> {
    let t = s.trim();
    if t.contains("TZ=") {
        return Err(
            "the schedule may not carry TZ= or CRON_TZ=: set materialization.timeZone".into(),
        );
    }
    if t.starts_with('@') {
        return if MACROS.contains(&t) {
            Ok(())
        } else {
            Err(format!(
                "`{t}` is not a cron macro (one of {})",
                MACROS.join(", ")
            ))
        };
    }
    let parts: Vec<&str> = t.split_whitespace().collect();
    if parts.len() != 5 {
        return Err(format!(
            "`{s}` is not a cron schedule: five fields (minute hour day-of-month month day-of-week), e.g. `0 * * * *`"
        ));
    }
    for (f, p) in FIELDS.iter().zip(parts) {
        field(f, p).map_err(|e| format!("`{s}`: {e}"))?;
    }
    Ok(())
}

/// An IANA time zone name (the API server loads it from its tz database; `Local` is refused).
pub fn check_time_zone(tz: &str) -> Result<(), String> {
    if tz == "Local" || chrono_tz::Tz::from_str(tz).is_err() {
        return Err(format!(
            "`{tz}` is not an IANA time zone name (e.g. Etc/UTC, Europe/Paris)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        for ok in [
            "0 * * * *",
            "*/15 2-4 1,15 jan-mar mon-fri",
            "@hourly",
            "0 0 * * 0",
        ] {
            assert!(check_schedule(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("every hour", "five fields"),
            ("60 * * * *", "outside 0–59"),
            ("0 * * * 7", "outside 0–6"),
            ("*/0 * * * *", "step 0"),
            ("@every 1h", "not a cron macro"),
            ("CRON_TZ=UTC 0 * * * *", "TZ="),
            ("5-1 * * * *", "backwards"),
        ] {
            let e = check_schedule(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn time_zones() {
        assert!(check_time_zone("Etc/UTC").is_ok());
        assert!(check_time_zone("Europe/Paris").is_ok());
        assert!(check_time_zone("Mars/Olympus").is_err());
        assert!(check_time_zone("Local").is_err());
    }
}
