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

/// Kept for the lint to judge (`dangling-reference`), in the order listed.
#[test]
fn projecting_a_feature_the_view_lacks_is_kept_for_the_lint() {
    let r = parse(&tree(&[(
        "f.py",
        &format!(
            "{HEAD}s = FileSource(path=\"x\", timestamp_field=\"ts\")\nv = FeatureView(name=\"v\", schema=[Field(name=\"a\", dtype=Int64)], source=s)\nsvc = FeatureService(name=\"svc\", features=[v[[\"zz\", \"a\"]]])\n"
        ),
    )]))
    .unwrap();
    let svc = &r.projects["p"].feature_services["svc"];
    assert_eq!(svc.projections[0].features, ["zz", "a"]);
    assert_eq!(svc.vector[0].dtype, None);
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

/// A tree as if the repo were the directory `/repo`, with its other files
/// on disk in `dir` (YAML, JSON).
fn tree_at(files: &[(&str, &str)], dir: Option<&std::path::Path>) -> RepoTree {
    let mut t = tree(files);
    t.root = "/repo".into();
    if let Some(d) = dir {
        t.files = feastops::sources::repo::FileStore::Dir(d.to_path_buf());
    }
    t
}

fn errors_at(files: &[(&str, &str)]) -> String {
    match parse(&tree_at(files, None)) {
        Ok(r) => panic!("expected an error, got {r:?}"),
        Err(e) => e.to_string(),
    }
}

fn paths(r: &feastops::model::Registry) -> Vec<(String, String)> {
    r.projects["p"]
        .data_sources
        .values()
        .map(|s| (s.name.clone(), s.path.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn paths_built_from_file_and_the_working_directory_are_the_repo_paths_feast_stores() {
    let src = format!(
        "{HEAD}import os\nimport os.path as osp\nfrom pathlib import Path\n\
a = FileSource(name=\"a\", path=str(Path(__file__).parent / \"data\" / \"a.parquet\"), timestamp_field=\"ts\")\n\
b = FileSource(name=\"b\", path=os.path.join(os.path.dirname(os.path.abspath(__file__)), \"data\", \"b.parquet\"), timestamp_field=\"ts\")\n\
c = FileSource(name=\"c\", path=f\"{{os.getcwd()}}/c.parquet\", timestamp_field=\"ts\")\n\
d = FileSource(name=\"d\", path=\"{{}}/{{}}\".format(Path.cwd(), \"d.parquet\"), timestamp_field=\"ts\")\n\
e = FileSource(name=\"e\", path=\"%s/e_%02d.parquet\" % (osp.dirname(__file__), 7), timestamp_field=\"ts\")\n"
    );
    let sub = format!(
        "{HEAD}from pathlib import Path\nROOT = Path(__file__).resolve().parents[1]\n\
f = FileSource(name=\"f\", path=(ROOT / \"data\" / \"x\" / \"..\" / \"f.csv\").with_suffix(\".parquet\").as_posix(), timestamp_field=\"ts\")\n\
g = FileSource(name=\"g\", path=str(Path(__file__).parent.parent.joinpath(\"g.parquet\").resolve()), timestamp_field=\"ts\")\n"
    );
    let r = parse(&tree_at(&[("f.py", &src), ("sub/s.py", &sub)], None)).unwrap();
    let want = [
        ("a", "/repo/data/a.parquet"),
        ("b", "/repo/data/b.parquet"),
        ("c", "/repo/c.parquet"),
        ("d", "/repo/d.parquet"),
        ("e", "/repo/e_07.parquet"),
        // pathlib keeps `..` until resolve(): Feast stores it as written.
        ("f", "/repo/data/x/../f.parquet"),
        ("g", "/repo/g.parquet"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(paths(&r), want);
}

#[test]
fn file_is_refused_when_the_repo_directory_is_not_known() {
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}import os\ns = FileSource(name=\"s\", path=os.path.dirname(__file__), timestamp_field=\"ts\")\n"
        ),
    )]);
    assert!(msg.contains("f.py:4:"), "{msg}");
    assert!(msg.contains("`__file__`"), "{msg}");
}

#[test]
fn environment_defaults_are_used_and_noted_and_variables_without_one_are_refused() {
    let src = format!(
        "{HEAD}import os\nDATA = os.environ.get(\"DATA\", \"data\")\nTS = os.getenv(\"TS\", default=\"ts\")\n\
s = FileSource(name=\"s\", path=f\"{{DATA}}/s.parquet\", timestamp_field=TS)\n"
    );
    let r = parse(&tree_at(&[("f.py", &src)], None)).unwrap();
    assert_eq!(paths(&r), [("s".to_string(), "data/s.parquet".to_string())]);
    let notes: Vec<String> = r.notes.iter().map(ToString::to_string).collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].starts_with("f.py:4: environment variable `DATA` read with its default \"data\""),
        "{notes:?}"
    );
    let msg = errors_at(&[(
        "f.py",
        &format!(
            "{HEAD}import os\ns = FileSource(name=\"s\", path=os.environ[\"DATA\"], timestamp_field=\"ts\")\n"
        ),
    )]);
    assert!(msg.contains("f.py:4:"), "{msg}");
    assert!(msg.contains("environment variable `DATA`"), "{msg}");
    assert!(msg.contains("--via-feast"), "{msg}");
    let msg = errors_at(&[(
        "f.py",
        &format!(
            "{HEAD}import os\ns = FileSource(name=\"s\", path=os.getenv(\"DATA\"), timestamp_field=\"ts\")\n"
        ),
    )]);
    assert!(
        msg.contains("environment variable `DATA` (no default"),
        "{msg}"
    );
}

