use std::collections::BTreeMap;

use super::align::{FeatureAlignment, align};
use crate::model::{FeatureView, Project};

/// One project in both schemas, with each surviving view's feature list
/// aligned once for all the rules that need it.
pub struct ProjectPair<'a> {
    pub name: &'a str,
    pub old: &'a Project,
    pub new: &'a Project,
    /// Views present on both sides whose definitions differ, by name.
    /// (A view's data source is referenced by name: rules about sources
    /// look at every common view.)
    pub views: Vec<ViewPair<'a>>,
}

pub struct ViewPair<'a> {
    pub old: &'a FeatureView,
    pub new: &'a FeatureView,
    pub features: FeatureAlignment,
}

impl<'a> ProjectPair<'a> {
    pub fn new(old: &'a Project, new: &'a Project) -> ProjectPair<'a> {
        // Most views are untouched by a change; only the ones that differ
        // are aligned and shown to the view rules.
        let views = ProjectPair::common(&old.feature_views, &new.feature_views)
            .filter(|(o, n)| o != n)
            .map(|(o, n)| ViewPair {
                old: o,
                new: n,
                features: align(&o.features, &n.features),
            })
            .collect();
        ProjectPair {
            name: &old.name,
            old,
            new,
            views,
        }
    }

    /// Pairs of objects present on both sides of a map.
    pub fn common<'m, T>(
        old: &'m BTreeMap<String, T>,
        new: &'m BTreeMap<String, T>,
    ) -> impl Iterator<Item = (&'m T, &'m T)> {
        old.iter()
            .filter_map(move |(k, o)| new.get(k).map(|n| (o, n)))
    }

    /// Objects present only in `old`.
    pub fn removed<'m, T>(
        old: &'m BTreeMap<String, T>,
        new: &'m BTreeMap<String, T>,
    ) -> impl Iterator<Item = &'m T> {
        old.iter()
            .filter(move |(k, _)| !new.contains_key(*k))
            .map(|(_, o)| o)
    }
}
