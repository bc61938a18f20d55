#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use feastops::lint::{CompareOptions, Finding, Level, compare};
use feastops::model::Registry;
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
