// Validates Kubernetes objects of third-party kinds with the schema validators
// kubernetes-models generates from each project's published CRDs.
// stdin: JSON array of {file, doc}; argv[2]: the node_modules directory.
// stdout: JSON {checked: {kind: n}, unchecked: [kind], failures: [{file, kind, name, error}]}.
// The validators check types, required fields, enums and patterns; like the
// CRD schemas they come from, they do not reject unknown fields.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const MODELS = {
  "cert-manager.io/v1 Certificate": "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate.js",
  "external-secrets.io/v1 ExternalSecret": "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret.js",
  "postgresql.cnpg.io/v1 Cluster": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster.js",
  "postgresql.cnpg.io/v1 ScheduledBackup": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/ScheduledBackup.js",
  "cloud.google.com/v1 BackendConfig": "@kubernetes-models/gke/cloud.google.com/v1/BackendConfig.js",
  "networking.gke.io/v1 HealthCheckPolicy": "@kubernetes-models/gke/networking.gke.io/v1/HealthCheckPolicy.js",
  "monitoring.coreos.com/v1 PrometheusRule": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule.js",
  "monitoring.coreos.com/v1 ServiceMonitor": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor.js",
  "monitoring.coreos.com/v1 PodMonitor": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor.js",
};

const modules = process.argv[2];
const input = JSON.parse(readFileSync(0, "utf8"));
const checked = {};
const unchecked = new Set();
const failures = [];
for (const { file, doc } of input) {
  const key = `${doc.apiVersion} ${doc.kind}`;
  const path = MODELS[key];
  if (!path) {
    unchecked.add(key);
    continue;
  }
  const mod = await import(pathToFileURL(join(modules, path)).href);
  const Model = mod[doc.kind] ?? mod.default?.[doc.kind];
  try {
    new Model(doc).validate();
    checked[key] = (checked[key] || 0) + 1;
  } catch (e) {
    failures.push({ file, kind: key, name: doc.metadata?.name, error: String(e.message) });
  }
}
console.log(JSON.stringify({ checked, unchecked: [...unchecked].sort(), failures }));
