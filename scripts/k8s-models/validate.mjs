// Validates prometheus-operator objects against the schemas of the npm package
// @kubernetes-models/prometheus-operator (generated from prometheus-operator's Go API
// types). Reads a JSON array of {source, object} from stdin; prints one line per
// problem; exit 1 when any object is invalid, 2 when a kind has no schema here.
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";

const MODELS = { PrometheusRule, ServiceMonitor, PodMonitor };
let input = "";
for await (const chunk of process.stdin) input += chunk;
let failed = false;
let checked = 0;
for (const { source, object } of JSON.parse(input)) {
  const Model = MODELS[object.kind];
  if (!Model || object.apiVersion !== "monitoring.coreos.com/v1") {
    console.log(`${source}: no schema for ${object.apiVersion} ${object.kind}`);
    process.exit(2);
  }
  try {
    new Model(object).validate();
    checked += 1;
  } catch (e) {
    failed = true;
    console.log(`${source}: ${e.message}`);
  }
}
console.log(`checked ${checked} objects`);
process.exit(failed ? 1 : 0);
