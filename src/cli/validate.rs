//! `feastops validate`: check rendered or hand-written manifests offline.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::topology::validate::{self, Options, PolicyMode, crd::CrdValidator};

#[derive(Debug, Clone, clap::Args)]
pub struct ValidateArgs {
    /// Files or directories of YAML manifests (directories are read recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Validate FeatureStores against this CRD file (e.g. `kubectl get crd featurestores.feast.dev -o yaml`)
    /// instead of the embedded Feast v0.66 CRD.
    #[arg(long, value_name = "FILE")]
    pub crd: Option<PathBuf>,
    /// How policy findings count: deny (fail), warn (print only) or off.
    #[arg(long, default_value = "deny", value_parser = ["deny", "warn", "off"])]
    pub policy: String,
}

/// Run `validate`: exit 0 when valid, 1 when any error is found; unreadable input is 2.
pub fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let crd = match &args.crd {
        Some(p) => Arc::new(CrdValidator::from_crd_file(p)?),
        None => CrdValidator::embedded(),
    };
    let policy = match args.policy.as_str() {
        "warn" => PolicyMode::Warn,
        "off" => PolicyMode::Off,
        _ => PolicyMode::Deny,
    };
    let docs = validate::load(&args.paths)?;
    let report = validate::validate_documents(&docs, &Options { crd, policy });
    print!("{}", report.render());
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
