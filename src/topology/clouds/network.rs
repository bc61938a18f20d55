//! Per-cloud network facts the NetworkPolicies need: which addresses and ports a Feast pod
//! must reach (DNS, API server, credential endpoints, cloud APIs, OIDC issuer) and where
//! load-balancer traffic comes from. Every fact is cited at the constant that holds it.

use serde_json::{Value, json};

use crate::topology::cidr;
use crate::topology::spec::{AwsIdentity, Cloud, CloudApiAccess, DnsResolver, TopologySpec};

/// EKS Pod Identity Agent: link-local 169.254.170.23 (IPv4), port 80.
/// Source: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html
/// ("The agent uses the loopback (localhost) IP address 169.254.170.23 for IPv4").
pub const EKS_POD_IDENTITY: &str = "169.254.170.23/32";
pub const EKS_POD_IDENTITY_PORT: u16 = 80;

/// GKE metadata server (Workload Identity Federation for GKE): with GKE Dataplane V2 pods
/// reach 169.254.169.254 on 80 (and 8080); on clusters without Dataplane V2 the policy must
/// admit the metadata server's own address 169.254.169.252 on 987/988 (post-DNAT).
/// Source: https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity
/// (metadata server); ports cross-checked against the GKE network-policy restrictions
/// for Workload Identity as quoted in public GKE deployments.
pub const GKE_METADATA: &str = "169.254.169.254/32";
pub const GKE_METADATA_PORTS: &[u16] = &[80, 8080];
pub const GKE_METADATA_LEGACY: &str = "169.254.169.252/32";
pub const GKE_METADATA_LEGACY_PORTS: &[u16] = &[987, 988];

/// NodeLocal DNSCache listens on a link-local address (169.254.20.10 by default) on the
/// host network, and intercepts the kube-dns ClusterIP too, so no pod selector matches it.
/// Source: https://cloud.google.com/kubernetes-engine/docs/how-to/nodelocal-dns-cache
/// (default on Autopilot) and kubernetes cluster/addons/dns/nodelocaldns (169.254.20.10).
pub const NODE_LOCAL_DNS: &str = "169.254.20.10/32";

/// Cloud DNS for GKE: pods' resolv.conf points at the node's metadata server,
/// 169.254.169.254:53. Source: https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns
/// and the NodeLocal DNSCache page ("forwarded to the local metadata server").
pub const GKE_CLOUD_DNS: &str = "169.254.169.254/32";

/// Google health-check probes and Google Front End proxies of Application Load Balancers.
/// Source: https://cloud.google.com/load-balancing/docs/firewall-rules (IPv4 ranges).
pub const GCP_HEALTH_CHECK_RANGES: &[&str] = &["35.191.0.0/16", "130.211.0.0/22"];

/// Private Google Access VIP for all Google APIs (private.googleapis.com).
/// Source: https://cloud.google.com/vpc/docs/configure-private-google-access (domain options);
/// restricted.googleapis.com is 199.36.153.4/30 (https://cloud.google.com/vpc-service-controls/docs/private-connectivity).
pub const GCP_PRIVATE_APIS: &str = "199.36.153.8/30";

/// OpenShift router traffic, whether the IngressController runs on the cluster network or
/// the host network (OVN-Kubernetes): namespaceSelector `policy-group.network.openshift.io/ingress: ""`,
/// with an explicit `podSelector: {}` or host-network pods are not included.
/// Source: OpenShift 4.7 release notes "Network policy supports selecting host network
/// Ingress Controllers" and https://docs.redhat.com/en/documentation/openshift_container_platform/4.18/html/network_security/network-policy
pub const OPENSHIFT_INGRESS_GROUP: &str = "policy-group.network.openshift.io/ingress";

