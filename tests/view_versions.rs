//! Feast 0.62+ view version history and services pinned to a version, on
//! registries the real feast 0.67 wrote (scripts/fixtures/versions_repo):
//! a pinned service serves the recorded version, so a change to the latest
//! view does not touch its vector, and a re-pin is judged like any other
//! vector change.

mod common;

use std::path::Path;

use common::*;
use feastops::lint::{CompareOptions, compare};
use feastops::model::DType;
use feastops::sources::{SourceSpec, load, lockfile};

/// A fixture repo read statically (its `"stats@vN"` refs included).
fn repo(name: &str) -> feastops::model::Registry {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feast/repos")
        .join(name);
    load(&SourceSpec::Repo(dir)).unwrap()
}

fn vector(r: &feastops::model::Registry, service: &str) -> Vec<String> {
    r.projects["versions"].feature_services[service]
        .vector
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn the_history_is_decoded_and_a_pinned_service_serves_its_version() {
    let r = registry("versions_changed");
    let history: Vec<(i32, Vec<String>)> = r.projects["versions"].view_versions["stats"]
        .iter()
        .map(|v| {
            (
                v.number,
                v.features
                    .iter()
                    .map(|f| format!("{} {}", f.name, f.dtype))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            (0, vec!["a Int64".to_string(), "b Float32".into()]),
            (
                1,
                vec!["a Int64".into(), "b Float32".into(), "c String".into()]
            ),
            (
                2,
                vec!["a Int64".into(), "b Float64".into(), "c String".into()]
            ),
        ]
    );
    // The latest `stats` has b: Float64; the service pinned to v0 serves Float32.
    assert_eq!(
        vector(&r, "svc_pinned"),
        ["stats@v0:a Int64", "stats@v0:b Float32"]
    );
    assert_eq!(
        vector(&r, "svc_latest"),
        ["stats:a Int64", "stats:b Float64", "stats:c String"]
    );
}

#[test]
fn a_change_to_the_latest_view_leaves_a_pinned_service_alone() {
    let findings = lint("versions_pinned", "versions_changed");
    let on = |service: &str| {
        findings
            .iter()
            .filter(|f| f.object.name == service)
            .map(|f| f.rule)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        on("svc_pinned"),
        ["pinned-service-unaffected"],
        "{findings:#?}"
    );
    let info = findings
        .iter()
        .find(|f| f.object.name == "svc_pinned")
        .unwrap();
    assert_eq!(info.level, feastops::lint::Level::Info);
    assert!(info.message.contains("`stats@v0`"), "{}", info.message);
    assert_eq!(on("svc_latest"), ["feature-service-vector-changed"]);
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "feature-dtype-changed" && f.object.name == "stats")
    );
}

#[test]
fn a_re_pin_changes_the_vector_and_is_judged() {
    let findings = lint("versions_changed", "versions_repinned");
    let pinned: Vec<_> = findings
        .iter()
        .filter(|f| f.object.name == "svc_pinned")
        .collect();
    assert_eq!(pinned.len(), 1, "{findings:#?}");
    assert_eq!(pinned[0].rule, "feature-service-vector-changed");
    assert!(
        pinned[0].message.contains("widened"),
        "{}",
        pinned[0].message
    );
}

#[test]
fn a_lock_file_keeps_the_history_and_one_without_it_takes_the_registrys() {
    let reg = registry("versions_changed");
    let bytes = lockfile::to_bytes(&reg);
    let lock = lockfile::parse(Path::new("x.lock.json"), &bytes).unwrap();
    assert_eq!(
        lock.projects["versions"].view_versions,
        reg.projects["versions"].view_versions
    );
    assert_eq!(vector(&lock, "svc_pinned"), vector(&reg, "svc_pinned"));
    assert!(
        compare(&lock, &reg, &CompareOptions::default())
            .unwrap()
            .is_empty()
    );

    // A lock written before version history was kept: the pin resolves to
    // nothing on its side, until the comparison takes the registry's records.
    let mut old: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    old["projects"]["versions"]
        .as_object_mut()
        .unwrap()
        .remove("view_versions");
    let old =
        lockfile::parse(Path::new("x.lock.json"), &serde_json::to_vec(&old).unwrap()).unwrap();
    let dtypes: Vec<Option<DType>> = old.projects["versions"].feature_services["svc_pinned"]
        .vector
        .iter()
        .map(|e| e.dtype.clone())
        .collect();
    assert_eq!(dtypes, [None, None], "never the latest view's types");
    let findings = compare(&old, &reg, &CompareOptions::default()).unwrap();
    assert!(findings.is_empty(), "{findings:#?}");
}

