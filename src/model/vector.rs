//! Feature services resolved to the ordered vector a model consumes.

use serde::{Deserialize, Serialize};

use super::{DType, FeatureService, FeatureView, Projection, ViewVersion};
use std::collections::BTreeMap;

/// One position of a served feature vector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VectorEntry {
    /// The view name as served (the alias when the projection has one).
    pub view: String,
    /// The underlying view when `view` is an alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_view: Option<String>,
    pub feature: String,
    /// The view version the service pins (`view@vN`); `None` serves the latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    /// `None` when the referenced view or feature does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtype: Option<DType>,
}

impl VectorEntry {
    /// `view:feature` (`view@vN:feature` when pinned), Feast's feature
    /// reference syntax.
    pub fn reference(&self) -> String {
        match self.version {
            Some(n) => format!("{}@v{n}:{}", self.view, self.feature),
            None => format!("{}:{}", self.view, self.feature),
        }
    }
}

impl std::fmt::Display for VectorEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.dtype {
            Some(t) => write!(f, "{} {}", self.reference(), t),
            None => write!(f, "{} <missing>", self.reference()),
        }
    }
}

/// Resolves projections against the project's views: one entry per selected
/// feature, projections in service order, features in projection order.
/// The dtype comes from the view as it is now, so a re-typed feature shows
/// up in every service that serves it — unless the projection pins a
/// version, which Feast serves from that version's recorded schema
/// whatever the latest view became.
pub fn resolve(
    projections: &[Projection],
    views: &BTreeMap<String, FeatureView>,
    versions: &BTreeMap<String, Vec<ViewVersion>>,
) -> Vec<VectorEntry> {
    projections
        .iter()
        .flat_map(|p| {
            let view = views.get(&p.view);
            let pinned = p.version_tag.map(|n| {
                versions
                    .get(&p.view)
                    .and_then(|vs| vs.iter().find(|v| v.number == n))
            });
            p.features.iter().map(move |f| VectorEntry {
                view: p.name_to_use().to_string(),
                source_view: p.alias.as_ref().map(|_| p.view.clone()),
                feature: f.clone(),
                version: p.version_tag,
                dtype: match pinned {
                    // A pin to a version no history records serves nothing
                    // feastops can name: missing, never the latest's type.
                    Some(version) => version
                        .and_then(|v| v.features.iter().find(|x| &x.name == f))
                        .map(|x| x.dtype.clone()),
                    None => view
                        .and_then(|v| v.feature(f))
                        .map(|feat| feat.dtype.clone()),
                },
            })
        })
        .collect()
}

impl FeatureService {
    /// Recomputes `vector` from `projections` and the project's views and
    /// version history.
    pub fn resolve_vector(
        &mut self,
        views: &BTreeMap<String, FeatureView>,
        versions: &BTreeMap<String, Vec<ViewVersion>>,
    ) {
        self.vector = resolve(&self.projections, views, versions);
    }
}
