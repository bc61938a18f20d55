//! Spec checks that match what the API server and the clouds accept: CIDR syntax and
//! overlap, cron schedules, IANA time zones, DNS labels, reserved namespaces, keys that do
//! not apply to the chosen topology — and the list of values still at example defaults.

pub mod cron;
pub mod names;

use serde_json::Value;

use crate::topology::cidr;
use crate::topology::clouds::network;
use crate::topology::error::SpecProblem;
use crate::topology::spec::{Cloud, CloudApiAccess, Topology, TopologySpec};

fn problem(path: &str, message: impl Into<String>) -> SpecProblem {
    SpecProblem {
        path: path.into(),
        message: message.into(),
        suggestion: None,
    }
}

/// Every CIDR the spec holds, with its path.
fn cidrs(s: &TopologySpec) -> Vec<(String, &str)> {
    let n = &s.network;
    let lists: [(&str, Option<&Vec<String>>); 7] = [
        ("network.apiServerCidrs", n.api_server_cidrs.as_ref()),
        ("network.storeCidrs", Some(&n.store_cidrs)),
        ("network.loadBalancerCidrs", n.load_balancer_cidrs.as_ref()),
        ("network.podCidrs", n.pod_cidrs.as_ref()),
        ("network.serviceCidrs", n.service_cidrs.as_ref()),
        ("network.cloudApis.cidrs", n.cloud_apis.cidrs.as_ref()),
        ("network.oidcIssuerCidrs", n.oidc_issuer_cidrs.as_ref()),
    ];
    let mut out = Vec::new();
    for (path, v) in lists {
        for (i, c) in v.into_iter().flatten().enumerate() {
            out.push((format!("{path}[{i}]"), c.as_str()));
        }
    }
    out.push((
        "gcp.proxyOnlySubnetCidr".into(),
        s.gcp.proxy_only_subnet_cidr.as_str(),
    ));
    out
}

fn cidr_checks(s: &TopologySpec, p: &mut Vec<SpecProblem>) {
    let mut syntax_ok = true;
    for (path, c) in cidrs(s) {
        if let Err(e) = cidr::parse(c) {
            syntax_ok = false;
            p.push(problem(&path, e));
        }
    }
    if !syntax_ok {
        return;
    }
    let facts = network::facts(s);
    // Load-balancer sources are admitted by ipBlock on the online port: a block that holds
    // pod addresses admits every pod on CNIs that match ipBlocks against pod IPs.
    let lb: Vec<(String, String)> = match (&s.network.load_balancer_cidrs, s.cloud) {
        (Some(v), _) => v
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("network.loadBalancerCidrs[{i}]"), c.clone()))
            .collect(),
        (None, Cloud::Gcp) if s.exposure.internal => vec![(
            "gcp.proxyOnlySubnetCidr".into(),
            s.gcp.proxy_only_subnet_cidr.clone(),
        )],
        _ => Vec::new(),
    };
    for (path, c) in lb {
        for pod in &facts.pod_cidrs {
            if let (Ok(a), Ok(b)) = (cidr::parse(&c), cidr::parse(pod))
                && cidr::overlaps(&a, &b)
            {
                p.push(problem(&path, format!(
                    "{c} overlaps the pod range {pod}: on CNIs that match ipBlocks against pod IPs (Calico, the EKS VPC CNI) every pod would reach the online server; give the load balancer's own subnets (and set network.podCidrs to the cluster's pod ranges)")));
            }
        }
    }
    for (i, c) in s.network.store_cidrs.iter().enumerate() {
        if cidr::except_within(c, &facts.pod_cidrs).is_none() {
            p.push(problem(&format!("network.storeCidrs[{i}]"), format!(
                "{c} lies inside a pod range ({}); stores are reached outside the pod network: give their subnets, or list in-cluster stores in network.storeNamespaces",
                facts.pod_cidrs.join(", "))));
        }
    }
    if s.network.cloud_apis.access == CloudApiAccess::Private
        && s.network.cloud_apis.cidrs.is_none()
        && s.cloud != Cloud::Gcp
    {
        p.push(problem("network.cloudApis.cidrs", "required with access: private outside GCP: the interface-endpoint subnets and the S3/DynamoDB gateway prefix-list ranges (`aws ec2 describe-prefix-lists`)"));
    }
}

/// `(spec path, store CIDR, pod range)` for every pod range lying inside a store CIDR:
/// the policies cut it out (`except`), so a store at an address there is unreachable.
pub fn store_cuts(store_cidrs: &[String], pod_cidrs: &[String]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (i, c) in store_cidrs.iter().enumerate() {
        for pod in cidr::except_within(c, pod_cidrs).unwrap_or_default() {
            out.push((format!("network.storeCidrs[{i}]"), c.clone(), pod));
        }
    }
    out
}

