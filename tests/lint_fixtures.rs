//! Every fixture variant, applied by the real feast 0.67.0, against the base
//! registry: the exact set of rules (and levels) each change must produce.

mod common;

use common::{lint, registry, rule_set};
use feastops::lint::Level::{self, Error, Info, Warning};

fn expect(variant: &str, expected: &[(&str, Level)]) {
    let got = rule_set(&lint("base", variant));
    let want = expected.iter().map(|(r, l)| (r.to_string(), *l)).collect();
    assert_eq!(got, want, "variant {variant}");
}

#[test]
fn identical_registries_have_no_findings() {
    assert!(lint("base", "base").is_empty());
}

#[test]
fn feature_removed() {
    expect(
        "feature_removed",
        &[
            ("feature-removed", Error),
            ("feature-service-vector-changed", Error),
        ],
    );
}

#[test]
fn feature_reordered() {
    expect(
        "feature_reordered",
        &[
            ("feature-reordered", Error),
            ("feature-service-vector-changed", Error),
        ],
    );
}

#[test]
fn feature_renamed_is_reported_as_a_rename_with_a_hint() {
    expect(
        "feature_renamed",
        &[
            ("feature-renamed", Error),
            ("feature-service-vector-changed", Error),
        ],
    );
    let findings = lint("base", "feature_renamed");
    let rename = findings
        .iter()
        .find(|f| f.rule == "feature-renamed")
        .unwrap();
    assert!(
        rename
            .message
            .contains("`overtime` looks renamed to `overtime_hours`"),
        "{}",
        rename.message
    );
    assert!(
        rename
            .hint
            .as_deref()
            .unwrap()
            .contains("employee_features:overtime")
    );
    assert!(!findings.iter().any(|f| f.rule == "feature-removed"));
}

#[test]
fn dtype_promotions_are_warnings() {
    expect(
        "dtype_promoted",
        &[
            ("feature-dtype-changed", Warning),
            ("feature-service-vector-changed", Warning),
        ],
    );
    let findings = lint("base", "dtype_promoted");
    let msgs: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == "feature-dtype-changed")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("`salary_band` dtype widened from Int32 to Int64")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("`career_velocity` dtype widened from Float32 to Float64")),
        "{msgs:?}"
    );
}

#[test]
fn other_dtype_changes_are_errors() {
    expect(
        "dtype_changed",
        &[
            ("feature-dtype-changed", Error),
            ("feature-service-vector-changed", Error),
        ],
    );
}

#[test]
fn feature_inserted_in_the_middle() {
    expect(
        "feature_inserted",
        &[
            ("feature-inserted", Error),
            ("feature-service-vector-changed", Error),
        ],
    );
}

#[test]
fn feature_appended_to_a_view_a_service_serves_whole() {
    // attrition_model_v1 serves employee_features whole, followed by the
    // on-demand view: the appended feature lands mid-vector and shifts the
    // on-demand features, so the service finding is an error.
    expect(
        "feature_appended",
        &[
            ("feature-appended", Warning),
            ("feature-service-vector-changed", Error),
        ],
    );
}

#[test]
fn feature_appended_to_a_partially_served_view_is_safe() {
    expect("feature_appended_safe", &[("feature-appended", Info)]);
}

#[test]
fn view_removed() {
    expect(
        "view_removed",
        &[
            ("feature-view-removed", Error),
            ("feature-service-vector-changed", Error),
        ],
    );
}

#[test]
fn view_entity_and_source_removed() {
    expect(
        "department_removed",
        &[
            ("feature-view-removed", Error),
            ("entity-removed", Error),
            ("data-source-removed", Error),
            ("feature-service-vector-changed", Error),
        ],
    );
}

#[test]
fn service_removed() {
    expect("service_removed", &[("feature-service-removed", Error)]);
}

#[test]
fn entity_join_key_changed() {
    expect(
        "entity_join_key_changed",
        &[("entity-join-key-changed", Error)],
    );
}

#[test]
fn entity_value_type_changed() {
    expect(
        "entity_value_type_changed",
        &[("entity-value-type-changed", Error)],
    );
}

