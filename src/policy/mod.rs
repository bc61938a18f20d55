//! What happens to findings between the rules and the report: the
//! compatibility mode's levels, the config's per-rule levels, include and
//! exclude globs, and suppressions (config ignore entries and inline
//! comments). Each is a pass over the findings, in that order, so a rule
//! never needs to know about configuration.

pub mod mode;
pub mod suppress;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};

pub use mode::Mode;

use crate::config::{self, ConfigError, FailOnSetting, RuleSetting};
use crate::lint::{Catalog, Finding, Level, ObjectKind, ObjectRef};
use crate::model::{self, Location};
use crate::report::FailOn;

/// The rule that reports suppressions which no longer apply.
pub const UNUSED_IGNORE: &str = "unused-ignore";

const KINDS: [&str; 8] = [
    "project",
    "entity",
    "data_source",
    "feature_view",
    "stream_feature_view",
    "on_demand_feature_view",
    "label_view",
    "feature_service",
];

/// A validated, compiled configuration.
#[derive(Debug, Default)]
pub struct Policy {
    pub mode: Mode,
    /// From the config file; the command line takes precedence.
    pub fail_on: Option<FailOn>,
    levels: BTreeMap<String, RuleSetting>,
    include: Selector,
    exclude: Selector,
    ignores: Vec<Ignore>,
    /// Where the config came from, as shown in findings about it.
    config_file: Option<String>,
}

#[derive(Debug, Default)]
struct Selector {
    paths: Option<GlobSet>,
    objects: Option<GlobSet>,
}

#[derive(Debug)]
struct Ignore {
    rule: String,
    object_text: String,
    object: GlobMatcher,
    project: Option<String>,
    feature: Option<GlobMatcher>,
    reason: String,
    line: Option<u32>,
}

/// A finding that was suppressed, and by what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: String,
    /// `.feastops.yaml ignore[0]` or `features.py:12`.
    pub by: String,
    pub kind: SuppressionKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// An `ignore` entry in the config file.
    Config,
    /// A `# feastops: ignore[...]` comment in the source.
    Inline,
}

/// What the passes produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
}

/// What the passes need besides the findings.
pub struct Inputs<'a> {
    /// The feature repo directory that finding locations are relative to;
    /// inline suppressions are read from there.
    pub repo_dir: Option<&'a Path>,
    /// Prepended to every location's file in the output, so paths are
    /// relative to the working directory (the repository root in CI).
    pub display_prefix: &'a str,
    /// The proposed schema: its object locations are where suppression
    /// comments may be.
    pub proposed: &'a model::Registry,
}

