use std::collections::BTreeMap;

use super::align::{FeatureAlignment, align};
use crate::model::{FeatureView, Project};

/// One project in both schemas, with each surviving view's feature list
/// aligned once for all the rules that need it.
pub struct ProjectPair<'a> {
    pub name: &'a str,
    pub old: &'a Project,
    pub new: &'a Project,
    /// Views present on both sides, by name.
    pub views: Vec<ViewPair<'a>>,
}

pub struct ViewPair<'a> {
    pub old: &'a FeatureView,
    pub new: &'a FeatureView,
    pub features: FeatureAlignment,
}

impl<'a> ProjectPair<'a> {
    pub fn new(old: &'a Project, new: &'a Project) -> ProjectPair<'a> {
        let views = old
            .feature_views
            .iter()
            .filter_map(|(name, o)| {
                let n = new.feature_views.get(name)?;
                Some(ViewPair {
                    old: o,
                    new: n,
                    features: align(&o.features, &n.features),
                })
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
