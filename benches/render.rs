//! Render and validate the largest topology (Enterprise, shared registry, 8 tenants,
//! air-gapped) to keep an eye on cost. Run with `cargo bench --bench render`.

use criterion::{Criterion, criterion_group, criterion_main};
use feastops::topology::render::{Templates, render};
use feastops::topology::spec;
use feastops::topology::validate::{self, Options};

fn largest_spec() -> spec::TopologySpec {
    let doc = serde_json::json!({
        "topology": "enterprise",
        "cloud": "aws",
        "enterprise": {"registry": "shared", "tenants": ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"]},
        "airgapped": {"enabled": true, "featureRepoImage": "registry.internal.example.com/feast/repo@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
    });
    spec::parse(&doc, "bench").expect("valid spec")
}

fn bench(c: &mut Criterion) {
    let s = largest_spec();
    let templates = Templates::new(None).unwrap();
    // Warm the embedded CRD (compiled once per process).
    let first = render(&s, &templates).unwrap();
    c.bench_function(
        "render+validate enterprise-shared 8 tenants air-gapped",
        |b| b.iter(|| render(&s, &templates).unwrap()),
    );
    c.bench_function("validate rendered set", |b| {
        b.iter(|| validate::validate_documents(&first.objects, &Options::default()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
