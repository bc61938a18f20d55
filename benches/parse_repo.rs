//! Static reading of generated feature repos: 500 views x 20 features in
//! 50 files (target < 30 ms) and 10,000 views (target < 500 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use feastops::sources::repo::{RepoTree, parse};

const TYPES: &[&str] = &[
    "Int64",
    "Float32",
    "Float64",
    "String",
    "Bool",
    "Int32",
    "Array(Int64)",
    "Array(String)",
];

/// The same repo scripts/bench/gen_repo.py writes, in memory.
fn repo(views: usize, files: usize) -> RepoTree {
    let mut tree = RepoTree {
        display: format!("bench-{views}"),
        feature_store_yaml: Some(
            "project: bench\nprovider: local\nregistry: data/registry.db\n".into(),
        ),
        ..Default::default()
    };
    tree.python.insert(
        "entities.py".into(),
        "from feast import Entity, ValueType\n\ncustomer = Entity(name=\"customer\", join_keys=[\"customer_id\"], value_type=ValueType.INT64)\n".into(),
    );
    for f in 0..files {
        let mut s = String::from(
            "from datetime import timedelta\n\nfrom feast import FeatureService, FeatureView, Field, FileSource\nfrom feast.types import Array, Bool, Float32, Float64, Int32, Int64, String\n\nfrom entities import customer\n\n",
        );
        let mut names = Vec::new();
        for v in 0..views / files {
            let name = format!("view_{f}_{v}");
            s.push_str(&format!(
                "{name}_source = FileSource(name=\"{name}_source\", path=\"data/{name}.parquet\", timestamp_field=\"event_timestamp\")\n\n{name} = FeatureView(\n    name=\"{name}\",\n    entities=[customer],\n    ttl=timedelta(days=1),\n    schema=[\n"
            ));
            for i in 0..20 {
                s.push_str(&format!(
                    "        Field(name=\"f{i}\", dtype={}),\n",
                    TYPES[i % TYPES.len()]
                ));
            }
            s.push_str(&format!("    ],\n    source={name}_source,\n)\n\n"));
            names.push(name);
        }
        s.push_str(&format!(
            "service_{f} = FeatureService(name=\"service_{f}\", features=[{}])\n",
            names.join(", ")
        ));
        tree.python.insert(format!("views_{f:03}.py"), s);
    }
    tree
}

fn bench(c: &mut Criterion) {
    let small = repo(500, 50);
    let r = parse(&small).expect("generated repo parses");
    assert_eq!(r.projects["bench"].feature_views.len(), 500);
    c.bench_function("parse 500 views x 20 features, 50 files", |b| {
        b.iter(|| parse(&small).unwrap())
    });

    let large = repo(10_000, 500);
    let mut g = c.benchmark_group("large");
    g.sample_size(10);
    g.bench_function("parse 10000 views x 20 features, 500 files", |b| {
        b.iter(|| parse(&large).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