/// What one cloud decides about the network, resolved against the spec.
#[derive(Debug, Clone)]
pub struct NetworkFacts {
    pub pod_cidrs: Vec<String>,
    pub service_cidrs: Vec<String>,
    pub api_server_cidrs: Vec<String>,
    pub api_server_ports: Vec<u16>,
    pub dns: Vec<DnsResolver>,
    /// Egress rules (`to` + `ports`) for DNS.
    pub dns_rules: Vec<Value>,
    /// Egress rules for the workload-identity credential endpoint (empty: none needed).
    pub credential_rules: Vec<Value>,
    pub credential_note: &'static str,
    /// Ingress peers for the load balancer's traffic to the online port.
    pub lb_peers: Vec<Value>,
    pub lb_note: String,
    /// Peers for cloud APIs on 443.
    pub cloud_api_peers: Vec<Value>,
    pub cloud_api_note: String,
    /// Peers for the OIDC issuer on 443.
    pub oidc_peers: Vec<Value>,
    /// `(spec path, value)` of every value still at an example default.
    pub examples: Vec<(String, String)>,
}

fn tcp_udp(port: u16) -> Vec<Value> {
    vec![
        json!({"protocol": "UDP", "port": port}),
        json!({"protocol": "TCP", "port": port}),
    ]
}

pub fn tcp(ports: &[u16]) -> Value {
    Value::Array(
        ports
            .iter()
            .map(|p| json!({"protocol": "TCP", "port": p}))
            .collect(),
    )
}

/// ipBlock peers for `cidrs`, with the pod ranges they contain cut out (`except`), so that
/// a CNI that matches ipBlocks against pod IPs does not admit every pod. Blocks that lie
/// wholly inside a pod range are dropped.
pub fn ip_peers_cut(cidrs: &[String], pods: &[String]) -> Vec<Value> {
    cidrs
        .iter()
        .filter_map(|c| {
            let except = cidr::except_within(c, pods)?;
            Some(if except.is_empty() {
                json!({"ipBlock": {"cidr": c}})
            } else {
                json!({"ipBlock": {"cidr": c, "except": except}})
            })
        })
        .collect()
}

/// Any public address: the non-public ranges cut out, and pod ranges in public space too
/// (some clusters use privately routed public ranges for pods).
pub fn public_peer(pods: &[String]) -> Value {
    let mut except: Vec<String> = cidr::NON_PUBLIC_V4.iter().map(|s| s.to_string()).collect();
    for p in pods {
        let inside_private = cidr::parse(p).is_ok_and(|pn| {
            cidr::NON_PUBLIC_V4
                .iter()
                .filter_map(|n| cidr::parse(n).ok())
                .any(|n| n.contains(&pn.network()) && n.prefix_len() <= pn.prefix_len())
        });
        if !inside_private && cidr::parse(p).is_ok_and(|n| n.network().is_ipv4()) {
            except.push(p.clone());
        }
    }
    except.sort();
    except.dedup();
    json!({"ipBlock": {"cidr": "0.0.0.0/0", "except": except}})
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Example defaults per cloud: documented defaults where the cloud has one, otherwise
/// illustrative values that never overlap each other (listed in the render's warning).
struct Defaults {
    pods: &'static [&'static str],
    services: &'static [&'static str],
    api: &'static [&'static str],
    api_ports: &'static [u16],
    lb: &'static [&'static str],
    dns: &'static [DnsResolver],
}

