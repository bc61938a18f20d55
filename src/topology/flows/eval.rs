//! NetworkPolicy semantics as the Kubernetes API defines them (networking.k8s.io/v1):
//! a pod is isolated for a direction once any policy of that type selects it; then a
//! connection is allowed only if some rule of a selecting policy admits the peer and the
//! port, on both ends (the source's egress and the destination's ingress).
//!
//! How ipBlock treats pod IPs is left to the CNI by the spec ("ipBlock … is not intended
//! for pod IPs"), so both readings are evaluated: [`Reading::IpBlockMatchesPods`]
//! (Calico, the EKS VPC CNI agent: any address inside the block matches) and
//! [`Reading::IpBlockExternalOnly`] (Cilium / GKE Dataplane V2: only addresses outside the
//! pod network match).

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::Value;

use super::model::Endpoint;
use crate::topology::cidr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    IpBlockMatchesPods,
    IpBlockExternalOnly,
}

/// A NetworkPolicy reduced to what evaluation needs.
#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub namespace: String,
    pub pod_selector: Value,
    pub ingress: Option<Vec<Value>>,
    pub egress: Option<Vec<Value>>,
}

impl Policy {
    /// From a NetworkPolicy object; `policyTypes` defaults as the API does (Ingress always,
    /// Egress when egress rules are present).
    pub fn from_object(v: &Value) -> Policy {
        let spec = &v["spec"];
        let types: Vec<&str> = match spec["policyTypes"].as_array() {
            Some(t) => t.iter().filter_map(Value::as_str).collect(),
            None if spec.get("egress").is_some() => vec!["Ingress", "Egress"],
            None => vec!["Ingress"],
        };
        let rules = |k: &str| spec[k].as_array().cloned().unwrap_or_default();
        Policy {
            name: v["metadata"]["name"].as_str().unwrap_or_default().into(),
            namespace: v["metadata"]["namespace"]
                .as_str()
                .unwrap_or("default")
                .into(),
            pod_selector: spec["podSelector"].clone(),
            ingress: types.contains(&"Ingress").then(|| rules("ingress")),
            egress: types.contains(&"Egress").then(|| rules("egress")),
        }
    }
}

