//! The model contract on real artifacts: every model in tests/fixtures/models
//! was trained by scripts/fixtures/models/generate.py on the bundled
//! example repo's services with the real library, and is checked here
//! against that repo, read statically.

mod common;

use std::path::{Path, PathBuf};

use feastops::contract::{self, Binding, Inputs, Runtime, check_models};
use feastops::lint::Level;
use feastops::model::Registry;
use feastops::sources::{SourceSpec, load};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> Registry {
    load(&SourceSpec::Repo(root().join("examples/feature_repo"))).unwrap()
}

/// Checks one model against one service of `schema`.
fn check_one(schema: &Registry, service: &str, path: &str) -> Vec<feastops::lint::Finding> {
    let b = Binding {
        service: service.into(),
        path: model(path),
    };
    check_models(schema, &[b], None).unwrap()
}

/// `(rule, level)` of each finding, in order.
fn rules_of(f: &[feastops::lint::Finding]) -> Vec<(&'static str, Level)> {
    f.iter().map(|f| (f.rule, f.level)).collect()
}

fn model(name: &str) -> PathBuf {
    root().join("tests/fixtures/models").join(name)
}

fn service_of(name: &str) -> &'static str {
    if name.starts_with("lite_") {
        "attrition_model_lite"
    } else {
        "attrition_model_v1"
    }
}

/// `(rule, level, feature)` of every finding for one model.
fn verdicts(name: &str) -> Vec<(String, Level, Option<String>)> {
    let b = Binding {
        service: service_of(name).into(),
        path: model(name),
    };
    check_models(&example(), &[b], None)
        .unwrap()
        .into_iter()
        .map(|f| (f.rule.to_string(), f.level, f.feature))
        .collect()
}

fn v(rule: &str, level: Level, feature: Option<&str>) -> (String, Level, Option<String>) {
    (rule.into(), level, feature.map(str::to_string))
}

#[test]
fn readers_tell_the_kind_by_content() {
    let kinds = [
        ("v1_feast", Runtime::FeastRefs),
        ("v1_feast/model", Runtime::Mlflow),
        ("lite_mlflow_exact/MLmodel", Runtime::Mlflow),
        ("v1_onnx_width/model.onnx", Runtime::Onnx),
        ("lite_xgb_extra/model.json", Runtime::XGBoost),
        ("lite_lgbm_reordered/model.txt", Runtime::LightGbm),
    ];
    for (name, runtime) in kinds {
        assert_eq!(
            contract::read(&model(name)).unwrap().runtime,
            runtime,
            "{name}"
        );
    }
}

#[test]
fn readers_return_what_the_libraries_recorded() {
    let onnx = contract::read(&model("v1_onnx_width/model.onnx")).unwrap();
    assert!(matches!(
        onnx.inputs,
        Inputs::Positional { width: Some(7), .. }
    ));
    let lgbm = contract::read(&model("lite_lgbm_reordered/model.txt")).unwrap();
    let Inputs::Columns(cols) = lgbm.inputs else {
        panic!("named LightGBM model")
    };
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["overtime", "tenure", "attrition_rate"]);
    let refs = contract::read(&model("v1_feast/feast_features.json")).unwrap();
    let Inputs::Columns(cols) = refs.inputs else {
        panic!("refs")
    };
    assert_eq!(cols[0].name, "employee_features:tenure");
    assert_eq!(cols.len(), 9);
    let named = contract::read(&model("lite_onnx_named/model.onnx")).unwrap();
    let Inputs::Columns(cols) = named.inputs else {
        panic!("one ONNX input per column")
    };
    let names: Vec<(&str, String)> = cols
        .iter()
        .map(|c| (c.name.as_str(), c.dtype.as_ref().unwrap().to_string()))
        .collect();
    assert_eq!(
        names,
        [
            ("tenure", "tensor(float)".to_string()),
            ("overtime", "tensor(int64)".to_string()),
            ("attrition_rate", "tensor(float)".to_string())
        ]
    );
    let nosig = contract::read(&model("v1_mlflow_nosig")).unwrap();
    assert!(matches!(nosig.inputs, Inputs::Unknown { .. }));
}

