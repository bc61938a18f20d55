//! The static reader on small in-memory repos: what it resolves and what it
//! refuses, with the line it names.

use feastops::sources::repo::{RepoError, RepoTree, parse};

fn tree(files: &[(&str, &str)]) -> RepoTree {
    RepoTree {
        display: "repo".into(),
        python: files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
        feature_store_yaml: Some("project: p\n".into()),
        feastignore: None,
        ..Default::default()
    }
}

const HEAD: &str = "from feast import Entity, FeatureService, FeatureView, Field, FileSource, Project, ValueType\nfrom feast.types import Float32, Int64\n";

fn errors(files: &[(&str, &str)]) -> String {
    match parse(&tree(files)) {
        Ok(r) => panic!("expected an error, got {r:?}"),
        Err(e @ RepoError::Diagnostics { .. }) => e.to_string(),
        Err(e) => panic!("unexpected error kind: {e}"),
    }
}

#[test]
fn relative_imports_packages_and_concatenated_constants_resolve() {
    let common = format!(
        "{HEAD}SRC = FileSource(path=\"data/a.parquet\", timestamp_field=\"ts\")\nBASE = [Field(name=\"a\", dtype=Int64)]\nuser = Entity(name=\"user\", value_type=ValueType.INT64)\n"
    );
    let views = format!(
        "{HEAD}from .common import BASE, SRC, user\nEXTRA = [Field(name=\"b\", dtype=Float32)]\nEXTRA += [Field(name=\"c\", dtype=Int64)]\nv = FeatureView(name=\"v\", entities=[user], schema=BASE + EXTRA, source=SRC)\ns = FeatureService(name=\"s\", features=[v[[\"c\", \"a\"]].with_name(\"vv\")])\n"
    );
    let r = parse(&tree(&[
        ("pkg/__init__.py", ""),
        ("pkg/common.py", &common),
        ("pkg/views.py", &views),
    ]))
    .unwrap();
    let p = &r.projects["p"];
    let v = &p.feature_views["v"];
    let names: Vec<&str> = v.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(v.entity_columns[0].name, "user");
    assert_eq!(v.batch_source.as_deref(), Some("data/a.parquet"));
    let vector: Vec<String> = p.feature_services["s"]
        .vector
        .iter()
        .map(|e| e.reference())
        .collect();
    assert_eq!(vector, ["vv:c", "vv:a"]);
    let loc = v.features[2].location.as_ref().unwrap();
    assert_eq!((loc.file.as_str(), loc.line), ("pkg/views.py", 5));
}

#[test]
fn positional_arguments_to_feast_constructors_are_rejected_like_python_does() {
    let msg = errors(&[("f.py", &format!("{HEAD}x = Field(\"a\", Int64)\n"))]);
    assert!(
        msg.contains("f.py:3: Field() takes keyword arguments only"),
        "{msg}"
    );
}

#[test]
fn two_views_with_one_name_are_an_error_naming_both_lines() {
    let v = |n: u32| {
        format!(
            "{HEAD}s{n} = FileSource(name=\"s{n}\", path=\"x{n}\", timestamp_field=\"ts\")\nv = FeatureView(name=\"V\", schema=[Field(name=\"a\", dtype=Int64)], source=s{n})\n"
        )
    };
    let msg = errors(&[
        ("a.py", &v(1)),
        ("b.py", &v(2).replace("name=\"V\"", "name=\"v\"")),
    ]);
    assert!(
        msg.contains("two different feature views are named"),
        "{msg}"
    );
    assert!(msg.contains("a.py:4"), "{msg}");
}

#[test]
fn project_object_must_match_feature_store_yaml() {
    let msg = errors(&[(
        "f.py",
        &format!("{HEAD}project = Project(name=\"other\")\n"),
    )]);
    assert!(
        msg.contains("f.py:3: Project `other` does not match feature_store.yaml's project `p`"),
        "{msg}"
    );
}

#[test]
fn projecting_a_feature_the_view_lacks_is_an_error() {
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}s = FileSource(path=\"x\", timestamp_field=\"ts\")\nv = FeatureView(name=\"v\", schema=[Field(name=\"a\", dtype=Int64)], source=s)\nsvc = FeatureService(name=\"svc\", features=[v[[\"zz\"]]])\n"
        ),
    )]);
    assert!(
        msg.contains("f.py:5: feature view `v` has no feature `zz`"),
        "{msg}"
    );
}

#[test]
fn loops_over_unknown_values_and_undefined_names_are_reported_not_skipped() {
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}import pandas as pd\nfor i in pd.read_parquet(\"x\").columns:\n    pass\nv = undefined_thing\n"
        ),
    )]);
    assert!(msg.contains("f.py:4: a loop over"), "{msg}");
    assert!(msg.contains("--via-feast"), "{msg}");
    assert!(
        msg.contains("f.py:6: name `undefined_thing` is not defined"),
        "{msg}"
    );
}

#[test]
fn ignored_files_are_not_collected_but_can_be_imported() {
    let mut t = tree(&[
        (
            "defs.py",
            &format!(
                "{HEAD}e = Entity(name=\"e\", value_type=ValueType.INT64)\nhidden = Entity(name=\"hidden\")\n"
            ),
        ),
        ("main.py", "from defs import e\n"),
    ]);
    t.feastignore = Some("defs.py\n".into());
    let r = parse(&t).unwrap();
    let names: Vec<&String> = r.projects["p"].entities.keys().collect();
    assert_eq!(names, ["e"]);
}

#[test]
fn star_imports_module_attributes_and_expressions_resolve() {
    let src = "from feast import *\nfrom feast.types import *\nimport feast\nfrom datetime import timedelta\n\
PREFIX = \"drv\"\nTAGS = {\"a\": \"1\"} | {\"b\": \"2\"}\n\
e = feast.Entity(name=f\"{PREFIX}_entity\", join_keys=[\"id\"], value_type=feast.ValueType.STRING)\n\
s = FileSource(path=\"p.parquet\", timestamp_field=\"ts\")\n\
v = feast.FeatureView(name=\"v\", entities=[e], ttl=timedelta(hours=1) * 2 + timedelta(minutes=30), tags=TAGS,\n    schema=[Field(name=\"x\", dtype=Array(Set(Int64)) if False else Float64)] if False else [Field(name=\"x\", dtype=Float64)], source=s)\n";
    // Conditional expressions on known values are evaluated.
    let r = parse(&tree(&[("f.py", src)])).unwrap();
    assert_eq!(
        r.projects["p"].feature_views["v"].features[0]
            .dtype
            .to_string(),
        "Float64"
    );

    let src = src.replace(
        "[Field(name=\"x\", dtype=Array(Set(Int64)) if False else Float64)] if False else [Field(name=\"x\", dtype=Float64)]",
        "[Field(name=\"x\", dtype=Float64)]",
    ) + "svc = FeatureService(name=\"svc\", features=[v.with_join_key_map({\"id\": \"other_id\"})])\n";
    let r = parse(&tree(&[("f.py", &src)])).unwrap();
    let p = &r.projects["p"];
    let v = &p.feature_views["v"];
    assert_eq!(v.entities, ["drv_entity"]);
    assert_eq!(v.ttl_seconds, Some(9000));
    assert_eq!(v.meta.tags.len(), 2);
    assert_eq!(v.entity_columns[0].name, "id");
    let vector: Vec<String> = p.feature_services["svc"]
        .vector
        .iter()
        .map(|e| e.reference())
        .collect();
    assert_eq!(vector, ["v:x"]);
}