/// Does a label selector match `labels`? An empty (or absent) selector matches everything.
pub fn selector_matches(sel: &Value, labels: &BTreeMap<String, String>) -> bool {
    if let Some(ml) = sel["matchLabels"].as_object() {
        for (k, v) in ml {
            if labels.get(k).map(String::as_str) != v.as_str() {
                return false;
            }
        }
    }
    for e in sel["matchExpressions"].as_array().into_iter().flatten() {
        let key = e["key"].as_str().unwrap_or_default();
        let values: Vec<&str> = e["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let have = labels.get(key).map(String::as_str);
        let ok = match e["operator"].as_str().unwrap_or_default() {
            "In" => have.is_some_and(|h| values.contains(&h)),
            "NotIn" => !have.is_some_and(|h| values.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Labels of a namespace, as the evaluator sees them.
pub type NamespaceLabels = BTreeMap<String, BTreeMap<String, String>>;

fn ns_labels<'a>(
    all: &'a NamespaceLabels,
    e: &'a Endpoint,
) -> Option<&'a BTreeMap<String, String>> {
    let ns = e.namespace.as_ref()?;
    all.get(ns).or(Some(&e.namespace_labels))
}

/// Does one `from`/`to` peer select endpoint `e`? `policy_ns` is the policy's namespace.
fn peer_matches(
    peer: &Value,
    e: &Endpoint,
    policy_ns: &str,
    nss: &NamespaceLabels,
    reading: Reading,
) -> bool {
    if let Some(block) = peer.get("ipBlock") {
        if e.is_pod() && reading == Reading::IpBlockExternalOnly {
            return false;
        }
        let Ok(ip) = e.ip.parse::<IpAddr>() else {
            return false;
        };
        let inside = block["cidr"]
            .as_str()
            .is_some_and(|c| cidr::contains(c, ip));
        let excepted = block["except"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|c| cidr::contains(c, ip));
        return inside && !excepted;
    }
    let Some(ens) = e.namespace.as_deref() else {
        return false;
    };
    let ns_ok = match peer.get("namespaceSelector") {
        Some(sel) => ns_labels(nss, e).is_some_and(|l| selector_matches(sel, l)),
        None => ens == policy_ns,
    };
    let pod_ok = match peer.get("podSelector") {
        Some(sel) => selector_matches(sel, &e.pod_labels),
        // Host-network pods are selected only with an explicit `podSelector: {}`.
        None => !e.host_network,
    };
    ns_ok && pod_ok
}

/// `dst` is the connection's destination, whose container ports a port name resolves against.
fn port_matches(ports: Option<&Value>, protocol: &str, port: u16, dst: &Endpoint) -> bool {
    let Some(list) = ports.and_then(Value::as_array) else {
        return true;
    };
    if list.is_empty() {
        return true;
    }
    list.iter().any(|p| {
        let proto = p["protocol"].as_str().unwrap_or("TCP");
        if proto != protocol {
            return false;
        }
        match &p["port"] {
            Value::Null => true,
            Value::Number(n) => {
                let lo = n.as_u64().unwrap_or(0);
                let hi = p["endPort"].as_u64().unwrap_or(lo);
                (lo..=hi).contains(&u64::from(port))
            }
            // A name resolves against the destination pod's container ports; addresses
            // outside the pod network have none, so a name never admits them.
            Value::String(name) => {
                dst.is_pod()
                    && dst
                        .named_ports
                        .get(name)
                        .is_some_and(|np| np.protocol == protocol && np.port == port)
            }
            _ => false,
        }
    })
}

/// What one evaluation holds fixed.
struct Conn<'a> {
    policies: &'a [Policy],
    nss: &'a NamespaceLabels,
    protocol: &'a str,
    port: u16,
    reading: Reading,
}

fn rule_matches(
    c: &Conn,
    rule: &Value,
    peers_key: &str,
    other: &Endpoint,
    dst: &Endpoint,
    policy_ns: &str,
) -> bool {
    let peers_ok = match rule.get(peers_key).and_then(Value::as_array) {
        None => true,
        Some(p) if p.is_empty() => true,
        Some(p) => p
            .iter()
            .any(|peer| peer_matches(peer, other, policy_ns, c.nss, c.reading)),
    };
    peers_ok && port_matches(rule.get("ports"), c.protocol, c.port, dst)
}

/// One direction's verdict: `Ok(policy)` names the admitting policy (or why no policy
/// applies), `Err(())` means isolated and nothing admits it.
pub type Side = Result<String, ()>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub egress: Side,
    pub ingress: Side,
}

impl Verdict {
    pub fn allowed(&self) -> bool {
        self.egress.is_ok() && self.ingress.is_ok()
    }
}

fn side(c: &Conn, subject: &Endpoint, other: &Endpoint, egress: bool) -> Side {
    // Policies never apply to traffic of endpoints outside the pod network, and not to
    // host-network pods.
    let Some(ns) = subject
        .namespace
        .as_deref()
        .filter(|_| !subject.host_network)
    else {
        return Ok("not a pod: no policy applies".into());
    };
    let selecting: Vec<&Policy> = c
        .policies
        .iter()
        .filter(|p| p.namespace == ns && selector_matches(&p.pod_selector, &subject.pod_labels))
        .filter(|p| {
            if egress {
                p.egress.is_some()
            } else {
                p.ingress.is_some()
            }
        })
        .collect();
    if selecting.is_empty() {
        return Ok("not isolated".into());
    }
    let key = if egress { "to" } else { "from" };
    let dst = if egress { other } else { subject };
    selecting
        .iter()
        .find(|p| {
            let rules = if egress { &p.egress } else { &p.ingress };
            rules
                .iter()
                .flatten()
                .any(|r| rule_matches(c, r, key, other, dst, &p.namespace))
        })
        .map(|p| p.name.clone())
        .ok_or(())
}

/// Evaluate one connection.
pub fn evaluate(
    policies: &[Policy],
    nss: &NamespaceLabels,
    from: &Endpoint,
    to: &Endpoint,
    protocol: &str,
    port: u16,
    reading: Reading,
) -> Verdict {
    let c = Conn {
        policies,
        nss,
        protocol,
        port,
        reading,
    };
    Verdict {
        egress: side(&c, from, to, true),
        ingress: side(&c, to, from, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(ns: &str, labels: &[(&str, &str)], ip: &str) -> Endpoint {
        Endpoint {
            id: format!("{ns}/p"),
            description: String::new(),
            ip: ip.into(),
            namespace: Some(ns.into()),
            namespace_labels: BTreeMap::new(),
            pod_labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            host_network: false,
            named_ports: BTreeMap::new(),
        }
    }

    fn nss() -> NamespaceLabels {
        let mut m = NamespaceLabels::new();
        for (n, extra) in [("a", None), ("b", Some(("team", "b")))] {
            let mut l =
                BTreeMap::from([("kubernetes.io/metadata.name".to_string(), n.to_string())]);
            if let Some((k, v)) = extra {
                l.insert(k.into(), v.into());
            }
            m.insert(n.into(), l);
        }
        m
    }

    fn policy(ns: &str, spec: Value) -> Policy {
        Policy::from_object(&json!({"metadata": {"name": "p", "namespace": ns}, "spec": spec}))
    }

    #[test]
    fn unselected_pods_are_not_isolated_and_empty_rules_deny() {
        let dst = pod("a", &[("app", "x")], "10.0.0.2");
        let src = pod("b", &[], "10.0.0.3");
        let deny = policy("a", json!({"podSelector": {"matchLabels": {"app": "y"}}}));
        let v = evaluate(
            &[deny],
            &nss(),
            &src,
            &dst,
            "TCP",
            80,
            Reading::IpBlockMatchesPods,
        );
        assert!(
            v.allowed(),
            "a policy selecting other pods does not isolate this one"
        );
        let deny_all = policy("a", json!({"podSelector": {}}));
        let v = evaluate(
            &[deny_all],
            &nss(),
            &src,
            &dst,
            "TCP",
            80,
            Reading::IpBlockMatchesPods,
        );
        assert_eq!(v.ingress, Err(()), "policyTypes defaults to Ingress");
        assert!(v.egress.is_ok());
    }

    #[test]
    fn namespace_and_pod_selectors_in_one_peer_are_anded() {
        let dst = pod("a", &[], "10.0.0.2");
        let p = policy(
            "a",
            json!({"podSelector": {}, "ingress": [{"from": [
            {"namespaceSelector": {"matchLabels": {"team": "b"}}, "podSelector": {"matchLabels": {"role": "client"}}}]}]}),
        );
        let client = pod("b", &[("role", "client")], "10.0.0.3");
        let other = pod("b", &[("role", "x")], "10.0.0.4");
        assert!(
            evaluate(
                std::slice::from_ref(&p),
                &nss(),
                &client,
                &dst,
                "TCP",
                1,
                Reading::IpBlockMatchesPods
            )
            .allowed()
        );
        assert!(
            !evaluate(
                &[p],
                &nss(),
                &other,
                &dst,
                "TCP",
                1,
                Reading::IpBlockMatchesPods
            )
            .allowed()
        );
    }

    #[test]
    fn ports_protocols_and_end_ports() {
        let dst = pod("a", &[], "10.0.0.2");
        let src = pod("a", &[], "10.0.0.3");
        let p = policy(
            "a",
            json!({"podSelector": {}, "ingress": [{"ports": [
            {"port": 53, "protocol": "UDP"}, {"port": 8000, "endPort": 8010}, {"port": "http"}]}]}),
        );
        let ok = |proto, port| {
            evaluate(
                std::slice::from_ref(&p),
                &nss(),
                &src,
                &dst,
                proto,
                port,
                Reading::IpBlockMatchesPods,
            )
            .allowed()
        };
        assert!(ok("UDP", 53));
        assert!(!ok("TCP", 53), "protocol defaults to TCP only where unset");
        assert!(ok("TCP", 8005));
        assert!(!ok("TCP", 8011));
        assert!(!ok("TCP", 80), "no container port is named http");
    }

    #[test]
    fn named_ports_resolve_against_the_destination_pod() {
        let mut dst = pod("a", &[], "10.0.0.2");
        dst.named_ports.insert(
            "online".into(),
            super::super::model::NamedPort {
                protocol: "TCP".into(),
                port: 6566,
            },
        );
        let mut src = pod("a", &[], "10.0.0.3");
        let ing = policy(
            "a",
            json!({"podSelector": {}, "ingress": [{"ports": [{"port": "online"}]}]}),
        );
        let run = |ps: &[Policy], s: &Endpoint, d: &Endpoint, proto, port| {
            evaluate(ps, &nss(), s, d, proto, port, Reading::IpBlockMatchesPods).allowed()
        };
        assert!(run(std::slice::from_ref(&ing), &src, &dst, "TCP", 6566));
        assert!(!run(std::slice::from_ref(&ing), &src, &dst, "TCP", 6567));
        assert!(!run(std::slice::from_ref(&ing), &src, &dst, "UDP", 6566));
        // Egress by name: the destination's name counts, not the source's.
        let eg = policy(
            "a",
            json!({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": "online"}]}]}),
        );
        assert!(run(std::slice::from_ref(&eg), &src, &dst, "TCP", 6566));
        src.named_ports = dst.named_ports.clone();
        let plain = pod("a", &[], "10.0.0.4");
        assert!(!run(std::slice::from_ref(&eg), &src, &plain, "TCP", 6566));
        let mut ext = plain.clone();
        ext.namespace = None;
        ext.named_ports = dst.named_ports.clone();
        assert!(
            !run(&[eg], &src, &ext, "TCP", 6566),
            "no name outside the pod network"
        );
    }

    #[test]
    fn ip_blocks_depend_on_the_reading_for_pods_only() {
        let dst = pod("a", &[], "10.0.0.2");
        let p = policy(
            "a",
            json!({"podSelector": {}, "ingress": [{"from": [
            {"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.5.0/24"]}}]}]}),
        );
        let pod_src = pod("b", &[], "10.0.1.1");
        let mut ext = pod_src.clone();
        ext.namespace = None;
        let run = |s: &Endpoint, r| {
            evaluate(std::slice::from_ref(&p), &nss(), s, &dst, "TCP", 1, r).allowed()
        };
        assert!(run(&pod_src, Reading::IpBlockMatchesPods));
        assert!(!run(&pod_src, Reading::IpBlockExternalOnly));
        assert!(run(&ext, Reading::IpBlockExternalOnly));
        ext.ip = "10.0.5.9".into();
        assert!(
            !run(&ext, Reading::IpBlockMatchesPods),
            "except cuts the block"
        );
    }

    #[test]
    fn host_network_pods_need_an_explicit_empty_pod_selector() {
        let dst = pod("a", &[], "10.0.0.2");
        let mut router = pod("b", &[], "192.168.0.5");
        router.host_network = true;
        let without = policy(
            "a",
            json!({"podSelector": {}, "ingress": [{"from": [
            {"namespaceSelector": {"matchLabels": {"team": "b"}}}]}]}),
        );
        let with = policy(
            "a",
            json!({"podSelector": {}, "ingress": [{"from": [
            {"namespaceSelector": {"matchLabels": {"team": "b"}}, "podSelector": {}}]}]}),
        );
        assert!(
            !evaluate(
                &[without],
                &nss(),
                &router,
                &dst,
                "TCP",
                1,
                Reading::IpBlockMatchesPods
            )
            .allowed()
        );
        assert!(
            evaluate(
                &[with],
                &nss(),
                &router,
                &dst,
                "TCP",
                1,
                Reading::IpBlockMatchesPods
            )
            .allowed()
        );
    }
}