#[test]
fn exact_models_pass() {
    for name in [
        "lite_mlflow_exact",
        "lite_onnx_named",
        "lite_feast",
        "v1_feast",
        "v1_feast/model",
        "v1_xgb_full_names",
    ] {
        assert_eq!(verdicts(name), [], "{name}");
    }
}

#[test]
fn each_mismatch_gets_its_verdict() {
    use Level::*;
    let cases = [
        (
            "lite_lgbm_reordered",
            vec![v("model-input-reordered", Error, Some("overtime"))],
        ),
        (
            "lite_xgb_extra",
            vec![v("model-input-extra", Error, Some("attrition_rate"))],
        ),
        (
            "lite_mlflow_missing",
            vec![v("model-input-missing", Error, Some("salary_band"))],
        ),
        (
            "lite_mlflow_renamed",
            vec![v("model-input-renamed", Error, Some("overtime_hours"))],
        ),
        (
            // MLflow refuses int64 for an `integer` input, up-casts float32
            // to `double` itself.
            "lite_mlflow_dtype",
            vec![
                v("model-input-dtype", Error, Some("overtime")),
                v("model-input-dtype", Info, Some("tenure")),
            ],
        ),
        (
            // The same float32 served for a double input: MLflow up-casts
            // it (lite_mlflow_dtype), onnxruntime refuses it.
            "lite_onnx_dtype",
            vec![v("model-input-dtype", Error, Some("tenure"))],
        ),
        ("v1_onnx_width", vec![v("model-input-width", Error, None)]),
        (
            "v1_onnx_positional",
            vec![v("model-unverifiable", Warning, None)],
        ),
        (
            "v1_mlflow_nosig",
            vec![v("model-unverifiable", Warning, None)],
        ),
        (
            "v1_mlflow_historical",
            vec![
                v("model-input-missing", Error, Some("days_since_review")),
                v("model-input-missing", Error, Some("employee_id")),
                v("model-input-missing", Error, Some("requested_raise_pct")),
            ],
        ),
    ];
    for (name, want) in cases {
        assert_eq!(verdicts(name), want, "{name}");
    }
}

#[test]
fn historical_frame_columns_are_explained() {
    let b = Binding {
        service: "attrition_model_v1".into(),
        path: model("v1_mlflow_historical"),
    };
    let f = check_models(&example(), &[b], None).unwrap();
    for f in &f {
        let hint = f.hint.as_deref().unwrap_or_default();
        assert!(hint.contains("offline frame"), "{hint}");
    }
}

#[test]
fn the_expected_row_is_shown_beside_the_served_vector() {
    let b = Binding {
        service: "attrition_model_lite".into(),
        path: model("lite_lgbm_reordered"),
    };
    let f = check_models(&example(), &[b], None).unwrap();
    let vector = f[0].vector.as_ref().unwrap();
    let row = |v: &[feastops::model::VectorEntry]| -> Vec<String> {
        v.iter().map(|e| e.reference()).collect()
    };
    assert_eq!(
        row(&vector.before),
        [
            "employee_features:overtime",
            "employee_features:tenure",
            "dept:attrition_rate"
        ]
    );
    assert_eq!(
        row(&vector.after),
        [
            "employee_features:tenure",
            "employee_features:overtime",
            "dept:attrition_rate"
        ]
    );
}