fn defaults(cloud: Cloud) -> Defaults {
    match cloud {
        // EKS: the VPC CNI gives pods addresses from the node subnets (here the lower half
        // of a 10.0.0.0/16 VPC); the ALB lives in its own subnets; the control plane's
        // cross-account ENIs sit in the cluster subnets given at creation. Service CIDR:
        // EKS assigns 10.100.0.0/16 or 172.20.0.0/16 when none is given.
        Cloud::Aws => Defaults {
            pods: &["10.0.0.0/17"],
            services: &["172.20.0.0/16"],
            api: &["10.0.128.0/24"],
            api_ports: &[443],
            lb: &["10.0.240.0/20"],
            dns: &[DnsResolver::KubeDns, DnsResolver::NodeLocalDnsCache],
        },
        // GKE: pod range /14 and the 34.118.224.0/20 Service range of recent clusters; a
        // private cluster's control plane in 172.16.0.0/28 (the documented example range).
        Cloud::Gcp => Defaults {
            pods: &["10.4.0.0/14"],
            services: &["34.118.224.0/20"],
            api: &["172.16.0.0/28"],
            api_ports: &[443],
            lb: &[],
            dns: &[
                DnsResolver::KubeDns,
                DnsResolver::NodeLocalDnsCache,
                DnsResolver::CloudDns,
            ],
        },
        // OpenShift install defaults: clusterNetwork 10.128.0.0/14, serviceNetwork
        // 172.30.0.0/16, machineNetwork 10.0.0.0/16 (the API server runs on the control
        // plane hosts, port 6443).
        Cloud::Onprem => Defaults {
            pods: &["10.128.0.0/14"],
            services: &["172.30.0.0/16"],
            api: &["10.0.0.0/16"],
            api_ports: &[6443],
            lb: &[],
            dns: &[DnsResolver::OpenshiftDns],
        },
    }
}

fn or_default(
    v: &Option<Vec<String>>,
    d: &[&str],
    path: &str,
    examples: &mut Vec<(String, String)>,
) -> Vec<String> {
    match v {
        Some(v) => v.clone(),
        None => {
            if !d.is_empty() {
                examples.push((path.into(), d.join(", ")));
            }
            strings(d)
        }
    }
}

fn dns_rules(dns: &[DnsResolver], services: &[String]) -> Vec<Value> {
    let mut rules = Vec::new();
    for r in dns {
        match r {
            DnsResolver::KubeDns => rules.push(json!({"to": [{
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}], "ports": tcp_udp(53)})),
            DnsResolver::NodeLocalDnsCache => {
                // The cache answers on its link-local address and on the kube-dns ClusterIP
                // (no DNAT to a pod happens), so the Service range is admitted on 53 too.
                let mut to = vec![json!({"ipBlock": {"cidr": NODE_LOCAL_DNS}})];
                to.extend(services.iter().map(|c| json!({"ipBlock": {"cidr": c}})));
                rules.push(json!({"to": to, "ports": tcp_udp(53)}));
            }
            DnsResolver::CloudDns => rules.push(
                json!({"to": [{"ipBlock": {"cidr": GKE_CLOUD_DNS}}], "ports": tcp_udp(53)}),
            ),
            DnsResolver::OpenshiftDns => {
                // The dns-default Service maps 53 to the pods' 5353; policies see the pod port.
                let mut ports = tcp_udp(5353);
                ports.extend(tcp_udp(53));
                rules.push(json!({"to": [{
                    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "openshift-dns"}},
                    "podSelector": {}}], "ports": ports}));
            }
        }
    }
    rules
}

