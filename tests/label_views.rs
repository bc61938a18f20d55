//! Label views (Feast 0.64+) and 0.67's string refs in feature services,
//! against registries the real feast 0.67 wrote (`labels`,
//! `labels_feature_removed` in scripts/fixtures/generate.py).

mod common;

use std::path::{Path, PathBuf};

use common::{lint, registry, rule_set};
use feastops::lint::{CompareOptions, Level, compare};
use feastops::model::ViewKind;
use feastops::sources::{from_proto, proto, repo};
use prost::Message;

fn repo_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feast/repos")
        .join(name)
}

#[test]
fn label_views_decode_with_their_labeling_spec() {
    let r = registry("labels");
    let p = &r.projects["driver_labels"];
    let lv = &p.feature_views["driver_quality_labels"];
    assert_eq!(lv.kind, ViewKind::LabelView);
    let names: Vec<&str> = lv.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["is_reliable", "quality_score", "reviewer_notes", "labeler"]
    );
    let label = lv.label.as_ref().unwrap();
    assert_eq!(label.conflict_policy, "majority_vote");
    assert_eq!(label.labeler_field, "labeler");
    assert_eq!(label.reference_view.as_deref(), Some("driver_stats"));
    // A push source serves as the stream source, its batch source as batch.
    assert_eq!(lv.stream_source.as_deref(), Some("driver_labels_push"));
    assert_eq!(lv.batch_source.as_deref(), Some("driver_labels_batch"));
    assert_eq!(lv.ttl_seconds, Some(30 * 86400));
    // A join key missing from the schema, entity without value_type: String.
    let review = &p.feature_views["review_labels"];
    let cols: Vec<String> = review
        .entity_columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.dtype))
        .collect();
    assert_eq!(cols, ["driver_id Int64", "reviewer_id String"]);
    assert_eq!(review.ttl_seconds, None);
    assert!(!review.online);
}

#[test]
fn string_refs_come_after_object_refs_in_the_vector() {
    let r = registry("labels");
    let s = &r.projects["driver_labels"].feature_services["driver_model"];
    let refs: Vec<String> = s.vector.iter().map(|e| e.reference()).collect();
    assert_eq!(
        refs,
        [
            "driver_stats:conv_rate",
            "driver_quality_labels:is_reliable",
            "driver_quality_labels:labeler",
            "driver_quality_labels:quality_score",
            "driver_stats:avg_daily_trips",
            "review_labels:verdict",
        ]
    );
    assert!(s.vector.iter().all(|e| e.dtype.is_some()));
}

