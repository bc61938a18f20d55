//! The proof of the static reader: for every fixture repo, the model read
//! from the Python files equals the model decoded from the registry the
//! real `feast apply` wrote for the same files, and linting a repo
//! directory gives the same findings as linting its registry.

use std::path::{Path, PathBuf};

mod common;

use feastops::lint::{CompareOptions, Finding, compare};
use feastops::model::Registry;
use feastops::sources::{self, SourceSpec, repo};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feast")
}

fn repos() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("repos"))
        .expect("fixture repos")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 21, "fixture repos missing: {names:?}");
    names
}

/// Repos that pin view versions (`"stats@v0"` refs, `FeatureView(version=)`):
/// the pinned schemas are in the registry's version history only, so their
/// static model is completed at comparison time; tests/view_versions.rs holds
/// each of them to its registry through `compare` (`versions_pin_conflict`
/// is a repo Feast refuses to apply: it has no registry).
const PINNED: &[&str] = &[
    "versions_changed",
    "versions_pinned",
    "versions_repinned",
    "versions_reverted",
    "versions_pin_conflict",
];

/// Fixture repos that are not variants of the base repo.
const STANDALONE: &[&str] = &[
    "versions_changed",
    "versions_pinned",
    "versions_repinned",
    "versions_reverted",
    "versions_pin_conflict",
    "precompute_base",
    "precompute_changed",
    "precompute_retyped",
    "full",
    "evaluated",
    "sources",
    "inferred",
    "data_checks",
    "labels",
    "labels_feature_removed",
    "labels_policy_changed",
];

fn registry(name: &str) -> Registry {
    sources::load(&SourceSpec::File(
        fixtures().join(format!("registries/{name}.db")),
    ))
    .unwrap()
}

/// The repo read as if it were where the fixture generator applied it
/// (`scripts/fixtures/generate.py`, APPLY_ROOT): Feast stores paths built
/// from `__file__` or `os.getcwd()` as absolute paths.
fn static_model(name: &str) -> Registry {
    let mut tree = repo::RepoTree::from_dir(&fixtures().join("repos").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    tree.root = PathBuf::from(format!("/tmp/feastops-fixtures/{name}"));
    repo::parse(&tree).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn static_model_equals_what_feast_apply_registered() {
    let mut checked = 0;
    for name in repos()
        .into_iter()
        .filter(|n| !PINNED.contains(&n.as_str()))
    {
        let want = common::comparable(registry(&name));
        let got = common::comparable(static_model(&name));
        assert_eq!(
            serde_json::to_string_pretty(&got).unwrap(),
            serde_json::to_string_pretty(&want).unwrap(),
            "static model of repo `{name}` differs from its registry"
        );
        checked += 1;
    }
    assert!(checked >= 21);
}

#[test]
fn every_static_object_and_feature_has_a_location() {
    let r = static_model("full");
    let p = &r.projects["ride_sharing"];
    assert!(p.location.is_some());
    for v in p.feature_views.values() {
        let loc = v
            .location
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no location", v.name));
        assert!(loc.line > 0);
        for f in &v.features {
            assert!(
                f.location.is_some(),
                "{}.{} has no location",
                v.name,
                f.name
            );
        }
    }
    assert!(p.entities.values().all(|e| e.location.is_some()));
    assert!(p.data_sources.values().all(|s| s.location.is_some()));
    assert!(p.feature_services.values().all(|s| s.location.is_some()));
    let driver = &p.entities["driver"];
    assert_eq!(driver.location.as_ref().unwrap().file, "common.py");
    let every = &p.feature_views["every_type"];
    let f = every.feature("f_bool").unwrap().location.clone().unwrap();
    assert_eq!((f.file.as_str(), f.line), ("features.py", 73));
}

fn strip(mut f: Vec<Finding>) -> Vec<Finding> {
    f.iter_mut().for_each(|f| f.location = None);
    f
}

#[test]
fn linting_a_repo_dir_matches_linting_its_registry() {
    let base = registry("base");
    let opts = CompareOptions::default();
    let mut with_findings = 0;
    // Variants of the base repo only: the standalone repos are other projects.
    for name in repos()
        .into_iter()
        .filter(|n| !STANDALONE.contains(&n.as_str()))
    {
        let via_registry = compare(&base, &registry(&name), &opts).unwrap();
        let via_repo = compare(&base, &static_model(&name), &opts).unwrap();
        assert_eq!(
            strip(via_repo.clone()),
            strip(via_registry),
            "findings differ for `{name}`"
        );
        if !via_repo.is_empty() {
            with_findings += 1;
            // Findings about the proposed side point at the repo's lines.
            let located = via_repo.iter().filter(|f| f.location.is_some()).count();
            assert!(
                name == "view_removed"
                    || name == "department_removed"
                    || name == "service_removed"
                    || located > 0
                    || name == "dangling",
                "`{name}`: no finding carries a location"
            );
        }
    }
    assert!(
        with_findings >= 15,
        "only {with_findings} variants produced findings"
    );
}

/// What real feast stored for the `evaluated` fixture, spelled out: paths
/// built from `__file__`/`os.getcwd()` are absolute, a relative literal
/// stays relative, and environment defaults are reported as info notes.
#[test]
fn evaluated_repo_keeps_absolute_paths_and_notes_environment_defaults() {
    let want = registry("evaluated");
    let p = &want.projects["evaluated"];
    let root = "/tmp/feastops-fixtures/evaluated";
    assert_eq!(
        p.data_sources["hourly_source"].path.as_deref(),
        Some(format!("{root}/data/driver_hourly.parquet").as_str())
    );
    assert!(
        p.data_sources
            .contains_key(&format!("{root}/data/legacy.parquet")),
        "an unnamed FileSource is named after its absolute path"
    );
    assert_eq!(
        p.data_sources["stats_2"].path.as_deref(),
        Some("data/stats_v002.parquet")
    );
    for view in ["by_function", "by_lambda", "streamed"] {
        assert!(
            p.feature_views[view].transformation.is_none(),
            "{view}: udf= without udf_string= stores no body text"
        );
    }
    let notes: Vec<String> = static_model("evaluated")
        .notes
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].starts_with("common.py:11: environment variable `FEASTOPS_FIXTURE_DATA_DIR`"),
        "{notes:?}"
    );
}
