//! The proof of the static reader: for every fixture repo, the model read
//! from the Python files equals the model decoded from the registry the
//! real `feast apply` wrote for the same files, and linting a repo
//! directory gives the same findings as linting its registry.

use std::path::{Path, PathBuf};

use feastops::lint::{CompareOptions, Finding, compare};
use feastops::model::{Registry, ViewKind};
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

fn registry(name: &str) -> Registry {
    sources::load(&SourceSpec::File(
        fixtures().join(format!("registries/{name}.db")),
    ))
    .unwrap()
}

fn static_model(name: &str) -> Registry {
    repo::load_dir(&fixtures().join("repos").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Locations are what only the repo knows. Feast 0.67 stores a stream
/// feature view's features in hash-random order with its join key added
/// (StreamFeatureView.schema is `list(set(...))`), so those are compared
/// as sets of declared features.
fn normalize(mut r: Registry) -> Registry {
    for p in r.projects.values_mut() {
        p.location = None;
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

#[test]
fn static_model_equals_what_feast_apply_registered() {
    let mut checked = 0;
    for name in repos() {
        let want = normalize(registry(&name));
        let got = normalize(static_model(&name));
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
    // `full` and `sources` are whole repos, not variants of `base`.
    for name in repos()
        .into_iter()
        .filter(|n| !["full", "sources", "inferred", "data_checks"].contains(&n.as_str()))
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
