//! A shorter ttl makes rows expire sooner: lookups that hit today return null.

use crate::lint::{Finding, Level, ProjectPair};

pub const NAME: &str = "ttl-shortened";

fn show(ttl: Option<u64>) -> String {
    match ttl {
        None => "no expiry".into(),
        Some(s) if s % 86_400 == 0 => format!("{}d", s / 86_400),
        Some(s) if s % 3_600 == 0 => format!("{}h", s / 3_600),
        Some(s) if s % 60 == 0 => format!("{}m", s / 60),
        Some(s) => format!("{s}s"),
    }
}

pub fn check(pair: &ProjectPair, out: &mut Vec<Finding>) {
    for v in &pair.views {
        let shorter = match (v.old.ttl_seconds, v.new.ttl_seconds) {
            (None, Some(_)) => true,
            (Some(o), Some(n)) => n < o,
            _ => false,
        };
        if shorter {
            out.push(
                Finding::new(
                    NAME,
                    Level::Warning,
                    pair.name,
                    super::view_ref(v.new),
                    format!(
                        "ttl of {} `{}` shortened from {} to {}",
                        v.new.kind.label(),
                        v.new.name,
                        show(v.old.ttl_seconds),
                        show(v.new.ttl_seconds)
                    ),
                )
                .at(v.new.location.as_ref()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_naturally() {
        assert_eq!(super::show(Some(7 * 86_400)), "7d");
        assert_eq!(super::show(Some(7_200)), "2h");
        assert_eq!(super::show(Some(90)), "90s");
        assert_eq!(super::show(None), "no expiry");
    }
}