const SRC: &str = "s = FileSource(name=\"s\", path=\"s.parquet\", timestamp_field=\"ts\")\nuser = Entity(name=\"user\", value_type=ValueType.INT64)\n";

fn view_features(r: &feastops::model::Registry, view: &str) -> Vec<String> {
    r.projects["p"].feature_views[view]
        .features
        .iter()
        .map(|f| format!("{}:{}", f.name, f.dtype))
        .collect()
}

#[test]
fn loops_comprehensions_and_conditions_over_known_values_build_views() {
    let src = format!(
        "{HEAD}{SRC}FEATURES = [\"b\", \"a\", \"c\"]\nTYPES = {{\"a\": Int64}}\n\
VIEWS = {{\"v1\": FEATURES[:2], \"v2\": [f.upper() for f in FEATURES if f != \"a\"]}}\n\
for name, cols in VIEWS.items():\n    globals()[name] = FeatureView(name=name, entities=[user], source=s,\n        schema=[Field(name=c, dtype=TYPES.get(c, Float32)) for c in cols])\n\
extra = []\nfor i, f in enumerate(sorted(FEATURES)):\n    if i % 2 == 0 and f not in {{\"zz\": 1}}:\n        extra.append(Field(name=f\"{{f}}_{{i}}\", dtype=Int64))\n    else:\n        continue\n\
if len(extra) == 2 and not False:\n    v3 = FeatureView(name=\"v3\", entities=[user], source=s, schema=extra)\nelse:\n    v3 = None\n\
v4 = FeatureView(name=\"v4\", entities=[user], source=s, schema=[Field(name=k, dtype=Float32) for k, _ in zip(\"xyz\", range(2))] * 1)\n"
    );
    let r = parse(&tree(&[("f.py", &src)])).unwrap();
    assert_eq!(view_features(&r, "v1"), ["b:Float32", "a:Int64"]);
    assert_eq!(view_features(&r, "v2"), ["B:Float32", "C:Float32"]);
    assert_eq!(view_features(&r, "v3"), ["a_0:Int64", "c_2:Int64"]);
    assert_eq!(view_features(&r, "v4"), ["x:Float32", "y:Float32"]);
    assert_eq!(r.projects["p"].feature_views.len(), 4);
}

