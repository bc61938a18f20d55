//! `feastops render`: merge the spec, render, validate, then print or write.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::{Value, json};

use crate::topology::error::TopologyError;
use crate::topology::{output, render, spec};

#[derive(Debug, Clone, clap::Args)]
pub struct RenderArgs {
    /// Topology spec file (YAML); repeat to layer files, later ones win.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Topology (overrides the files).
    #[arg(long, value_parser = ["minimal", "standard", "enterprise"])]
    pub topology: Option<String>,
    /// Target cloud.
    #[arg(long, value_parser = ["aws", "gcp", "onprem"])]
    pub cloud: Option<String>,
    /// Apply the air-gapped overlay (needs airgapped.featureRepoImage pinned by digest).
    #[arg(long)]
    pub airgapped: bool,
    /// Feast project (`feastProject`).
    #[arg(long)]
    pub project: Option<String>,
    /// Namespace (Enterprise: the system namespace of the shared registry).
    #[arg(long)]
    pub namespace: Option<String>,
    /// Enterprise: one shared registry in the system namespace instead of one per tenant.
    #[arg(long)]
    pub shared_registry: bool,
    /// Enterprise tenants, comma separated (each becomes a namespace).
    #[arg(long, value_delimiter = ',', value_name = "NAME,…")]
    pub tenants: Option<Vec<String>>,
    /// Override one spec key: KEY.PATH=VALUE (VALUE is YAML). Repeatable; applied last.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Directory of template overrides (file names as in templates/topologies/).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Write the files into DIR (atomically) instead of printing the manifests.
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// With --output-dir: do not write; exit 1 with a diff if DIR differs from the render.
    #[arg(long, requires = "output_dir")]
    pub check: bool,
    /// Validate the render against this CRD file (the one your cluster runs) instead of the
    /// embedded Feast v0.66 CRD.
    #[arg(long, value_name = "FILE")]
    pub crd: Option<PathBuf>,
    /// Kubernetes release of the target cluster (1.25…1.34): API versions and fields it serves.
    #[arg(long, value_name = "1.N", default_value = "1.30", value_parser = parse_kube_version)]
    pub kube_version: crate::topology::validate::kube_version::KubeVersion,
    /// Print the JSON Schema of the spec and exit.
    #[arg(long, exclusive = true)]
    pub print_schema: bool,
}

pub(crate) fn parse_kube_version(
    s: &str,
) -> Result<crate::topology::validate::kube_version::KubeVersion, String> {
    s.parse()
}

/// Merge files, flags and `--set` into one spec document.
pub fn merged_spec(args: &RenderArgs) -> Result<(Value, String), TopologyError> {
    let mut doc = json!({});
    let mut sources = Vec::new();
    for f in &args.files {
        let text = crate::input_limits::read_to_string(f, crate::input_limits::Input::Yaml)
            .map_err(|e| TopologyError::io(f, e))?;
        let v: Value = serde_yaml_ng::from_str(&text).map_err(|e| TopologyError::Yaml {
            path: f.display().to_string(),
            message: e.to_string(),
        })?;
        match v {
            Value::Null => {}
            Value::Object(_) => spec::merge(&mut doc, v),
            _ => {
                return Err(TopologyError::Spec {
                    source_desc: f.display().to_string(),
                    problems: vec![crate::topology::error::SpecProblem {
                        path: String::new(),
                        message: "the spec must be a mapping (topology: …, cloud: …)".into(),
                        suggestion: None,
                    }],
                });
            }
        }
        sources.push(f.display().to_string());
    }
    let mut flags = serde_json::Map::new();
    let mut put = |k: &str, v: Value| {
        flags.insert(k.to_string(), v);
    };
    if let Some(t) = &args.topology {
        put("topology", json!(t));
    }
    if let Some(c) = &args.cloud {
        put("cloud", json!(c));
    }
    if let Some(p) = &args.project {
        put("project", json!(p));
    }
    if let Some(n) = &args.namespace {
        put("namespace", json!(n));
    }
    if !flags.is_empty() || args.airgapped || args.shared_registry || args.tenants.is_some() {
        sources.push("flags".into());
    }
    spec::merge(&mut doc, Value::Object(flags));
    if args.airgapped {
        spec::merge(&mut doc, json!({"airgapped": {"enabled": true}}));
    }
    if args.shared_registry {
        spec::merge(&mut doc, json!({"enterprise": {"registry": "shared"}}));
    }
    if let Some(t) = &args.tenants {
        spec::merge(&mut doc, json!({"enterprise": {"tenants": t}}));
    }
    for s in &args.set {
        spec::apply_set(&mut doc, s)?;
    }
    if !args.set.is_empty() {
        sources.push("--set".into());
    }
    let desc = if sources.is_empty() {
        "no input".to_string()
    } else {
        sources.join(" + ")
    };
    Ok((doc, desc))
}

/// Run `render`. Exit 0 on success, 1 when `--check` finds drift; errors are bad input (2).
pub fn run(args: &RenderArgs) -> anyhow::Result<ExitCode> {
    if args.print_schema {
        print!("{}", spec::json_schema_text());
        return Ok(ExitCode::SUCCESS);
    }
    let (doc, desc) = merged_spec(args)?;
    let spec = spec::parse(&doc, &desc)?;
    let templates = render::Templates::new(args.templates.as_deref())?;
    let mut opts = crate::topology::validate::Options {
        kube: args.kube_version,
        ..Default::default()
    };
    if let Some(crd) = &args.crd {
        opts.crd = std::sync::Arc::new(
            crate::topology::validate::crd::CrdValidator::from_crd_file(crd)?,
        );
    }
    let rendered = render::render_with(&spec, &templates, &opts)?;
    for w in &rendered.network_warnings {
        eprintln!("warning: {w}");
    }
    if !rendered.warnings.is_empty() {
        // Printed first so it is seen even when stdout is piped into kubectl.
        eprintln!(
            "warning: {} values are still example defaults; replace them before applying:",
            rendered.warnings.len()
        );
        for w in &rendered.warnings {
            eprintln!("  - {w}");
        }
    }
    match &args.output_dir {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(rendered.stream.as_bytes())
                .context("writing to stdout")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(dir) if args.check => match output::check_dir(dir, &rendered.files)? {
            None => {
                eprintln!(
                    "{} is up to date ({} files)",
                    dir.display(),
                    rendered.files.len()
                );
                Ok(ExitCode::SUCCESS)
            }
            Some(diff) => {
                print!("{diff}");
                eprintln!(
                    "{} differs from what the spec renders; run without --check to update it",
                    dir.display()
                );
                Ok(ExitCode::from(1))
            }
        },
        Some(dir) => {
            output::write_dir(dir, &rendered.files)?;
            eprintln!("wrote {} files to {}", rendered.files.len(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