#[test]
fn any_source_serves_the_same_vector() {
    // The same model against the example's lock file gives the same verdict.
    let lock = load(
        &SourceSpec::parse(
            root()
                .join("examples/production.lock.json")
                .to_str()
                .unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let b = Binding {
        service: "attrition_model_lite".into(),
        path: model("lite_xgb_extra"),
    };
    let rules: Vec<&str> = check_models(&lock, &[b], None)
        .unwrap()
        .iter()
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, ["model-input-extra"]);
}

fn check_cli(fixture: &str, format: &str) -> (String, i32) {
    let out = common::bin()
        .current_dir(root())
        .args([
            "check-models",
            "examples/feature_repo",
            "--no-config",
            "--format",
            format,
        ])
        .arg("--model")
        .arg(format!(
            "{}=tests/fixtures/models/{fixture}",
            service_of(fixture)
        ))
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

/// Each verdict reaches every format with the model file as its location.
#[test]
fn every_format_carries_the_finding_at_the_model_file() {
    let cases = [
        (
            "lite_lgbm_reordered",
            "model-input-reordered",
            "FO953",
            "model.txt",
            1,
        ),
        (
            "lite_xgb_extra",
            "model-input-extra",
            "FO952",
            "model.json",
            1,
        ),
        (
            "lite_mlflow_missing",
            "model-input-missing",
            "FO951",
            "MLmodel",
            1,
        ),
        (
            "lite_mlflow_renamed",
            "model-input-renamed",
            "FO954",
            "MLmodel",
            1,
        ),
        (
            "lite_mlflow_dtype",
            "model-input-dtype",
            "FO956",
            "MLmodel",
            1,
        ),
        (
            "v1_onnx_width",
            "model-input-width",
            "FO955",
            "model.onnx",
            1,
        ),
        (
            "v1_mlflow_nosig",
            "model-unverifiable",
            "FO957",
            "MLmodel",
            0,
        ),
    ];
    for (fixture, rule, code, file, exit) in cases {
        let file = format!("tests/fixtures/models/{fixture}/{file}");
        let (json, status) = check_cli(fixture, "json");
        assert_eq!(status, exit, "{fixture}");
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        let f = &doc["findings"][0];
        assert_eq!(f["rule"], rule, "{fixture}");
        assert_eq!(f["location"]["file"], file.as_str(), "{fixture}");
        assert_eq!(
            f["object"],
            format!("feature_service/{}", service_of(fixture))
        );

        let (sarif, _) = check_cli(fixture, "sarif");
        let doc: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let r = &doc["runs"][0]["results"][0];
        assert_eq!(r["ruleId"], rule);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            file.as_str()
        );

        let (gh, _) = check_cli(fixture, "github");
        assert!(
            gh.contains(&format!("file={file},line=1,title={code} {rule}")),
            "{gh}"
        );

        let (md, _) = check_cli(fixture, "markdown");
        assert!(md.contains(rule) && md.contains(&file), "{md}");

        let (junit, _) = check_cli(fixture, "junit");
        assert!(
            junit.contains(&format!("name=\"{rule}\"")) && junit.contains(&file),
            "{junit}"
        );

        let (text, _) = check_cli(fixture, "text");
        assert!(
            text.contains(&format!("[{code} {rule}]")) && text.contains(&format!("--> {file}:1")),
            "{text}"
        );
    }
}

/// A copy of the example repo with one text edit, for lint scenarios.
fn edited_repo(dir: &Path, old: &str, new: &str) -> PathBuf {
    let repo = dir.join("feature_repo");
    std::fs::create_dir_all(&repo).unwrap();
    let src = root().join("examples/feature_repo");
    std::fs::copy(
        src.join("feature_store.yaml"),
        repo.join("feature_store.yaml"),
    )
    .unwrap();
    let text = std::fs::read_to_string(src.join("features.py")).unwrap();
    assert_eq!(text.matches(old).count(), 1, "{old}");
    std::fs::write(repo.join("features.py"), text.replace(old, new)).unwrap();
    repo
}

/// Appending an output to the last view of a service only warns in the
/// registry diff (no trained position moves); for the model logged with
/// feast_features.json it is an extra input Feast's resolution refuses:
/// the lint fails although the diff looks harmless.
#[test]
fn lint_checks_models_against_the_proposed_schema() {
    let dir = tempfile::tempdir().unwrap();
    let repo = edited_repo(
        dir.path(),
        "        Field(name=\"review_overdue\", dtype=Int64),\n",
        "        Field(name=\"review_overdue\", dtype=Int64),\n        Field(name=\"raise_gap\", dtype=Float64),\n",
    );
    let lint = |with_model: bool| {
        let mut cmd = common::bin();
        cmd.current_dir(root()).arg("lint").arg(&repo).args([
            "--against",
            "examples/feature_repo",
            "--no-config",
            "--format",
            "json",
        ]);
        if with_model {
            cmd.args([
                "--model",
                "attrition_model_v1=tests/fixtures/models/v1_feast/feast_features.json",
            ]);
        }
        let out = cmd.output().unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (doc, out.status.code().unwrap())
    };
    let (doc, status) = lint(false);
    assert_eq!(status, 0, "{doc}");
    let (doc, status) = lint(true);
    assert_eq!(status, 1, "{doc}");
    let extra: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "model-input-extra")
        .collect();
    assert_eq!(extra.len(), 1, "{doc}");
    assert!(
        extra[0]["message"]
            .as_str()
            .unwrap()
            .contains("attrition_risk:raise_gap")
    );
    // The model keeps its own path, not the feature repo's prefix.
    assert_eq!(
        extra[0]["location"]["file"],
        "tests/fixtures/models/v1_feast/feast_features.json"
    );
}

