//! The rule catalog: one declarative TOML file per rule under `rules/`,
//! embedded in the binary. It documents the rule (`feastops explain`) and
//! says what the user must do next.

use std::sync::OnceLock;

use serde::Deserialize;

use super::Level;

/// What a team must do after a finding of this rule ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequiredAction {
    /// Publish a new feature service (e.g. `model_v2`) instead of editing the served one.
    NewServiceVersion,
    /// Retrain the model on the new schema before it serves.
    Retrain,
    /// Re-materialize the online store.
    Rematerialize,
    /// Fill the history the change needs in the offline data (the batch source) before
    /// training sets or materialization read it.
    Backfill,
    /// Read the change; no mandatory follow-up.
    Review,
    None,
}

impl RequiredAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RequiredAction::NewServiceVersion => "publish a new feature service version",
            RequiredAction::Retrain => "retrain the models that consume it",
            RequiredAction::Rematerialize => "re-materialize the online store",
            RequiredAction::Backfill => {
                "backfill the offline data before training or materializing"
            }
            RequiredAction::Review => "review the change",
            RequiredAction::None => "nothing",
        }
    }

    /// The catalog's kebab-case value (`required_action` in rules/*.toml), as JSON and
    /// SARIF report it.
    pub fn key(self) -> &'static str {
        match self {
            RequiredAction::NewServiceVersion => "new-service-version",
            RequiredAction::Retrain => "retrain",
            RequiredAction::Rematerialize => "rematerialize",
            RequiredAction::Backfill => "backfill",
            RequiredAction::Review => "review",
            RequiredAction::None => "none",
        }
    }

    /// An action a team must take before the change ships (not review, not nothing).
    pub fn is_follow_up(self) -> bool {
        !matches!(self, RequiredAction::Review | RequiredAction::None)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub code: String,
    pub name: String,
    pub level: Level,
    /// One line.
    pub summary: String,
    pub rationale: String,
    pub required_action: RequiredAction,
    /// What to do next, concretely.
    pub fix: String,
    pub example: Example,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub before: String,
    pub after: String,
}

/// Rule files, in catalog order (by code). A test checks this list against
/// the `rules/` directory and the rule modules.
pub const RULE_FILES: &[(&str, &str)] = &[
    (
        "feature-removed",
        include_str!("../../rules/feature-removed.toml"),
    ),
    (
        "feature-reordered",
        include_str!("../../rules/feature-reordered.toml"),
    ),
    (
        "feature-renamed",
        include_str!("../../rules/feature-renamed.toml"),
    ),
    (
        "feature-dtype-changed",
        include_str!("../../rules/feature-dtype-changed.toml"),
    ),
    (
        "feature-inserted",
        include_str!("../../rules/feature-inserted.toml"),
    ),
    (
        "feature-appended",
        include_str!("../../rules/feature-appended.toml"),
    ),
    (
        "feature-view-removed",
        include_str!("../../rules/feature-view-removed.toml"),
    ),
    (
        "view-entities-changed",
        include_str!("../../rules/view-entities-changed.toml"),
    ),
    (
        "ttl-shortened",
        include_str!("../../rules/ttl-shortened.toml"),
    ),
    (
        "online-disabled",
        include_str!("../../rules/online-disabled.toml"),
    ),
    (
        "batch-source-changed",
        include_str!("../../rules/batch-source-changed.toml"),
    ),
    (
        "transformation-changed",
        include_str!("../../rules/transformation-changed.toml"),
    ),
    (
        "feature-view-disabled",
        include_str!("../../rules/feature-view-disabled.toml"),
    ),
    (
        "view-version-pinned",
        include_str!("../../rules/view-version-pinned.toml"),
    ),
    (
        "view-version-unpromoted",
        include_str!("../../rules/view-version-unpromoted.toml"),
    ),
    (
        "feature-service-removed",
        include_str!("../../rules/feature-service-removed.toml"),
    ),
    (
        "feature-service-vector-changed",
        include_str!("../../rules/feature-service-vector-changed.toml"),
    ),
    (
        "dangling-reference",
        include_str!("../../rules/dangling-reference.toml"),
    ),
    (
        "pinned-service-unaffected",
        include_str!("../../rules/pinned-service-unaffected.toml"),
    ),
    (
        "precomputed-vector-stale",
        include_str!("../../rules/precomputed-vector-stale.toml"),
    ),
    (
        "entity-removed",
        include_str!("../../rules/entity-removed.toml"),
    ),
    (
        "entity-join-key-changed",
        include_str!("../../rules/entity-join-key-changed.toml"),
    ),
    (
        "entity-value-type-changed",
        include_str!("../../rules/entity-value-type-changed.toml"),
    ),
    (
        "data-source-removed",
        include_str!("../../rules/data-source-removed.toml"),
    ),
    (
        "project-removed",
        include_str!("../../rules/project-removed.toml"),
    ),
    (
        "registry-drift",
        include_str!("../../rules/registry-drift.toml"),
    ),
    (
        "metadata-changed",
        include_str!("../../rules/metadata-changed.toml"),
    ),
    (
        "data-feature-missing",
        include_str!("../../rules/data-feature-missing.toml"),
    ),
    (
        "data-dtype-mismatch",
        include_str!("../../rules/data-dtype-mismatch.toml"),
    ),
    (
        "data-timestamp-missing",
        include_str!("../../rules/data-timestamp-missing.toml"),
    ),
    (
        "data-join-key-missing",
        include_str!("../../rules/data-join-key-missing.toml"),
    ),
    (
        "unused-ignore",
        include_str!("../../rules/unused-ignore.toml"),
    ),
    // Appended, not in code order: SARIF rule indexes of the others stay.
    (
        "label-resolution-changed",
        include_str!("../../rules/label-resolution-changed.toml"),
    ),
    // The model contract (src/contract/rules/), appended for the same reason.
    (
        "model-input-missing",
        include_str!("../../rules/model-input-missing.toml"),
    ),
    (
        "model-input-extra",
        include_str!("../../rules/model-input-extra.toml"),
    ),
    (
        "model-input-reordered",
        include_str!("../../rules/model-input-reordered.toml"),
    ),
    (
        "model-input-renamed",
        include_str!("../../rules/model-input-renamed.toml"),
    ),
    (
        "model-input-width",
        include_str!("../../rules/model-input-width.toml"),
    ),
    (
        "model-input-dtype",
        include_str!("../../rules/model-input-dtype.toml"),
    ),
    (
        "model-unverifiable",
        include_str!("../../rules/model-unverifiable.toml"),
    ),
];

pub struct Catalog {
    pub rules: Vec<RuleDoc>,
}

impl Catalog {
    /// The embedded catalog. The files are part of the binary and checked by
    /// tests, so a parse failure here is a build defect, not user input.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog {
            rules: RULE_FILES
                .iter()
                .map(|(name, text)| {
                    toml::from_str(text)
                        .unwrap_or_else(|e| panic!("rules/{name}.toml is invalid: {e}"))
                })
                .collect(),
        })
    }

    /// Looks a rule up by kebab-case name or by code (case-insensitive).
    pub fn find(&self, key: &str) -> Option<&RuleDoc> {
        self.rules
            .iter()
            .find(|r| r.name == key || r.code.eq_ignore_ascii_case(key))
    }

    /// The code of a rule the linter emits (always in the catalog: a test
    /// checks every emitted rule name).
    pub fn code(&'static self, name: &str) -> &'static str {
        &self
            .find(name)
            .unwrap_or_else(|| panic!("rule {name} has no catalog entry"))
            .code
    }
}