#[test]
fn view_entities_changed() {
    expect("view_entities_changed", &[("view-entities-changed", Error)]);
}

#[test]
fn ttl_shortened() {
    expect("ttl_shortened", &[("ttl-shortened", Warning)]);
    let f = lint("base", "ttl_shortened");
    assert!(f[0].message.contains("from 7d to 1d"), "{}", f[0].message);
}

#[test]
fn online_disabled() {
    expect("online_disabled", &[("online-disabled", Error)]);
}

#[test]
fn view_disabled() {
    expect("view_disabled", &[("feature-view-disabled", Error)]);
}

#[test]
fn batch_source_changed() {
    expect("batch_source_changed", &[("batch-source-changed", Warning)]);
    let f = lint("base", "batch_source_changed");
    // employee_source feeds two views: each gets its own finding.
    assert_eq!(f.len(), 2);
    assert!(f[0].message.contains(
        "path: `data/employee_attrition.parquet` → `data/employee_attrition_v2.parquet`"
    ));
    assert!(
        f[0].message
            .contains("timestamp_field: `event_timestamp` → `ingested_at`")
    );
}

#[test]
fn transformation_changed() {
    expect(
        "transformation_changed",
        &[("transformation-changed", Warning)],
    );
}

#[test]
fn metadata_only_is_info_and_never_an_error() {
    expect("metadata_only", &[("metadata-changed", Info)]);
}

#[test]
fn dangling_service_reference_after_api_deletion() {
    expect(
        "dangling",
        &[
            ("dangling-reference", Error),
            ("feature-view-removed", Error),
            ("feature-service-vector-changed", Error),
        ],
    );
    let f = lint("base", "dangling");
    let d = f.iter().find(|f| f.rule == "dangling-reference").unwrap();
    assert_eq!(d.object.to_string(), "feature_service/attrition_model_lite");
    assert!(d.message.contains("`department_stats`"));
}

#[test]
fn project_removed_from_a_multi_project_registry() {
    let f = lint("multi", "single_of_multi");
    assert_eq!(
        rule_set(&f),
        [("project-removed".to_string(), Error)]
            .into_iter()
            .collect()
    );
    assert_eq!(f[0].project, "recruiting");
}

#[test]
fn a_new_project_is_not_a_finding() {
    assert!(lint("single_of_multi", "multi").is_empty());
}

#[test]
fn multi_project_registry_decodes_every_project() {
    let r = registry("multi");
    assert_eq!(
        r.projects.keys().collect::<Vec<_>>(),
        ["employee_attrition", "recruiting"]
    );
    let rec = &r.projects["recruiting"];
    assert_eq!(
        rec.feature_views.keys().collect::<Vec<_>>(),
        ["candidate_scores"]
    );
    assert_eq!(rec.feature_services["screening_model_v1"].vector.len(), 2);
    // The same project in a one-project registry decodes to the same model.
    assert_eq!(
        r.projects["employee_attrition"],
        registry("single_of_multi").projects["employee_attrition"]
    );
}

#[test]
fn project_option_limits_the_comparison() {
    use feastops::lint::{CompareOptions, compare};
    let opts = CompareOptions {
        project: Some("employee_attrition".into()),
        ..Default::default()
    };
    assert!(
        compare(&registry("multi"), &registry("single_of_multi"), &opts)
            .unwrap()
            .is_empty()
    );
    let missing = CompareOptions {
        project: Some("nope".into()),
        ..Default::default()
    };
    let err = compare(&registry("multi"), &registry("single_of_multi"), &missing).unwrap_err();
    assert!(
        err.to_string().contains("employee_attrition, recruiting"),
        "{err}"
    );
}

#[test]
fn every_finding_names_a_cataloged_rule() {
    let catalog = feastops::lint::Catalog::get();
    for v in std::fs::read_dir(common::fixture("base").parent().unwrap()).unwrap() {
        let name = v
            .unwrap()
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        for f in lint("base", &name) {
            let doc = catalog
                .find(f.rule)
                .unwrap_or_else(|| panic!("{} not in catalog", f.rule));
            assert_eq!(f.code(), doc.code);
        }
    }
}
