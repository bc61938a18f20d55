//! The topology spec: what a user writes in `topology.yaml` (layered `-f` files, flags and
//! `--set` overrides merged into one document), its JSON Schema (generated from these
//! types, shipped as `schemas/topology.schema.json`), and the checks that turn a merged
//! document into a typed [`TopologySpec`] or a list of located problems.

use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::topology::batch::spec::{
    BatchEngine, RayPods, RaySpec, SnowflakeSpec, SparkPods, SparkSpec,
};
use crate::topology::error::{Result, SpecProblem, TopologyError};

/// A Feast deployment topology for the Feast Operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "feastops topology spec")]
pub struct TopologySpec {
    /// Which production topology to render.
    pub topology: Topology,
    /// Target platform; decides stores, identity, exposure, DNS and backup mechanisms.
    pub cloud: Cloud,
    /// Feast operator / Feast version the manifests target. Only 0.66 is embedded.
    #[serde(default)]
    pub feast_version: FeastVersion,
    /// `feastProject` (Minimal and Standard; Enterprise tenants derive theirs from their name).
    #[serde(default = "d_project")]
    #[schemars(pattern(r"^[A-Za-z0-9][A-Za-z0-9_-]*$"))]
    pub project: String,
    /// Namespace (Minimal, Standard) or the shared system namespace (Enterprise).
    #[serde(default = "d_namespace")]
    #[schemars(pattern(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"))]
    pub namespace: String,
    /// FeatureStore name (Minimal, Standard).
    #[serde(default = "d_name")]
    #[schemars(pattern(r"^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$"))]
    pub name: String,
    /// Authorization mode. Default: kubernetes (Minimal, Standard), oidc (Enterprise isolated),
    /// kubernetes (Enterprise shared registry).
    #[serde(default)]
    pub auth: Option<AuthMode>,
    #[serde(default)]
    pub oidc: OidcSpec,
    #[serde(default)]
    pub stores: StoresSpec,
    #[serde(default)]
    pub scaling: ScalingSpec,
    #[serde(default)]
    pub exposure: ExposureSpec,
    #[serde(default)]
    pub secrets: SecretsSpec,
    #[serde(default)]
    pub network: NetworkSpec,
    #[serde(default)]
    pub enterprise: EnterpriseSpec,
    /// Where the operator gets the feature repo (required).
    #[serde(default)]
    pub feature_repo: FeatureRepoSpec,
    #[serde(default)]
    pub airgapped: AirgappedSpec,
    #[serde(default)]
    pub images: ImagesSpec,
    #[serde(default)]
    pub materialization: MaterializationSpec,
    #[serde(default)]
    pub aws: AwsSpec,
    #[serde(default)]
    pub gcp: GcpSpec,
    /// Snowflake account settings (offline store `snowflake`, engine `snowflake`).
    #[serde(default)]
    pub snowflake: SnowflakeSpec,
    #[serde(default)]
    pub backup: BackupSpec,
    /// Alerts, dashboard, runbook and tracing (Standard and Enterprise).
    #[serde(default)]
    pub observability: crate::topology::observability::spec::ObservabilitySpec,
}

