//! Compatibility modes: which changes matter depends on who consumes the
//! features. Each mode is a table from rule to level, applied after the
//! rules ran (the rules themselves stay mode-agnostic). Documented in
//! docs/compatibility.md; a test keeps each table complete.

use serde::{Deserialize, Serialize};

use crate::lint::{Finding, Level};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Protects online inference and positional model inputs (default).
    #[default]
    Serving,
    /// Protects historical retrieval: entity, timestamp, ttl and source
    /// changes matter most; online-only changes matter less.
    Training,
    /// Everything that can change a model's inputs is at least a warning.
    Strict,
}

/// What a mode does to a rule's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adjust {
    /// Keep the level the rule computed (some rules pick it per finding).
    Keep,
    Set(Level),
}

use Adjust::{Keep, Set};
use Level::{Error, Info, Warning};

/// Serving: the catalog's levels, which are written for online inference,
/// except that a removed data source only stops materialization (the
/// online store keeps answering; views still reading it are reported by
/// `dangling-reference`).
const SERVING: &[(&str, Adjust)] = &[
    ("feature-removed", Keep),
    ("feature-reordered", Keep),
    ("feature-renamed", Keep),
    ("feature-dtype-changed", Keep),
    ("feature-inserted", Keep),
    ("feature-appended", Keep),
    ("feature-view-removed", Keep),
    ("view-entities-changed", Keep),
    ("ttl-shortened", Keep),
    ("online-disabled", Keep),
    ("batch-source-changed", Keep),
    ("transformation-changed", Keep),
    ("feature-view-disabled", Keep),
    ("label-resolution-changed", Keep),
    ("feature-service-removed", Keep),
    ("feature-service-vector-changed", Keep),
    ("dangling-reference", Keep),
    ("pinned-service-unaffected", Keep),
    ("view-version-pinned", Keep),
    ("view-version-unpromoted", Keep),
    ("precomputed-vector-stale", Keep),
    ("entity-removed", Keep),
    ("entity-join-key-changed", Keep),
    ("entity-value-type-changed", Keep),
    ("data-source-removed", Set(Warning)),
    ("project-removed", Keep),
    ("registry-drift", Keep),
    ("metadata-changed", Keep),
    ("data-feature-missing", Keep),
    ("data-dtype-mismatch", Keep),
    ("data-timestamp-missing", Keep),
    ("data-join-key-missing", Keep),
    ("unused-ignore", Keep),
    ("model-input-missing", Keep),
    ("model-input-extra", Keep),
    ("model-input-reordered", Keep),
    ("model-input-renamed", Keep),
    ("model-input-width", Keep),
    ("model-input-dtype", Keep),
    ("model-unverifiable", Keep),
];

/// Training: training sets are built by name with point-in-time joins, so
/// position matters less and event time, ttl and sources matter more.
const TRAINING: &[(&str, Adjust)] = &[
    ("feature-removed", Keep),
    ("feature-reordered", Set(Warning)),
    ("feature-renamed", Keep),
    ("feature-dtype-changed", Keep),
    ("feature-inserted", Set(Warning)),
    ("feature-appended", Keep),
    ("feature-view-removed", Keep),
    ("view-entities-changed", Keep),
    ("ttl-shortened", Set(Error)),
    ("online-disabled", Set(Info)),
    ("batch-source-changed", Set(Error)),
    ("transformation-changed", Set(Error)),
    ("feature-view-disabled", Keep),
    ("label-resolution-changed", Set(Error)),
    ("feature-service-removed", Keep),
    ("feature-service-vector-changed", Keep),
    ("dangling-reference", Keep),
    ("pinned-service-unaffected", Keep),
    ("view-version-pinned", Keep),
    ("view-version-unpromoted", Keep),
    // Only online reads use the stored vectors.
    ("precomputed-vector-stale", Set(Info)),
    ("entity-removed", Keep),
    ("entity-join-key-changed", Keep),
    ("entity-value-type-changed", Keep),
    ("data-source-removed", Keep),
    ("project-removed", Keep),
    ("registry-drift", Keep),
    ("metadata-changed", Keep),
    ("data-feature-missing", Keep),
    ("data-dtype-mismatch", Keep),
    ("data-timestamp-missing", Keep),
    ("data-join-key-missing", Keep),
    ("unused-ignore", Keep),
    ("model-input-missing", Keep),
    ("model-input-extra", Keep),
    ("model-input-reordered", Keep),
    ("model-input-renamed", Keep),
    ("model-input-width", Keep),
    ("model-input-dtype", Keep),
    ("model-unverifiable", Keep),
];

