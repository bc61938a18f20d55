//! Inline suppressions: `# feastops: ignore[rule-a, rule-b] reason` on the
//! line of the object in the proposed feature repo.
//!
//! Only lines that matter are read: the lines findings point at, and the
//! lines of every object the proposed schema locates (so a comment that
//! suppresses nothing any more is found and reported). Files are read
//! relative to the feature repo directory; a file that cannot be read
//! simply has no suppressions (registries carry no locations at all).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path};

use crate::lint::{Catalog, Finding, Level, ObjectKind, ObjectRef};
use crate::model::{self, Location};

const MARKER: &str = "feastops:";

/// One parsed comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Rule names or codes, as written.
    pub rules: Vec<String>,
    /// Empty when the author gave none.
    pub reason: String,
}

/// Parses the suppression comment in a line of Python, if any. A `#`
/// inside a string literal could fool this; the marker is specific enough
/// that it does not matter in practice.
pub fn parse_line(line: &str) -> Option<Comment> {
    let mut rest = line;
    while let Some(i) = rest.find('#') {
        let after = rest[i + 1..].trim_start();
        if let Some(body) = after.strip_prefix(MARKER) {
            let body = body.trim_start();
            let body = body.strip_prefix("ignore[")?;
            let end = body.find(']')?;
            let rules = body[..end]
                .split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect();
            let reason = body[end + 1..].trim().to_string();
            return Some(Comment { rules, reason });
        }
        rest = &rest[i + 1..];
    }
    None
}

/// Who owns a line: the object defined there.
type Owner = (String, ObjectRef);

struct Entry {
    file: String,
    line: u32,
    /// Canonical rule name.
    rule: String,
    reason: String,
    used: bool,
}

/// The suppression comments found for one lint run.
pub struct Inline {
    entries: Vec<Entry>,
    /// Comments that can never apply, reported as they are.
    problems: Vec<Finding>,
    owners: HashMap<(String, u32), Owner>,
}

impl Inline {
    /// Reads the comments on the lines `findings` point at and on every
    /// located object of `proposed`, from files under `repo_dir`.
    pub fn collect(
        repo_dir: Option<&Path>,
        proposed: &model::Registry,
        findings: &[Finding],
    ) -> Inline {
        let mut owners = object_lines(proposed);
        for f in findings {
            if let Some(loc) = &f.location {
                owners
                    .entry((loc.file.clone(), loc.line))
                    .or_insert_with(|| (f.project.clone(), f.object.clone()));
            }
        }
        let mut inline = Inline {
            entries: Vec::new(),
            problems: Vec::new(),
            owners,
        };
        let Some(repo_dir) = repo_dir else {
            return inline;
        };
        let mut by_file: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
        for (file, line) in inline.owners.keys() {
            by_file.entry(file.as_str()).or_default().insert(*line);
        }
        let mut found = Vec::new();
        for (file, lines) in by_file {
            let Some(text) = read_repo_file(repo_dir, file) else {
                continue;
            };
            let all: Vec<&str> = text.lines().collect();
            for line in lines {
                let Some(src) = all.get(line as usize - 1).filter(|_| line > 0) else {
                    continue;
                };
                if let Some(c) = parse_line(src) {
                    found.push((file.to_string(), line, c));
                }
            }
        }
        for (file, line, comment) in found {
            inline.add(file, line, comment);
        }
        inline
    }