/// `models.only-protect-consumed`: a breaking change on a service no bound
/// model uses is lowered to info; one a bound model uses is not.
#[test]
fn only_protect_consumed_lowers_findings_out_of_reach() {
    let dir = tempfile::tempdir().unwrap();
    // attrition_risk is served by attrition_model_v1 only.
    let repo = edited_repo(
        dir.path(),
        "        Field(name=\"review_overdue\", dtype=Int64),\n",
        "",
    );
    let config = |only: bool| {
        let p = dir.path().join(format!("feastops-{only}.yaml"));
        let models = root().join("tests/fixtures/models/lite_mlflow_exact");
        std::fs::write(
            &p,
            format!(
                "models:\n  only-protect-consumed: {only}\n  bind:\n    - service: attrition_model_lite\n      path: {}\n",
                models.display()
            ),
        )
        .unwrap();
        p
    };
    let run = |only: bool| {
        let out = common::bin()
            .current_dir(root())
            .arg("lint")
            .arg(&repo)
            .args([
                "--against",
                "examples/feature_repo",
                "--format",
                "json",
                "--config",
            ])
            .arg(config(only))
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (doc, out.status.code().unwrap())
    };
    let (doc, status) = run(false);
    assert_eq!(status, 1, "{doc}");
    let (doc, status) = run(true);
    assert_eq!(status, 0, "{doc}");
    let findings = doc["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(f["level"], "info", "{f}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("no configured model consumes it")
        );
    }

    // The same switch with a change to a view the bound model reads keeps
    // the error.
    let dir2 = tempfile::tempdir().unwrap();
    let repo2 = edited_repo(
        dir2.path(),
        "        Field(name=\"overtime\", dtype=Int64),\n        Field(name=\"promotion",
        "        Field(name=\"promotion",
    );
    let out = common::bin()
        .current_dir(root())
        .arg("lint")
        .arg(&repo2)
        .args([
            "--against",
            "examples/feature_repo",
            "--format",
            "json",
            "--config",
        ])
        .arg(config(true))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["level"] == "error")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"feature-removed"), "{rules:?}");
    assert!(rules.contains(&"model-input-missing"), "{rules:?}");
}