impl Policy {
    /// Checks what the file format cannot (rule names, globs, reasons) and
    /// compiles it. `mode` (from the command line) overrides the config's.
    pub fn new(loaded: Option<&config::Loaded>, mode: Option<Mode>) -> Result<Policy, ConfigError> {
        let Some(loaded) = loaded else {
            return Ok(Policy {
                mode: mode.unwrap_or_default(),
                ..Policy::default()
            });
        };
        let c = &loaded.config;
        let path = loaded.path.as_path();
        let err = |key_line: Option<u32>, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            at: key_line.map(|l| format!(":{l}")).unwrap_or_default(),
            message,
        };
        for name in c.rules.keys() {
            check_rule(name).map_err(|m| {
                err(
                    line_of_key(&loaded.text, name),
                    format!("rules.{name}: {m}"),
                )
            })?;
        }
        let mut ignores = Vec::new();
        for (i, e) in c.ignore.iter().enumerate() {
            let line = line_of_item(&loaded.text, "ignore", i);
            let at = |m: String| err(line, format!("ignore[{i}]: {m}"));
            let rule = check_rule(&e.rule).map_err(|m| at(format!("rule: {m}")))?;
            if e.reason.trim().is_empty() {
                return Err(at("reason: is empty; say why the change is approved (e.g. \"attrition_model_v2 replaces v1\")".into()));
            }
            check_object(&e.object).map_err(|m| at(format!("object: {m}")))?;
            let object = glob(&e.object).map_err(|m| at(format!("object: {m}")))?;
            let feature = match &e.feature {
                Some(f) => Some(glob(f).map_err(|m| at(format!("feature: {m}")))?),
                None => None,
            };
            ignores.push(Ignore {
                rule,
                object_text: e.object.clone(),
                object: object.compile_matcher(),
                project: e.project.clone(),
                feature: feature.map(|g| g.compile_matcher()),
                reason: e.reason.trim().to_string(),
                line,
            });
        }
        let selector = |f: &config::Filter, key: &str| -> Result<Selector, ConfigError> {
            for o in &f.objects {
                check_object(o).map_err(|m| err(None, format!("{key}.objects: `{o}`: {m}")))?;
            }
            Ok(Selector {
                paths: glob_set(&f.paths).map_err(|m| err(None, format!("{key}.paths: {m}")))?,
                objects: glob_set(&f.objects)
                    .map_err(|m| err(None, format!("{key}.objects: {m}")))?,
            })
        };
        Ok(Policy {
            mode: mode.or(c.mode).unwrap_or_default(),
            fail_on: c.fail_on.map(|f| match f {
                FailOnSetting::Error => FailOn::Error,
                FailOnSetting::Warning => FailOn::Warning,
                FailOnSetting::Info => FailOn::Info,
                FailOnSetting::Never => FailOn::Never,
            }),
            levels: c.rules.clone(),
            include: selector(&c.include, "include")?,
            exclude: selector(&c.exclude, "exclude")?,
            ignores,
            config_file: Some(loaded.path.display().to_string()),
        })
    }

    /// Runs the passes. Locations in the result are prefixed with
    /// `inputs.display_prefix`.
    pub fn apply(&self, findings: Vec<Finding>, inputs: &Inputs) -> Outcome {
        let mut inline = suppress::Inline::collect(inputs.repo_dir, inputs.proposed, &findings);
        let mut used = vec![false; self.ignores.len()];
        let mut out = Outcome::default();
        for mut f in findings {
            f.level = self.mode.level_of(&f);
            let Some(level) = self.level_override(&f) else {
                continue;
            };
            f.level = level;
            if !self.selected(&f, inputs.display_prefix) {
                continue;
            }
            if let Some(i) = self.ignores.iter().position(|ig| ig.matches(&f)) {
                used[i] = true;
                let by = format!(
                    "{} ignore[{i}]",
                    self.config_file.as_deref().unwrap_or("config")
                );
                out.suppressed.push(Suppressed {
                    reason: self.ignores[i].reason.clone(),
                    finding: f,
                    by,
                    kind: SuppressionKind::Config,
                });
                continue;
            }
            if let Some(reason) = inline.suppress(&f) {
                let by = f
                    .location
                    .as_ref()
                    .map(|l| format!("{}{}:{}", inputs.display_prefix, l.file, l.line))
                    .unwrap_or_default();
                out.suppressed.push(Suppressed {
                    finding: f,
                    reason,
                    by,
                    kind: SuppressionKind::Inline,
                });
                continue;
            }
            out.findings.push(f);
        }
        out.findings.extend(inline.into_problems());
        for f in out
            .findings
            .iter_mut()
            .chain(out.suppressed.iter_mut().map(|s| &mut s.finding))
        {
            if let Some(loc) = &mut f.location {
                loc.file = format!("{}{}", inputs.display_prefix, loc.file);
            }
        }
        for (ig, _) in self.ignores.iter().zip(&used).filter(|(_, u)| !**u) {
            out.findings.push(self.unused_config_finding(ig));
        }
        // Levels set for `unused-ignore` itself apply to what it reported.
        out.findings.retain_mut(|f| {
            if f.rule != UNUSED_IGNORE {
                return true;
            }
            match self.level_override(f) {
                Some(l) => {
                    f.level = l;
                    true
                }
                None => false,
            }
        });
        out.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out
    }

    /// The level after the config's per-rule setting; `None` when off.
    fn level_override(&self, f: &Finding) -> Option<Level> {
        match self.levels.get(f.rule) {
            None => Some(f.level),
            Some(RuleSetting::Off) => None,
            Some(RuleSetting::Info) => Some(Level::Info),
            Some(RuleSetting::Warning) => Some(Level::Warning),
            Some(RuleSetting::Error) => Some(Level::Error),
        }
    }

    fn selected(&self, f: &Finding, prefix: &str) -> bool {
        let object = f.object.to_string();
        let shown = f.location.as_ref().map(|l| format!("{prefix}{}", l.file));
        let path_hit = |set: &GlobSet| match (&f.location, &shown) {
            (Some(l), Some(s)) => set.is_match(&l.file) || set.is_match(s),
            _ => false,
        };
        if let Some(set) = &self.include.objects
            && !set.is_match(&object)
        {
            return false;
        }
        // Findings without a file are neither included nor excluded by path.
        if let Some(set) = &self.include.paths
            && f.location.is_some()
            && !path_hit(set)
        {
            return false;
        }
        if let Some(set) = &self.exclude.objects
            && set.is_match(&object)
        {
            return false;
        }
        if let Some(set) = &self.exclude.paths
            && path_hit(set)
        {
            return false;
        }
        true
    }

    fn unused_config_finding(&self, ig: &Ignore) -> Finding {
        let object = match ig.object_text.split_once('/') {
            Some((kind, name)) => ObjectRef {
                kind: kind_of(kind).unwrap_or(ObjectKind::Project),
                name: name.to_string(),
            },
            None => ObjectRef {
                kind: ObjectKind::Project,
                name: ig.object_text.clone(),
            },
        };
        let file = self.config_file.clone().unwrap_or_default();
        let mut f = Finding::new(
            UNUSED_IGNORE,
            Level::Warning,
            ig.project.as_deref().unwrap_or("*"),
            object,
            format!(
                "ignore entry for `{}` on `{}` in {file} matches no finding; remove it",
                ig.rule, ig.object_text
            ),
        );
        f.location = ig.line.map(|line| Location { file, line });
        f
    }
}

