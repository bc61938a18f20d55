//! Flow simulation: evaluate the NetworkPolicies of a render over its endpoint model
//! ([`model`]) with Kubernetes NetworkPolicy semantics ([`eval`]), under both CNI
//! readings of ipBlock, and report who can reach whom on which port.

mod batch;
pub mod eval;
pub mod model;
pub mod readme;

use std::collections::BTreeMap;

use eval::{NamespaceLabels, Policy, Reading, Verdict};
use model::{Expect, Flow, Model};

use crate::topology::validate::Document;

/// One simulated flow.
#[derive(Debug, Clone)]
pub struct Row {
    pub flow: Flow,
    /// Calico-style reading: ipBlocks match pod IPs.
    pub pods_in_blocks: Verdict,
    /// Cilium-style reading: ipBlocks match only addresses outside the pod network.
    pub external_only: Verdict,
}

impl Row {
    /// The expectation holds under both readings.
    pub fn holds(&self) -> bool {
        let want = self.flow.expect == Expect::Allow;
        self.pods_in_blocks.allowed() == want && self.external_only.allowed() == want
    }
}

#[derive(Debug, Clone, Default)]
pub struct Simulation {
    pub rows: Vec<Row>,
    pub policies: usize,
}

impl Simulation {
    pub fn failures(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| !r.holds()).collect()
    }
}

/// Problems that make a simulation meaningless (a flow names no endpoint).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("flows model: {0}")]
pub struct ModelError(pub String);

fn namespace_labels(docs: &[Document]) -> NamespaceLabels {
    let mut out = NamespaceLabels::new();
    for d in docs.iter().filter(|d| d.kind() == "Namespace") {
        let mut l: BTreeMap<String, String> = d.value["metadata"]["labels"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        // The API server sets this label on every namespace.
        l.insert("kubernetes.io/metadata.name".into(), d.name().to_string());
        out.insert(d.name().to_string(), l);
    }
    out
}

/// Simulate every flow of `model` over the NetworkPolicies in `docs`.
pub fn simulate(docs: &[Document], model: &Model) -> Result<Simulation, ModelError> {
    let policies: Vec<Policy> = docs
        .iter()
        .filter(|d| d.kind() == "NetworkPolicy")
        .map(|d| Policy::from_object(&d.value))
        .collect();
    let nss = namespace_labels(docs);
    let find = |id: &str| {
        model.endpoints.iter().find(|e| e.id == id).ok_or_else(|| {
            ModelError(format!(
                "flow names endpoint `{id}`, which the model does not define"
            ))
        })
    };
    let mut rows = Vec::new();
    for f in &model.flows {
        let (from, to) = (find(&f.from)?, find(&f.to)?);
        let run = |r| eval::evaluate(&policies, &nss, from, to, &f.protocol, f.port, r);
        rows.push(Row {
            flow: f.clone(),
            pods_in_blocks: run(Reading::IpBlockMatchesPods),
            external_only: run(Reading::IpBlockExternalOnly),
        });
    }
    Ok(Simulation {
        rows,
        policies: policies.len(),
    })
}

fn cell(v: &Verdict) -> String {
    match (&v.egress, &v.ingress) {
        (Ok(_), Ok(_)) => "allowed".into(),
        (Err(()), Ok(_)) => "denied (egress)".into(),
        (Ok(_), Err(())) => "denied (ingress)".into(),
        (Err(()), Err(())) => "denied (both)".into(),
    }
}

fn by_policy(v: &Verdict) -> String {
    let name = |s: &eval::Side| match s {
        Ok(p) if p.contains(' ') => "-".to_string(),
        Ok(p) => p.clone(),
        Err(()) => "✗".into(),
    };
    format!("{} / {}", name(&v.egress), name(&v.ingress))
}

/// The flow matrix as a Markdown table.
pub fn markdown(sim: &Simulation) -> String {
    let mut s = String::from(
        "| from | to | port | expected | ipBlock matches pods (Calico, VPC CNI) | ipBlock external only (Cilium, Dataplane V2) | egress / ingress policy | why |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in &sim.rows {
        let f = &r.flow;
        let expect = match f.expect {
            Expect::Allow => "allow",
            Expect::Deny => "deny",
        };
        let mark = if r.holds() { "" } else { " **✗ MISMATCH**" };
        s.push_str(&format!(
            "| {} | {} | {}/{} | {expect}{mark} | {} | {} | {} | {} |\n",
            f.from,
            f.to,
            f.port,
            f.protocol,
            cell(&r.pods_in_blocks),
            cell(&r.external_only),
            by_policy(&r.pods_in_blocks),
            f.why
        ));
    }
    s
}

/// Plain-text report for `validate --flows`: one line per flow, failures marked.
pub fn text(sim: &Simulation) -> String {
    let mut s = String::new();
    for r in &sim.rows {
        let f = &r.flow;
        let status = if r.holds() { "ok  " } else { "FAIL" };
        s.push_str(&format!(
            "{status} {:<28} -> {:<28} {:>5}/{:<3} expected {:<5} | pods-in-ipBlock: {:<16} | external-only: {}\n",
            f.from,
            f.to,
            f.port,
            f.protocol,
            match f.expect {
                Expect::Allow => "allow",
                Expect::Deny => "deny",
            },
            cell(&r.pods_in_blocks),
            cell(&r.external_only),
        ));
    }
    let failed = sim.failures().len();
    s.push_str(&format!(
        "{} flows over {} NetworkPolicies, both CNI readings of ipBlock: {} as expected, {} not\n",
        sim.rows.len(),
        sim.policies,
        sim.rows.len() - failed,
        failed
    ));
    s
}
