//! The catalog, dataset and reader sources (Iceberg, Unity Catalog, Lance,
//! MLflow datasets, MongoDB, Ray, Chronon) read statically: what Python
//! refuses is refused at its line, and a change to what selects the data is
//! a finding. (Equality with what `feast apply` registers is proven by the
//! `sources` fixture in repo_differential.rs.)

use feastops::lint::{CompareOptions, compare};
use feastops::sources::repo::{RepoError, RepoTree, parse};

const HEAD: &str = "\
from feast import FileSource
from feast.infra.data_sources.contrib.iceberg_catalog.iceberg_source import IcebergSource
from feast.infra.data_sources.contrib.lance.lance_source import LanceSource
from feast.infra.data_sources.mlflow.mlflow_dataset_source import MlflowDatasetSource
from feast.infra.offline_stores.contrib.chronon_offline_store.chronon_source import ChrononSource
from feast.infra.offline_stores.contrib.ray_offline_store.ray_source import RaySource
from feast.table_format import LanceFormat
fs = FileSource(path='x.parquet', timestamp_field='ts')
";

fn tree(body: &str) -> RepoTree {
    RepoTree {
        display: "repo".into(),
        python: [("repo.py".to_string(), format!("{HEAD}{body}\n"))].into(),
        feature_store_yaml: Some("project: p\n".into()),
        ..Default::default()
    }
}

fn error_of(body: &str) -> String {
    match parse(&tree(body)) {
        Ok(r) => panic!("expected an error for {body}, got {r:?}"),
        Err(e @ RepoError::Diagnostics { .. }) => e.to_string(),
        Err(e) => panic!("unexpected error kind: {e}"),
    }
}

/// Each of these raises in Feast 0.67's constructor (checked with the real
/// classes when this test was written); the static reader says so at the
/// line of the call, line 9 being the first after HEAD.
#[test]
fn what_the_constructors_raise_on_is_refused_at_its_line() {
    let cases = [
        (
            "LanceSource(uri='a', table='b', namespace_impl='dir', timestamp_field='ts')",
            "not both",
        ),
        (
            "LanceSource(timestamp_field='ts')",
            "needs `uri=` or `table=`",
        ),
        (
            "LanceSource(table='b', timestamp_field='ts')",
            "needs `namespace_impl=`",
        ),
        ("LanceFormat(version=0)", "version must be >= 1"),
        ("LanceFormat(version=2, tag='t')", "not both"),
        (
            "LanceSource(uri='a', table_format=fs, timestamp_field='ts')",
            "requires a LanceFormat",
        ),
        (
            "MlflowDatasetSource(name='m', batch_source=fs)",
            "needs `dataset_name=`",
        ),
        (
            "MlflowDatasetSource(name='m', dataset_name='d', run_id='r', artifact_path='p', batch_source=fs)",
            "not both",
        ),
        (
            "MlflowDatasetSource(name='m', run_id='r', artifact_path='p', artifact_format='json', batch_source=fs)",
            "parquet or csv",
        ),
        (
            "MlflowDatasetSource(name='m', dataset_name='d')",
            "needs `batch_source=`",
        ),
        (
            "MlflowDatasetSource(dataset_name='d', batch_source=fs)",
            "needs `name=`",
        ),
        (
            "ChrononSource(materialization_path='p', chronon_join='j', chronon_group_by='g', timestamp_field='ts')",
            "not both",
        ),
        (
            "ChrononSource(materialization_path='p')",
            "needs `timestamp_field=`",
        ),
        (
            "ChrononSource(materialization_path='p', online_endpoint='e', timestamp_field='ts')",
            "`online_endpoint=` needs",
        ),
        (
            "RaySource(name='r', reader_type='delta', timestamp_field='ts')",
            "must be one of",
        ),
        (
            "IcebergSource(warehouse='w', namespace='n', timestamp_field='ts')",
            "needs `table=`",
        ),
        (
            "IcebergSource(warehouse='w', namespace='n', table='t')",
            "Feast cannot infer it for this class",
        ),
    ];
    for (call, expected) in cases {
        let e = error_of(&format!("x = {call}"));
        assert!(e.contains(expected), "{call}: {e}");
        assert!(e.contains("repo.py:9"), "{call} names its line: {e}");
    }
}

#[test]
fn ray_reader_options_keep_what_is_read_and_never_how_to_connect() {
    let r = parse(&tree(
        "r = RaySource(name='r', reader_type='sql', timestamp_field='ts', \
         reader_options={'sql': 'SELECT 1', 'connection_url': 'postgresql://u:hunter2@h/db', 'parallelism': 4})",
    ))
    .expect("reads");
    let ds = &r.projects["p"].data_sources["r"];
    assert_eq!(
        ds.options.get("reader_options.sql").map(String::as_str),
        Some("SELECT 1")
    );
    assert!(!format!("{ds:?}").contains("hunter2"), "{ds:?}");
}

#[test]
fn a_new_lance_version_pin_is_a_batch_source_change() {
    let repo = |version: u32| {
        parse(&tree(&format!(
            "from feast import Entity, FeatureView, Field\nfrom feast.types import Int64\n\
             e = Entity(name='e', join_keys=['id'])\n\
             src = LanceSource(name='items', uri='s3://b/items.lance', \
             table_format=LanceFormat(version={version}), timestamp_field='ts')\n\
             fv = FeatureView(name='fv', entities=[e], source=src, \
             schema=[Field(name='id', dtype=Int64), Field(name='n', dtype=Int64)])"
        )))
        .expect("reads")
    };
    let findings = compare(&repo(3), &repo(4), &CompareOptions::default()).expect("compares");
    let changed: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "batch-source-changed")
        .collect();
    assert_eq!(changed.len(), 1, "{findings:#?}");
    assert!(
        changed[0].message.contains("version: `3` → `4`"),
        "{}",
        changed[0].message
    );
    assert!(
        compare(&repo(3), &repo(3), &CompareOptions::default())
            .expect("compares")
            .is_empty()
    );
}
