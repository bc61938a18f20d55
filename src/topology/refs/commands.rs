//! How each kind of prerequisite is created.

use super::Target;

/// An ACM certificate the ALB controller discovers by host name.
pub const ACM_CERTIFICATE: &str = "ACM certificate";

/// trust-manager's trust namespace (where Bundle sources live by default).
pub const TRUST_NAMESPACE: &str = "cert-manager";

fn crd_install(crd: &str) -> String {
    let group = crd.split_once('.').map(|(_, g)| g).unwrap_or_default();
    let how = match group {
        "feast.dev" => {
            "the Feast operator: `kubectl apply --server-side -f https://raw.githubusercontent.com/feast-dev/feast/v0.66.0/infra/feast-operator/dist/install.yaml`"
        }
        "cert-manager.io" => {
            "cert-manager: `helm install cert-manager oci://quay.io/jetstack/charts/cert-manager -n cert-manager --create-namespace --set crds.enabled=true`"
        }
        "trust.cert-manager.io" => {
            "trust-manager: `helm install trust-manager oci://quay.io/jetstack/charts/trust-manager -n cert-manager`"
        }
        "external-secrets.io" => {
            "External Secrets Operator: `helm install external-secrets external-secrets/external-secrets -n external-secrets --create-namespace` (repo https://charts.external-secrets.io)"
        }
        "velero.io" => {
            "Velero: `velero install --provider … --bucket … --use-node-agent` (the node agent runs the file-system backups)"
        }
        "postgresql.cnpg.io" => {
            "CloudNativePG: `helm install cnpg cnpg/cloudnative-pg -n cnpg-system --create-namespace` (repo https://cloudnative-pg.github.io/charts)"
        }
        "barmancloud.cnpg.io" => {
            "the Barman Cloud plugin: `helm install barman-cloud cnpg/plugin-barman-cloud -n cnpg-system`"
        }
        "eks.services.k8s.aws" => {
            "the ACK EKS controller: `helm install ack-eks-controller oci://public.ecr.aws/aws-controllers-k8s/eks-chart -n ack-system --create-namespace`"
        }
        "monitoring.coreos.com" => {
            "the prometheus-operator CRDs (kube-prometheus-stack: `helm install kps prometheus-community/kube-prometheus-stack -n monitoring --create-namespace`), before the Feast Operator starts so it creates the ServiceMonitor"
        }
        "opentelemetry.io" => {
            "the OpenTelemetry Operator: `helm install otel-operator open-telemetry/opentelemetry-operator -n opentelemetry-operator-system --create-namespace` (repo https://open-telemetry.github.io/opentelemetry-helm-charts)"
        }
        "ray.io" => {
            "KubeRay: `helm install kuberay-operator kuberay/kuberay-operator -n kuberay-system --create-namespace` (repo https://ray-project.github.io/kuberay-helm/)"
        }
        "sparkoperator.k8s.io" => {
            "the Kubeflow Spark Operator, watching the FeatureStore namespaces: `helm install spark-operator spark-operator/spark-operator -n spark-operator --create-namespace --set 'spark.jobNamespaces={…}'` (repo https://kubeflow.github.io/spark-operator)"
        }
        "route.openshift.io" => "built into OpenShift",
        "cloud.google.com" => "built into GKE (GKE Ingress controller)",
        _ => "the operator that owns this API group",
    };
    format!("install {how}")
}

/// The command (or instruction) that creates `t`.
pub fn create(t: &Target) -> String {
    let (ns, name) = (&t.namespace, &t.name);
    match t.kind.as_str() {
        ACM_CERTIFICATE => format!(
            "an issued ACM certificate covering `{name}` in the cluster's region (`aws acm request-certificate --domain-name {name} --validation-method DNS`); the ALB controller discovers it by host — or set `aws.certificateArn`"
        ),
        "Namespace" => format!(
            "`kubectl create namespace {name}` (or the installer of the component that lives there)"
        ),
        "CustomResourceDefinition" => crd_install(name),
        "ClusterIssuer" => format!(
            "a cert-manager ClusterIssuer named `{name}` (CA, ACME or Vault issuer; https://cert-manager.io/docs/configuration/)"
        ),
        "ClusterSecretStore" => format!(
            "an External Secrets ClusterSecretStore named `{name}` for your secret manager (https://external-secrets.io/latest/provider/)"
        ),
        "BackupStorageLocation" => format!(
            "`velero backup-location create {name} --provider … --bucket …` (created by `velero install` as `default`)"
        ),
        "Cluster" => {
            format!("the CloudNativePG `Cluster` `{name}` in `{ns}` holding the registry database")
        }
        "Secret" if name.ends_with("-s3") => format!(
            "`kubectl create secret generic {name} -n {ns} --from-literal=ACCESS_KEY_ID=\"$S3_KEY\" --from-literal=ACCESS_SECRET_KEY=\"$S3_SECRET\"`"
        ),
        "Secret" if name.contains("pull") => format!(
            "`kubectl create secret docker-registry {name} -n {ns} --docker-server=\"$MIRROR\" --docker-username=\"$USER\" --docker-password=\"$PASSWORD\"`"
        ),
        "Secret" if ns == TRUST_NAMESPACE => {
            format!("the CA Secret `{name}` your ClusterIssuer signs with (key `ca.crt`)")
        }
        "Secret" => format!("`kubectl create secret generic {name} -n {ns} --from-env-file=…`"),
        "ConfigMap" => format!("`kubectl create configmap {name} -n {ns} --from-file=…`"),
        "ServiceAccount" => format!("`kubectl create serviceaccount {name} -n {ns}`"),
        "Role" | "ClusterRole" => format!("a {} named `{name}`", t.kind),
        other => format!("a `{other}` named `{name}`"),
    }
}
