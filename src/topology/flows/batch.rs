//! Batch-engine parties of the flow model: Spark or Ray pods need what the
//! server needs to read the offline store and write the online store, plus
//! their own traffic; the server reaches the Ray head; Snowflake is reached on 443.

use std::collections::BTreeMap;

use serde_json::Value;

use super::model::{Builder, Expect, labels};
use crate::topology::batch::plan::{RAY_CLIENT_PORT, RAY_POD_LABEL, ray_cluster_name};

/// Targets of a server's allowed egress that a batch pod needs too (the server's
/// inbound flows, its OIDC lookups and the CronJob's flows are not the engine's).
fn needed_by_engine(to: &str) -> bool {
    to != "oidc-issuer" && to != "client" && to != "prometheus"
}

pub(super) fn add(
    b: &mut Builder,
    spec: &crate::topology::spec::TopologySpec,
    stores: &[Value],
    policies_on: bool,
) {
    for s in stores {
        let (ns, name) = (
            s["namespace"].as_str().unwrap_or_default(),
            s["name"].as_str().unwrap_or_default(),
        );
        let server = format!("{ns}/{name}");
        if crate::topology::batch::netpol::reaches_snowflake(s) {
            let block = spec.snowflake.cidrs.as_ref().and_then(|c| c.first());
            let ip = b.in_block(block.map_or("0.0.0.0/0", String::as_str));
            if !b.m.endpoints.iter().any(|e| e.id == "snowflake") {
                b.external("snowflake", "Snowflake account endpoint", ip);
            }
            b.flow(
                &server,
                "snowflake",
                "TCP",
                443,
                Expect::Allow,
                "Snowflake offline store / engine",
            );
        }
        let (engine, pod_labels) = match s["batch"]["engine"].as_str() {
            Some("spark") => ("spark", labels(&[("spark-role", "executor")])),
            Some("ray") => ("ray", labels(&[(RAY_POD_LABEL, &ray_cluster_name(name))])),
            _ => continue,
        };
        let me = format!("{ns}/{name}-{engine}");
        let peer = format!("{ns}/{name}-{engine}-peer");
        let desc = match engine {
            "spark" => "Spark executor pod of a Feast materialization run",
            _ => "Ray worker pod of the store's RayCluster",
        };
        b.pod(&me, desc, ns, BTreeMap::new(), pod_labels.clone());
        let peer_labels = match engine {
            "spark" => labels(&[("spark-role", "driver")]),
            _ => pod_labels,
        };
        b.pod(
            &peer,
            &format!("another {engine} pod of the same run/cluster"),
            ns,
            BTreeMap::new(),
            peer_labels,
        );
        let egress: Vec<(String, String, u16, String)> = b
            .m
            .flows
            .iter()
            .filter(|f| f.from == server && f.expect == Expect::Allow && needed_by_engine(&f.to))
            .map(|f| (f.to.clone(), f.protocol.clone(), f.port, f.why.clone()))
            .collect();
        for (to, proto, port, why) in egress {
            b.flow(
                &me,
                &to,
                &proto,
                port,
                Expect::Allow,
                &format!("{engine} pod: {why}"),
            );
        }
        let internal_port = if engine == "spark" { 7079 } else { 6379 };
        b.flow(
            &me,
            &peer,
            "TCP",
            internal_port,
            Expect::Allow,
            &format!("{engine} pods talk to each other"),
        );
        b.flow(
            &peer,
            &me,
            "TCP",
            internal_port,
            Expect::Allow,
            &format!("{engine} pods talk to each other"),
        );
        if engine == "ray" {
            b.flow(
                &server,
                &peer,
                "TCP",
                RAY_CLIENT_PORT,
                Expect::Allow,
                "server → Ray head (ray:// client)",
            );
            if policies_on {
                b.flow(
                    "stranger",
                    &peer,
                    "TCP",
                    RAY_CLIENT_PORT,
                    Expect::Deny,
                    "unlisted namespace → Ray head",
                );
                b.flow(
                    "client",
                    &peer,
                    "TCP",
                    RAY_CLIENT_PORT,
                    Expect::Deny,
                    "client namespace → Ray head (only the server submits)",
                );
            }
        }
        if policies_on {
            b.flow(
                &me,
                "stranger",
                "TCP",
                8080,
                Expect::Deny,
                &format!("{engine} pod → an arbitrary pod"),
            );
            b.flow(
                &format!("{ns}/other-pod"),
                &me,
                "TCP",
                internal_port,
                Expect::Deny,
                &format!("a non-{engine} pod → {engine} pods"),
            );
        }
    }
}