/// Resolve the network facts of `spec`'s cloud.
pub fn facts(spec: &TopologySpec) -> NetworkFacts {
    let d = defaults(spec.cloud);
    let n = &spec.network;
    let mut examples = Vec::new();
    let pod_cidrs = or_default(&n.pod_cidrs, d.pods, "network.podCidrs", &mut examples);
    let service_cidrs = or_default(
        &n.service_cidrs,
        d.services,
        "network.serviceCidrs",
        &mut examples,
    );
    let api_server_cidrs = or_default(
        &n.api_server_cidrs,
        d.api,
        "network.apiServerCidrs",
        &mut examples,
    );
    let dns = n.dns.clone().unwrap_or_else(|| d.dns.to_vec());

    let (credential_rules, credential_note) = match spec.cloud {
        Cloud::Aws if spec.aws.identity == AwsIdentity::PodIdentity => (
            vec![
                json!({"to": [{"ipBlock": {"cidr": EKS_POD_IDENTITY}}], "ports": tcp(&[EKS_POD_IDENTITY_PORT])}),
            ],
            "EKS Pod Identity Agent 169.254.170.23:80",
        ),
        // IRSA: the pod identity webhook projects a token file and the SDK exchanges it at
        // STS over 443 (a cloud API rule); the node's IMDS stays unreachable, as EKS
        // recommends for pods.
        Cloud::Aws => (
            Vec::new(),
            "IRSA: web-identity token exchanged at STS on 443; IMDS stays blocked",
        ),
        Cloud::Gcp => (
            vec![
                json!({"to": [{"ipBlock": {"cidr": GKE_METADATA}}], "ports": tcp(GKE_METADATA_PORTS)}),
                json!({"to": [{"ipBlock": {"cidr": GKE_METADATA_LEGACY}}], "ports": tcp(GKE_METADATA_LEGACY_PORTS)}),
            ],
            "GKE metadata server 169.254.169.254:80,8080 (Dataplane V2) and 169.254.169.252:987,988",
        ),
        Cloud::Onprem => (Vec::new(), "none (credentials come from Secrets)"),
    };

    let (lb_peers, lb_note) = match (&n.load_balancer_cidrs, spec.cloud) {
        (Some(c), _) => (
            ip_peers_cut(c, &[]),
            format!("load balancer sources {}", c.join(", ")),
        ),
        (None, Cloud::Aws) => {
            examples.push(("network.loadBalancerCidrs".into(), d.lb.join(", ")));
            (
                ip_peers_cut(&strings(d.lb), &[]),
                format!("ALB subnets {} (ip targets)", d.lb.join(", ")),
            )
        }
        (None, Cloud::Gcp) => {
            let mut c = strings(GCP_HEALTH_CHECK_RANGES);
            let note = if spec.exposure.internal {
                if spec.gcp.proxy_only_subnet_cidr == "10.129.0.0/23" {
                    examples.push(("gcp.proxyOnlySubnetCidr".into(), "10.129.0.0/23".into()));
                }
                c.insert(0, spec.gcp.proxy_only_subnet_cidr.clone());
                format!(
                    "proxy-only subnet {} and Google health checks {}",
                    spec.gcp.proxy_only_subnet_cidr,
                    GCP_HEALTH_CHECK_RANGES.join(", ")
                )
            } else {
                format!(
                    "Google Front Ends and health checks {}",
                    GCP_HEALTH_CHECK_RANGES.join(", ")
                )
            };
            (ip_peers_cut(&c, &[]), note)
        }
        (None, Cloud::Onprem) => (
            vec![
                json!({"namespaceSelector": {"matchLabels": {OPENSHIFT_INGRESS_GROUP: ""}}, "podSelector": {}}),
            ],
            "OpenShift routers (cluster or host network) by policy group".into(),
        ),
    };

    let (cloud_api_peers, cloud_api_note) = match (n.cloud_apis.access, &n.cloud_apis.cidrs) {
        (CloudApiAccess::Public, _) => (
            vec![public_peer(&pod_cidrs)],
            "public endpoints: any public address on 443 (private, CGNAT and link-local ranges excluded)".to_string(),
        ),
        (CloudApiAccess::Private, Some(c)) => (
            ip_peers_cut(c, &pod_cidrs),
            format!("private endpoints {} on 443", c.join(", ")),
        ),
        (CloudApiAccess::Private, None) => {
            let c = vec![GCP_PRIVATE_APIS.to_string()];
            (ip_peers_cut(&c, &pod_cidrs), format!("Private Google Access private.googleapis.com {GCP_PRIVATE_APIS} on 443"))
        }
    };
    let oidc_peers = match &n.oidc_issuer_cidrs {
        Some(c) => ip_peers_cut(c, &pod_cidrs),
        None => vec![public_peer(&pod_cidrs)],
    };
    NetworkFacts {
        dns_rules: dns_rules(&dns, &service_cidrs),
        pod_cidrs,
        service_cidrs,
        api_server_ports: d.api_ports.to_vec(),
        api_server_cidrs,
        dns,
        credential_rules,
        credential_note,
        lb_peers,
        lb_note,
        cloud_api_peers,
        cloud_api_note,
        oidc_peers,
        examples,
    }
}