/// The static reader reads `"stats@vN"` refs; compared with the registry
/// feast wrote for the same repo, the pinned features come from its history
/// and nothing differs.
#[test]
fn a_repo_with_pinned_refs_equals_its_registry_under_compare() {
    for name in ["versions_pinned", "versions_changed", "versions_repinned"] {
        let findings = compare(&registry(name), &repo(name), &CompareOptions::default()).unwrap();
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
}

/// A pull request that changes `stats` and re-pins the service to the
/// version this apply records (`stats@v2` over a registry with v0 and v1):
/// Feast saves the changed view as v2 before resolving the ref, so the
/// service serves the proposed `stats`: a vector change, not a missing one.
#[test]
fn a_re_pin_to_the_version_the_change_creates_serves_the_proposed_view() {
    let findings = compare(
        &registry("versions_pinned"),
        &repo("versions_repinned"),
        &CompareOptions::default(),
    )
    .unwrap();
    let pinned: Vec<_> = findings
        .iter()
        .filter(|f| f.object.name == "svc_pinned")
        .collect();
    assert_eq!(pinned.len(), 1, "{findings:#?}");
    assert_eq!(pinned[0].rule, "feature-service-vector-changed");
    assert_eq!(pinned[0].level, feastops::lint::Level::Warning);
    let vector = pinned[0].vector.as_ref().expect("vector shown");
    let after: Vec<String> = vector.after.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        after,
        [
            "stats@v2:a Int64",
            "stats@v2:b Float64",
            "stats@v2:c String"
        ]
    );
}

/// A pinned service is judged against its version: a feature removed from
/// the latest view but recorded in the pinned version is still served.
#[test]
fn a_feature_dropped_from_the_latest_view_still_serves_a_pinned_service() {
    let old = registry("versions_changed");
    let mut new = old.clone();
    let p = new.projects.get_mut("versions").unwrap();
    p.feature_views
        .get_mut("stats")
        .unwrap()
        .features
        .retain(|f| f.name != "b");
    p.feature_services
        .get_mut("svc_latest")
        .unwrap()
        .projections[0]
        .features
        .retain(|f| f != "b");
    feastops::sources::from_proto::finish(&mut new);
    let findings = compare(&old, &new, &CompareOptions::default()).unwrap();
    assert!(
        !findings
            .iter()
            .any(|f| f.object.name == "svc_pinned" && f.rule == "dangling-reference"),
        "{findings:#?}"
    );
    assert!(
        findings.iter().any(|f| f.rule == "feature-removed"),
        "{findings:#?}"
    );
}

/// Two repos (a pull request against its git base) have no version
/// history: a pinned ref cannot be read, and the lint says so once instead
/// of judging the latest view or staying silent.
#[test]
fn without_history_on_either_side_a_pin_is_a_warning_not_a_guess() {
    let r = repo("versions_changed");
    let findings = compare(&r, &r, &CompareOptions::default()).unwrap();
    let got: Vec<_> = findings
        .iter()
        .map(|f| (f.rule, f.level, f.object.name.as_str()))
        .collect();
    assert_eq!(
        got,
        [(
            "dangling-reference",
            feastops::lint::Level::Warning,
            "svc_pinned"
        )],
        "{findings:#?}"
    );
    assert!(
        findings[0].message.contains("`stats@v0`"),
        "{}",
        findings[0].message
    );
}

/// (rule, level, object) of each finding.
fn verdicts(
    findings: &[feastops::lint::Finding],
) -> std::collections::BTreeSet<(String, String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                format!("{:?}", f.level),
                f.object.name.clone(),
            )
        })
        .collect()
}

#[test]
fn a_view_pinned_to_a_recorded_version_is_judged_as_the_version_feast_restores() {
    // The real feast restored v0 (a Int64, b Float32) although the definition lists v2's fields.
    let reverted = registry("versions_reverted");
    let stats = &reverted.projects["versions"].feature_views["stats"];
    let fields: Vec<String> = stats
        .features
        .iter()
        .map(|f| format!("{} {}", f.name, f.dtype))
        .collect();
    assert_eq!(fields, ["a Int64", "b Float32"]);
    assert_eq!(stats.version_pin, Some(0));

    let from_registry = lint("versions_repinned", "versions_reverted");
    let repo_side = compare(
        &registry("versions_repinned"),
        &repo("versions_reverted"),
        &CompareOptions::default(),
    )
    .unwrap();
    assert_eq!(
        verdicts(&repo_side),
        verdicts(&from_registry),
        "{repo_side:#?}"
    );
    let info = repo_side
        .iter()
        .find(|f| f.rule == "view-version-pinned")
        .expect("FO209");
    assert_eq!(info.level, feastops::lint::Level::Info);
    assert!(
        info.message.contains("restores that recorded version"),
        "{}",
        info.message
    );
    for rule in ["feature-removed", "feature-dtype-changed"] {
        assert!(
            repo_side
                .iter()
                .any(|f| f.rule == rule && f.object.name == "stats"),
            "{rule}"
        );
    }
}