/// Keys that only mean something for Enterprise, set on another topology, are errors:
/// silently ignoring them deploys something other than what was asked for.
fn topology_keys(s: &TopologySpec, doc: &Value, p: &mut Vec<SpecProblem>) {
    if s.topology != Topology::Enterprise && doc.get("enterprise").is_some() {
        p.push(problem("enterprise", "applies only to the enterprise topology (--tenants, --shared-registry): remove it or use --topology enterprise"));
    }
    let obs = doc.get("observability");
    let only_disabled = obs
        .and_then(Value::as_object)
        .is_some_and(|o| o.len() == 1 && o.get("enabled") == Some(&Value::Bool(false)));
    if s.topology == Topology::Minimal && obs.is_some() && !only_disabled {
        p.push(problem("observability", "applies from the standard topology up (Minimal serves no metrics, so no alerts or dashboard are rendered): remove it or use --topology standard"));
    }
    if s.topology != Topology::Enterprise && obs.and_then(|o| o.get("tracesEndpoint")).is_some() {
        p.push(problem(
            "observability.tracesEndpoint",
            "applies only to the enterprise topology (the OpenTelemetry collector): remove it",
        ));
    }
}

/// All checks; `doc` is the merged document before deserialization (to see which keys
/// were given).
pub fn check(s: &TopologySpec, doc: &Value) -> Vec<SpecProblem> {
    let mut p = Vec::new();
    cidr_checks(s, &mut p);
    topology_keys(s, doc, &mut p);
    names::check(s, &mut p);
    if let Err(e) = cron::check_schedule(&s.materialization.schedule) {
        p.push(problem("materialization.schedule", e));
    }
    if let Err(e) = cron::check_time_zone(&s.materialization.time_zone) {
        p.push(problem("materialization.timeZone", e));
    }
    p.extend(crate::topology::batch::checks::check(s));
    p
}

/// `(path, value)` of spec values still at an example default (besides the network
/// ones, which [`network::facts`] lists).
pub fn example_values(s: &TopologySpec) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |cond: bool, path: &str, v: &str| {
        if cond {
            out.push((path.to_string(), v.to_string()));
        }
    };
    let example_host = |h: &str| h == "example.com" || h.ends_with(".example.com");
    add(
        s.cloud == Cloud::Aws && s.aws.account_id == "123456789012",
        "aws.accountId",
        &s.aws.account_id,
    );
    add(
        s.cloud == Cloud::Gcp && s.gcp.project_id == "my-gcp-project",
        "gcp.projectId",
        &s.gcp.project_id,
    );
    add(
        s.topology != Topology::Minimal && example_host(&s.exposure.host),
        "exposure.host",
        &s.exposure.host,
    );
    let oidc_host = s
        .oidc
        .issuer_url
        .trim_start_matches("https://")
        .split('/')
        .next()
        .unwrap_or_default();
    let oidc_used = s.auth == Some(crate::topology::spec::AuthMode::Oidc)
        || (s.auth.is_none()
            && s.topology == Topology::Enterprise
            && s.enterprise.registry == crate::topology::spec::RegistryMode::Isolated);
    add(
        oidc_used && example_host(oidc_host),
        "oidc.issuerUrl",
        &s.oidc.issuer_url,
    );
    add(
        s.airgapped.enabled && example_host(&s.airgapped.mirror),
        "airgapped.mirror",
        &s.airgapped.mirror,
    );
    let onprem_sql = s.cloud == Cloud::Onprem && s.topology != Topology::Minimal;
    add(
        onprem_sql && s.backup.s3_endpoint == "https://minio.example.internal",
        "backup.s3Endpoint",
        &s.backup.s3_endpoint,
    );
    add(
        onprem_sql && s.backup.s3_destination == "s3://feast-backups",
        "backup.s3Destination",
        &s.backup.s3_destination,
    );
    add(
        s.cloud != Cloud::Onprem
            && s.topology != Topology::Minimal
            && s.backup.registry_db_instance == "feast-registry",
        "backup.registryDbInstance",
        &s.backup.registry_db_instance,
    );
    if let Some(g) = &s.feature_repo.git {
        let host = g
            .url
            .split("://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_default();
        add(example_host(host), "featureRepo.git.url", &g.url);
    }
    if let Some(img) = s.feature_repo_image() {
        let host = img.split('/').next().unwrap_or_default();
        add(example_host(host), "featureRepo.image", img);
    }
    out
}
