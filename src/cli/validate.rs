//! `feastops validate`: check rendered or hand-written manifests offline.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::topology::flows;
use crate::topology::validate::{self, Options, PolicyMode, crd::CrdValidator};

#[derive(Debug, Clone, clap::Args)]
pub struct ValidateArgs {
    /// Files or directories of YAML manifests (directories are read recursively).
    #[arg(required_unless_present = "flows", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Simulate the network flows of a render: the endpoint model is DIR/flows.yaml (or
    /// the file given), the NetworkPolicies are those of PATH (default: DIR). Prints who
    /// reaches whom on which port under both CNI readings of ipBlock; exit 1 when a needed
    /// flow is blocked or a promised block is open.
    #[arg(long, value_name = "DIR|FILE")]
    pub flows: Option<PathBuf>,
    /// Validate FeatureStores against this CRD file (e.g. `kubectl get crd featurestores.feast.dev -o yaml`)
    /// instead of the embedded Feast v0.66 CRD.
    #[arg(long, value_name = "FILE")]
    pub crd: Option<PathBuf>,
    /// How policy findings count: deny (fail), warn (print only) or off.
    #[arg(long, default_value = "deny", value_parser = ["deny", "warn", "off"])]
    pub policy: String,
}

/// Run `validate`: exit 0 when valid, 1 when any error is found; unreadable or unparsable
/// input is 2 (after every readable file was checked).
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
    let paths = match (&args.flows, args.paths.is_empty()) {
        (Some(f), true) if f.is_dir() => vec![f.clone()],
        (Some(f), true) => vec![f.parent().map(PathBuf::from).unwrap_or_default()],
        _ => args.paths.clone(),
    };
    let (docs, broken) = validate::load(&paths)?;
    let mut report = validate::validate_documents(&docs, &Options { crd, policy });
    // Unparsable files come first: the rest of the input was still checked, and the
    // exit code says the input itself is bad (2).
    let unreadable = !broken.is_empty();
    report.findings.splice(0..0, broken);
    print!("{}", report.render());
    let mut flows_ok = true;
    if let Some(f) = &args.flows {
        let file = if f.is_dir() {
            f.join("flows.yaml")
        } else {
            f.clone()
        };
        let text = std::fs::read_to_string(&file).with_context(|| {
            format!(
                "reading the flow model {} (written by `feastops render -o DIR`)",
                file.display()
            )
        })?;
        let model: flows::model::Model = serde_yaml_ng::from_str(&text)
            .with_context(|| format!("{} is not a flow model", file.display()))?;
        let sim =
            flows::simulate(&docs, &model).with_context(|| format!("in {}", file.display()))?;
        print!("{}", flows::text(&sim));
        flows_ok = sim.failures().is_empty();
    }
    if unreadable {
        eprintln!(
            "some input files are not valid YAML (listed above); the other files were checked"
        );
        return Ok(ExitCode::from(2));
    }
    Ok(if report.is_ok() && flows_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