fn d_project() -> String {
    "feature_repo".into()
}
fn d_namespace() -> String {
    "feast".into()
}
fn d_name() -> String {
    "feast".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Topology {
    Minimal,
    Standard,
    Enterprise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    Aws,
    Gcp,
    Onprem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum FeastVersion {
    #[default]
    #[serde(rename = "0.66")]
    V0_66,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    Kubernetes,
    Oidc,
    /// `authz: {noAuth: true}`; only allowed for Minimal.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OidcSpec {
    /// Issuer URL (`https://…`); the discovery document is read from it.
    #[serde(default = "d_issuer")]
    #[schemars(pattern(r"^https://\S+$"))]
    pub issuer_url: String,
    /// Secret holding client_id etc. (rendered as an ExternalSecret or a template).
    #[serde(default = "d_oidc_secret")]
    pub secret_name: String,
}
fn d_issuer() -> String {
    "https://keycloak.example.com/realms/feast".into()
}
fn d_oidc_secret() -> String {
    "feast-oidc".into()
}
impl Default for OidcSpec {
    fn default() -> Self {
        OidcSpec {
            issuer_url: d_issuer(),
            secret_name: d_oidc_secret(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnlineStore {
    Redis,
    Dynamodb,
    Bigtable,
    Postgres,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OfflineStore {
    Duckdb,
    Redshift,
    Athena,
    Bigquery,
    Postgres,
    Spark,
    Trino,
    /// Snowflake (`snowflake.offline`); account settings under `snowflake`.
    Snowflake,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RegistryStore {
    /// SQL registry on PostgreSQL (required from Standard up).
    Sql,
    /// File registry on a PVC (Minimal only).
    File,
}

/// Store choices; unset means the cloud's default (see docs/topologies.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StoresSpec {
    pub online: Option<OnlineStore>,
    pub offline: Option<OfflineStore>,
    pub registry: Option<RegistryStore>,
}

/// HPA settings; unset means the topology default (Standard 2–10 at 70% CPU, Enterprise 3–20 at 65%).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ScalingSpec {
    #[schemars(range(min = 1))]
    pub min_replicas: Option<u32>,
    #[schemars(range(min = 1))]
    pub max_replicas: Option<u32>,
    #[schemars(range(min = 1, max = 100))]
    pub cpu_utilization: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExposureSpec {
    /// External host name of the online server (per tenant in Enterprise: `<tenant>.<host>`).
    #[serde(default = "d_host")]
    pub host: String,
    /// Internal load balancer (true) or internet-facing (false).
    #[serde(default = "d_true")]
    pub internal: bool,
    /// cert-manager ClusterIssuer for pod TLS and Ingress certificates (AWS/GCP).
    #[serde(default = "d_issuer_name")]
    pub cluster_issuer: String,
}
fn d_host() -> String {
    "feast.example.com".into()
}
fn d_true() -> bool {
    true
}
fn d_issuer_name() -> String {
    "feast-ca-issuer".into()
}
impl Default for ExposureSpec {
    fn default() -> Self {
        ExposureSpec {
            host: d_host(),
            internal: true,
            cluster_issuer: d_issuer_name(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum SecretsMode {
    /// `external-secrets.io/v1` ExternalSecrets from a ClusterSecretStore.
    ExternalSecret,
    /// Secret templates with `${VAR}` placeholders to fill before applying.
    Template,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretsSpec {
    #[serde(default = "d_secrets_mode")]
    pub mode: SecretsMode,
    /// ClusterSecretStore the ExternalSecrets read from.
    #[serde(default = "d_store")]
    pub store: String,
    /// Key prefix in the external secret manager.
    #[serde(default = "d_prefix")]
    pub prefix: String,
}
fn d_secrets_mode() -> SecretsMode {
    SecretsMode::ExternalSecret
}
fn d_store() -> String {
    "feast-secret-store".into()
}
fn d_prefix() -> String {
    "feast".into()
}
impl Default for SecretsSpec {
    fn default() -> Self {
        SecretsSpec {
            mode: d_secrets_mode(),
            store: d_store(),
            prefix: d_prefix(),
        }
    }
}

/// NetworkPolicy inputs. Vanilla NetworkPolicy has no FQDNs: set the CIDRs of your cluster.
/// Unset lists take the cloud's example default (see docs/topologies.md); every value
/// still at an example default is listed in a warning at the end of `render`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkSpec {
    /// kube-apiserver endpoint CIDRs (`kubectl get endpoints kubernetes`); unset = the cloud's example.
    #[serde(default)]
    pub api_server_cidrs: Option<Vec<String>>,
    /// Where Redis/PostgreSQL live (VPC CIDR…); pod CIDRs are cut out of these blocks.
    #[serde(default = "d_store_cidrs")]
    pub store_cidrs: Vec<String>,
    /// Namespaces of in-cluster stores (Redis, CloudNativePG…) the Feast pods may reach.
    /// Keep such stores out of the Feast namespace: its default-deny would cut them off.
    #[serde(default)]
    pub store_namespaces: Vec<String>,
    /// Load-balancer sources allowed to reach the online server; unset = the cloud default
    /// (AWS: the ALB subnets; GCP: the proxy-only subnet (internal) plus Google's
    /// health-check ranges; OpenShift: the router namespaces). Must not overlap pod CIDRs.
    #[serde(default)]
    pub load_balancer_cidrs: Option<Vec<String>>,
    /// The cluster's pod CIDRs (on the EKS VPC CNI: the node subnets). Unset = the cloud's example.
    #[serde(default)]
    pub pod_cidrs: Option<Vec<String>>,
    /// The cluster's Service CIDRs (the kube-dns ClusterIP NodeLocal DNSCache answers on).
    #[serde(default)]
    pub service_cidrs: Option<Vec<String>>,
    /// DNS resolvers pods use; unset = every variant the cloud documents.
    #[serde(default)]
    pub dns: Option<Vec<DnsResolver>>,
    /// How cloud APIs (S3, STS, Redshift Data API, BigQuery…) are reached on 443.
    #[serde(default)]
    pub cloud_apis: CloudApiSpec,
    /// Where the OIDC issuer (JWKS) lives; unset = public addresses.
    #[serde(default)]
    pub oidc_issuer_cidrs: Option<Vec<String>>,
    /// Namespaces whose pods may call the Feast servers (label `feast.dev/client: "true"` also works).
    /// Network admission only: Feast grants roles to service-account tokens through
    /// `clientServiceAccounts`, never through a namespace.
    #[serde(default)]
    pub client_namespaces: Vec<String>,
    /// Service accounts of in-cluster clients (inference, training jobs): bound to the
    /// user role as `ServiceAccount` subjects — the only subjects Feast matches for a
    /// service-account token — and admitted on the network.
    #[serde(default)]
    pub client_service_accounts: Vec<ClientServiceAccount>,
    /// Namespace of Prometheus (metrics on port 8000).
    #[serde(default = "d_monitoring")]
    pub monitoring_namespace: String,
    /// Render the baseline policies for Minimal too (always on from Standard up).
    #[serde(default)]
    pub minimal_policies: bool,
}
impl NetworkSpec {
    /// Namespaces admitted as clients: those listed, and those of the
    /// listed client service accounts, once each, in order.
    pub fn admitted_client_namespaces(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let of_sas = self.client_service_accounts.iter().map(|sa| &sa.namespace);
        for ns in self.client_namespaces.iter().chain(of_sas) {
            if !out.contains(ns) {
                out.push(ns.clone());
            }
        }
        out
    }
}

/// A client's ServiceAccount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClientServiceAccount {
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"))]
    pub namespace: String,
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$"))]
    pub name: String,
}

fn d_store_cidrs() -> Vec<String> {
    vec!["10.0.0.0/8".into()]
}
fn d_monitoring() -> String {
    "monitoring".into()
}
impl Default for NetworkSpec {
    fn default() -> Self {
        NetworkSpec {
            api_server_cidrs: None,
            store_cidrs: d_store_cidrs(),
            store_namespaces: Vec::new(),
            load_balancer_cidrs: None,
            pod_cidrs: None,
            service_cidrs: None,
            dns: None,
            cloud_apis: CloudApiSpec::default(),
            oidc_issuer_cidrs: None,
            client_namespaces: Vec::new(),
            client_service_accounts: Vec::new(),
            monitoring_namespace: d_monitoring(),
            minimal_policies: false,
        }
    }
}

/// A DNS resolver a pod's resolv.conf may point at.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum DnsResolver {
    /// kube-dns / CoreDNS pods in kube-system (`k8s-app: kube-dns`).
    KubeDns,
    /// NodeLocal DNSCache on 169.254.20.10 (host network; GKE Autopilot default).
    NodeLocalDnsCache,
    /// Cloud DNS for GKE: the node's metadata server, 169.254.169.254:53.
    CloudDns,
    /// OpenShift DNS pods in openshift-dns (port 5353).
    OpenshiftDns,
}

/// Cloud API egress: public endpoints or private ones (VPC endpoints, Private Google Access).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum CloudApiAccess {
    /// Public endpoints: any public address on 443 (private ranges cut out).
    #[default]
    Public,
    /// Private endpoints: only `cidrs` (AWS: interface-endpoint subnets and the S3/DynamoDB
    /// gateway prefix-list ranges; GCP default: private.googleapis.com 199.36.153.8/30).
    Private,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CloudApiSpec {
    #[serde(default)]
    pub access: CloudApiAccess,
    /// Private endpoint CIDRs (required on AWS with `access: private`).
    #[serde(default)]
    pub cidrs: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RegistryMode {
    /// A SQL registry per tenant namespace.
    Isolated,
    /// One registry FeatureStore in the system namespace; tenants use it remotely.
    Shared,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnterpriseSpec {
    #[serde(default = "d_registry_mode")]
    pub registry: RegistryMode,
    /// Tenant names; each becomes a namespace, a FeatureStore and a Feast project.
    #[serde(default = "d_tenants")]
    #[schemars(length(min = 1))]
    pub tenants: Vec<Tenant>,
}
fn d_registry_mode() -> RegistryMode {
    RegistryMode::Isolated
}
fn d_tenants() -> Vec<Tenant> {
    vec![Tenant("team-a".into()), Tenant("team-b".into())]
}
impl Default for EnterpriseSpec {
    fn default() -> Self {
        EnterpriseSpec {
            registry: d_registry_mode(),
            tenants: d_tenants(),
        }
    }
}

/// A tenant name (a DNS label; also the namespace).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Tenant(#[schemars(pattern(r"^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$"))] pub String);

/// The feature repo the servers start from. Without one the operator falls
/// back to `feastProjectDir.init` (a `feast init` demo repo) and, with apply
/// on init, registers that demo over the production registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FeatureRepoSpec {
    /// Clone the repo from git (operator init container).
    #[serde(default)]
    pub git: Option<GitRepoSpec>,
    /// A packaged feature repo image, pinned by digest (`…@sha256:…`);
    /// `airgapped.featureRepoImage` is an alias.
    #[serde(default)]
    pub image: Option<String>,
    /// Run `feast apply` in an init container at every pod start. Off by
    /// default: CI applies reviewed changes; concurrent applies from scaled
    /// pods race. Allowed only with a single replica and no autoscaling.
    #[serde(default)]
    pub apply_on_init: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GitRepoSpec {
    /// Clone URL (no credentials in it: use a token Secret).
    pub url: String,
    /// An immutable ref: a commit SHA (7+ hex digits), `refs/tags/NAME`, or a version tag (`v1.4.0`).
    #[serde(rename = "ref")]
    pub git_ref: String,
    /// The feature repo's directory inside the clone (relative).
    #[serde(default)]
    pub path: Option<String>,
}

/// A ref that always names the same commit. Branch names move, so a pod
/// restart would silently pick up unreviewed definitions.
/// `IMAGE@sha256:<64 lowercase hex>`.
pub fn is_digest_pinned(image: &str) -> bool {
    image.rsplit_once("@sha256:").is_some_and(|(name, hex)| {
        !name.is_empty()
            && hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

pub fn is_immutable_ref(r: &str) -> bool {
    // A commit SHA, full or abbreviated the way git prints it (7+ digits).
    let sha = (7..=40).contains(&r.len()) && r.chars().all(|c| c.is_ascii_hexdigit());
    let tag = r.strip_prefix("refs/tags/").is_some_and(|t| !t.is_empty());
    let version = r
        .strip_prefix('v')
        .unwrap_or(r)
        .split(['.', '-', '+'])
        .take(2)
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        .count()
        == 2;
    sha || tag || version
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AirgappedSpec {
    #[serde(default)]
    pub enabled: bool,
    /// Internal registry mirror that replaces every public registry host.
    #[serde(default = "d_mirror")]
    pub mirror: String,
    /// Feature repo baked into an image, pinned by digest (`…@sha256:…`).
    #[serde(default)]
    pub feature_repo_image: Option<String>,
    /// Absolute path of the feature repo inside that image.
    #[serde(default = "d_repo_path")]
    pub feature_repo_path: String,
    /// dockerconfigjson Secret put on the pre-created ServiceAccounts.
    #[serde(default = "d_pull_secret")]
    pub pull_secret: String,
    #[serde(default = "d_true")]
    pub disable_init_containers: bool,
}
fn d_mirror() -> String {
    "registry.internal.example.com".into()
}
fn d_repo_path() -> String {
    "/opt/feast/feature_repo".into()
}
fn d_pull_secret() -> String {
    "feast-pull-secret".into()
}
impl Default for AirgappedSpec {
    fn default() -> Self {
        AirgappedSpec {
            enabled: false,
            mirror: d_mirror(),
            feature_repo_image: None,
            feature_repo_path: d_repo_path(),
            pull_secret: d_pull_secret(),
            disable_init_containers: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ImagesSpec {
    #[serde(default = "d_fs_image")]
    pub feature_server: String,
    /// Image of the CronJob that runs `feast apply` / `materialize-incremental` via kubectl.
    #[serde(default = "d_cron_image")]
    pub cron_job: String,
    /// The Feast Operator's own image (rewritten by the air-gapped operator kustomization).
    #[serde(default = "d_operator_image")]
    pub operator: String,
}
fn d_operator_image() -> String {
    "quay.io/feastdev/feast-operator:0.66.0".into()
}
fn d_fs_image() -> String {
    "quay.io/feastdev/feature-server:0.66.0".into()
}
fn d_cron_image() -> String {
    "quay.io/openshift/origin-cli:4.17".into()
}
impl Default for ImagesSpec {
    fn default() -> Self {
        ImagesSpec {
            feature_server: d_fs_image(),
            cron_job: d_cron_image(),
            operator: d_operator_image(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MaterializationSpec {
    /// Cron schedule of `feast materialize-incremental`.
    #[serde(default = "d_schedule")]
    pub schedule: String,
    #[serde(default = "d_tz")]
    pub time_zone: String,
    /// Feast compute engine that does the work (default `local`: inside the serving pod).
    #[serde(default)]
    pub engine: BatchEngine,
    #[serde(default)]
    pub spark: SparkSpec,
    #[serde(default)]
    pub ray: RaySpec,
}
fn d_schedule() -> String {
    "0 * * * *".into()
}
fn d_tz() -> String {
    "Etc/UTC".into()
}
impl Default for MaterializationSpec {
    fn default() -> Self {
        MaterializationSpec {
            schedule: d_schedule(),
            time_zone: d_tz(),
            engine: BatchEngine::default(),
            spark: SparkSpec::default(),
            ray: RaySpec::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum AwsIdentity {
    /// EKS Pod Identity association (ACK `PodIdentityAssociation`), no SA annotation.
    PodIdentity,
    /// IRSA: pre-created ServiceAccounts annotated with the role ARN.
    Irsa,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsSpec {
    #[serde(default = "d_account")]
    #[schemars(pattern(r"^[0-9]{12}$"))]
    pub account_id: String,
    #[serde(default = "d_region")]
    pub region: String,
    #[serde(default = "d_cluster")]
    pub cluster_name: String,
    #[serde(default = "d_aws_identity")]
    pub identity: AwsIdentity,
    /// ACM certificate for the ALB; unset = the ACM certificate the AWS Load Balancer
    /// Controller discovers for the host (listed in PREREQUISITES.md). ALB reads no Secret.
    #[serde(default)]
    pub certificate_arn: Option<String>,
}
fn d_account() -> String {
    "123456789012".into()
}
fn d_region() -> String {
    "us-east-1".into()
}
fn d_cluster() -> String {
    "feast".into()
}
fn d_aws_identity() -> AwsIdentity {
    AwsIdentity::PodIdentity
}
impl Default for AwsSpec {
    fn default() -> Self {
        AwsSpec {
            account_id: d_account(),
            region: d_region(),
            cluster_name: d_cluster(),
            identity: d_aws_identity(),
            certificate_arn: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GcpSpec {
    #[serde(default = "d_gcp_project")]
    pub project_id: String,
    #[serde(default = "d_region_gcp")]
    pub region: String,
    /// Proxy-only subnet of the region (internal Application Load Balancer / `gce-internal`
    /// Ingress): its proxies are the source of the traffic reaching the pods.
    #[serde(default = "d_proxy_only")]
    pub proxy_only_subnet_cidr: String,
}
fn d_proxy_only() -> String {
    "10.129.0.0/23".into()
}
fn d_gcp_project() -> String {
    "my-gcp-project".into()
}
fn d_region_gcp() -> String {
    "us-central1".into()
}
impl Default for GcpSpec {
    fn default() -> Self {
        GcpSpec {
            project_id: d_gcp_project(),
            region: d_region_gcp(),
            proxy_only_subnet_cidr: d_proxy_only(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BackupSpec {
    /// Namespace where Velero runs (its Schedules must live there).
    #[serde(default = "d_velero_ns")]
    pub velero_namespace: String,
    /// Velero storage location name.
    #[serde(default = "d_location")]
    pub storage_location: String,
    /// CloudNativePG Cluster of the registry database (on-prem).
    #[serde(default = "d_db_cluster")]
    pub registry_db_cluster: String,
    /// Namespace of that Cluster; unset = `<FeatureStore namespace>-db` (never a Feast
    /// namespace: its default-deny would cut the database off).
    #[serde(default)]
    pub registry_db_namespace: Option<String>,
    /// Days of PITR / snapshot retention for the registry database.
    #[serde(default = "d_retention")]
    #[schemars(range(min = 1, max = 35))]
    pub retention_days: u32,
    /// RDS DB instance identifier / Cloud SQL instance name of the registry database
    /// (named in the restore commands).
    #[serde(default = "d_db_instance")]
    pub registry_db_instance: String,
    /// On-prem: object storage the CloudNativePG backups go to (`s3://bucket/prefix`).
    #[serde(default = "d_s3_destination")]
    pub s3_destination: String,
    /// On-prem: S3 endpoint URL (MinIO, Ceph RGW…).
    #[serde(default = "d_s3_endpoint")]
    pub s3_endpoint: String,
}
fn d_db_instance() -> String {
    "feast-registry".into()
}
fn d_s3_destination() -> String {
    "s3://feast-backups".into()
}
fn d_s3_endpoint() -> String {
    "https://minio.example.internal".into()
}
fn d_velero_ns() -> String {
    "velero".into()
}
fn d_location() -> String {
    "default".into()
}
fn d_db_cluster() -> String {
    "feast-registry-db".into()
}
fn d_retention() -> u32 {
    14
}
impl Default for BackupSpec {
    fn default() -> Self {
        BackupSpec {
            velero_namespace: d_velero_ns(),
            storage_location: d_location(),
            registry_db_cluster: d_db_cluster(),
            registry_db_namespace: None,
            retention_days: d_retention(),
            registry_db_instance: d_db_instance(),
            s3_destination: d_s3_destination(),
            s3_endpoint: d_s3_endpoint(),
        }
    }
}

/// The JSON Schema of the spec, as shipped in `schemas/topology.schema.json`.
pub fn json_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(TopologySpec)).unwrap_or(Value::Null)
}

/// The shipped schema text (pretty JSON + newline).
pub fn json_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    s.push('\n');
    s
}

static VALIDATOR: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    jsonschema::validator_for(&json_schema()).expect("generated schema compiles; tested")
});

/// Deep-merge `overlay` into `base`: maps merge key by key, anything else replaces.
pub fn merge(base: &mut Value, overlay: Value) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

/// Apply `--set a.b.c=value`; the value is parsed as YAML (`3`, `true`, `[a, b]`, `text`).
pub fn apply_set(doc: &mut Value, arg: &str) -> Result<()> {
    let bad = |message: &str| TopologyError::BadSet {
        arg: arg.to_string(),
        message: message.to_string(),
    };
    let (key, raw) = arg.split_once('=').ok_or_else(|| bad("no `=`"))?;
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(bad("empty key segment"));
    }
    let value: Value = if raw.is_empty() {
        Value::String(String::new())
    } else {
        serde_yaml_ng::from_str(raw).map_err(|e| bad(&format!("value is not YAML: {e}")))?
    };
    let mut overlay = value;
    for seg in key.split('.').rev() {
        let mut m = Map::new();
        m.insert(seg.to_string(), overlay);
        overlay = Value::Object(m);
    }
    if !doc.is_object() {
        *doc = Value::Object(Map::new());
    }
    merge(doc, overlay);
    Ok(())
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate, if close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let lw = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&lw, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(3) / 3).max(2))
        .min()
        .map(|(_, c)| c.to_string())
}

/// Property names the schema allows at a JSON pointer into an instance.
fn allowed_keys(schema: &Value, pointer: &str) -> Vec<String> {
    let root = schema;
    let resolve = |node: &Value| -> Vec<Value> {
        // Follow $ref and collect branches of anyOf/oneOf/allOf.
        let mut out = Vec::new();
        let mut stack = vec![node.clone()];
        while let Some(n) = stack.pop() {
            if let Some(r) = n.get("$ref").and_then(Value::as_str) {
                if let Some(t) = root.pointer(r.trim_start_matches('#')) {
                    stack.push(t.clone());
                }
                continue;
            }
            let mut branched = false;
            for k in ["anyOf", "oneOf", "allOf"] {
                if let Some(a) = n.get(k).and_then(Value::as_array) {
                    stack.extend(a.iter().cloned());
                    branched = true;
                }
            }
            if !branched || n.get("properties").is_some() {
                out.push(n);
            }
        }
        out
    };
    let mut nodes = resolve(root);
    for seg in pointer.split('/').skip(1) {
        let mut next = Vec::new();
        for n in &nodes {
            if let Some(p) = n.get("properties").and_then(|p| p.get(seg)) {
                next.extend(resolve(p));
            } else if seg.chars().all(|c| c.is_ascii_digit())
                && let Some(items) = n.get("items")
            {
                next.extend(resolve(items));
            }
        }
        nodes = next;
    }
    let mut keys: Vec<String> = nodes
        .iter()
        .filter_map(|n| n.get("properties").and_then(Value::as_object))
        .flat_map(|m| m.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Check a merged document against the schema and deserialize it.
pub fn parse(doc: &Value, source_desc: &str) -> Result<TopologySpec> {
    let schema = json_schema();
    let mut problems = Vec::new();
    for err in VALIDATOR.iter_errors(doc) {
        let pointer = err.instance_path().to_string();
        let path = crate::topology::validate::crd::pointer_to_dotted(&pointer);
        match err.kind() {
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_keys(&schema, &pointer);
                for u in unexpected {
                    let p = if path.is_empty() {
                        u.clone()
                    } else {
                        format!("{path}.{u}")
                    };
                    problems.push(SpecProblem {
                        path: p,
                        message: format!(
                            "unknown key `{u}` (allowed here: {})",
                            allowed.join(", ")
                        ),
                        suggestion: did_you_mean(u, allowed.iter().map(String::as_str)),
                    });
                }
            }
            jsonschema::error::ValidationErrorKind::Enum { options } => {
                let word = err.instance().as_str().unwrap_or_default().to_string();
                let opts: Vec<String> = options
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                problems.push(SpecProblem {
                    path,
                    message: format!("`{word}` is not one of: {}", opts.join(", ")),
                    suggestion: did_you_mean(&word, opts.iter().map(String::as_str)),
                });
            }
            _ => problems.push(SpecProblem {
                path,
                message: err.to_string(),
                suggestion: None,
            }),
        }
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        return Err(TopologyError::Spec {
            source_desc: source_desc.to_string(),
            problems,
        });
    }
    let spec: TopologySpec =
        serde_path_to_error::deserialize(doc.clone()).map_err(|e| TopologyError::Spec {
            source_desc: source_desc.to_string(),
            problems: vec![SpecProblem {
                path: e.path().to_string(),
                message: e.inner().to_string(),
                suggestion: None,
            }],
        })?;
    let mut problems = semantic_checks(&spec);
    problems.extend(crate::topology::spec_checks::check(&spec, doc));
    if !problems.is_empty() {
        return Err(TopologyError::Spec {
            source_desc: source_desc.to_string(),
            problems,
        });
    }
    Ok(spec)
}

impl TopologySpec {
    /// The packaged repo image: `featureRepo.image`, or its air-gapped alias.
    pub fn feature_repo_image(&self) -> Option<&str> {
        self.feature_repo
            .image
            .as_deref()
            .or(self.airgapped.feature_repo_image.as_deref())
    }
}

fn feature_repo_checks(s: &TopologySpec, p: &mut Vec<SpecProblem>) {
    let fr = &s.feature_repo;
    match (&fr.git, s.feature_repo_image()) {
        (None, None) => p.push(problem(
            "featureRepo",
            "a feature repo source is required: featureRepo.git {url, ref} or featureRepo.image (by digest); without one the operator deploys its `feast init` demo repo",
        )),
        (Some(_), Some(_)) => p.push(problem(
            "featureRepo",
            "give either featureRepo.git or featureRepo.image, not both",
        )),
        (Some(_), None) if s.airgapped.enabled => p.push(problem(
            "featureRepo.git",
            "an air-gapped cluster cannot clone from git: package the repo into an image (featureRepo.image)",
        )),
        _ => {}
    }
    if let Some(g) = &fr.git {
        if !is_immutable_ref(&g.git_ref) {
            p.push(problem(
                "featureRepo.git.ref",
                format!(
                    "`{}` can move (a branch?): use a commit SHA, refs/tags/NAME or a version tag",
                    g.git_ref
                ),
            ));
        }
        if g.url.contains('@') && g.url.contains("://") {
            p.push(problem(
                "featureRepo.git.url",
                "credentials in the URL end up in the CR: use a token Secret instead",
            ));
        }
        if let Some(path) = &g.path
            && (path.starts_with('/') || path.split('/').any(|c| c == ".."))
        {
            p.push(problem(
                "featureRepo.git.path",
                format!("`{path}` must be relative to the clone, without `..`"),
            ));
        }
    }
    if let Some(img) = &fr.image
        && !img.contains("@sha256:")
    {
        p.push(problem(
            "featureRepo.image",
            format!("`{img}` is not pinned by digest (IMAGE@sha256:<64 hex>)"),
        ));
    }
    if fr.apply_on_init && s.topology != Topology::Minimal {
        p.push(problem(
            "featureRepo.applyOnInit",
            "every replica (and every HPA scale-out) would run `feast apply` at start; concurrent applies race: apply from CI instead",
        ));
    }
}

fn problem(path: &str, message: impl Into<String>) -> SpecProblem {
    SpecProblem {
        path: path.into(),
        message: message.into(),
        suggestion: None,
    }
}

/// Rules the schema cannot express.
fn semantic_checks(s: &TopologySpec) -> Vec<SpecProblem> {
    let mut p = Vec::new();
    if s.auth == Some(AuthMode::None) && s.topology != Topology::Minimal {
        p.push(problem(
            "auth",
            "`none` is only allowed for the minimal topology; use kubernetes or oidc",
        ));
    }
    if s.stores.registry == Some(RegistryStore::File) && s.topology != Topology::Minimal {
        p.push(problem(
            "stores.registry",
            "a file registry cannot be scaled: Standard and Enterprise need `sql`",
        ));
    }
    if s.topology != Topology::Minimal && s.stores.offline == Some(OfflineStore::Duckdb) {
        p.push(problem(
            "stores.offline",
            "duckdb is file-based and cannot be scaled: choose a DB-backed offline store",
        ));
    }
    let min_floor = match s.topology {
        Topology::Minimal => 1,
        Topology::Standard => 2,
        Topology::Enterprise => 3,
    };
    if let Some(min) = s.scaling.min_replicas {
        if s.topology == Topology::Minimal {
            p.push(problem("scaling", "the minimal topology runs one replica and has no HPA; use standard for autoscaling"));
        } else if min < min_floor {
            p.push(problem(
                "scaling.minReplicas",
                format!("must be at least {min_floor} for this topology"),
            ));
        }
    }
    if let (Some(min), Some(max)) = (s.scaling.min_replicas, s.scaling.max_replicas)
        && max < min
    {
        p.push(problem(
            "scaling.maxReplicas",
            format!("{max} is below minReplicas {min}"),
        ));
    }
    feature_repo_checks(s, &mut p);
    if s.airgapped.enabled {
        match s.feature_repo_image() {
            None => p.push(problem(
                "airgapped.featureRepoImage",
                "required when airgapped.enabled: the feature repo image (or featureRepo.image), pinned by digest",
            )),
            Some(img) if !img.contains("@sha256:") => p.push(problem(
                "airgapped.featureRepoImage",
                format!("`{img}` is not pinned by digest (IMAGE@sha256:<64 hex>)"),
            )),
            _ => {}
        }
        // A tag in a mirror can be re-pushed; only a digest says which bytes run.
        for (key, img) in [
            ("images.featureServer", &s.images.feature_server),
            ("images.cronJob", &s.images.cron_job),
            ("images.operator", &s.images.operator),
        ] {
            if !is_digest_pinned(img) {
                p.push(problem(
                    key,
                    format!("`{img}` is not pinned by digest; air-gapped renders need IMAGE@sha256:<64 hex> (from `skopeo inspect` or your mirror)"),
                ));
            }
        }
        let path = &s.airgapped.feature_repo_path;
        if !path.starts_with('/')
            || path.ends_with('/')
            || path.contains("//")
            || path.contains("/.")
            || path.starts_with("/feast-data")
        {
            p.push(problem(
                "airgapped.featureRepoPath",
                format!("`{path}` must be a canonical absolute path outside /feast-data"),
            ));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, t) in s.enterprise.tenants.iter().enumerate() {
        if !seen.insert(&t.0) {
            p.push(problem(
                &format!("enterprise.tenants[{i}]"),
                format!("duplicate tenant `{}`", t.0),
            ));
        }
        if s.topology == Topology::Enterprise && t.0 == s.namespace {
            p.push(problem(
                &format!("enterprise.tenants[{i}]"),
                "a tenant cannot use the system namespace",
            ));
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn did_you_mean_finds_typos() {
        assert_eq!(
            did_you_mean("topolgy", ["topology", "cloud"]).as_deref(),
            Some("topology")
        );
        assert_eq!(did_you_mean("zzzzzz", ["topology", "cloud"]), None);
    }

    #[test]
    fn set_builds_nested_values() {
        let mut d = json!({"scaling": {"minReplicas": 2}});
        apply_set(&mut d, "scaling.maxReplicas=8").unwrap();
        apply_set(&mut d, "enterprise.tenants=[a, b]").unwrap();
        assert_eq!(d["scaling"], json!({"minReplicas": 2, "maxReplicas": 8}));
        assert_eq!(d["enterprise"]["tenants"], json!(["a", "b"]));
        assert!(apply_set(&mut d, "novalue").is_err());
    }

    #[test]
    fn unknown_nested_key_has_path_and_suggestion() {
        let d = json!({"topology": "standard", "cloud": "aws", "scaling": {"maxReplica": 3}});
        let TopologyError::Spec { problems, .. } = parse(&d, "t").unwrap_err() else {
            panic!()
        };
        assert_eq!(problems[0].path, "scaling.maxReplica");
        assert_eq!(problems[0].suggestion.as_deref(), Some("maxReplicas"));
    }

    #[test]
    fn bad_enum_suggests() {
        let d = json!({"topology": "standrd", "cloud": "aws"});
        let TopologyError::Spec { problems, .. } = parse(&d, "t").unwrap_err() else {
            panic!()
        };
        assert_eq!(problems[0].path, "topology");
        assert_eq!(problems[0].suggestion.as_deref(), Some("standard"));
    }

    #[test]
    fn semantic_rules() {
        let d = json!({"topology": "standard", "cloud": "gcp", "scaling": {"minReplicas": 1}});
        assert!(parse(&d, "t").is_err());
        let d = json!({"topology": "minimal", "cloud": "gcp", "airgapped": {"enabled": true, "featureRepoImage": "r/x:1"}});
        let e = parse(&d, "t").unwrap_err().to_string();
        assert!(e.contains("digest"), "{e}");
    }

    fn repo_problems(extra: serde_json::Value) -> Vec<String> {
        let mut d = json!({"topology": "standard", "cloud": "aws"});
        for (k, v) in extra.as_object().unwrap() {
            d[k] = v.clone();
        }
        match parse(&d, "t") {
            Ok(_) => vec![],
            Err(TopologyError::Spec { problems, .. }) => problems
                .into_iter()
                .filter(|p| p.path.starts_with("featureRepo"))
                .map(|p| format!("{}: {}", p.path, p.message))
                .collect(),
            Err(e) => panic!("{e}"),
        }
    }

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn a_feature_repo_source_is_required_and_must_be_immutable() {
        let none = repo_problems(json!({}));
        assert!(none[0].contains("`feast init` demo"), "{none:?}");
        let ok =
            json!({"featureRepo": {"git": {"url": "https://git.example.com/r.git", "ref": SHA}}});
        assert!(repo_problems(ok).is_empty());
        let branch = json!({"featureRepo": {"git": {"url": "https://git.example.com/r.git", "ref": "main"}}});
        assert!(repo_problems(branch)[0].starts_with("featureRepo.git.ref: `main` can move"));
        let tag = json!({"featureRepo": {"image": "r/repo:1.0"}});
        assert!(repo_problems(tag)[0].contains("not pinned by digest"));
        let both =
            json!({"featureRepo": {"image": "r/repo@sha256:00", "git": {"url": "u", "ref": SHA}}});
        assert!(repo_problems(both)[0].contains("not both"));
        let creds = json!({"featureRepo": {"git": {"url": "https://user:tok@git.example.com/r.git", "ref": SHA}}});
        assert!(repo_problems(creds)[0].contains("credentials in the URL"));
    }

    #[test]
    fn apply_on_init_is_refused_where_replicas_scale() {
        let d = json!({"featureRepo": {"applyOnInit": true, "git": {"url": "u", "ref": SHA}}});
        assert!(repo_problems(d)[0].contains("concurrent applies race"));
        let minimal = json!({"topology": "minimal", "cloud": "aws",
            "featureRepo": {"applyOnInit": true, "git": {"url": "u", "ref": SHA}}});
        assert!(parse(&minimal, "t").is_ok());
    }

    #[test]
    fn air_gapped_clusters_cannot_clone() {
        let d = json!({"airgapped": {"enabled": true},
            "featureRepo": {"git": {"url": "u", "ref": SHA}}});
        let p = repo_problems(d);
        assert!(p.iter().any(|m| m.contains("cannot clone")), "{p:?}");
    }

    #[test]
    fn air_gapped_images_are_pinned_by_digest() {
        let digest = |n: &str| format!("quay.io/x/{n}@sha256:{}", "ab".repeat(32));
        let repo = json!({"enabled": true, "featureRepoImage": digest("repo")});
        let tags = json!({"topology": "standard", "cloud": "aws", "airgapped": repo});
        let e = parse(&tags, "t").unwrap_err().to_string();
        for key in ["images.featureServer", "images.cronJob", "images.operator"] {
            assert!(e.contains(key), "{key}: {e}");
        }
        let pinned = json!({"topology": "standard", "cloud": "aws", "airgapped": repo,
            "images": {"featureServer": digest("fs"), "cronJob": digest("cli"), "operator": digest("op")}});
        assert!(parse(&pinned, "t").is_ok());
        assert!(!is_digest_pinned("quay.io/x/fs@sha256:ABC"));
        assert!(!is_digest_pinned(&format!("@sha256:{}", "a".repeat(64))));
        assert!(is_digest_pinned(&digest("fs")));
    }

    #[test]
    fn immutable_refs() {
        for r in [
            SHA,
            "598a270",
            "refs/tags/release-7",
            "v1.4.0",
            "2.3",
            "v10.0.1-rc1",
        ] {
            assert!(is_immutable_ref(r), "{r}");
        }
        for r in [
            "main",
            "develop",
            "refs/heads/main",
            "abc123",
            "v1",
            "refs/tags/",
        ] {
            assert!(!is_immutable_ref(r), "{r}");
        }
    }
}