/// Strict: anything that can change what a model receives is an error;
/// growth of a served vector is at least a warning.
const STRICT: &[(&str, Adjust)] = &[
    ("feature-removed", Set(Error)),
    ("feature-reordered", Set(Error)),
    ("feature-renamed", Set(Error)),
    ("feature-dtype-changed", Set(Error)),
    ("feature-inserted", Set(Error)),
    ("feature-appended", Set(Warning)),
    ("feature-view-removed", Set(Error)),
    ("view-entities-changed", Set(Error)),
    ("ttl-shortened", Set(Error)),
    ("online-disabled", Set(Error)),
    ("batch-source-changed", Set(Error)),
    ("transformation-changed", Set(Error)),
    ("feature-view-disabled", Set(Error)),
    ("label-resolution-changed", Set(Error)),
    ("feature-service-removed", Set(Error)),
    ("feature-service-vector-changed", Set(Error)),
    ("dangling-reference", Set(Error)),
    ("pinned-service-unaffected", Keep),
    ("view-version-pinned", Keep),
    ("view-version-unpromoted", Keep),
    ("precomputed-vector-stale", Set(Error)),
    ("entity-removed", Set(Error)),
    ("entity-join-key-changed", Set(Error)),
    ("entity-value-type-changed", Set(Error)),
    ("data-source-removed", Set(Error)),
    ("project-removed", Set(Error)),
    ("registry-drift", Set(Error)),
    ("metadata-changed", Keep),
    ("data-feature-missing", Set(Error)),
    ("data-dtype-mismatch", Set(Error)),
    ("data-timestamp-missing", Set(Error)),
    ("data-join-key-missing", Set(Error)),
    ("unused-ignore", Keep),
    ("model-input-missing", Keep),
    ("model-input-extra", Keep),
    ("model-input-reordered", Keep),
    ("model-input-renamed", Keep),
    ("model-input-width", Keep),
    ("model-input-dtype", Keep),
    ("model-unverifiable", Keep),
];

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Serving, Mode::Training, Mode::Strict];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Serving => "serving",
            Mode::Training => "training",
            Mode::Strict => "strict",
        }
    }

    pub fn table(self) -> &'static [(&'static str, Adjust)] {
        match self {
            Mode::Serving => SERVING,
            Mode::Training => TRAINING,
            Mode::Strict => STRICT,
        }
    }

    /// The adjustment for `rule`; a rule missing from the table (which a
    /// test forbids) keeps its level.
    pub fn adjust(self, rule: &str) -> Adjust {
        self.table()
            .iter()
            .find(|(r, _)| *r == rule)
            .map(|(_, a)| *a)
            .unwrap_or(Keep)
    }

    /// The level `finding` has under this mode.
    pub fn level_of(self, finding: &Finding) -> Level {
        match self.adjust(finding.rule) {
            Keep => finding.level,
            Set(l) => l,
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Catalog;

    #[test]
    fn every_table_covers_exactly_the_catalog() {
        let mut catalog: Vec<&str> = Catalog::get()
            .rules
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        catalog.sort();
        for mode in Mode::ALL {
            let mut names: Vec<&str> = mode.table().iter().map(|(r, _)| *r).collect();
            names.sort();
            assert_eq!(names, catalog, "table of mode {mode}");
        }
    }

    /// The level a rule gets at its catalog default under each mode.
    fn resolved(mode: Mode, rule: &str) -> Level {
        let default = Catalog::get().find(rule).unwrap().level;
        match mode.adjust(rule) {
            Keep => default,
            Set(l) => l,
        }
    }

    #[test]
    fn each_mode_differs_from_the_others() {
        for a in Mode::ALL {
            for b in Mode::ALL {
                if a == b {
                    continue;
                }
                let differs = Catalog::get()
                    .rules
                    .iter()
                    .any(|r| resolved(a, &r.name) != resolved(b, &r.name));
                assert!(differs, "modes {a} and {b} have the same levels");
            }
        }
    }

    #[test]
    fn documented_examples() {
        assert_eq!(resolved(Mode::Serving, "online-disabled"), Error);
        assert_eq!(resolved(Mode::Training, "online-disabled"), Info);
        assert_eq!(resolved(Mode::Serving, "ttl-shortened"), Warning);
        assert_eq!(resolved(Mode::Training, "ttl-shortened"), Error);
        assert_eq!(resolved(Mode::Strict, "transformation-changed"), Error);
        assert_eq!(resolved(Mode::Serving, "data-source-removed"), Warning);
    }

    /// docs/compatibility.md shows the same tables.
    #[test]
    fn documented_table_matches_the_code() {
        let doc = include_str!("../../docs/compatibility.md");
        let mut rows = 0;
        for line in doc
            .lines()
            .filter(|l| l.starts_with("| ") && l.contains(" | FO"))
        {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let rule = cells[0];
            for (mode, cell) in Mode::ALL.iter().zip(&cells[2..5]) {
                let cell = cell.trim_matches('*');
                let documented = if cell.starts_with("keep") {
                    Keep
                } else {
                    Set(match cell {
                        "error" => Error,
                        "warning" => Warning,
                        "info" => Info,
                        other => panic!("{rule}: unknown level `{other}` in the doc"),
                    })
                };
                let code = mode.adjust(rule);
                // An explicit level equal to the catalog default reads as "keep".
                let same = documented == code
                    || matches!((documented, code), (Set(l), Keep) | (Keep, Set(l)) if Catalog::get().find(rule).unwrap().level == l);
                assert!(
                    same,
                    "{rule} under {mode}: doc says {documented:?}, code says {code:?}"
                );
            }
            rows += 1;
        }
        assert_eq!(rows, Catalog::get().rules.len(), "every rule has a row");
    }
}
