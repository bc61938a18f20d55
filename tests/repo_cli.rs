//! `feastops lint REPO_DIR --against ...` as a user runs it: feature repo
//! directories, git refs (also in shallow clones), the --via-feast fallback,
//! and bad input.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feast")
}

fn feastops() -> Command {
    Command::cargo_bin("feastops").unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Replaces the repo under `dir/feast` with fixture `variant` and commits.
fn commit_variant(repo: &git2::Repository, dir: &Path, variant: &str) {
    let feast = dir.join("feast");
    if feast.exists() {
        std::fs::remove_dir_all(&feast).unwrap();
    }
    copy_dir(&fixtures().join("repos").join(variant), &feast);
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("t", "t@example.com").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, variant, &tree, &parents)
        .unwrap();
}

/// A git repo whose history is: base, then feature_removed.
fn two_commit_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(tmp.path()).unwrap();
    commit_variant(&repo, tmp.path(), "base");
    commit_variant(&repo, tmp.path(), "feature_removed");
    tmp
}

#[test]
fn repo_dir_against_registry_flags_the_removed_feature_at_its_line() {
    feastops()
        .args(["lint"])
        .arg(fixtures().join("repos/feature_removed"))
        .arg("--against")
        .arg(fixtures().join("registries/base.db"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FO101 feature-removed"))
        // Paths are shown relative to the working directory (the repo root in CI).
        .stdout(predicate::str::contains(
            "--> tests/fixtures/feast/repos/feature_removed/features.py:",
        ));
}

#[test]
fn repo_dir_defaults_to_the_current_directory() {
    feastops()
        .current_dir(fixtures().join("repos/base"))
        .args(["lint", "--against"])
        .arg(fixtures().join("registries/base.db"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 error(s)"));
}

#[test]
fn proposed_flag_still_works() {
    feastops()
        .args(["lint", "--proposed"])
        .arg(fixtures().join("repos/dtype_changed"))
        .arg("--against")
        .arg(fixtures().join("registries/base.db"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("feature-dtype-changed"));
}

#[test]
fn git_ref_base_uses_the_same_repo_path_by_default() {
    let tmp = two_commit_repo();
    feastops()
        .args(["lint"])
        .arg(tmp.path().join("feast"))
        .args(["--against", "git:HEAD~1", "--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"rule\": \"feature-removed\""));
    // The working copy is not touched: still the proposed variant.
    let text = std::fs::read_to_string(tmp.path().join("feast/features.py")).unwrap();
    assert!(!text.contains("Field(name=\"overtime\""));
}

#[test]
fn git_ref_with_explicit_path_and_git_source_as_proposed() {
    let tmp = two_commit_repo();
    feastops()
        .current_dir(tmp.path())
        .args([
            "lint",
            "--proposed",
            "git:HEAD:feast",
            "--against",
            "git:HEAD~1:feast",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("feature-removed"));
    feastops()
        .current_dir(tmp.path())
        .args(["snapshot", "--from", "git:HEAD~1:feast", "-o", "-"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"overtime\""));
}

#[test]
fn missing_git_ref_exits_2_with_a_fetch_hint() {
    let tmp = two_commit_repo();
    feastops()
        .args(["lint"])
        .arg(tmp.path().join("feast"))
        .args(["--against", "git:no-such-branch"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("git:no-such-branch: no such ref"))
        .stderr(predicate::str::contains("git fetch"));
}

#[test]
fn shallow_clone_reads_refs_it_has_and_explains_the_ones_it_lacks() {
    let origin = two_commit_repo();
    let work = tempfile::tempdir().unwrap();
    let clone = work.path().join("clone");
    let url = format!("file://{}", origin.path().display());
    let st = StdCommand::new("git")
        .args(["clone", "--quiet", "--depth", "1", &url])
        .arg(&clone)
        .status()
        .expect("git is installed");
    assert!(st.success());
    let shallow = git2::Repository::open(&clone).unwrap();
    assert!(shallow.is_shallow());
    // The remote branch exists in the shallow clone: readable.
    let branch = shallow.head().unwrap().shorthand().unwrap().to_string();
    feastops()
        .arg("lint")
        .arg(clone.join("feast"))
        .args(["--against", &format!("git:origin/{branch}")])
        .assert()
        .code(0);
    // The parent commit is not: say how to fetch it.
    feastops()
        .arg("lint")
        .arg(clone.join("feast"))
        .args(["--against", "git:HEAD~1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shallow clone"))
        .stderr(predicate::str::contains("--deepen"));
}

fn write_repo(dir: &Path, features: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(
        fixtures().join("repos/base/feature_store.yaml"),
        dir.join("feature_store.yaml"),
    )
    .unwrap();
    std::fs::write(dir.join("features.py"), features).unwrap();
}

const HEADER: &str = "from datetime import timedelta\nfrom feast import Entity, FeatureView, Field, FileSource, ValueType\nfrom feast.types import Float32, Int64\n\nemployee = Entity(name=\"employee\", join_keys=[\"employee_id\"], value_type=ValueType.INT64)\nsrc = FileSource(name=\"employee_source\", path=\"data/e.parquet\", timestamp_field=\"event_timestamp\")\n";

#[test]
fn syntax_error_names_file_and_line_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    write_repo(
        tmp.path(),
        &format!(
            "{HEADER}\nview = FeatureView(name=\"v\",\n    schema=[Field(name=\"a\" dtype=Int64)],\n)\n"
        ),
    );
    let out = tmp.path().join("lock.json");
    feastops()
        .args(["snapshot", "--from"])
        .arg(tmp.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "features.py:9: Python syntax error",
        ));
    assert!(!out.exists());
}

#[test]
fn unknown_type_name_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    write_repo(
        tmp.path(),
        &format!(
            "{HEADER}import feast.types\nview = FeatureView(name=\"v\", entities=[employee], source=src,\n    schema=[Field(name=\"a\", dtype=feast.types.Int65)],\n)\n"
        ),
    );
    feastops()
        .args(["lint"])
        .arg(tmp.path())
        .arg("--against")
        .arg(fixtures().join("registries/base.db"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("features.py:9:"))
        .stderr(predicate::str::contains("unknown Feast type `Int65`"));
}

#[test]
fn missing_feature_store_yaml_says_what_to_pass() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("features.py"), HEADER).unwrap();
    feastops()
        .args(["lint"])
        .arg(tmp.path())
        .arg("--against")
        .arg(fixtures().join("registries/base.db"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no feature_store.yaml"));
}

/// A schema built from another library's result: only running it tells.
const LOOP_REPO: &str = "\nimport collections; NAMES = list(collections.OrderedDict.fromkeys([\"tenure\", \"overtime\"]))\nview = FeatureView(\n    name=\"employee_features\",\n    entities=[employee],\n    ttl=timedelta(days=7),\n    schema=[Field(name=n, dtype=Float32) for n in NAMES],\n    source=src,\n)\n";

#[test]
fn dynamic_schema_is_reported_with_its_line_and_the_fallback() {
    let tmp = tempfile::tempdir().unwrap();
    write_repo(tmp.path(), &format!("{HEADER}{LOOP_REPO}"));
    feastops()
        .args(["snapshot", "-o", "-", "--from"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("features.py:13:"))
        .stderr(predicate::str::contains("a comprehension"))
        .stderr(predicate::str::contains("--via-feast"));
}

#[test]
fn a_call_into_a_user_function_at_module_level_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    write_repo(
        tmp.path(),
        &format!(
            "{HEADER}\ndef make_view(name):\n    return FeatureView(name=name, entities=[employee], source=src, schema=[Field(name=\"x\", dtype=Int64)])\n\nv = make_view(\"v\")\n"
        ),
    );
    let out = feastops()
        .args(["snapshot", "-o", "-", "--from"])
        .arg(tmp.path())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let lock: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let view = &lock["projects"]["employee_attrition"]["feature_views"]["v"];
    assert_eq!(view["features"][0]["name"], "x");
    assert_eq!(
        view["location"]["line"], 9,
        "the view is located where it is built"
    );
}

/// The interpreter next to the feast that scripts/test installs.
fn feast_python() -> PathBuf {
    let feast = std::env::var("FEASTOPS_FEAST")
        .expect("FEASTOPS_FEAST must point at a feast binary (scripts/test sets it; or export FEASTOPS_FEAST=$PWD/.venv-feast/bin/feast)");
    let py = Path::new(&feast).parent().unwrap().join("python");
    assert!(py.exists(), "no python next to {feast}");
    py
}

fn via_feast_snapshot_cmd(py: &Path, repo: &Path) -> Command {
    let mut cmd = feastops();
    cmd.args(["snapshot", "-o", "-", "--via-feast", "--python"])
        .arg(py)
        .arg("--from")
        .arg(repo);
    cmd
}

/// The lock file `--via-feast` reads for `repo`.
fn via_feast_snapshot(py: &Path, repo: &Path) -> serde_json::Value {
    let out = via_feast_snapshot_cmd(py, repo).assert().code(0);
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn via_feast_reads_what_static_parsing_cannot() {
    let py = feast_python();
    let tmp = tempfile::tempdir().unwrap();
    write_repo(tmp.path(), &format!("{HEADER}{LOOP_REPO}"));
    let lock = via_feast_snapshot(&py, tmp.path());
    let features =
        &lock["projects"]["employee_attrition"]["feature_views"]["employee_features"]["features"];
    let names: Vec<&str> = features
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["tenure", "overtime"]);
    // The user's repo is left as it was: no registry written into it.
    assert!(!tmp.path().join("data").exists());
}

#[test]
fn via_feast_gives_the_same_findings_as_static_parsing() {
    let py = feast_python();
    let run = |extra: &[&str]| {
        let out = feastops()
            .arg("lint")
            .arg(fixtures().join("repos/feature_reordered"))
            .arg("--against")
            .arg(fixtures().join("registries/base.db"))
            .args(["--format", "json"])
            .args(extra)
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let mut v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        for f in v["findings"].as_array_mut().unwrap() {
            f.as_object_mut().unwrap().remove("location");
        }
        v
    };
    let via = run(&["--via-feast", "--python", py.to_str().unwrap()]);
    assert_eq!(run(&[]), via);
}

#[test]
fn via_feast_without_feast_says_how_to_get_it() {
    feastops()
        .arg("lint")
        .arg(fixtures().join("repos/base"))
        .arg("--against")
        .arg(fixtures().join("registries/base.db"))
        .args(["--via-feast", "--python", "/nonexistent/bin/python3"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("not found"))
        .stderr(predicate::str::contains("pip install feast"));
}

/// Every file under `dir` with its bytes, to prove a run left it untouched.
fn files_of(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The `feast init` shape: the entity's key type comes from the parquet
/// file, found through `__file__`. Feast can only apply it next to its data.
const DATA_INFERRED_REPO: &str = r#"from pathlib import Path
from datetime import timedelta
from feast import Entity, FeatureView, Field, FileSource
from feast.types import Float32

driver = Entity(name="driver", join_keys=["driver_id"])
stats = FileSource(
    name="driver_stats_source",
    path=str(Path(__file__).parent / "data" / "driver_stats.parquet"),
    timestamp_field="event_timestamp",
)
driver_stats = FeatureView(
    name="driver_stats",
    entities=[driver],
    ttl=timedelta(days=1),
    schema=[Field(name="conv_rate", dtype=Float32)],
    source=stats,
)
"#;

#[test]
fn via_feast_applies_the_repo_where_it_is_with_its_data_and_leaves_it_untouched() {
    let py = feast_python();
    let tmp = tempfile::tempdir().unwrap();
    write_repo(tmp.path(), DATA_INFERRED_REPO);
    std::fs::create_dir(tmp.path().join("data")).unwrap();
    let made = std::process::Command::new(&py)
        .arg("-c")
        .arg(
            "import sys, pandas as pd; pd.DataFrame({'driver_id': [1001, 1002], \
             'conv_rate': [0.5, 0.25], 'event_timestamp': pd.to_datetime(['2026-01-01', '2026-01-02'], utc=True)})\
             .to_parquet(sys.argv[1])",
        )
        .arg(tmp.path().join("data/driver_stats.parquet"))
        .status()
        .unwrap();
    assert!(made.success());
    let before = files_of(tmp.path());
    let lock = via_feast_snapshot(&py, tmp.path());
    // Feast types the view's entity column from the parquet file; the
    // Entity object itself keeps no type.
    let view = &lock["projects"]["employee_attrition"]["feature_views"]["driver_stats"];
    assert_eq!(view["entity_columns"][0]["name"], "driver_id", "{view}");
    assert_eq!(view["entity_columns"][0]["dtype"], "Int64", "{view}");
    assert_eq!(files_of(tmp.path()), before, "the repo was written to");
}

#[test]
fn via_feast_names_a_missing_data_file() {
    let py = feast_python();
    let tmp = tempfile::tempdir().unwrap();
    write_repo(tmp.path(), DATA_INFERRED_REPO);
    via_feast_snapshot_cmd(&py, tmp.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "a data file feast reads at apply is missing",
        ))
        .stderr(predicate::str::contains("driver_stats.parquet"));
}

#[test]
fn via_feast_names_the_line_where_the_users_code_raised() {
    let py = feast_python();
    let tmp = tempfile::tempdir().unwrap();
    write_repo(
        tmp.path(),
        &format!(
            "{HEADER}\ndef teams():\n    raise ValueError(\"no team config\")\n\nTEAMS = teams()\n"
        ),
    );
    via_feast_snapshot_cmd(&py, tmp.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "your code raised at features.py:9: ValueError: no team config",
        ));
}

/// The canonical breaking change as a developer makes it: the feature goes
/// from the view, the service that serves it is forgotten. It is a finding
/// at each line (visible in SARIF and annotations), not an input error.
#[test]
fn a_service_still_serving_a_removed_feature_is_two_findings_not_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("repos/base"), tmp.path());
    let features = tmp.path().join("features.py");
    let text = std::fs::read_to_string(&features).unwrap();
    let edited = text.replacen("        Field(name=\"overtime\", dtype=Int64),\n", "", 1);
    assert_ne!(text, edited, "the base repo changed: update this test");
    std::fs::write(&features, &edited).unwrap();
    let out = feastops()
        .arg("lint")
        .arg(tmp.path())
        .arg("--against")
        .arg(fixtures().join("registries/base.db"))
        .args(["--format", "sarif"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let sarif: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let found: Vec<(String, u64)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    let line = |needle: &str| edited.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let view_line = line("employee_features = FeatureView(");
    let lite_line = line("attrition_model_lite = FeatureService(");
    assert!(
        found.contains(&("feature-removed".into(), view_line)),
        "{found:?}"
    );
    assert!(
        found.contains(&("dangling-reference".into(), lite_line)),
        "{found:?}"
    );
}
