//! What the model holds for the base fixture, decoded from the registry the
//! real `feast apply` wrote.

mod common;

use common::registry;
use feastops::model::{OdfvSourceKind, ViewKind};

fn base() -> feastops::model::Project {
    registry("base")
        .projects
        .remove("employee_attrition")
        .unwrap()
}

#[test]
fn features_keep_declaration_order_and_dtypes() {
    let p = base();
    let v = &p.feature_views["employee_features"];
    let got: Vec<(String, String)> = v
        .features
        .iter()
        .map(|f| (f.name.clone(), f.dtype.to_string()))
        .collect();
    let want = [
        ("tenure", "Float32"),
        ("salary_band", "Int32"),
        ("overtime", "Int64"),
        ("promotion_stagnation", "Float32"),
        ("career_velocity", "Float32"),
        ("overall_satisfaction", "Float32"),
    ];
    assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    assert_eq!(
        v.entity_columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["employee_id"]
    );
    assert_eq!(v.ttl_seconds, Some(7 * 86_400));
    assert!(v.online);
    assert_eq!(v.batch_source.as_deref(), Some("employee_source"));
    assert_eq!(v.meta.owner, "hr-ml@example.com");
    assert_eq!(v.meta.tags["team"], "hr-analytics");
}

#[test]
fn every_exotic_dtype_decodes() {
    let p = base();
    let got: Vec<String> = p.feature_views["employee_profile"]
        .features
        .iter()
        .map(|f| format!("{} {}", f.name, f.dtype))
        .collect();
    assert_eq!(
        got,
        [
            "department_name String",
            "skills Array(String)",
            "review_scores Array(Float64)",
            "certifications Set(String)",
            "is_remote Bool",
            "hired_at UnixTimestamp",
            "attributes Map",
            "raw_record Json",
            "address Struct({city: String, zip: Int32})",
            "quarterly_ratings Array(Array(Int64))",
            "contract_pdf PdfBytes",
            "badge_photo ImageBytes",
        ]
    );
    // Reserved type tags are not user metadata.
    assert!(
        p.feature_views["employee_profile"]
            .features
            .iter()
            .all(|f| f.meta.tags.is_empty())
    );
}

#[test]
fn dummy_entity_is_not_user_schema() {
    let p = base();
    assert_eq!(
        p.entities.keys().collect::<Vec<_>>(),
        ["department", "employee"]
    );
}

#[test]
fn on_demand_view_sources_and_transformation() {
    let p = base();
    let v = &p.feature_views["attrition_risk"];
    assert_eq!(v.kind, ViewKind::OnDemandFeatureView);
    assert_eq!(v.sources.len(), 2);
    assert_eq!(v.sources[0].name, "employee_features");
    assert_eq!(v.sources[0].kind, OdfvSourceKind::FeatureView);
    assert_eq!(v.sources[0].features.len(), 6);
    assert_eq!(v.sources[1].name, "review_request");
    assert_eq!(v.sources[1].kind, OdfvSourceKind::Request);
    let t = v.transformation.as_ref().unwrap();
    assert_eq!(t.mode, "pandas");
    assert_eq!(t.body_sha256.len(), 16);
    let req = &p.data_sources["review_request"];
    assert_eq!(
        req.schema
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["days_since_review", "requested_raise_pct"]
    );
}

#[test]
fn services_resolve_to_ordered_vectors() {
    let p = base();
    let lite: Vec<String> = p.feature_services["attrition_model_lite"]
        .vector
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        lite,
        [
            "employee_features:tenure Float32",
            "employee_features:overtime Int64",
            "dept:attrition_rate Float32"
        ]
    );
    let dept = &p.feature_services["attrition_model_lite"].vector[2];
    assert_eq!(dept.source_view.as_deref(), Some("department_stats"));
    let v1 = &p.feature_services["attrition_model_v1"];
    assert_eq!(v1.vector.len(), 8);
    assert_eq!(v1.vector[6].reference(), "attrition_risk:tenure_per_band");
    assert_eq!(v1.projections[0].features.len(), 6);
}

#[test]
fn data_sources_include_embedded_ones() {
    let p = base();
    assert_eq!(
        p.data_sources.keys().collect::<Vec<_>>(),
        ["department_source", "employee_source", "review_request"]
    );
    let s = &p.data_sources["employee_source"];
    assert_eq!(s.path.as_deref(), Some("data/employee_attrition.parquet"));
    assert_eq!(s.timestamp_field, "event_timestamp");
    assert_eq!(s.created_timestamp_column, "created");
}

#[test]
fn stream_feature_views_and_push_sources_decode() {
    let p = registry("full").projects.into_values().next().unwrap();
    let v = &p.feature_views["live_trips"];
    assert_eq!(v.kind, ViewKind::StreamFeatureView);
    assert_eq!(v.stream_source.as_deref(), Some("trips_push"));
    assert_eq!(v.batch_source.as_deref(), Some("trips_batch"));
    let push = &p.data_sources["trips_push"];
    assert_eq!(push.kind, feastops::model::SourceKind::Push);
    assert_eq!(push.batch_source.as_deref(), Some("trips_batch"));
    let kafka = &p.feature_views["driver_location"];
    assert_eq!(
        p.data_sources[kafka.stream_source.as_deref().unwrap()].kind,
        feastops::model::SourceKind::Kafka
    );
}

#[test]
fn stream_view_reorders_carry_a_hint_about_feast_hash_order() {
    use feastops::lint::{CompareOptions, compare};
    let old = registry("full");
    let mut new = old.clone();
    let project = new.projects.values_mut().next().unwrap();
    project
        .feature_views
        .get_mut("live_trips")
        .unwrap()
        .features
        .reverse();
    let findings = compare(&old, &new, &CompareOptions::default()).unwrap();
    let reorder = findings
        .iter()
        .find(|f| f.rule == "feature-reordered")
        .expect("a reorder is reported");
    assert_eq!(reorder.object.to_string(), "stream_feature_view/live_trips");
    assert!(reorder.hint.as_deref().unwrap().contains("hash order"));
}
