//! Shared helpers for the CI-format tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use feastops::lint::{CompareOptions, Finding, compare};
use feastops::model::Registry;
use feastops::policy::{Inputs, Outcome, Policy};
use feastops::report::{Context, FailOn};
use feastops::sources::{self, SourceSpec};

pub const VARIANTS: &[&str] = &[
    "feature_removed",
    "feature_reordered",
    "feature_renamed",
    "dtype_promoted",
    "dtype_changed",
    "feature_inserted",
    "feature_appended",
    "feature_appended_safe",
    "view_removed",
    "department_removed",
    "service_removed",
    "entity_join_key_changed",
    "entity_value_type_changed",
    "view_entities_changed",
    "ttl_shortened",
    "online_disabled",
    "batch_source_changed",
    "transformation_changed",
    "metadata_only",
    "dangling",
    "view_disabled",
];

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn registry_path(variant: &str) -> PathBuf {
    root().join(format!("tests/fixtures/feast/registries/{variant}.db"))
}

pub fn load(path: &Path) -> Registry {
    sources::load(&SourceSpec::File(path.to_path_buf())).expect("fixture loads")
}

pub fn registry(variant: &str) -> Registry {
    load(&registry_path(variant))
}

/// Compares two registries under the default policy.
pub fn lint(old: &Registry, new: &Registry) -> Outcome {
    let findings: Vec<Finding> = compare(old, new, &CompareOptions::default()).expect("compares");
    Policy::default().apply(
        findings,
        &Inputs {
            repo_dir: None,
            display_prefix: "",
            proposed: new,
        },
    )
}

/// Pairs every variant with its baseline: `base`, or `multi` for the
/// single-project registry cut from it.
pub fn pairs() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = VARIANTS.iter().map(|n| ("base", *n)).collect();
    v.push(("multi", "single_of_multi"));
    v
}

pub fn context<'a>(outcome: &'a Outcome, fallback: Option<&'a str>) -> Context<'a> {
    Context {
        fail_on: FailOn::Error,
        mode: "serving",
        suppressed: &outcome.suppressed,
        tool_version: "0.0.0-test",
        fallback_artifact: fallback,
    }
}
