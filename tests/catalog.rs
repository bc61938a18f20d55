//! The rule catalog and the rule modules stay in step: one TOML per rule,
//! one source file per rule, unique codes and names.

use std::collections::BTreeSet;
use std::path::Path;

use feastops::lint::Catalog;
use feastops::lint::catalog::RULE_FILES;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stems(dir: &str, ext: &str) -> BTreeSet<String> {
    std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .filter(|s| s != "mod")
        .collect()
}

#[test]
fn every_catalog_file_is_embedded() {
    let embedded: BTreeSet<String> = RULE_FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(embedded, stems("rules", "toml"));
}

/// Rules emitted after comparison, by the policy pass, not by a compare rule.
const POLICY_RULES: &[&str] = &[feastops::policy::UNUSED_IGNORE];

#[test]
fn every_rule_has_a_module_and_every_module_a_rule() {
    let mut modules: BTreeSet<String> = stems("src/lint/rules", "rs")
        .into_iter()
        .chain(stems("src/contract/rules", "rs"))
        .map(|s| s.replace('_', "-"))
        .collect();
    modules.extend(POLICY_RULES.iter().map(|s| s.to_string()));
    assert_eq!(modules, stems("rules", "toml"));
}

#[test]
fn names_codes_and_files_agree() {
    let c = Catalog::get();
    let mut codes = BTreeSet::new();
    for (file, doc) in RULE_FILES.iter().map(|(f, _)| f).zip(&c.rules) {
        assert_eq!(*file, doc.name);
        assert!(
            codes.insert(doc.code.clone()),
            "duplicate code {}",
            doc.code
        );
        assert!(
            doc.code.starts_with("FO") && doc.code.len() == 5,
            "{}",
            doc.code
        );
        assert!(
            !doc.rationale.trim().is_empty()
                && !doc.fix.trim().is_empty()
                && !doc.example.before.trim().is_empty()
        );
        if POLICY_RULES.contains(&doc.name.as_str()) {
            continue;
        }
        let file = format!("{}.rs", doc.name.replace('-', "_"));
        let dir = if doc.name.starts_with("model-") {
            "src/contract/rules"
        } else {
            "src/lint/rules"
        };
        let module = std::fs::read_to_string(root().join(dir).join(file)).unwrap();
        assert!(
            module.contains(&format!("pub const NAME: &str = \"{}\";", doc.name)),
            "{} module NAME",
            doc.name
        );
    }
}
