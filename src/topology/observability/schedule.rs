//! The longest gap between two runs of a CronJob schedule, which bounds how old the last
//! successful materialization may be. Follows robfig/cron's standard parser (the CronJob
//! controller's): day of month and day of week are OR-ed when both are restricted.

/// Minutes in the window walked: four years hold every calendar shape (leap day, every
/// weekday on every date), so the longest gap of any valid schedule falls inside it.
const WINDOW_MINUTES: i64 = 4 * 366 * 24 * 60;

fn expand(text: &str, min: u32, max: u32, names: &[&str]) -> Option<Vec<bool>> {
    let mut set = vec![false; (max + 1) as usize];
    let value = |s: &str| -> Option<u32> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Some(i as u32 + min);
        }
        s.parse().ok().filter(|v| (min..=max).contains(v))
    };
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().ok().filter(|n| *n > 0)?),
            None => (part, 1),
        };
        let (lo, hi) = if range == "*" || range == "?" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a)?, value(b)?)
        } else {
            let v = value(range)?;
            // `N/step` runs from N to the end of the field.
            (v, if part.contains('/') { max } else { v })
        };
        let mut v = lo;
        while v <= hi {
            set[v as usize] = true;
            v += step;
        }
    }
    Some(set)
}

/// Longest gap between consecutive runs, in minutes; `None` when the schedule does not
/// parse or never runs in four years (e.g. `0 0 30 2 *`).
pub fn longest_gap_minutes(schedule: &str) -> Option<i64> {
    let expr = match schedule.trim() {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        other => other,
    };
    let f: Vec<&str> = expr.split_whitespace().collect();
    if f.len() != 5 {
        return None;
    }
    const MONTHS: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let minutes = expand(f[0], 0, 59, &[])?;
    let hours = expand(f[1], 0, 23, &[])?;
    let dom = expand(f[2], 1, 31, &[])?;
    let months = expand(f[3], 1, 12, MONTHS)?;
    let mut dow = expand(f[4], 0, 7, DAYS)?;
    if dow[7] {
        dow[0] = true; // 7 is Sunday too
    }
    let dom_star = f[2].starts_with('*') || f[2].starts_with('?');
    let dow_star = f[4].starts_with('*') || f[4].starts_with('?');
    // Walk days from 2024-01-01 (a Monday, in a leap year), in UTC: the slack absorbs
    // the hour a DST change can add in the CronJob's time zone.
    let mut runs: Vec<i64> = Vec::new();
    let (mut year, mut month, mut day, mut weekday) = (2024u32, 1u32, 1u32, 1u32);
    let mut day_index: i64 = 0;
    while day_index * 1440 < WINDOW_MINUTES {
        let d_ok = dom[day as usize];
        let w_ok = dow[weekday as usize];
        let day_ok = if dom_star || dow_star {
            d_ok && w_ok
        } else {
            d_ok || w_ok
        };
        if months[month as usize] && day_ok {
            for (h, _) in hours.iter().enumerate().filter(|(_, on)| **on) {
                for (m, _) in minutes.iter().enumerate().filter(|(_, on)| **on) {
                    runs.push(day_index * 1440 + (h as i64) * 60 + m as i64);
                }
            }
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let len = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        day += 1;
        if day > len {
            day = 1;
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
        weekday = (weekday + 1) % 7;
        day_index += 1;
    }
    runs.windows(2).map(|w| w[1] - w[0]).max()
}

#[cfg(test)]
mod tests {
    use super::longest_gap_minutes as gap;

    #[test]
    fn gaps_of_common_schedules() {
        assert_eq!(gap("0 * * * *"), Some(60));
        assert_eq!(gap("@hourly"), Some(60));
        assert_eq!(gap("*/15 * * * *"), Some(15));
        assert_eq!(gap("0 */6 * * *"), Some(360));
        assert_eq!(gap("30 2 * * *"), Some(1440));
        // Weekdays only: Friday 02:30 to Monday 02:30.
        assert_eq!(gap("30 2 * * 1-5"), Some(3 * 1440));
        assert_eq!(gap("0 0 * * 0"), Some(7 * 1440));
        assert_eq!(gap("@weekly"), Some(7 * 1440));
        // Monthly: the longest is 31 days.
        assert_eq!(gap("0 0 1 * *"), Some(31 * 1440));
        // Both day fields restricted: either matches (1st of month OR Monday).
        assert!(gap("0 0 1 * 1").unwrap() <= 7 * 1440);
        assert_eq!(gap("0 9,17 * * *"), Some(16 * 60));
        assert_eq!(gap("5/20 * * * *"), Some(20));
    }

    #[test]
    fn unparsable_or_never_running_schedules_have_no_gap() {
        assert_eq!(gap("nonsense"), None);
        assert_eq!(gap("0 0 30 2 *"), None);
        assert_eq!(gap("61 * * * *"), None);
    }
}