#[test]
fn a_label_view_feature_removed_breaks_it_and_its_services() {
    let got = rule_set(&lint("labels", "labels_feature_removed"));
    let want = [
        ("feature-removed", Level::Error),
        ("feature-service-vector-changed", Level::Error),
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn a_new_conflict_policy_changes_training_labels() {
    let findings = lint("labels", "labels_policy_changed");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(
        (f.rule, f.level),
        ("label-resolution-changed", Level::Warning)
    );
    assert_eq!(f.object.to_string(), "label_view/driver_quality_labels");
    assert!(
        f.message
            .contains("conflict policy majority_vote → labeler_priority"),
        "{}",
        f.message
    );
}

#[test]
fn the_static_finding_points_at_the_label_view() {
    let read =
        |name: &str| repo::parse(&repo::RepoTree::from_dir(&repo_dir(name)).unwrap()).unwrap();
    let findings = compare(
        &read("labels"),
        &read("labels_feature_removed"),
        &CompareOptions::default(),
    )
    .unwrap();
    let f = findings
        .iter()
        .find(|f| f.rule == "feature-removed")
        .unwrap();
    assert_eq!(f.object.to_string(), "label_view/driver_quality_labels");
    assert_eq!(f.feature.as_deref(), Some("reviewer_notes"));
    let loc = f.location.as_ref().unwrap();
    assert_eq!((loc.file.as_str(), loc.line), ("labels.py", 48));
}

#[test]
fn linting_the_label_repos_matches_linting_their_registries() {
    let read =
        |name: &str| repo::parse(&repo::RepoTree::from_dir(&repo_dir(name)).unwrap()).unwrap();
    // Hints may name a recorded version to pin, which only a registry knows.
    let strip = |mut f: Vec<feastops::lint::Finding>| {
        f.iter_mut().for_each(|f| {
            f.location = None;
            f.hint = None;
        });
        f
    };
    for variant in ["labels_feature_removed", "labels_policy_changed"] {
        let opts = CompareOptions::default();
        let via_repo = compare(&read("labels"), &read(variant), &opts).unwrap();
        let via_registry = compare(&registry("labels"), &registry(variant), &opts).unwrap();
        assert!(!via_repo.is_empty(), "{variant}");
        assert_eq!(strip(via_repo), strip(via_registry), "{variant}");
    }
}

fn static_error(code: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_dir("labels").join("feature_store.yaml"),
        dir.path().join("feature_store.yaml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("repo.py"), code).unwrap();
    let tree = repo::RepoTree::from_dir(dir.path()).unwrap();
    repo::parse(&tree).unwrap_err().to_string()
}

const VIEW: &str = "from feast import Entity, FeatureService, FeatureView, Field, FileSource, ValueType\n\
from feast.types import Int64\n\
e = Entity(name=\"e\", join_keys=[\"e_id\"], value_type=ValueType.INT64)\n\
src = FileSource(name=\"s\", path=\"x.parquet\", timestamp_field=\"ts\")\n\
fv = FeatureView(name=\"fv\", entities=[e], schema=[Field(name=\"a\", dtype=Int64)], source=src)\n";

/// A pinned ref keeps its pin (the features of a whole pinned view come
/// from the registry's history at comparison, tests/view_versions.rs), and
/// is appended after the object entries like every string ref.
#[test]
fn a_version_pinned_string_ref_keeps_its_pin_after_the_object_entries() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_dir("labels").join("feature_store.yaml"),
        dir.path().join("feature_store.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("repo.py"),
        format!("{VIEW}fs = FeatureService(name=\"fs\", features=[\"fv@v2:a\", fv])\n"),
    )
    .unwrap();
    let r = repo::parse(&repo::RepoTree::from_dir(dir.path()).unwrap()).unwrap();
    let p = r.projects.values().next().unwrap();
    let pins: Vec<(Option<i32>, Vec<String>)> = p.feature_services["fs"]
        .projections
        .iter()
        .map(|pr| (pr.version_tag, pr.features.clone()))
        .collect();
    assert_eq!(
        pins,
        [
            (None, vec!["a".to_string()]),
            (Some(2), vec!["a".to_string()])
        ]
    );
    assert!(
        static_error(&format!(
            "{VIEW}fs = FeatureService(name=\"fs\", features=[\"fv@v99999999999\"])\n"
        ))
        .contains("out of range")
    );
}

#[test]
fn a_string_ref_to_no_repo_view_is_left_to_feast() {
    let msg = static_error(&format!(
        "{VIEW}fs = FeatureService(name=\"fs\", features=[\"other\"])\n"
    ));
    assert!(msg.contains("repo.py:6"), "{msg}");
    assert!(msg.contains("names no view of the repo"), "{msg}");
}

#[test]
fn a_pinned_feature_view_keeps_its_pin_and_a_bad_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_dir("labels").join("feature_store.yaml"),
        dir.path().join("feature_store.yaml"),
    )
    .unwrap();
    let code = VIEW.replace("source=src)", "source=src, version=\"V1\")");
    std::fs::write(dir.path().join("repo.py"), &code).unwrap();
    let r = repo::parse(&repo::RepoTree::from_dir(dir.path()).unwrap()).unwrap();
    let fv = r.projects.values().next().unwrap().feature_views["fv"].clone();
    assert_eq!(
        fv.version_pin,
        Some(1),
        "resolved at comparison (tests/view_versions.rs)"
    );

    let msg = static_error(&VIEW.replace("source=src)", "source=src, version=\"1\")"));
    assert!(msg.contains("repo.py:5"), "{msg}");
    assert!(
        msg.contains("`version=` of FeatureView `fv`: `1` is not a Feast version"),
        "{msg}"
    );
}

#[test]
fn a_projection_version_tag_is_kept() {
    let mut r = proto::Registry::default();
    r.feature_services.push(proto::FeatureService {
        spec: Some(proto::FeatureServiceSpec {
            name: "fs".into(),
            project: "p".into(),
            features: vec![proto::FeatureViewProjection {
                feature_view_name: "fv".into(),
                version_tag: Some(2),
                ..Default::default()
            }],
            ..Default::default()
        }),
    });
    let bytes = r.encode_to_vec();
    let m = from_proto::registry(proto::decode_registry(&bytes).unwrap());
    let p = &m.projects["p"].feature_services["fs"].projections[0];
    assert_eq!(p.version_tag, Some(2));
}
