//! `feastops validate`: check rendered or hand-written manifests offline.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::topology::validate::{self, Options, PolicyMode, crd::CrdValidator};
use crate::topology::{flows, refs};

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
    /// Kubernetes release of the target cluster (1.25…1.34): API versions and fields it serves.
    #[arg(long, value_name = "1.N", default_value = "1.30", value_parser = super::render::parse_kube_version)]
    pub kube_version: crate::topology::validate::kube_version::KubeVersion,
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
    let mut report = validate::validate_documents(
        &docs,
        &Options {
            crd,
            policy,
            kube: args.kube_version,
        },
    );
    refs_findings(&paths, &docs, &mut report);
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
        let text = crate::input_limits::read_to_string(&file, crate::input_limits::Input::Yaml)
            .with_context(|| {
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

/// Reference integrity over the input: every referenced object is in the input, produced
/// by an object in it, or listed in a PREREQUISITES.md of an input directory. Unlisted
/// references are errors in a render's directory (it has a PREREQUISITES.md) and warnings
/// elsewhere.
fn refs_findings(paths: &[PathBuf], docs: &[validate::Document], report: &mut validate::Report) {
    let mut declared = std::collections::BTreeSet::new();
    let mut have_list = false;
    for p in paths.iter().filter(|p| p.is_dir()) {
        if let Ok(text) = std::fs::read_to_string(p.join("PREREQUISITES.md")) {
            have_list = true;
            declared.extend(refs::declared(&text));
        }
    }
    for r in refs::unresolved(docs) {
        if declared.contains(&r.target.id()) {
            continue;
        }
        let d = &docs[r.doc];
        report.findings.push(validate::Finding {
            source: d.source.clone(),
            index: d.index,
            object: d.label(),
            check: "refs".into(),
            path: r.path.clone(),
            message: format!(
                "references `{}`, which is neither in the input nor listed in PREREQUISITES.md: {}",
                r.target.id(),
                refs::commands::create(&r.target)
            ),
            error: have_list,
        });
    }
}
