//! `--format junit`: JUnit XML for CI test-report viewers. One test suite
//! per project, one test case per rule per object; the case fails when one
//! of its findings is at or above `--fail-on`.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::context::Context;
use crate::lint::{Finding, ObjectRef};

pub fn render(findings: &[Finding], ctx: &Context) -> String {
    // project → (object, rule) → findings, in report order.
    let mut suites: BTreeMap<&str, BTreeMap<(&ObjectRef, &str), Vec<&Finding>>> = BTreeMap::new();
    for f in findings {
        suites
            .entry(f.project.as_str())
            .or_default()
            .entry((&f.object, f.rule))
            .or_default()
            .push(f);
    }
    let total_cases: usize = suites.values().map(|s| s.len()).sum();
    let failing = |fs: &[&Finding]| fs.iter().any(|f| ctx.fails_at(f.level));
    let total_failures: usize = suites
        .values()
        .flat_map(|s| s.values())
        .filter(|fs| failing(fs))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if suites.is_empty() {
        let _ = writeln!(
            out,
            "<testsuites name=\"feastops\" tests=\"1\" failures=\"0\" errors=\"0\">\n  <testsuite name=\"feastops\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n    <testcase classname=\"feastops\" name=\"lint\"/>\n  </testsuite>\n</testsuites>"
        );
        return out;
    }
    let _ = writeln!(
        out,
        "<testsuites name=\"feastops\" tests=\"{total_cases}\" failures=\"{total_failures}\" errors=\"0\">"
    );
    for (project, cases) in &suites {
        let failures = cases.values().filter(|fs| failing(fs)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
            attr(&format!("feastops.{project}")),
            cases.len()
        );
        for ((object, rule), fs) in cases {
            let classname = format!("{project}.{}.{}", object.kind.as_str(), object.name);
            let body = details(fs);
            if failing(fs) {
                let worst = fs.iter().map(|f| f.level).max().expect("non-empty");
                let _ = writeln!(
                    out,
                    "    <testcase classname=\"{}\" name=\"{}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                    attr(&classname),
                    attr(rule),
                    attr(&format!("{} {worst}", fs[0].code())),
                    attr(&fs[0].message),
                    text(&body)
                );
            } else {
                let _ = writeln!(
                    out,
                    "    <testcase classname=\"{}\" name=\"{}\">\n      <system-out>{}</system-out>\n    </testcase>",
                    attr(&classname),
                    attr(rule),
                    text(&body)
                );
            }
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    let _ = writeln!(out, "</testsuites>");
    out
}

fn details(fs: &[&Finding]) -> String {
    fs.iter()
        .map(|f| {
            let mut s = format!("{}[{} {}] {}", f.level, f.code(), f.rule, f.message);
            if let Some(l) = &f.location {
                s.push_str(&format!(" ({}:{})", l.file, l.line));
            }
            if let Some(h) = &f.hint {
                s.push_str(&format!("\nhint: {h}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Characters XML 1.0 cannot carry at all are dropped.
fn clean(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|&c| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    })
}

fn text(s: &str) -> String {
    let mut out = String::new();
    for c in clean(s) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn attr(s: &str) -> String {
    let mut out = String::new();
    for c in clean(s) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(attr("a\"<b>&\n\u{1}"), "a&quot;&lt;b&gt;&amp;&#10;");
        assert_eq!(text("x < y\u{0}"), "x &lt; y");
    }
}
