//! What a label view (Feast 0.64+) adds to a feature view: who wrote a
//! label and how conflicting labels are resolved.
//!
//! A label view lives in `Project::feature_views` with
//! [`ViewKind::LabelView`](super::ViewKind::LabelView): Feast keeps view names
//! unique across every kind, label views included (`_validate_feature_views`),
//! and resolves a service's projection by name across all of them
//! (`get_any_feature_view`), so one map keeps vectors and rules exact.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelSpec {
    /// The schema field naming who wrote each label (Feast's default `labeler`).
    pub labeler_field: String,
    /// `last_write_wins`, `labeler_priority`, `majority_vote`, or
    /// `unknown_N` for a value this feastops does not know.
    pub conflict_policy: String,
    /// The feature view whose entities the labels annotate (informational
    /// in Feast: no dependency is enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_view: Option<String>,
}

const POLICIES: [&str; 3] = ["last_write_wins", "labeler_priority", "majority_vote"];

/// feast.core.ConflictResolutionPolicy number to its model name.
pub fn conflict_policy_name(n: i32) -> String {
    usize::try_from(n)
        .ok()
        .and_then(|i| POLICIES.get(i))
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("unknown_{n}"))
}

/// `ConflictPolicy.X` member name to its model name; `None` for a member
/// Feast does not define.
pub fn conflict_policy_member(member: &str) -> Option<&'static str> {
    POLICIES
        .iter()
        .find(|p| p.eq_ignore_ascii_case(member))
        .copied()
}
