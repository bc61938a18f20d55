//! The CR linter: what the Feast Operator will *do* with a `FeatureStore`
//! that the CRD schema accepts but that breaks production. One rule per
//! file, each documented in `rules/cr/<name>.toml` (`feastops explain`).
//! Operator facts are cited from its Go source (v0.66) where a rule uses them.

mod apply_on_init_scaled;
mod batch_engine_file_store;
mod client_group_binding;
mod cronjob_applies;
mod git_token_literal;
mod image_by_tag;
mod mutable_git_ref;
mod no_feature_repo;
mod noauth_exposed;
mod pvc_no_backup;
mod workers_auto;

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

/// What a rule sees: one FeatureStore and every object beside it.
pub struct Cr<'a> {
    pub fs: &'a Value,
    pub others: &'a [&'a Value],
}

impl Cr<'_> {
    pub fn namespace(&self) -> &str {
        self.fs["metadata"]["namespace"].as_str().unwrap_or("")
    }
    pub fn spec(&self) -> &Value {
        &self.fs["spec"]
    }
    pub fn scales(&self) -> bool {
        scales(self.fs)
    }
}

/// Replicas > 1 or an HPA: more than one pod of the FeatureStore can run
/// (and start) at once.
pub fn scales(fs: &Value) -> bool {
    fs["spec"]["services"]["scaling"]
        .get("autoscaling")
        .is_some()
        || fs["spec"]["replicas"].as_i64().is_some_and(|r| r > 1)
}

/// A finding of one rule: the JSON path in the CR and what to do.
pub struct Hit {
    pub path: String,
    pub message: String,
}

type Check = fn(&Cr) -> Vec<Hit>;

/// Every rule: (name, check), in catalog order.
pub const RULES: &[(&str, Check)] = &[
    (no_feature_repo::NAME, no_feature_repo::check),
    (mutable_git_ref::NAME, mutable_git_ref::check),
    (git_token_literal::NAME, git_token_literal::check),
    (apply_on_init_scaled::NAME, apply_on_init_scaled::check),
    (cronjob_applies::NAME, cronjob_applies::check),
    (workers_auto::NAME, workers_auto::check),
    (noauth_exposed::NAME, noauth_exposed::check),
    (client_group_binding::NAME, client_group_binding::check),
    (pvc_no_backup::NAME, pvc_no_backup::check),
    (image_by_tag::NAME, image_by_tag::check),
    (
        batch_engine_file_store::NAME,
        batch_engine_file_store::check,
    ),
];

/// Runs every rule on one FeatureStore.
pub fn check(cr: &Cr) -> Vec<(&'static str, Hit)> {
    RULES
        .iter()
        .flat_map(|(name, check)| check(cr).into_iter().map(move |h| (*name, h)))
        .collect()
}

/// A CR rule's documentation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrRuleDoc {
    pub code: String,
    pub name: String,
    pub summary: String,
    pub rationale: String,
    pub fix: String,
    pub source: String,
    pub bad: String,
    pub good: String,
}

pub const RULE_FILES: &[(&str, &str)] = &[
    (
        no_feature_repo::NAME,
        include_str!("../../../rules/cr/cr-no-feature-repo.toml"),
    ),
    (
        mutable_git_ref::NAME,
        include_str!("../../../rules/cr/cr-mutable-git-ref.toml"),
    ),
    (
        git_token_literal::NAME,
        include_str!("../../../rules/cr/cr-git-token-literal.toml"),
    ),
    (
        apply_on_init_scaled::NAME,
        include_str!("../../../rules/cr/cr-apply-on-init-scaled.toml"),
    ),
    (
        cronjob_applies::NAME,
        include_str!("../../../rules/cr/cr-cronjob-applies.toml"),
    ),
    (
        workers_auto::NAME,
        include_str!("../../../rules/cr/cr-workers-auto.toml"),
    ),
    (
        noauth_exposed::NAME,
        include_str!("../../../rules/cr/cr-noauth-exposed.toml"),
    ),
    (
        client_group_binding::NAME,
        include_str!("../../../rules/cr/cr-client-group-binding.toml"),
    ),
    (
        pvc_no_backup::NAME,
        include_str!("../../../rules/cr/cr-pvc-no-backup.toml"),
    ),
    (
        image_by_tag::NAME,
        include_str!("../../../rules/cr/cr-image-by-tag.toml"),
    ),
    (
        batch_engine_file_store::NAME,
        include_str!("../../../rules/cr/cr-batch-engine-file-store.toml"),
    ),
];

/// The embedded CR rule catalog (checked by tests: a parse failure is a build defect).
pub fn catalog() -> &'static [CrRuleDoc] {
    static DOCS: OnceLock<Vec<CrRuleDoc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        RULE_FILES
            .iter()
            .map(|(name, text)| {
                toml::from_str(text).unwrap_or_else(|e| panic!("rules/cr/{name}.toml: {e}"))
            })
            .collect()
    })
}

/// A CR rule by name or code (case-insensitive code).
pub fn find(key: &str) -> Option<&'static CrRuleDoc> {
    catalog()
        .iter()
        .find(|r| r.name == key || r.code.eq_ignore_ascii_case(key))
}

#[cfg(test)]
pub(crate) fn lint_yaml(yaml: &str) -> Vec<(&'static str, String)> {
    let docs: Vec<Value> = yaml
        .split("\n---\n")
        .map(|d| serde_yaml_ng::from_str(d).unwrap())
        .collect();
    let others: Vec<&Value> = docs.iter().collect();
    let cr = Cr {
        fs: docs.iter().find(|d| d["kind"] == "FeatureStore").unwrap(),
        others: &others,
    };
    check(&cr)
        .into_iter()
        .map(|(n, h)| (n, format!("{}: {}", h.path, h.message)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_catalog_entry_with_its_name_and_a_unique_code() {
        let mut codes = std::collections::BTreeSet::new();
        for ((name, _), doc) in RULES.iter().zip(catalog()) {
            assert_eq!(*name, doc.name);
            assert!(codes.insert(doc.code.clone()), "{}", doc.code);
            assert!(find(&doc.code.to_lowercase()).is_some());
        }
        assert_eq!(RULES.len(), RULE_FILES.len());
    }

    #[test]
    fn each_rules_bad_example_trips_it_and_its_good_example_does_not() {
        for doc in catalog() {
            let bad = lint_yaml(&doc.bad);
            assert!(
                bad.iter().any(|(n, _)| *n == doc.name),
                "{}: bad example not flagged: {bad:?}",
                doc.name
            );
            let good = lint_yaml(&doc.good);
            assert!(
                good.iter().all(|(n, _)| *n != doc.name),
                "{}: good example flagged: {good:?}",
                doc.name
            );
        }
    }
}