    fn add(&mut self, file: String, line: u32, comment: Comment) {
        let catalog = Catalog::get();
        let at = format!("{file}:{line}");
        if comment.rules.is_empty() {
            let msg = format!(
                "suppression comment at {at} names no rule; write `# feastops: ignore[rule-name] reason`"
            );
            self.problem(&file, line, msg);
            return;
        }
        for written in &comment.rules {
            let Some(rule) = catalog.find(written) else {
                let hint = crate::suggest::did_you_mean(
                    written,
                    catalog.rules.iter().map(|r| r.name.as_str()),
                )
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| "; `feastops rules` lists them".into());
                let msg =
                    format!("suppression comment at {at} names unknown rule `{written}`{hint}");
                self.problem(&file, line, msg);
                continue;
            };
            if comment.reason.is_empty() {
                let msg = format!(
                    "suppression of `{}` at {at} has no reason, so it is not applied; add why the change is approved after the `]`",
                    rule.name
                );
                self.problem(&file, line, msg);
                continue;
            }
            self.entries.push(Entry {
                file: file.clone(),
                line,
                rule: rule.name.clone(),
                reason: comment.reason.clone(),
                used: false,
            });
        }
    }

    fn problem(&mut self, file: &str, line: u32, message: String) {
        let finding = self.unused_finding(file, line, message);
        self.problems.push(finding);
    }

    fn unused_finding(&self, file: &str, line: u32, message: String) -> Finding {
        let (project, object) = self
            .owners
            .get(&(file.to_string(), line))
            .cloned()
            .unwrap_or_else(|| {
                (
                    String::new(),
                    ObjectRef {
                        kind: ObjectKind::Project,
                        name: String::new(),
                    },
                )
            });
        let mut f = Finding::new(
            super::UNUSED_IGNORE,
            Level::Warning,
            &project,
            object,
            message,
        );
        f.location = Some(Location {
            file: file.to_string(),
            line,
        });
        f
    }

    /// The reason `finding` is suppressed by a comment on its line, if so.
    pub fn suppress(&mut self, finding: &Finding) -> Option<String> {
        let loc = finding.location.as_ref()?;
        let e = self
            .entries
            .iter_mut()
            .find(|e| e.file == loc.file && e.line == loc.line && e.rule == finding.rule)?;
        e.used = true;
        Some(e.reason.clone())
    }

    /// Findings for comments that suppressed nothing or could not apply.
    pub fn into_problems(self) -> Vec<Finding> {
        let mut out = Vec::new();
        for e in self.entries.iter().filter(|e| !e.used) {
            let msg = format!(
                "`# feastops: ignore[{}]` at {}:{} matches no finding; remove it",
                e.rule, e.file, e.line
            );
            out.push(self.unused_finding(&e.file, e.line, msg));
        }
        out.extend(self.problems);
        out
    }
}

/// Reads `file` under `dir`, refusing paths that leave it: locations come
/// from input files, which must not make feastops read elsewhere.
fn read_repo_file(dir: &Path, file: &str) -> Option<String> {
    let rel = Path::new(file);
    if rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    std::fs::read_to_string(dir.join(rel)).ok()
}

/// `(file, line)` of every located object, with the object defined there.
/// Feature lines belong to their view.
fn object_lines(registry: &model::Registry) -> HashMap<(String, u32), Owner> {
    let mut out = HashMap::new();
    for (pname, p) in &registry.projects {
        let mut put = |loc: &Option<Location>, kind: ObjectKind, name: &str| {
            if let Some(l) = loc {
                out.entry((l.file.clone(), l.line)).or_insert_with(|| {
                    (
                        pname.clone(),
                        ObjectRef {
                            kind,
                            name: name.to_string(),
                        },
                    )
                });
            }
        };
        put(&p.location, ObjectKind::Project, pname);
        for e in p.entities.values() {
            put(&e.location, ObjectKind::Entity, &e.name);
        }
        for s in p.data_sources.values() {
            put(&s.location, ObjectKind::DataSource, &s.name);
        }
        for v in p.feature_views.values() {
            let kind = ObjectKind::of_view(v.kind);
            put(&v.location, kind, &v.name);
            for f in v.features.iter().chain(&v.entity_columns) {
                put(&f.location, kind, &v.name);
            }
        }
        for s in p.feature_services.values() {
            put(&s.location, ObjectKind::FeatureService, &s.name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_reason() {
        let c = parse_line(
            "fv = FeatureView(  # feastops: ignore[feature-removed, FO102] v2 replaces v1",
        )
        .unwrap();
        assert_eq!(c.rules, ["feature-removed", "FO102"]);
        assert_eq!(c.reason, "v2 replaces v1");
    }

    #[test]
    fn tolerates_spacing_and_other_comments() {
        let c = parse_line("x = 1  # noqa: E501 #feastops:ignore[ttl-shortened]").unwrap();
        assert_eq!(c.rules, ["ttl-shortened"]);
        assert_eq!(c.reason, "");
    }

    #[test]
    fn ignores_other_comments() {
        assert_eq!(parse_line("x = 1  # feastops rocks"), None);
        assert_eq!(parse_line("x = 1  # feastops: check this"), None);
        assert_eq!(parse_line("x = '#'"), None);
    }

    #[test]
    fn refuses_paths_outside_the_repo() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.py"), "x").unwrap();
        assert_eq!(read_repo_file(dir.path(), "a.py").as_deref(), Some("x"));
        assert_eq!(read_repo_file(dir.path(), "../a.py"), None);
        assert_eq!(read_repo_file(dir.path(), "/etc/hostname"), None);
    }
}
