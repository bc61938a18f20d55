//! Decode + compare + JSON report on generated registries: 500 views × 20
//! features with 50 services, and 10,000 views; and the model contract: 100
//! model files (MLmodel, feast_features.json, XGBoost JSON, LightGBM text)
//! checked against the 500-view registry's services. Run: `cargo bench
//! --bench lint`.

use std::collections::BTreeMap;

use criterion::{Criterion, criterion_group, criterion_main};
use feastops::contract::{Binding, check_models};
use feastops::lint::{CompareOptions, compare};
use feastops::report;
use feastops::sources::{from_proto, proto};
use prost::Message;

// Same allocator as the binary, so the figures are the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PROJECT: &str = "bench";

fn field(name: String, value_type: i32) -> proto::FeatureSpecV2 {
    proto::FeatureSpecV2 {
        name,
        value_type,
        tags: BTreeMap::new(),
        description: String::new(),
    }
}

fn source(i: usize) -> proto::DataSource {
    proto::DataSource {
        r#type: proto::source_type::BATCH_FILE,
        name: format!("source_{i}"),
        project: PROJECT.into(),
        timestamp_field: "event_timestamp".into(),
        file_options: Some(proto::FileOptions {
            uri: format!("s3://bucket/view_{i}.parquet"),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A registry with `views` views of 20 features and `services` services that
/// each serve 10 whole views. `changed` applies a handful of breaking edits.
fn registry(views: usize, services: usize, changed: bool) -> Vec<u8> {
    const TYPES: [i32; 6] = [4, 6, 5, 2, 3, 12]; // Int64 Float32 Float64 String Int32 Array(String)
    let mut feature_views = Vec::with_capacity(views);
    for i in 0..views {
        let mut features: Vec<_> = (0..20)
            .map(|f| field(format!("f{f}"), TYPES[(i + f) % TYPES.len()]))
            .collect();
        if changed {
            match i % 97 {
                7 => {
                    features.remove(3);
                }
                42 => features.swap(1, 2),
                55 => features[4].value_type = 2,
                80 => features.push(field("extra".into(), 4)),
                _ => {}
            }
        }
        feature_views.push(proto::FeatureView {
            spec: Some(proto::FeatureViewSpec {
                name: format!("view_{i}"),
                project: PROJECT.into(),
                entities: vec!["customer".into()],
                features,
                entity_columns: vec![field("customer_id".into(), 4)],
                ttl: Some(proto::Duration {
                    seconds: 86_400,
                    nanos: 0,
                }),
                batch_source: Some(source(i)),
                online: true,
                ..Default::default()
            }),
            meta: None,
        });
    }
    let feature_services = (0..services)
        .map(|s| proto::FeatureService {
            spec: Some(proto::FeatureServiceSpec {
                name: format!("model_{s}_v1"),
                project: PROJECT.into(),
                features: (0..10)
                    .map(|k| {
                        let view = &feature_views[(s * 10 + k) % views];
                        let spec = view.spec.as_ref().unwrap();
                        proto::FeatureViewProjection {
                            feature_view_name: spec.name.clone(),
                            feature_columns: spec.features.clone(),
                            ..Default::default()
                        }
                    })
                    .collect(),
                ..Default::default()
            }),
        })
        .collect();
    proto::Registry {
        registry_schema_version: "1".into(),
        entities: vec![proto::Entity {
            spec: Some(proto::EntitySpecV2 {
                name: "customer".into(),
                join_key: "customer_id".into(),
                value_type: 4,
                project: PROJECT.into(),
                ..Default::default()
            }),
        }],
        projects: vec![proto::Project {
            spec: Some(proto::ProjectSpec {
                name: PROJECT.into(),
                ..Default::default()
            }),
        }],
        feature_views,
        feature_services,
        ..Default::default()
    }
    .encode_to_vec()
}

fn decode_compare_report(old: &[u8], new: &[u8]) -> usize {
    let old = from_proto::registry(proto::decode_registry(old).unwrap());
    let new = from_proto::registry(proto::decode_registry(new).unwrap());
    let findings = compare(&old, &new, &CompareOptions::default()).unwrap();
    report::json::render(&findings).len()
}

/// Writes 100 models, two per service, in the four text formats, each
/// recording the service's vector (every fifth with a swapped pair), the
/// way the libraries write them.
fn model_files(dir: &std::path::Path, registry: &feastops::model::Registry) -> Vec<Binding> {
    let project = &registry.projects[PROJECT];
    let mut out = Vec::new();
    for k in 0..100 {
        let service = format!("model_{}_v1", k % 50);
        let mut vector = project.feature_services[&service].vector.clone();
        if k % 5 == 0 {
            vector.swap(3, 4);
        }
        let names: Vec<String> = vector.iter().map(|e| e.feature.clone()).collect();
        let path = dir.join(format!("m{k}"));
        std::fs::create_dir_all(&path).unwrap();
        let json = |v: &serde_json::Value| serde_json::to_string(v).unwrap();
        let file = match k % 4 {
            0 => {
                // infer_signature's names for the served dtypes.
                let cols: Vec<serde_json::Value> = vector
                    .iter()
                    .map(|e| {
                        let t = match e.dtype.as_ref().map(|t| t.to_string()).as_deref() {
                            Some("Int64") => "long",
                            Some("Int32") => "integer",
                            Some("Float32") => "float",
                            Some("Float64") => "double",
                            Some("String") => "string",
                            _ => "array",
                        };
                        serde_json::json!({"type": t, "name": e.feature, "required": true})
                    })
                    .collect();
                let yaml = format!(
                    "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\nsignature:\n  inputs: '{}'\n",
                    json(&serde_json::Value::Array(cols))
                );
                ("MLmodel", yaml)
            }
            1 => {
                let refs: Vec<String> = vector.iter().map(|e| e.reference()).collect();
                ("feast_features.json", json(&serde_json::json!(refs)))
            }
            2 => (
                "model.json",
                json(&serde_json::json!({"learner": {
                    "feature_names": names,
                    "feature_types": vector
                        .iter()
                        .map(|e| match e.dtype.as_ref().map(|t| t.to_string()).as_deref() {
                            Some("Int64" | "Int32") => "int",
                            Some("Float32" | "Float64") => "float",
                            _ => "c",
                        })
                        .collect::<Vec<_>>(),
                    "learner_model_param": {"num_feature": names.len().to_string()},
                    "gradient_booster": {"model": {"trees": []}},
                }})),
            ),
            _ => (
                "model.txt",
                format!(
                    "tree\nversion=v4\nmax_feature_idx={}\nfeature_names={}\n\nTree=0\n",
                    names.len() - 1,
                    names.join(" ")
                ),
            ),
        };
        std::fs::write(path.join(file.0), file.1).unwrap();
        out.push(Binding {
            service,
            path: path.join(file.0),
        });
    }
    out
}

fn bench_models(c: &mut Criterion) {
    let new = from_proto::registry(proto::decode_registry(&registry(500, 50, true)).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let bindings = model_files(dir.path(), &new);
    let findings = check_models(&new, &bindings, None).unwrap();
    assert!(
        findings.iter().any(|f| f.rule == "model-input-reordered"),
        "the swapped models must be found"
    );
    let mut group = c.benchmark_group("models_500_views");
    group.sample_size(20);
    group.bench_function("read+check 100 models", |b| {
        b.iter(|| check_models(&new, &bindings, None).unwrap().len())
    });
    group.bench_function("read 100 models", |b| {
        b.iter(|| {
            bindings
                .iter()
                .map(|b| feastops::contract::read(&b.path).unwrap().truncated as usize)
                .sum::<usize>()
        })
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    for (views, services) in [(500, 50), (10_000, 50)] {
        let old = registry(views, services, false);
        let new = registry(views, services, true);
        assert!(
            decode_compare_report(&old, &new) > 100,
            "the changed registry must produce findings"
        );
        let mut group = c.benchmark_group(format!("lint_{views}_views"));
        group.sample_size(if views > 1000 { 10 } else { 50 });
        group.bench_function("decode+compare+json", |b| {
            b.iter(|| decode_compare_report(&old, &new))
        });
        group.finish();
    }
}

criterion_group!(benches, bench, bench_models);
criterion_main!(benches);