#[test]
fn conditions_and_loops_over_unknown_values_are_refused_at_their_line() {
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}{SRC}import sys\nif sys.argv:\n    v = FeatureView(name=\"v\", entities=[user], source=s, schema=[])\nw = v\n"
        ),
    )]);
    assert!(msg.contains("f.py:6: an `if` whose condition is"), "{msg}");
    // What the block would have bound is unknown, not "not defined".
    assert!(!msg.contains("not defined"), "{msg}");
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}{SRC}x = [Field(name=n, dtype=Int64) for n in {{\"a\", \"b\"}}]\nv = FeatureView(name=\"v\", entities=[user], source=s, schema=x)\n"
        ),
    )]);
    assert!(msg.contains("f.py:5:"), "{msg}");
    assert!(msg.contains("a set"), "{msg}");
    let msg = errors(&[("f.py", &format!("{HEAD}i = 0\nwhile i < 3:\n    i += 1\n"))]);
    assert!(msg.contains("f.py:4: `while`"), "{msg}");
}

#[test]
fn helper_functions_are_run_and_each_call_builds_new_objects() {
    let helpers = format!(
        "{HEAD}from datetime import timedelta\nPREFIX = \"old\"\n\
def fields(*names, dtype=Float32):\n    out = []\n    for n in names:\n        out.append(Field(name=n, dtype=dtype))\n    return out\n\n\
def make_view(name, entity, source, feats, ttl_days=1, **tags):\n    \"\"\"Docstring.\"\"\"\n    schema = fields(*feats)\n    schema += fields(\"n\", dtype=Int64)\n    return FeatureView(name=f\"{{PREFIX}}_{{name}}\", entities=[entity], source=source,\n        ttl=timedelta(days=ttl_days), schema=schema, tags=tags)\n\n\
def entity(n):\n    return Entity(name=n, value_type=ValueType.INT64)\n\
PREFIX = \"new\"\n"
    );
    let views = format!(
        "{HEAD}from helpers import make_view, entity\ns = FileSource(name=\"s\", path=\"s.parquet\", timestamp_field=\"ts\")\n\
a = entity(\"a\")\nb = entity(\"b\")\n\
v1 = make_view(\"v1\", a, s, [\"x\", \"y\"], team=\"t\")\nv2 = make_view(\"v2\", b, s, feats=[\"z\"], ttl_days=2)\n\
pick = (lambda vs, i=0: vs[i])([v1, v2])\nsvc = FeatureService(name=\"svc\", features=[pick, v2[[\"n\"]]])\n"
    );
    let r = parse(&tree(&[("helpers.py", &helpers), ("views.py", &views)])).unwrap();
    let p = &r.projects["p"];
    let names: Vec<&String> = p.entities.keys().collect();
    assert_eq!(names, ["a", "b"]);
    // Module-level names are read when the function runs, as in Python.
    assert_eq!(
        view_features(&r, "new_v1"),
        ["x:Float32", "y:Float32", "n:Int64"]
    );
    assert_eq!(p.feature_views["new_v2"].ttl_seconds, Some(2 * 86400));
    assert_eq!(p.feature_views["new_v1"].meta.tags["team"], "t");
    let vector: Vec<String> = p.feature_services["svc"]
        .vector
        .iter()
        .map(|e| e.reference())
        .collect();
    assert_eq!(vector, ["new_v1:x", "new_v1:y", "new_v1:n", "new_v2:n"]);
    // Objects made by a function but bound to no module-level name are not
    // collected, as Feast collects module attributes only.
    let src = format!(
        "{HEAD}def mk():\n    e = Entity(name=\"hidden\", value_type=ValueType.INT64)\n    return 1\nx = mk()\n"
    );
    let r = parse(&tree(&[("f.py", &src)])).unwrap();
    assert!(r.projects["p"].entities.is_empty());
}

