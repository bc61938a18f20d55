//! The endpoint model of a deployment: every party a Feast pod talks to or that talks to
//! it, each with an address, and the flows the deployment needs (expected allowed) or the
//! guide promises to block (expected denied). Written next to a render as `flows.yaml`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::topology::cidr;
use crate::topology::clouds::network::{self, NetworkFacts};
use crate::topology::ports;
use crate::topology::spec::{AwsIdentity, Cloud, DnsResolver, TopologySpec};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Endpoint {
    pub id: String,
    pub description: String,
    pub ip: String,
    /// Namespace of a pod; absent for addresses outside the pod network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Labels of that namespace when the render does not create it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub namespace_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub host_network: bool,
    /// Named container ports of a pod: a NetworkPolicy port given by name matches the
    /// destination pod's container port of that name and protocol.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub named_ports: BTreeMap<String, NamedPort>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedPort {
    pub protocol: String,
    pub port: u16,
}

impl Endpoint {
    /// A pod on the pod network (policies apply to it; selectors can match it).
    pub fn is_pod(&self) -> bool {
        self.namespace.is_some() && !self.host_network
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub protocol: String,
    pub port: u16,
    pub expect: Expect,
    pub why: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Model {
    pub endpoints: Vec<Endpoint>,
    pub flows: Vec<Flow>,
}

pub(super) fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(super) struct Builder {
    pub(super) m: Model,
    pod_cidrs: Vec<String>,
    next_pod: u32,
}

impl Builder {
    /// The next pod address: pods are numbered inside the first pod CIDR.
    fn pod_ip(&mut self) -> String {
        self.next_pod += 1;
        let base = self
            .pod_cidrs
            .first()
            .and_then(|c| cidr::parse(c).ok())
            .map(|n| n.network());
        match base {
            Some(std::net::IpAddr::V4(b)) => {
                std::net::Ipv4Addr::from(u32::from(b) + 10 + self.next_pod).to_string()
            }
            _ => format!("10.255.0.{}", self.next_pod),
        }
    }
    pub(super) fn pod(
        &mut self,
        id: &str,
        desc: &str,
        ns: &str,
        ns_labels: BTreeMap<String, String>,
        pod_labels: BTreeMap<String, String>,
    ) {
        let ip = self.pod_ip();
        self.m.endpoints.push(Endpoint {
            id: id.into(),
            description: desc.into(),
            ip,
            namespace: Some(ns.into()),
            namespace_labels: ns_labels,
            pod_labels,
            host_network: false,
            named_ports: BTreeMap::new(),
        });
    }
    /// Give endpoint `id` its named container ports.
    pub(super) fn name_ports(&mut self, id: &str, named: &[(&str, &str, u16)]) {
        if let Some(e) = self.m.endpoints.iter_mut().find(|e| e.id == id) {
            for (name, protocol, port) in named {
                e.named_ports.insert(
                    name.to_string(),
                    NamedPort {
                        protocol: protocol.to_string(),
                        port: *port,
                    },
                );
            }
        }
    }
    pub(super) fn external(&mut self, id: &str, desc: &str, ip: String) {
        self.m.endpoints.push(Endpoint {
            id: id.into(),
            description: desc.into(),
            ip,
            namespace: None,
            namespace_labels: BTreeMap::new(),
            pod_labels: BTreeMap::new(),
            host_network: false,
            named_ports: BTreeMap::new(),
        });
    }
    /// An address inside `block` that is no pod's.
    pub(super) fn in_block(&self, block: &str) -> String {
        let mut avoid = self.pod_cidrs.clone();
        if block == "0.0.0.0/0" {
            avoid.extend(cidr::NON_PUBLIC_V4.iter().map(|s| s.to_string()));
        }
        cidr::sample_address(block, &avoid)
            .map(|ip| ip.to_string())
            .unwrap_or_else(|| block.split('/').next().unwrap_or_default().to_string())
    }
    pub(super) fn flow(
        &mut self,
        from: &str,
        to: &str,
        protocol: &str,
        port: u16,
        expect: Expect,
        why: &str,
    ) {
        self.m.flows.push(Flow {
            from: from.into(),
            to: to.into(),
            protocol: protocol.into(),
            port,
            expect,
            why: why.into(),
        });
    }
}

/// Container port names the Feast Operator gives its servers (services.go, v0.66:
/// the server type, `<type>-rest` for the registry's REST port, `metrics`).
fn port_names(s: &Value) -> Vec<(&'static str, &'static str, u16)> {
    let tls = s["tls"].as_bool().unwrap_or(false);
    let mut out = Vec::new();
    if s["online"]["enabled"] == true {
        out.push(("online", "TCP", ports::pick(ports::ONLINE, tls)));
        if s["metrics"] == true {
            out.push(("metrics", "TCP", ports::METRICS));
        }
    }
    if s["registry"]["local"] == true {
        out.push(("registry", "TCP", ports::pick(ports::REGISTRY_GRPC, tls)));
        if s["registry"]["rest"] == true {
            out.push((
                "registry-rest",
                "TCP",
                ports::pick(ports::REGISTRY_REST, tls),
            ));
        }
    }
    if s["offline"]["server"] == true {
        out.push(("offline", "TCP", ports::pick(ports::OFFLINE, tls)));
    }
    out
}

fn serving(s: &Value) -> Vec<(u16, &'static str)> {
    let tls = s["tls"].as_bool().unwrap_or(false);
    let mut out = Vec::new();
    if s["online"]["enabled"] == true {
        out.push((ports::pick(ports::ONLINE, tls), "online"));
    }
    if s["registry"]["local"] == true {
        out.push((ports::pick(ports::REGISTRY_GRPC, tls), "registry gRPC"));
        if s["registry"]["rest"] == true {
            out.push((ports::pick(ports::REGISTRY_REST, tls), "registry REST"));
        }
    }
    if s["offline"]["server"] == true {
        out.push((ports::pick(ports::OFFLINE, tls), "offline"));
    }
    out
}

fn first_cidr(spec_cidrs: &Option<Vec<String>>, fallback: &[&str]) -> String {
    spec_cidrs
        .as_ref()
        .and_then(|c| c.first().cloned())
        .unwrap_or_else(|| fallback.first().map(|s| s.to_string()).unwrap_or_default())
}

/// Build the model of a planned deployment from its planned FeatureStores.
pub fn build(
    spec: &TopologySpec,
    stores: &[Value],
    net: &NetworkFacts,
    policies_on: bool,
) -> Model {
    let mut b = Builder {
        m: Model::default(),
        pod_cidrs: net.pod_cidrs.clone(),
        next_pod: 0,
    };
    let mut feast_namespaces: Vec<String> = Vec::new();
    for s in stores {
        let (ns, name) = (
            s["namespace"].as_str().unwrap_or_default(),
            s["name"].as_str().unwrap_or_default(),
        );
        b.pod(
            &format!("{ns}/{name}"),
            &format!("FeatureStore {name} servers"),
            ns,
            BTreeMap::new(),
            labels(&[("feast.dev/name", name)]),
        );
        b.name_ports(&format!("{ns}/{name}"), &port_names(s));
        if !feast_namespaces.iter().any(|n| n == ns) {
            feast_namespaces.push(ns.to_string());
            b.pod(
                &format!("{ns}/other-pod"),
                "a pod without Feast labels in this namespace",
                ns,
                BTreeMap::new(),
                BTreeMap::new(),
            );
        }
    }
    b.pod(
        "client",
        "a pod in a client namespace (feast.dev/client=true)",
        "ml-clients",
        labels(&[
            ("feast.dev/client", "true"),
            ("kubernetes.io/metadata.name", "ml-clients"),
        ]),
        BTreeMap::new(),
    );
    for c in &spec.network.client_namespaces {
        b.pod(
            &format!("client:{c}"),
            "a pod in a listed client namespace",
            c,
            labels(&[("kubernetes.io/metadata.name", c)]),
            BTreeMap::new(),
        );
    }
    b.pod(
        "stranger",
        "a pod of another application",
        "other-app",
        labels(&[("kubernetes.io/metadata.name", "other-app")]),
        labels(&[("app", "other")]),
    );

    // DNS.
    let mut dns_ids = Vec::new();
    for d in &net.dns {
        match d {
            DnsResolver::KubeDns => {
                b.pod(
                    "kube-dns",
                    "kube-dns / CoreDNS pod",
                    "kube-system",
                    labels(&[("kubernetes.io/metadata.name", "kube-system")]),
                    labels(&[("k8s-app", "kube-dns")]),
                );
                // CoreDNS's container ports as kubeadm, EKS and GKE deploy them.
                b.name_ports(
                    "kube-dns",
                    &[
                        ("dns", "UDP", 53),
                        ("dns-tcp", "TCP", 53),
                        ("metrics", "TCP", 9153),
                    ],
                );
                dns_ids.push(("kube-dns", 53));
            }
            DnsResolver::NodeLocalDnsCache => {
                b.external(
                    "nodelocal-dns",
                    "NodeLocal DNSCache (link-local)",
                    "169.254.20.10".into(),
                );
                dns_ids.push(("nodelocal-dns", 53));
                if let Some(svc) = net.service_cidrs.first() {
                    let ip = cidr::sample_address(svc, &[])
                        .map(|i| i.to_string())
                        .unwrap_or_default();
                    b.external(
                        "kube-dns-clusterip",
                        "kube-dns ClusterIP answered by NodeLocal DNSCache",
                        ip,
                    );
                    dns_ids.push(("kube-dns-clusterip", 53));
                }
            }
            DnsResolver::CloudDns => {
                b.external(
                    "cloud-dns",
                    "Cloud DNS for GKE (node metadata server)",
                    "169.254.169.254".into(),
                );
                dns_ids.push(("cloud-dns", 53));
            }
            DnsResolver::OpenshiftDns => {
                b.pod(
                    "openshift-dns",
                    "OpenShift DNS pod",
                    "openshift-dns",
                    labels(&[("kubernetes.io/metadata.name", "openshift-dns")]),
                    labels(&[("dns.operator.openshift.io/daemonset-dns", "default")]),
                );
                // The cluster DNS operator's daemonset names its 5353 ports like CoreDNS's.
                b.name_ports(
                    "openshift-dns",
                    &[("dns", "UDP", 5353), ("dns-tcp", "TCP", 5353)],
                );
                dns_ids.push(("openshift-dns", 5353));
            }
        }
    }
    let api_ip = b.in_block(
        net.api_server_cidrs
            .first()
            .map(String::as_str)
            .unwrap_or("10.0.0.0/8"),
    );
    b.external("api-server", "kube-apiserver endpoint", api_ip);
    let api_port = net.api_server_ports.first().copied().unwrap_or(443);

    // Credentials.
    let mut creds: Vec<(&str, u16)> = Vec::new();
    match spec.cloud {
        Cloud::Aws => {
            if spec.aws.identity == AwsIdentity::PodIdentity {
                b.external(
                    "eks-pod-identity",
                    "EKS Pod Identity Agent",
                    "169.254.170.23".into(),
                );
                creds.push(("eks-pod-identity", network::EKS_POD_IDENTITY_PORT));
            }
            b.external(
                "imds",
                "EC2 instance metadata (node credentials)",
                "169.254.169.254".into(),
            );
        }
        Cloud::Gcp => {
            if !net.dns.contains(&DnsResolver::CloudDns) {
                b.external(
                    "gke-metadata",
                    "GKE metadata server",
                    "169.254.169.254".into(),
                );
            }
            b.external(
                "gke-metadata-daemon",
                "GKE metadata server (non-Dataplane V2)",
                "169.254.169.252".into(),
            );
            let md = if net.dns.contains(&DnsResolver::CloudDns) {
                "cloud-dns"
            } else {
                "gke-metadata"
            };
            creds.push((md, 80));
            creds.push(("gke-metadata-daemon", 988));
        }
        Cloud::Onprem => {}
    }

    // Stores in CIDRs / namespaces.
    let store_ip = b.in_block(
        spec.network
            .store_cidrs
            .first()
            .map(String::as_str)
            .unwrap_or("10.0.0.0/8"),
    );
    b.external("store", "database in the store CIDRs", store_ip);
    // Pod ranges inside a store CIDR are cut out of the policies: an address there is
    // modelled so the matrix shows a store placed in it unreachable.
    let store_cuts =
        crate::topology::spec_checks::store_cuts(&spec.network.store_cidrs, &net.pod_cidrs);
    for (i, (path, _, pod)) in store_cuts.iter().enumerate() {
        let ip = cidr::sample_address(pod, &[])
            .map(|a| a.to_string())
            .unwrap_or_default();
        b.external(
            &format!("store-cut:{i}"),
            &format!("an address of {path} inside the pod range {pod}"),
            ip,
        );
    }
    if let Some(ns) = spec.network.store_namespaces.first() {
        b.pod(
            "store-pod",
            "in-cluster database pod",
            ns,
            labels(&[("kubernetes.io/metadata.name", ns)]),
            labels(&[("app", "db")]),
        );
    }
    let cloud_api_block = match (
        spec.network.cloud_apis.cidrs.as_ref(),
        spec.network.cloud_apis.access,
    ) {
        (Some(c), crate::topology::spec::CloudApiAccess::Private) => {
            c.first().cloned().unwrap_or_default()
        }
        (None, crate::topology::spec::CloudApiAccess::Private) => {
            network::GCP_PRIVATE_APIS.to_string()
        }
        _ => "0.0.0.0/0".into(),
    };
    let cloud_ip = b.in_block(&cloud_api_block);
    b.external(
        "cloud-api",
        "cloud API endpoint (S3, STS, BigQuery…)",
        cloud_ip,
    );
    let oidc_ip = b.in_block(&first_cidr(&spec.network.oidc_issuer_cidrs, &["0.0.0.0/0"]));
    b.external("oidc-issuer", "OIDC issuer (discovery, JWKS)", oidc_ip);

    // Load balancer sources.
    let mut lbs: Vec<&str> = Vec::new();
    match (spec.cloud, &spec.network.load_balancer_cidrs) {
        (Cloud::Onprem, None) => {
            let ip = b.in_block(
                net.api_server_cidrs
                    .first()
                    .map(String::as_str)
                    .unwrap_or("10.0.0.0/16"),
            );
            b.m.endpoints.push(Endpoint {
                id: "router".into(),
                description: "OpenShift router (host network)".into(),
                ip,
                namespace: Some("openshift-ingress".into()),
                namespace_labels: labels(&[
                    (network::OPENSHIFT_INGRESS_GROUP, ""),
                    ("kubernetes.io/metadata.name", "openshift-ingress"),
                ]),
                pod_labels: labels(&[(
                    "ingresscontroller.operator.openshift.io/deployment-ingresscontroller",
                    "default",
                )]),
                host_network: true,
                named_ports: BTreeMap::new(),
            });
            lbs.push("router");
        }
        (Cloud::Gcp, None) => {
            if spec.exposure.internal {
                let ip = b.in_block(&spec.gcp.proxy_only_subnet_cidr);
                b.external(
                    "lb-proxy",
                    "internal Application Load Balancer proxy (proxy-only subnet)",
                    ip,
                );
                lbs.push("lb-proxy");
            } else {
                b.external("lb-proxy", "Google Front End", "130.211.0.1".into());
                lbs.push("lb-proxy");
            }
            b.external(
                "lb-health-check",
                "Google health-check prober",
                "35.191.0.1".into(),
            );
            lbs.push("lb-health-check");
        }
        (_, c) => {
            let block = c
                .as_ref()
                .and_then(|c| c.first().cloned())
                .unwrap_or_else(|| "10.0.240.0/20".into());
            let ip = b.in_block(&block);
            b.external("lb", "load balancer (ALB ENI)", ip);
            lbs.push("lb");
        }
    }
    let (mon_ns, mon_labels) = if spec.cloud == Cloud::Onprem {
        (
            "openshift-monitoring",
            labels(&[
                ("network.openshift.io/policy-group", "monitoring"),
                ("kubernetes.io/metadata.name", "openshift-monitoring"),
            ]),
        )
    } else {
        let m = spec.network.monitoring_namespace.as_str();
        (m, labels(&[("kubernetes.io/metadata.name", m)]))
    };
    b.pod(
        "prometheus",
        "Prometheus",
        mon_ns,
        mon_labels,
        labels(&[("app", "prometheus")]),
    );

    // Flows.
    for s in stores {
        let (ns, name) = (
            s["namespace"].as_str().unwrap_or_default(),
            s["name"].as_str().unwrap_or_default(),
        );
        let me = format!("{ns}/{name}");
        for (d, port) in &dns_ids {
            b.flow(&me, d, "UDP", *port, Expect::Allow, "name resolution");
        }
        b.flow(
            &me,
            "api-server",
            "TCP",
            api_port,
            Expect::Allow,
            "TokenReview / kubectl exec",
        );
        // The operator's materialization CronJob pods carry no FeatureStore label; they
        // `kubectl exec` through the API server and resolve its name.
        let cron = format!("{ns}/other-pod");
        if !b
            .m
            .flows
            .iter()
            .any(|f| f.from == cron && f.to == "api-server")
        {
            b.flow(
                &cron,
                "api-server",
                "TCP",
                api_port,
                Expect::Allow,
                "CronJob kubectl exec",
            );
            if let Some((d, port)) = dns_ids.first() {
                b.flow(
                    &cron,
                    d,
                    "UDP",
                    *port,
                    Expect::Allow,
                    "CronJob name resolution",
                );
            }
        }
        for (c, port) in &creds {
            b.flow(
                &me,
                c,
                "TCP",
                *port,
                Expect::Allow,
                "workload identity credentials",
            );
        }
        let store_ports: Vec<u16> = ["online", "offline", "registry"]
            .iter()
            .flat_map(|k| s["storePorts"][k].as_array().cloned().unwrap_or_default())
            .filter_map(|p| p.as_u64().map(|p| p as u16))
            .collect();
        let mut seen = Vec::new();
        for p in store_ports {
            if seen.contains(&p) {
                continue;
            }
            seen.push(p);
            if p == 443 {
                b.flow(
                    &me,
                    "cloud-api",
                    "TCP",
                    443,
                    Expect::Allow,
                    "store reached through its cloud API",
                );
            } else {
                let target = if spec.network.store_namespaces.is_empty() {
                    "store"
                } else {
                    "store-pod"
                };
                b.flow(&me, target, "TCP", p, Expect::Allow, "store connection");
                if target == "store" && policies_on {
                    for (i, (path, _, pod)) in store_cuts.iter().enumerate() {
                        b.flow(
                            &me,
                            &format!("store-cut:{i}"),
                            "TCP",
                            p,
                            Expect::Deny,
                            &format!("{pod} is a pod range, cut out of {path}: a store there is unreachable"),
                        );
                    }
                }
            }
        }
        if spec.cloud == Cloud::Onprem && s["registry"]["sql"] == true {
            let db_ns = crate::topology::backup::registry_db_namespace(spec, ns);
            let id = format!("registry-db:{db_ns}");
            if !b.m.endpoints.iter().any(|e| e.id == id) {
                b.pod(
                    &id,
                    "CloudNativePG registry database pod",
                    &db_ns,
                    labels(&[("kubernetes.io/metadata.name", &db_ns)]),
                    labels(&[("cnpg.io/cluster", &spec.backup.registry_db_cluster)]),
                );
            }
            b.flow(
                &me,
                &id,
                "TCP",
                5432,
                Expect::Allow,
                "registry database (CloudNativePG)",
            );
        }
        if spec.cloud != Cloud::Onprem && !seen.contains(&443) {
            b.flow(
                &me,
                "cloud-api",
                "TCP",
                443,
                Expect::Allow,
                "credential exchange / object storage",
            );
        }
        if s["auth"]["mode"] == "oidc" {
            b.flow(
                &me,
                "oidc-issuer",
                "TCP",
                443,
                Expect::Allow,
                "OIDC discovery and JWKS",
            );
        }
        let serve = serving(s);
        for (p, what) in &serve {
            b.flow(
                "client",
                &me,
                "TCP",
                *p,
                Expect::Allow,
                &format!("client → {what}"),
            );
            for c in &spec.network.client_namespaces {
                b.flow(
                    &format!("client:{c}"),
                    &me,
                    "TCP",
                    *p,
                    Expect::Allow,
                    &format!("client → {what}"),
                );
            }
        }
        if !s["exposure"].is_null() {
            let tls = s["tls"].as_bool().unwrap_or(false);
            for lb in &lbs {
                b.flow(
                    lb,
                    &me,
                    "TCP",
                    ports::pick(ports::ONLINE, tls),
                    Expect::Allow,
                    "load balancer → online server",
                );
            }
        }
        if s["metrics"] == true {
            b.flow(
                "prometheus",
                &me,
                "TCP",
                ports::METRICS,
                Expect::Allow,
                "metrics scrape",
            );
        }
        if s["role"] == "remoteTenant" {
            let reg = format!(
                "{}/{}",
                spec.namespace,
                crate::topology::netpol::REGISTRY_NAME
            );
            let tls = s["tls"].as_bool().unwrap_or(false);
            b.flow(
                &me,
                &reg,
                "TCP",
                ports::pick(ports::REGISTRY_GRPC, tls),
                Expect::Allow,
                "tenant → shared registry",
            );
        }
        if !policies_on {
            continue;
        }
        // What the policies promise to block.
        for (p, what) in &serve {
            b.flow(
                "stranger",
                &me,
                "TCP",
                *p,
                Expect::Deny,
                &format!("unlisted namespace → {what}"),
            );
            if s["exposure"].is_null() || *what != "online" {
                for lb in &lbs {
                    b.flow(
                        lb,
                        &me,
                        "TCP",
                        *p,
                        Expect::Deny,
                        &format!("load balancer → {what} (not exposed)"),
                    );
                }
            }
        }
        b.flow(
            &me,
            "stranger",
            "TCP",
            8080,
            Expect::Deny,
            "egress to an arbitrary pod",
        );
        if spec.cloud == Cloud::Aws {
            b.flow(
                &me,
                "imds",
                "TCP",
                80,
                Expect::Deny,
                "node credentials stay out of reach",
            );
        }
        for t in stores {
            let (tns, tname) = (
                t["namespace"].as_str().unwrap_or_default(),
                t["name"].as_str().unwrap_or_default(),
            );
            if tns == ns || t["isSharedRegistry"] == true || s["isSharedRegistry"] == true {
                continue;
            }
            for (p, what) in serving(t) {
                let other = format!("{tns}/{tname}");
                b.flow(
                    &me,
                    &other,
                    "TCP",
                    p,
                    Expect::Deny,
                    &format!("cross-tenant → {what}"),
                );
                b.flow(
                    &format!("{ns}/other-pod"),
                    &other,
                    "TCP",
                    p,
                    Expect::Deny,
                    &format!("cross-tenant pod → {what}"),
                );
            }
        }
    }
    super::batch::add(&mut b, spec, stores, policies_on);
    b.m
}
