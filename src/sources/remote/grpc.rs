//! gRPC: one `feast.registry.RegistryServer/Proto` call returns the whole
//! registry (filtered by the caller's DESCRIBE permissions when the server
//! has auth). The request and response are the hand-written prost messages;
//! no generated client is needed.

use tonic::Code;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};

use super::super::live::{Failure, Live, connecting};
use super::super::{SourceError, from_proto, proto};
use super::chain;
use crate::model;

const PROTO_METHOD: &str = "/feast.registry.RegistryServer/Proto";

/// google.protobuf.Empty
#[derive(Clone, Copy, PartialEq, prost::Message)]
struct Empty {}

/// `grpc://host:port` or `grpcs://host:port` (TLS).
pub(crate) fn load(raw: &str, live: &Live) -> Result<model::Registry, SourceError> {
    let (scheme, rest) = raw
        .split_once("://")
        .ok_or_else(|| live.bad_source("expected grpc://host:port"))?;
    let tls = scheme.eq_ignore_ascii_case("grpcs");
    let http_url = format!("{}://{}", if tls { "https" } else { "http" }, rest);
    let mut endpoint = Endpoint::from_shared(http_url)
        .map_err(|e| live.bad_source(chain(&e)))?
        .connect_timeout(live.opts.connect_timeout)
        .timeout(live.opts.timeout);
    if tls {
        let mut cfg = ClientTlsConfig::new().with_native_roots();
        if let Some(ca) = &live.opts.ca_cert {
            let pem = std::fs::read(ca).map_err(|e| SourceError::io(ca, e))?;
            cfg = cfg.ca_certificate(Certificate::from_pem(pem));
        }
        endpoint = endpoint
            .tls_config(cfg)
            .map_err(|e| live.bad_source(chain(&e)))?;
    }
    let token = live.token()?;
    let registry = live.run(|| fetch(&endpoint, token.as_deref(), live))?;
    Ok(from_proto::registry(&registry))
}

async fn fetch(
    endpoint: &Endpoint,
    token: Option<&str>,
    live: &Live<'_>,
) -> Result<proto::Registry, Failure> {
    let channel = connecting(live, async {
        endpoint
            .connect()
            .await
            .map_err(|e| Failure::transient(live.unreachable(chain(&e))))
    })
    .await?;
    // A large registry is far beyond tonic's 4 MiB default.
    let mut client = tonic::client::Grpc::new(channel).max_decoding_message_size(usize::MAX);
    client
        .ready()
        .await
        .map_err(|e| Failure::transient(live.unreachable(chain(&e))))?;
    let mut request = tonic::Request::new(Empty {});
    if let Some(t) = token {
        let value = format!("Bearer {t}").parse().map_err(|_| {
            Failure::fatal(live.bad_source("the token contains characters not allowed in a header"))
        })?;
        request.metadata_mut().insert("authorization", value);
    }
    let codec = tonic_prost::ProstCodec::<Empty, proto::Registry>::default();
    let response = client
        .unary(request, PathAndQuery::from_static(PROTO_METHOD), codec)
        .await
        .map_err(|s| status(s, live))?;
    Ok(response.into_inner())
}

fn status(s: tonic::Status, live: &Live) -> Failure {
    let msg = if s.message().is_empty() {
        format!("{:?}", s.code())
    } else {
        s.message().to_string()
    };
    match s.code() {
        Code::Unavailable => Failure::transient(live.unreachable(msg)),
        Code::Unauthenticated | Code::PermissionDenied => Failure::fatal(live.auth_failed(msg)),
        Code::DeadlineExceeded => Failure::fatal(SourceError::Timeout {
            at: live.at.clone(),
            during: "reading the registry",
            seconds: live.opts.timeout.as_secs(),
            flag: "--timeout",
        }),
        Code::Unimplemented => Failure::fatal(live.not_registry(format!(
            "the server does not implement {PROTO_METHOD} ({msg})"
        ))),
        Code::Internal if msg.contains("decode") => Failure::fatal(live.not_registry(msg)),
        _ => Failure::fatal(live.remote(format!("{:?}: {msg}", s.code()))),
    }
}
