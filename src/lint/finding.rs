use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{Location, VectorEntry};

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Safe; reported for the record.
    Info,
    /// Dangerous; consumers may break or silently change behaviour.
    Warning,
    /// Breaking; consumers reading by position or by name break.
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    Project,
    Entity,
    DataSource,
    FeatureView,
    StreamFeatureView,
    OnDemandFeatureView,
    LabelView,
    FeatureService,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Project => "project",
            ObjectKind::Entity => "entity",
            ObjectKind::DataSource => "data_source",
            ObjectKind::FeatureView => "feature_view",
            ObjectKind::StreamFeatureView => "stream_feature_view",
            ObjectKind::OnDemandFeatureView => "on_demand_feature_view",
            ObjectKind::LabelView => "label_view",
            ObjectKind::FeatureService => "feature_service",
        }
    }

    pub fn of_view(kind: crate::model::ViewKind) -> ObjectKind {
        match kind {
            crate::model::ViewKind::FeatureView => ObjectKind::FeatureView,
            crate::model::ViewKind::StreamFeatureView => ObjectKind::StreamFeatureView,
            crate::model::ViewKind::OnDemandFeatureView => ObjectKind::OnDemandFeatureView,
            crate::model::ViewKind::LabelView => ObjectKind::LabelView,
        }
    }
}

/// `<kind>/<name>`, the object a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.as_str(), self.name)
    }
}

/// A feature service's vector before and after, for rendering as a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorChange {
    pub before: Vec<VectorEntry>,
    pub after: Vec<VectorEntry>,
}

/// One judged difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Kebab-case rule name (catalog key).
    pub rule: &'static str,
    pub level: Level,
    pub project: String,
    pub object: ObjectRef,
    /// The feature concerned, when the finding is about one feature; part of
    /// the finding's identity across commits.
    pub feature: Option<String>,
    pub message: String,
    pub location: Option<Location>,
    /// A concrete suggestion for this finding (the catalog has the general one).
    pub hint: Option<String>,
    pub vector: Option<VectorChange>,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        level: Level,
        project: &str,
        object: ObjectRef,
        message: String,
    ) -> Finding {
        Finding {
            rule,
            level,
            project: project.to_string(),
            object,
            feature: None,
            message,
            location: None,
            hint: None,
            vector: None,
        }
    }

    pub fn feature(mut self, name: &str) -> Finding {
        self.feature = Some(name.to_string());
        self
    }

    pub fn at(mut self, location: Option<&Location>) -> Finding {
        self.location = location.cloned();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    pub fn code(&self) -> &'static str {
        super::catalog::Catalog::get().code(self.rule)
    }

    /// What the team must do after this finding ships: the rule's catalog entry; an
    /// info finding asks for nothing.
    pub fn required_action(&self) -> super::catalog::RequiredAction {
        use super::catalog::{Catalog, RequiredAction};
        if self.level == super::Level::Info {
            return RequiredAction::None;
        }
        Catalog::get()
            .find(self.rule)
            .map_or(RequiredAction::Review, |r| r.required_action)
    }

    pub(crate) fn sort_key(
        &self,
    ) -> (
        &str,
        &ObjectRef,
        std::cmp::Reverse<Level>,
        &str,
        Option<&str>,
        &str,
    ) {
        (
            &self.project,
            &self.object,
            std::cmp::Reverse(self.level),
            self.rule,
            self.feature.as_deref(),
            &self.message,
        )
    }
}
