//! The model contract on the command line: `--model SERVICE=PATH` and the
//! config's `models:` section, shared by `lint` and `check-models`.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;

use crate::config::Loaded;
use crate::contract::{self, Binding, ModelBinding};
use crate::lint::Finding;
use crate::model::Registry;
use crate::policy::Outcome;

#[derive(Debug, Clone, clap::Args)]
pub struct ModelArgs {
    /// Check a trained model against the feature service that serves it:
    /// an MLflow model directory or MLmodel file, an ONNX model, an
    /// XGBoost JSON model, a LightGBM text model, or a feast_features.json.
    /// Repeatable; adds to the config's `models.bind`.
    #[arg(long = "model", value_name = "SERVICE=PATH", value_parser = parse)]
    pub models: Vec<ModelBinding>,
}

fn parse(s: &str) -> Result<ModelBinding, String> {
    contract::parse_binding(s).map_err(|e| e.to_string())
}

/// The models to check: the command line's (paths relative to the working
/// directory), then the config's (relative to the config file).
pub struct Models {
    pub bindings: Vec<Binding>,
    pub only_protect_consumed: bool,
}

impl Models {
    pub fn resolve(args: &ModelArgs, config: Option<&Loaded>) -> Result<Models> {
        let mut bindings = Vec::new();
        for b in &args.models {
            bindings.extend(contract::expand(b, Path::new(""))?);
        }
        let mut only = false;
        if let Some(l) = config {
            let base = l.path.parent().unwrap_or(Path::new(""));
            for e in &l.config.models.bind {
                let b = ModelBinding {
                    service: e.service.clone(),
                    path: e.path.clone(),
                };
                bindings.extend(
                    contract::expand(&b, base)
                        .map_err(|e| anyhow::anyhow!("{}: models.bind: {e}", l.path.display()))?,
                );
            }
            only = l.config.models.only_protect_consumed;
        }
        Ok(Models {
            bindings,
            only_protect_consumed: only,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.bindings.is_empty()
    }

    /// The model findings against `schema` (the proposed side of a lint).
    pub fn check(&self, schema: &Registry, project: Option<&str>) -> Result<Vec<Finding>> {
        Ok(contract::check_models(schema, &self.bindings, project)?)
    }

    /// After the policy pass: model findings keep their own path (the policy
    /// prefixes locations with the feature repo's directory, and a model
    /// path is already relative to the working directory), and with
    /// `only-protect-consumed` findings out of every bound model's reach
    /// are lowered.
    pub fn after_policy(&self, outcome: &mut Outcome, prefix: &str, schemas: &[&Registry]) {
        for f in outcome
            .findings
            .iter_mut()
            .chain(outcome.suppressed.iter_mut().map(|s| &mut s.finding))
            .filter(|f| is_model_rule(f.rule))
        {
            if let Some(l) = &mut f.location
                && let Some(rest) = l.file.strip_prefix(prefix)
            {
                l.file = rest.to_string();
            }
        }
        if self.only_protect_consumed && !self.is_empty() {
            let consumed: BTreeSet<String> =
                self.bindings.iter().map(|b| b.service.clone()).collect();
            let views = contract::consumers::consumed_views(&consumed, schemas);
            let (mut model, mut rest): (Vec<Finding>, Vec<Finding>) =
                std::mem::take(&mut outcome.findings)
                    .into_iter()
                    .partition(|f| is_model_rule(f.rule) || f.rule == crate::policy::UNUSED_IGNORE);
            contract::consumers::lower_unconsumed(&mut rest, &consumed, &views);
            model.extend(rest);
            model.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            outcome.findings = model;
        }
    }
}

fn is_model_rule(rule: &str) -> bool {
    contract::rules::NAMES.contains(&rule)
}
