//! Files generated from the code are committed so editors and GitHub can
//! read them; these tests fail when they drift. Regenerate with
//! `FEASTOPS_BLESS=1 cargo test --test generated_files`.

use std::path::{Path, PathBuf};

use feastops::lint::Catalog;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bless() -> bool {
    std::env::var_os("FEASTOPS_BLESS").is_some()
}

fn check(path: &Path, expected: &str) {
    if bless() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is out of date; run `FEASTOPS_BLESS=1 cargo test --test generated_files`",
        path.display()
    );
}

#[test]
fn config_schema_matches_the_types() {
    check(
        &root().join("schemas/feastops-config.schema.json"),
        &feastops::config::json_schema(),
    );
}

#[test]
fn rule_docs_match_the_catalog() {
    let dir = root().join("docs/rules");
    let catalog = Catalog::get();
    for r in &catalog.rules {
        check(
            &dir.join(format!("{}.md", r.name)),
            &feastops::report::ruledoc::markdown(r),
        );
    }
    // No page for a rule that no longer exists.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(rule) = name.strip_suffix(".md") else {
            continue;
        };
        if rule == "README" {
            continue;
        }
        assert!(
            catalog.find(rule).is_some(),
            "docs/rules/{name} documents no rule"
        );
    }
}

#[test]
fn shipped_schema_accepts_the_documented_example() {
    // The schema is what editors use: it must know every key the parser does.
    let schema: serde_json::Value = serde_json::from_str(&feastops::config::json_schema()).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for key in [
        "$schema", "mode", "fail-on", "rules", "include", "exclude", "ignore", "models",
    ] {
        assert!(props.contains_key(key), "schema lacks `{key}`");
    }
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    let names = &props["rules"]["propertyNames"]["enum"];
    assert!(
        names
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "feature-removed")
    );
}