#[test]
fn a_pin_beside_a_changed_definition_is_the_error_feast_raises() {
    // scripts/fixtures/generate.py checked that feast refuses this repo (FeatureViewPinConflict).
    let found = compare(
        &registry("versions_repinned"),
        &repo("versions_pin_conflict"),
        &CompareOptions::default(),
    )
    .unwrap();
    let pin: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "view-version-pinned")
        .collect();
    assert_eq!(pin.len(), 1, "{found:#?}");
    assert_eq!(pin[0].level, feastops::lint::Level::Error);
    assert!(pin[0].message.contains("FeatureViewPinConflict"));
    // Without the registry's history the pin is a forward declaration: nothing to restore or refuse.
    let alone = compare(
        &repo("versions_pin_conflict"),
        &repo("versions_pin_conflict"),
        &CompareOptions::default(),
    )
    .unwrap();
    assert!(
        !alone.iter().any(|f| f.rule == "view-version-pinned"),
        "{alone:#?}"
    );
}

#[test]
fn version_strings_are_read_as_feast_parses_them() {
    use feastops::model::parse_version_pin;
    assert_eq!(parse_version_pin("latest"), Ok(None));
    assert_eq!(parse_version_pin(""), Ok(None));
    assert_eq!(parse_version_pin("V3"), Ok(Some(3)));
    assert_eq!(parse_version_pin("version12"), Ok(Some(12)));
    assert!(parse_version_pin("v").is_err());
    assert!(
        parse_version_pin("v-1")
            .unwrap_err()
            .contains("not a Feast version")
    );
    assert!(parse_version_pin("2").is_err());
}

#[test]
fn a_breaking_change_to_an_unpinned_service_names_the_version_to_pin() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feast/repos/versions_repinned");
    for f in ["features.py", "feature_store.yaml"] {
        let text = std::fs::read_to_string(src.join(f)).unwrap();
        let text = text.replace("        Field(name=\"c\", dtype=String),\n", "");
        std::fs::write(dir.path().join(f), text).unwrap();
    }
    let proposed = load(&SourceSpec::Repo(dir.path().to_path_buf())).unwrap();
    let found = compare(
        &registry("versions_repinned"),
        &proposed,
        &CompareOptions::default(),
    )
    .unwrap();
    let changed = found
        .iter()
        .find(|f| f.rule == "feature-service-vector-changed" && f.object.name == "svc_latest")
        .expect("svc_latest loses `c`");
    let hint = changed.hint.as_deref().unwrap_or_default();
    // v2 is the recorded version with the schema svc_latest was serving.
    assert!(
        hint.contains("pin what they were trained on (`\"stats@v2\"`"),
        "{hint}"
    );
    assert!(
        hint.contains("or publish a new service (e.g. `svc_latest_v2`)"),
        "{hint}"
    );
}

/// `feast apply --no-promote` (Feast 0.67) of step C over B's registry: the real feast
/// recorded `stats@v2` and kept v1 active. Linting the repo with `--no-promote` gives the
/// verdicts of that registry (nothing breaks) plus the info line; without it, the same
/// repo is the breaking change a plain apply makes.
#[test]
fn no_promote_judges_the_registry_feast_apply_no_promote_writes() {
    let written = registry("versions_no_promote");
    let p = &written.projects["versions"];
    assert_eq!(
        p.feature_views["stats"].features[1].dtype,
        DType::Float32,
        "v1 stayed active"
    );
    assert_eq!(
        p.view_versions["stats"].iter().map(|v| v.number).max(),
        Some(2),
        "v2 recorded"
    );
    let base = registry("versions_pinned");
    let proposed = repo("versions_changed");
    let no_promote = CompareOptions {
        no_promote: true,
        ..Default::default()
    };
    let by_registry = compare(&base, &written, &CompareOptions::default()).unwrap();
    assert!(by_registry.is_empty(), "{by_registry:?}");
    let by_repo = compare(&base, &proposed, &no_promote).unwrap();
    let want: std::collections::BTreeSet<(String, String, String)> = [(
        "view-version-unpromoted".to_string(),
        "Info".to_string(),
        "stats".to_string(),
    )]
    .into();
    assert_eq!(verdicts(&by_repo), want, "{by_repo:?}");
    assert!(
        by_repo[0].message.contains("`stats@v2`") && by_repo[0].message.contains("keeps v1 active"),
        "{}",
        by_repo[0].message
    );
    // The served vectors equal the registry feast wrote.
    let applied = feastops::lint::as_applied(&base, &proposed, &no_promote);
    for s in ["svc_latest", "svc_pinned"] {
        assert_eq!(vector(&applied, s), vector(&written, s), "{s}");
    }
    // A plain apply promotes: the same repo breaks the unpinned service.
    let plain = compare(&base, &proposed, &CompareOptions::default()).unwrap();
    assert!(
        plain
            .iter()
            .any(|f| f.rule == "feature-dtype-changed" && f.object.name == "stats"),
        "{plain:?}"
    );
    // Through the CLI.
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feast");
    assert_cmd::Command::cargo_bin("feastops")
        .unwrap()
        .args(["lint", "--no-config", "--color", "never", "--no-promote"])
        .arg(fx.join("repos/versions_changed"))
        .arg("--against")
        .arg(fx.join("registries/versions_pinned.db"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "info[FO210 view-version-unpromoted]",
        ));
}
