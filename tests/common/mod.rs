#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use feastops::lint::{CompareOptions, Finding, Level, compare};
use feastops::model::{Registry, ViewKind};
use feastops::sources::{SourceSpec, load};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feast/registries")
        .join(format!("{name}.db"))
}

pub fn registry(name: &str) -> Registry {
    load(&SourceSpec::File(fixture(name))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn lint(old: &str, new: &str) -> Vec<Finding> {
    compare(&registry(old), &registry(new), &CompareOptions::default()).unwrap()
}

/// `(rule, level)` pairs, the shape the fixture expectations are written in.
pub fn rule_set(findings: &[Finding]) -> BTreeSet<(String, Level)> {
    findings
        .iter()
        .map(|f| (f.rule.to_string(), f.level))
        .collect()
}

pub fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("feastops").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Drops what only one kind of source knows before two models are
/// compared: locations (only a repo has them), and the order of a stream
/// view's features (Feast 0.67 stores them hash-ordered with the join key
/// added, `StreamFeatureView.schema` being `list(set(...))`), which are
/// compared as sets of declared features; and the view version history,
/// which only a registry records (Feast 0.67 writes a v0 for every view it
/// applies).
pub fn comparable(mut r: Registry) -> Registry {
    for p in r.projects.values_mut() {
        p.location = None;
        p.view_versions.clear();
        for e in p.entities.values_mut() {
            e.location = None;
        }
        for s in p.data_sources.values_mut() {
            s.location = None;
            s.schema.iter_mut().for_each(|f| f.location = None);
        }
        for v in p.feature_views.values_mut() {
            v.location = None;
            v.features.iter_mut().for_each(|f| f.location = None);
            v.entity_columns.iter_mut().for_each(|f| f.location = None);
            if v.kind == ViewKind::StreamFeatureView {
                let keys: Vec<String> = v.entity_columns.iter().map(|c| c.name.clone()).collect();
                v.features.retain(|f| !keys.contains(&f.name));
                v.features.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
        for s in p.feature_services.values_mut() {
            s.location = None;
        }
    }
    r
}