#[test]
fn bad_model_input_is_one_message_and_exit_2() {
    let cases = [
        (
            "attrition_model_lite=Cargo.toml",
            "not a model feastops can read",
        ),
        (
            "attrition_model_lite=tests/fixtures/models/nope",
            "matches no file",
        ),
        (
            "attrition_model_lit=tests/fixtures/models/lite_xgb_extra",
            "did you mean `attrition_model_lite`",
        ),
        ("no-equals-sign", "expected SERVICE=PATH"),
    ];
    for (arg, want) in cases {
        let out = common::bin()
            .current_dir(root())
            .args([
                "check-models",
                "examples/feature_repo",
                "--no-config",
                "--model",
                arg,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert!(out.stdout.is_empty(), "{arg}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(want), "{arg}: {err}");
    }
}

/// Feast's own check compares feast_features.json with the service as a
/// set: a swapped pair passes it. Here it is an error.
#[test]
fn a_swapped_pair_fails_the_feast_features_model() {
    let dir = tempfile::tempdir().unwrap();
    let repo = edited_repo(
        dir.path(),
        "        Field(name=\"tenure\", dtype=Float32),\n        Field(name=\"performance_score\", dtype=Float32),\n",
        "        Field(name=\"performance_score\", dtype=Float32),\n        Field(name=\"tenure\", dtype=Float32),\n",
    );
    let schema = load(&SourceSpec::Repo(repo)).unwrap();
    let f = check_one(
        &schema,
        "attrition_model_v1",
        "v1_feast/feast_features.json",
    );
    let got = rules_of(&f);
    assert_eq!(got, [("model-input-reordered", Level::Error)]);
    // The MLflow model of the same run binds by name: the swap is info.
    let f = check_one(&schema, "attrition_model_v1", "v1_feast/model");
    let got = rules_of(&f);
    assert_eq!(got, [("model-input-reordered", Level::Info)]);
}

/// RUNTIME.json records what the real runtime did when each model was fed
/// the vector its service serves (scripts/fixtures/models/generate.py): an
/// error-level verdict exactly where the runtime refused the request or
/// predicted silently wrong.
#[test]
fn verdicts_agree_with_the_runtimes() {
    let text = std::fs::read_to_string(model("RUNTIME.json")).unwrap();
    let observed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let observed = observed.as_object().unwrap();
    assert!(observed.len() >= 14, "{observed:?}");
    for (name, obs) in observed {
        let fails = verdicts(name)
            .iter()
            .any(|(_, level, _)| *level == Level::Error);
        match obs["outcome"].as_str().unwrap() {
            "ok" => assert!(!fails, "{name}: the runtime served it, feastops fails it"),
            "error" | "silently-wrong" => {
                assert!(
                    fails,
                    "{name}: the runtime broke ({obs}), feastops passes it"
                )
            }
            other => panic!("{name}: unknown outcome {other}"),
        }
    }
}

/// `models.bind` paths are relative to the config file, globs allowed.
#[test]
fn config_globs_bind_every_match() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, file) in [
        ("lite_xgb_extra", "model.json"),
        ("lite_lgbm_reordered", "model.txt"),
    ] {
        let to = dir.path().join("models").join(sub);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(model(sub).join(file), to.join(file)).unwrap();
    }
    let config = dir.path().join(".feastops.yaml");
    std::fs::write(
        &config,
        "models:\n  bind:\n    - service: attrition_model_lite\n      path: 'models/*/model.*'\n",
    )
    .unwrap();
    let out = common::bin()
        .current_dir(root())
        .args([
            "check-models",
            "examples/feature_repo",
            "--format",
            "json",
            "--config",
        ])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["location"]["file"].as_str().unwrap();
            let rel = Path::new(file).strip_prefix(dir.path()).unwrap();
            (
                f["rule"].as_str().unwrap().to_string(),
                rel.display().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "model-input-extra".to_string(),
                "models/lite_xgb_extra/model.json".to_string()
            ),
            (
                "model-input-reordered".to_string(),
                "models/lite_lgbm_reordered/model.txt".to_string()
            ),
        ]
    );
}

/// Feast cuts a long `feast.feature_refs` tag and appends `...`: the cut
/// ref is dropped, the known prefix checked, the rest said unverifiable.
#[test]
fn a_truncated_feast_features_list_is_checked_as_far_as_it_goes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feast_features.json");
    std::fs::write(
        &path,
        r#"["employee_features:tenure", "employee_features:performance_score", "employee_features:sal..."]"#,
    )
    .unwrap();
    let b = Binding {
        service: "attrition_model_v1".into(),
        path,
    };
    let f = check_models(&example(), &[b], None).unwrap();
    let got: Vec<(&str, Level)> = f.iter().map(|f| (f.rule, f.level)).collect();
    assert_eq!(got, [("model-unverifiable", Level::Warning)]);
    assert!(f[0].message.contains("after 2 refs"), "{}", f[0].message);
}

/// Feast writes an aliased projection's refs under the alias
/// (`dept:attrition_rate`): a new alias is a renamed input.
#[test]
fn a_changed_alias_renames_the_logged_ref() {
    let dir = tempfile::tempdir().unwrap();
    let repo = edited_repo(
        dir.path(),
        ".with_name(\"dept\")",
        ".with_name(\"department\")",
    );
    let schema = load(&SourceSpec::Repo(repo)).unwrap();
    let f = check_one(&schema, "attrition_model_lite", "lite_feast");
    let got = rules_of(&f);
    assert_eq!(got, [("model-input-renamed", Level::Error)]);
    assert!(
        f[0].message.contains("department:attrition_rate"),
        "{}",
        f[0].message
    );
}
