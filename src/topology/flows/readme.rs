//! The render's README.md: the network choices the policies encode, the values still at
//! an example default, and the flow matrix the simulator computed over the rendered
//! NetworkPolicies.

use serde_json::Value;

use super::Simulation;

/// Warning lines for values still at an example default (`ctx["exampleValues"]`).
pub fn example_warnings(ctx: &Value) -> Vec<String> {
    ctx["exampleValues"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{} is still the example `{}`",
                e["path"].as_str().unwrap_or_default(),
                e["value"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// Warning lines for store CIDRs that contain a pod range (`networkNotes.storeCuts`).
pub fn store_cut_warnings(ctx: &Value) -> Vec<String> {
    ctx["networkNotes"]["storeCuts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            format!(
                "{} ({}) contains the pod range {}, which the policies cut out: a store at an address in {} is unreachable; give the stores' own subnets",
                s("path"),
                s("cidr"),
                s("pod"),
                s("pod")
            )
        })
        .collect()
}

pub fn render(ctx: &Value, header: &str, sim: &Simulation) -> String {
    let n = &ctx["networkNotes"];
    let list = |v: &Value| {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = format!(
        "<!-- {header} -->\n\n# Feast {} topology on {}\n\n## Network choices\n\n\
         - Cloud APIs: {}\n- Credentials: {}\n- Load-balancer sources: {}\n- DNS resolvers admitted: {}\n\
         - Pod CIDRs (cut out of every wide ipBlock): {}\n- API server: {}\n",
        ctx["topology"].as_str().unwrap_or_default(),
        ctx["cloudDisplay"].as_str().unwrap_or_default(),
        n["cloudApis"].as_str().unwrap_or_default(),
        n["credentials"].as_str().unwrap_or_default(),
        n["lb"].as_str().unwrap_or_default(),
        list(&n["dns"]),
        list(&n["podCidrs"]),
        list(&n["apiServerCidrs"]),
    );
    let cuts = store_cut_warnings(ctx);
    if !cuts.is_empty() {
        s.push_str("\n## Store addresses the policies cannot reach\n\n");
        for w in cuts {
            s.push_str(&format!("- {w}\n"));
        }
    }
    let warnings = example_warnings(ctx);
    if !warnings.is_empty() {
        s.push_str("\n## Example values to replace before applying\n\n");
        for w in warnings {
            s.push_str(&format!("- {w}\n"));
        }
    }
    s.push_str(&format!(
        "\n## Network flows\n\nComputed by `feastops validate --flows .` over the {} rendered NetworkPolicies \
         with the Kubernetes NetworkPolicy semantics, under both CNI readings of ipBlock \
         (the endpoint model is `flows.yaml`).\n\n",
        sim.policies
    ));
    if sim.policies == 0 {
        s.push_str("No NetworkPolicies are rendered for this topology (set `network.minimalPolicies: true`): every flow is allowed.\n\n");
    }
    s.push_str(&super::markdown(sim));
    s
}