impl Ignore {
    fn matches(&self, f: &Finding) -> bool {
        self.rule == f.rule
            && self.object.is_match(f.object.to_string())
            && self.project.as_ref().is_none_or(|p| *p == f.project)
            && match (&self.feature, &f.feature) {
                (None, _) => true,
                (Some(g), Some(name)) => g.is_match(name),
                (Some(_), None) => false,
            }
    }
}

fn kind_of(s: &str) -> Option<ObjectKind> {
    Some(match s {
        "project" => ObjectKind::Project,
        "entity" => ObjectKind::Entity,
        "data_source" => ObjectKind::DataSource,
        "feature_view" => ObjectKind::FeatureView,
        "stream_feature_view" => ObjectKind::StreamFeatureView,
        "on_demand_feature_view" => ObjectKind::OnDemandFeatureView,
        "label_view" => ObjectKind::LabelView,
        "feature_service" => ObjectKind::FeatureService,
        _ => return None,
    })
}

/// The canonical name of a rule given by name, or an error with a hint.
fn check_rule(name: &str) -> Result<String, String> {
    let catalog = Catalog::get();
    if let Some(r) = catalog.rules.iter().find(|r| r.name == name) {
        return Ok(r.name.clone());
    }
    if let Some(r) = catalog.find(name) {
        return Err(format!(
            "`{name}` is a code; use the rule name `{}`",
            r.name
        ));
    }
    let hint = crate::suggest::did_you_mean(name, catalog.rules.iter().map(|r| r.name.as_str()))
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_else(|| "; `feastops rules` lists them".into());
    Err(format!("unknown rule `{name}`{hint}"))
}

/// Object patterns are `kind/name`; a literal kind must exist.
fn check_object(pattern: &str) -> Result<(), String> {
    let Some((kind, name)) = pattern.split_once('/') else {
        return Err(format!(
            "`{pattern}` is not `kind/name` (e.g. `feature_view/{pattern}`)"
        ));
    };
    if name.is_empty() {
        return Err(format!("`{pattern}` has no name after `/`"));
    }
    let is_glob = kind.contains(['*', '?', '[', '{']);
    if !is_glob && kind_of(kind).is_none() {
        let hint = crate::suggest::did_you_mean(kind, KINDS)
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("kinds are {}", KINDS.join(", ")));
        return Err(format!("unknown object kind `{kind}`; {hint}"));
    }
    Ok(())
}

