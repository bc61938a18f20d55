//! Enterprise tracing, as the guide's observability stack describes it (OpenTelemetry →
//! Prometheus + Jaeger): an `Instrumentation` per tenant namespace, which the
//! `instrumentation.opentelemetry.io/inject-python` pod annotation of the rendered
//! FeatureStores selects, and the collector those pods export to.

use serde_json::{Value, json};

/// The collector's name: the OpenTelemetry Operator serves it as `<name>-collector`.
pub const COLLECTOR: &str = "feast-otel";

fn collector_host(monitoring_ns: &str) -> String {
    format!("{COLLECTOR}-collector.{monitoring_ns}.svc.cluster.local")
}

/// The Instrumentation of one tenant namespace. Python auto-instrumentation speaks
/// OTLP over HTTP (port 4318), which the tenant NetworkPolicies let out to the
/// monitoring namespace.
pub fn instrumentation(namespace: &str, monitoring_ns: &str) -> Value {
    json!({
        "apiVersion": "opentelemetry.io/v1alpha1",
        "kind": "Instrumentation",
        "metadata": {"name": "feast-instrumentation", "namespace": namespace,
                     "labels": {"app.kubernetes.io/part-of": "feast"}},
        "spec": {
            "exporter": {"endpoint": format!("http://{}:4318", collector_host(monitoring_ns))},
            "propagators": ["tracecontext", "baggage"],
            "sampler": {"type": "parentbased_traceidratio", "argument": "0.1"},
            "python": {"env": [
                {"name": "OTEL_METRICS_EXPORTER", "value": "otlp"},
                {"name": "OTEL_LOGS_EXPORTER", "value": "otlp"},
            ]},
        },
    })
}

/// The OpenTelemetryCollector for the monitoring namespace (applied by whoever owns that
/// namespace, so written beside the manifests, not in them): OTLP in, metrics out to
/// Prometheus (scrape port 8889), traces to Jaeger's OTLP endpoint.
pub fn collector(monitoring_ns: &str, traces_endpoint: &str) -> Value {
    json!({
        "apiVersion": "opentelemetry.io/v1beta1",
        "kind": "OpenTelemetryCollector",
        "metadata": {"name": COLLECTOR, "namespace": monitoring_ns},
        "spec": {
            "mode": "deployment",
            "config": {
                "receivers": {"otlp": {"protocols": {
                    "grpc": {"endpoint": "0.0.0.0:4317"},
                    "http": {"endpoint": "0.0.0.0:4318"}}}},
                "processors": {"batch": {}, "memory_limiter": {"check_interval": "1s", "limit_percentage": 80, "spike_limit_percentage": 20}},
                "exporters": {
                    "prometheus": {"endpoint": "0.0.0.0:8889"},
                    "otlp/jaeger": {"endpoint": traces_endpoint, "tls": {"insecure": true}},
                },
                "service": {"pipelines": {
                    "metrics": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["prometheus"]},
                    "traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["otlp/jaeger"]},
                }},
            },
        },
    })
}