#[test]
fn function_bodies_feastops_cannot_follow_are_reported_at_their_line() {
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}def mk(n):\n    try:\n        return Entity(name=n)\n    except Exception:\n        return None\ne = mk(\"e\")\n"
        ),
    )]);
    assert!(msg.contains("f.py:4: `with`/`try`/`match` block"), "{msg}");
    assert!(msg.contains("--via-feast"), "{msg}");
    let msg = errors(&[(
        "f.py",
        &format!("{HEAD}def mk(n):\n    return Entity(name=n)\ne = mk()\n"),
    )]);
    assert!(
        msg.contains("f.py:5: calling `mk` raises TypeError: missing the argument `n`"),
        "{msg}"
    );
    let msg = errors(&[(
        "f.py",
        &format!("{HEAD}def f(n):\n    return f(n + 1)\nx = f(0)\n"),
    )]);
    assert!(msg.contains("calls nest deeper than"), "{msg}");
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}X = []\nfor i in range(100000):\n    for j in range(100):\n        X.append(j)\n"
        ),
    )]);
    assert!(msg.contains("runs more than"), "{msg}");
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}import functools\n@functools.lru_cache\ndef mk():\n    return Entity(name=\"e\")\ne = mk()\n"
        ),
    )]);
    assert!(
        msg.contains("f.py:7: a call to the function `mk`, wrapped by a decorator"),
        "{msg}"
    );
    assert!(msg.contains("may define Feast objects"), "{msg}");
}

#[test]
fn yaml_and_json_files_of_the_repo_are_loaded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("conf")).unwrap();
    std::fs::write(
        dir.path().join("conf/views.yaml"),
        "# views\nv:\n  features: [b, a]\n  path: data/v.parquet\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("conf/types.json"),
        r#"{"a": "int", "b": "float"}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("conf/bad.yaml"), "online: yes\n").unwrap();
    let src = format!(
        "{HEAD}{SRC}import json, yaml\nfrom pathlib import Path\nCONF = Path(__file__).parent / \"conf\"\n\
cfg = yaml.safe_load(open(CONF / \"views.yaml\"))[\"v\"]\n\
with open(\"conf/types.json\") as fh:\n    types = json.load(fh)\n\
assert (CONF / \"types.json\").exists() and not (CONF / \"nope.json\").is_file() and CONF.is_dir()\n\
T = {{\"int\": Int64, \"float\": Float32}}\n\
src = FileSource(name=\"src\", path=cfg[\"path\"], timestamp_field=\"ts\")\n\
v = FeatureView(name=\"v\", entities=[user], source=src, schema=[Field(name=f, dtype=T[types[f]]) for f in cfg[\"features\"]])\n"
    );
    let r = parse(&tree_at(&[("f.py", &src)], Some(dir.path()))).unwrap();
    assert_eq!(view_features(&r, "v"), ["b:Float32", "a:Int64"]);

    let bad = format!(
        "{HEAD}import yaml\nfrom pathlib import Path\nCONF = yaml.safe_load((Path(__file__).parent / \"conf\" / \"bad.yaml\").read_text())\n\
e = Entity(name=\"e\", description=str(CONF[\"online\"]))\n"
    );
    let msg = match parse(&tree_at(&[("f.py", &bad)], Some(dir.path()))) {
        Ok(r) => panic!("{r:?}"),
        Err(e) => e.to_string(),
    };
    assert!(msg.contains("f.py:5:"), "{msg}");
    assert!(msg.contains("PyYAML (YAML 1.1) reads differently"), "{msg}");

    let missing = format!("{HEAD}import json\nX = json.load(open(\"conf/missing.json\"))\n");
    let msg = match parse(&tree_at(&[("f.py", &missing)], Some(dir.path()))) {
        Ok(r) => panic!("{r:?}"),
        Err(e) => e.to_string(),
    };
    assert!(
        msg.contains("f.py:4: the file `conf/missing.json` is not in the feature repo"),
        "{msg}"
    );
}

