//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding, shown on the changed line of the pull request.
//!
//! GitHub shows at most 10 annotations per level per step, so findings are
//! emitted most severe first, at most 10 per level, and one `::notice`
//! says how many were left out (the job summary has them all).

use std::fmt::Write;

use crate::lint::{Finding, Level};

/// Annotations GitHub shows per level per step.
pub const PER_LEVEL: usize = 10;

pub fn render(findings: &[Finding]) -> String {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    // Stable: keeps the report order within a level.
    sorted.sort_by_key(|f| std::cmp::Reverse(f.level));
    let count = |l: Level| findings.iter().filter(|f| f.level == l).count();
    let left_out = |l: Level| count(l).saturating_sub(PER_LEVEL);
    let hidden = [Level::Error, Level::Warning, Level::Info].map(left_out);
    let any_hidden = hidden.iter().any(|&n| n > 0);
    let mut out = String::new();
    let mut shown = [0usize; 3];
    for f in sorted {
        let slot = match f.level {
            Level::Error => 0,
            Level::Warning => 1,
            Level::Info => 2,
        };
        // The "more" notice itself is a notice: keep room for it.
        let cap = if slot == 2 && any_hidden {
            PER_LEVEL - 1
        } else {
            PER_LEVEL
        };
        if shown[slot] >= cap {
            continue;
        }
        shown[slot] += 1;
        out.push_str(&annotation(f));
    }
    let total_hidden: usize = [Level::Error, Level::Warning, Level::Info]
        .iter()
        .map(|&l| count(l))
        .sum::<usize>()
        - shown.iter().sum::<usize>();
    if total_hidden > 0 {
        let hidden_info = count(Level::Info) - shown[2];
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            escape_property("feastops: more findings"),
            escape_data(&format!(
                "{total_hidden} more finding(s) not annotated ({} error, {} warning, {hidden_info} info): GitHub shows at most {PER_LEVEL} annotations per level; see the job summary for all findings",
                hidden[0], hidden[1]
            ))
        );
    }
    out
}

fn annotation(f: &Finding) -> String {
    let command = match f.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    };
    let mut props = Vec::new();
    if let Some(l) = &f.location {
        props.push(format!("file={}", escape_property(&l.file)));
        props.push(format!("line={}", l.line));
    }
    let title = format!("{} {} ({})", f.code(), f.rule, f.object);
    props.push(format!("title={}", escape_property(&title)));
    let mut message = f.message.clone();
    if let Some(h) = &f.hint {
        message.push_str("\nhint: ");
        message.push_str(h);
    }
    format!(
        "::{command} {}::{}\n",
        props.join(","),
        escape_data(&message)
    )
}

/// Escaping for a command's message (GitHub's `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a command's property values (GitHub's `escapeProperty`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
