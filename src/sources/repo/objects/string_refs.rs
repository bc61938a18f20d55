//! String entries of `FeatureService(features=[...])` (Feast 0.67):
//! `"fv"`, `"fv:feat"`, `"fv@v2"`, `"fv@v2:feat"`.
//!
//! Feast keeps them aside in the constructor and resolves them at apply
//! (`resolve_pending_refs`), appending their projections after every
//! object entry whatever their position in the list. An unpinned ref
//! resolves against the views of the same apply first (every view of the
//! repo), then the registry; a pinned one only against the registry's
//! version history, which a repo does not have: its projection keeps the
//! pin (and the feature, for `fv@vN:feat`), and the features of a whole
//! pinned view are filled from the registry's history when the repo is
//! compared with it (`lint/unknown.rs`).

use std::collections::BTreeMap;

use crate::model::{FeatureView, Projection};
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::Loc;

#[derive(Debug, Clone)]
pub struct StrRef {
    raw: String,
    view: String,
    feature: Option<String>,
    version: Option<i32>,
    at: Loc,
}

impl StrRef {
    /// Splits a ref as Feast's `_parse_feature_or_view_ref` does: the
    /// first `:` ends the view part; in it, `@latest` (or a bare `@`) means
    /// unpinned, `@vN` pins, any other `@...` stays part of the view name.
    pub fn parse(raw: &str, at: &Loc) -> Result<StrRef, Diagnostic> {
        let (view_part, feature) = match raw.split_once(':') {
            Some((v, f)) => (v, Some(f.to_string())),
            None => (raw, None),
        };
        let (view, version) = match view_part.split_once('@') {
            None => (view_part, None),
            Some((name, version))
                if version.is_empty() || version.eq_ignore_ascii_case("latest") =>
            {
                (name, None)
            }
            Some((name, version)) if pinned(version) => {
                let n = version[1..].parse::<i32>().map_err(|_| Diagnostic {
                    location: at.location(),
                    message: format!(
                        "feature service ref `{raw}`: version `{version}` is out of range"
                    ),
                    dynamic: false,
                })?;
                (name, Some(n))
            }
            Some(_) => (view_part, None),
        };
        Ok(StrRef {
            raw: raw.to_string(),
            view: view.to_string(),
            feature,
            version,
            at: at.clone(),
        })
    }

    /// The projection Feast appends for this ref: a copy of the view's own
    /// projection, narrowed to one feature for `fv:feat`. A feature the
    /// view lacks is kept, as for `view[["x"]]`, so the lint reports it.
    pub fn resolve(&self, views: &BTreeMap<String, FeatureView>) -> Result<Projection, Diagnostic> {
        if let Some(n) = self.version {
            // The version's features are in the registry's history only.
            return Ok(Projection {
                view: self.view.clone(),
                alias: None,
                features: self.feature.iter().cloned().collect(),
                version_tag: Some(n),
            });
        }
        let view = views.get(&self.view).ok_or_else(|| Diagnostic {
            location: self.at.location(),
            message: format!(
                "feature service ref `{}` names no view of the repo; Feast would look `{}` up in the registry",
                self.raw, self.view
            ),
            dynamic: true,
        })?;
        let features = match &self.feature {
            Some(f) => vec![f.clone()],
            None => view.features.iter().map(|f| f.name.clone()).collect(),
        };
        Ok(Projection {
            view: self.view.clone(),
            alias: None,
            features,
            version_tag: None,
        })
    }
}

/// `vN` / `VN`: the part after the first `@` of a view ref that pins.
fn pinned(version: &str) -> bool {
    let mut chars = version.chars();
    matches!(chars.next(), Some('v' | 'V'))
        && !chars.as_str().is_empty()
        && chars.as_str().chars().all(|c| c.is_ascii_digit())
}