#[test]
fn udf_of_a_repo_function_is_read_and_of_anything_else_refused() {
    let src = format!(
        "{HEAD}{SRC}from feast import BatchFeatureView\nimport mylib\ndef f(df):\n    return df\n\
v = BatchFeatureView(name=\"v\", entities=[user], source=s, schema=[Field(name=\"x\", dtype=Int64)], udf=f)\n"
    );
    let r = parse(&tree(&[("f.py", &src)])).unwrap();
    assert!(r.projects["p"].feature_views["v"].transformation.is_none());
    let msg = errors(&[("f.py", &src.replace("udf=f)", "udf=mylib.f)"))]);
    assert!(msg.contains("f.py:9:"), "{msg}");
    assert!(msg.contains("`udf=`"), "{msg}");
}

#[test]
fn the_repo_directory_is_its_physical_path_and_resolve_follows_links() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir_all(real.join("data_real")).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
    std::os::unix::fs::symlink("data_real", real.join("data")).unwrap();
    std::fs::write(real.join("feature_store.yaml"), "project: p\n").unwrap();
    std::fs::write(
        real.join("f.py"),
        format!(
            "{HEAD}import os\nfrom pathlib import Path\n\
a = FileSource(name=\"a\", path=os.path.join(os.getcwd(), \"data\", \"a.parquet\"), timestamp_field=\"ts\")\n\
b = FileSource(name=\"b\", path=str((Path(__file__).parent / \"data\" / \"b.parquet\").resolve()), timestamp_field=\"ts\")\n"
        ),
    )
    .unwrap();
    let r = feastops::sources::repo::load_dir(&dir.path().join("link")).unwrap();
    let real = std::fs::canonicalize(&real).unwrap();
    let real = real.to_str().unwrap();
    assert_eq!(
        paths(&r),
        [
            ("a".to_string(), format!("{real}/data/a.parquet")),
            ("b".to_string(), format!("{real}/data_real/b.parquet")),
        ]
    );
}

#[test]
fn library_calls_at_module_level_are_harmless_unless_handed_a_repo_function() {
    let src = format!(
        "{HEAD}import logging, functools\nlogger = logging.getLogger(__name__)\nlogger.setLevel(logging.INFO)\nlogger.info(\"loading\")\ne = Entity(name=\"e\", value_type=ValueType.INT64)\n"
    );
    let r = parse(&tree(&[("f.py", &src)])).unwrap();
    assert_eq!(r.projects["p"].entities.len(), 1);
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}import functools\ndef mk(n):\n    return Entity(name=n)\nmake = functools.partial(mk, \"x\")\ne = make()\n"
        ),
    )]);
    assert!(
        msg.contains("f.py:7: a call to the result of `functools.partial(...)`"),
        "{msg}"
    );
    assert!(msg.contains("may define Feast objects"), "{msg}");
}

#[test]
fn sets_are_known_for_membership_and_in_place_changes_are_followed_or_refused() {
    let src = format!(
        "{HEAD}{SRC}SKIP = {{\"b\"}}\nSKIP.add(\"c\")\nNAMES = sorted({{\"d\", \"a\", \"b\", \"c\"}} - set() if False else {{\"d\", \"a\", \"b\", \"c\"}})\n\
v = FeatureView(name=\"v\", entities=[user], source=s, schema=[Field(name=n, dtype=Int64) for n in NAMES if n not in SKIP])\n"
    );
    let r = parse(&tree(&[("f.py", &src)])).unwrap();
    assert_eq!(view_features(&r, "v"), ["a:Int64", "d:Int64"]);
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}{SRC}L = [\"b\", \"a\"]\nL.sort()\nv = FeatureView(name=\"v\", entities=[user], source=s, schema=[Field(name=n, dtype=Int64) for n in L])\n"
        ),
    )]);
    assert!(msg.contains("f.py:6: `L.sort(...)`"), "{msg}");
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}{SRC}L = [\"b\", \"a\"]\nfirst = L.pop()\nv = FeatureView(name=\"v\", entities=[user], source=s, schema=[Field(name=n, dtype=Int64) for n in L])\n"
        ),
    )]);
    assert!(
        msg.contains("`L` after `L.pop(...)` changed it in place"),
        "{msg}"
    );
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}{SRC}v = FeatureView(name=\"v\", entities=[user], source=s, schema=[Field(name=n, dtype=Int64) for n in {{\"a\", \"b\"}}])\n"
        ),
    )]);
    assert!(
        msg.contains("a comprehension over a set (its order is Python's hash order)"),
        "{msg}"
    );
}