fn glob(pattern: &str) -> Result<Glob, String> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("bad glob `{pattern}`: {e}"))
}

fn glob_set(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(glob(p)?);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

/// 1-based line of the first `key:` in `text` (best effort, for messages).
fn line_of_key(text: &str, key: &str) -> Option<u32> {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches(['"', '\'']);
            t.strip_prefix(key)
                .is_some_and(|r| r.trim_start_matches(['"', '\'']).starts_with(':'))
        })
        .map(|i| i as u32 + 1)
}

/// 1-based line of the `index`th `- ` item of the block list under
/// `section:` (best effort, for messages and findings).
fn line_of_item(text: &str, section: &str, index: usize) -> Option<u32> {
    let start = text
        .lines()
        .position(|l| l.starts_with(&format!("{section}:")))?;
    text.lines()
        .enumerate()
        .skip(start + 1)
        .take_while(|(_, l)| l.is_empty() || l.starts_with([' ', '-', '#']))
        .filter(|(_, l)| l.trim_start().starts_with("- ") || l.trim() == "-")
        .nth(index)
        .map(|(i, _)| i as u32 + 1)
}

/// Where `.feastops.yaml` is looked for by default: the feature repo, then
/// the working directory.
pub fn default_config_dirs(repo_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = repo_dir {
        dirs.push(d.to_path_buf());
    }
    // Empty, not ".", so the file is shown as `.feastops.yaml`.
    dirs.push(PathBuf::new());
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(text: &str) -> config::Loaded {
        let path = PathBuf::from(".feastops.yaml");
        config::Loaded {
            config: config::parse(&path, text).unwrap(),
            path,
            text: text.to_string(),
        }
    }

    fn policy_err(text: &str) -> String {
        Policy::new(Some(&loaded(text)), None)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn unknown_rule_suggests_the_name() {
        let e = policy_err("mode: serving\nrules:\n  feature-remved: off\n");
        assert_eq!(
            e,
            ".feastops.yaml:3: rules.feature-remved: unknown rule `feature-remved`; did you mean `feature-removed`?"
        );
    }

    #[test]
    fn code_instead_of_name_is_explained() {
        let e = policy_err("rules:\n  FO101: off\n");
        assert!(e.contains("use the rule name `feature-removed`"), "{e}");
    }

    #[test]
    fn ignore_errors_point_at_the_entry() {
        let e = policy_err(
            "ignore:\n  - rule: feature-removed\n    object: feature_view/a\n    reason: ok\n  - rule: feature-removed\n    object: featureview/b\n    reason: ok\n",
        );
        assert!(e.starts_with(".feastops.yaml:5: ignore[1]: object: unknown object kind `featureview`; did you mean `feature_view`?"), "{e}");
        let e = policy_err(
            "ignore:\n  - rule: feature-removed\n    object: feature_view/a\n    reason: '  '\n",
        );
        assert!(e.contains("ignore[0]: reason: is empty"), "{e}");
        let e = policy_err("ignore:\n  - rule: feature-removed\n    object: a\n    reason: x\n");
        assert!(e.contains("is not `kind/name`"), "{e}");
    }

    #[test]
    fn bad_glob_is_an_error() {
        let e = policy_err("exclude:\n  paths: ['feast/[']\n");
        assert!(e.contains("exclude.paths: bad glob"), "{e}");
    }

    #[test]
    fn cli_mode_overrides_config() {
        let p = Policy::new(Some(&loaded("mode: training\n")), Some(Mode::Strict)).unwrap();
        assert_eq!(p.mode, Mode::Strict);
        let p = Policy::new(Some(&loaded("mode: training\n")), None).unwrap();
        assert_eq!(p.mode, Mode::Training);
        assert_eq!(Policy::new(None, None).unwrap().mode, Mode::Serving);
    }
}