#[test]
fn yaml_load_with_a_plain_data_loader_reads_like_safe_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yaml"), "names: [x, y]\n").unwrap();
    let src = format!(
        "{HEAD}{SRC}import yaml\nA = yaml.load(open(\"c.yaml\"), Loader=yaml.SafeLoader)[\"names\"]\nB = yaml.full_load(open(\"c.yaml\"))[\"names\"]\n\
v = FeatureView(name=\"v\", entities=[user], source=s, schema=[Field(name=n, dtype=Int64) for n in A + B])\n"
    );
    let r = parse(&tree_at(&[("f.py", &src)], Some(dir.path()))).unwrap();
    assert_eq!(
        view_features(&r, "v"),
        ["x:Int64", "y:Int64", "x:Int64", "y:Int64"]
    );
}

#[test]
fn changing_a_container_another_name_shares_is_refused() {
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}{SRC}def add(schema, n):\n    schema.append(Field(name=n, dtype=Int64))\nBASE = []\nadd(BASE, \"a\")\nv = FeatureView(name=\"v\", entities=[user], source=s, schema=BASE)\n"
        ),
    )]);
    assert!(
        msg.contains("f.py:6: `schema.append(...)` changes a container another name shares"),
        "{msg}"
    );
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}{SRC}A = [Field(name=\"a\", dtype=Int64)]\nB = A\nB += [Field(name=\"b\", dtype=Int64)]\nv = FeatureView(name=\"v\", entities=[user], source=s, schema=A)\n"
        ),
    )]);
    assert!(msg.contains("f.py:7: `B += ...` changes in place"), "{msg}");
    // A list built in the function is its own: changing it is followed.
    let src = format!(
        "{HEAD}{SRC}def mk(names):\n    out = []\n    for n in names:\n        out.append(Field(name=n, dtype=Int64))\n    out += []\n    return out\nv = FeatureView(name=\"v\", entities=[user], source=s, schema=mk([\"a\"]) + mk([\"b\"]))\n"
    );
    let r = parse(&tree(&[("f.py", &src)])).unwrap();
    assert_eq!(view_features(&r, "v"), ["a:Int64", "b:Int64"]);
}

#[test]
fn changing_the_environment_is_refused() {
    let msg = errors(&[(
        "f.py",
        &format!(
            "{HEAD}import os\nos.environ.setdefault(\"DATA\", \"x\")\ne = Entity(name=os.getenv(\"DATA\", \"e\"))\n"
        ),
    )]);
    assert!(
        msg.contains("f.py:4: `os.environ.setdefault(...)` changes the environment"),
        "{msg}"
    );
}

#[test]
fn primitive_feast_type_members_are_the_feast_types_they_alias() {
    let r = parse(&tree(&[(
        "f.py",
        "from feast import Field, RequestSource\nfrom feast.types import PrimitiveFeastType\nreq = RequestSource(name=\"req\", schema=[Field(name=\"a\", dtype=PrimitiveFeastType.INT64), Field(name=\"t\", dtype=PrimitiveFeastType.UNIX_TIMESTAMP)])\n",
    )]))
    .unwrap();
    let schema = &r.projects["p"].data_sources["req"].schema;
    assert_eq!(schema[0].dtype.to_string(), "Int64");
    assert_eq!(schema[1].dtype.to_string(), "UnixTimestamp");
}
