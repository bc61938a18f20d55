//! gRPC: `feast.registry.RegistryServer/Proto` returns the whole registry
//! in one call (filtered by the caller's DESCRIBE permissions when the
//! server has auth). The server builds it from objects' own `to_proto()`,
//! which leaves `spec.project` empty, so objects can be attributed only when
//! the registry holds one project; with several, feastops lists each
//! project's objects instead (one call per object type and project). The
//! messages are hand-written prost types; no generated client is needed.

use tonic::Code;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};

use super::super::live::{Failure, Live, connecting};
use super::super::{SourceError, from_proto, proto};
use super::chain;
use crate::model;

const PROTO_METHOD: &str = "/feast.registry.RegistryServer/Proto";

/// google.protobuf.Empty
#[derive(Clone, Copy, PartialEq, prost::Message)]
struct Empty {}

/// The shape shared by every per-project List*Request read here
/// (RegistryServer.proto: 1 project, 2 allow_cache; pagination unset means
/// every item).
#[derive(Clone, PartialEq, prost::Message)]
struct ListRequest {
    #[prost(string, tag = "1")]
    project: String,
    #[prost(bool, tag = "2")]
    allow_cache: bool,
}

/// List*Response: the objects are field 1 in every one of them.
#[derive(Clone, PartialEq, prost::Message)]
struct ListResponse<T: prost::Message + Default + PartialEq + Clone + std::fmt::Debug> {
    #[prost(message, repeated, tag = "1")]
    items: Vec<T>,
}

/// `grpc://host:port` or `grpcs://host:port` (TLS).
pub(crate) fn load(raw: &str, live: &Live) -> Result<model::Registry, SourceError> {
    load_proto(raw, live).map(from_proto::registry)
}

/// The registry proto the server's `Proto` call returns.
pub(crate) fn load_proto(raw: &str, live: &Live) -> Result<proto::Registry, SourceError> {
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
    live.run(|| fetch(&endpoint, token.as_deref(), live))
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
    let mut client = Client {
        // A large registry is far beyond tonic's 4 MiB default; the limit
        // is a registry file's (`input_limits`).
        grpc: tonic::client::Grpc::new(channel).max_decoding_message_size(
            usize::try_from(crate::input_limits::Input::Registry.limit()).unwrap_or(usize::MAX),
        ),
        token,
        live,
    };
    let mut registry: proto::Registry = client.call(PROTO_METHOD, Empty {}).await?;
    let names: Vec<String> = registry
        .projects
        .iter()
        .filter_map(|p| p.spec.as_ref().map(|s| s.name.clone()))
        .collect();
    match names.as_slice() {
        [] => Ok(registry),
        [only] => {
            assign_project(&mut registry, only);
            Ok(registry)
        }
        _ => {
            let wanted: Vec<&String> = match &live.opts.project {
                Some(p) => names.iter().filter(|n| *n == p).collect(),
                None => names.iter().collect(),
            };
            let mut out = proto::Registry {
                registry_schema_version: registry.registry_schema_version.clone(),
                projects: std::mem::take(&mut registry.projects),
                ..Default::default()
            };
            for project in wanted {
                client.list_project(project, &mut out).await?;
            }
            Ok(out)
        }
    }
}

struct Client<'a> {
    grpc: tonic::client::Grpc<Channel>,
    token: Option<&'a str>,
    live: &'a Live<'a>,
}

impl Client<'_> {
    async fn call<Req, Resp>(&mut self, method: &'static str, req: Req) -> Result<Resp, Failure>
    where
        Req: prost::Message + Send + Sync + 'static,
        Resp: prost::Message + Default + Send + Sync + 'static,
    {
        let live = self.live;
        self.call_status(method, req)
            .await?
            .map_err(|s| status(s, live))
    }

    /// Like `call`, but the server's status is the caller's to judge.
    async fn call_status<Req, Resp>(
        &mut self,
        method: &'static str,
        req: Req,
    ) -> Result<Result<Resp, tonic::Status>, Failure>
    where
        Req: prost::Message + Send + Sync + 'static,
        Resp: prost::Message + Default + Send + Sync + 'static,
    {
        let live = self.live;
        self.grpc
            .ready()
            .await
            .map_err(|e| Failure::transient(live.unreachable(chain(&e))))?;
        let mut request = tonic::Request::new(req);
        if let Some(t) = self.token {
            let value = format!("Bearer {t}").parse().map_err(|_| {
                Failure::fatal(
                    live.bad_source("the token contains characters not allowed in a header"),
                )
            })?;
            request.metadata_mut().insert("authorization", value);
        }
        let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
        Ok(self
            .grpc
            .unary(request, PathAndQuery::from_static(method), codec)
            .await
            .map(tonic::Response::into_inner))
    }

    /// Label views (Feast 0.64+): a server older than that does not know
    /// the method, and has no label views.
    async fn list_label_views(&mut self, project: &str) -> Result<Vec<proto::LabelView>, Failure> {
        let req = ListRequest {
            project: project.to_string(),
            allow_cache: false,
        };
        let method = "/feast.registry.RegistryServer/ListLabelViews";
        match self
            .call_status::<_, ListResponse<proto::LabelView>>(method, req)
            .await?
        {
            Ok(resp) => Ok(resp.items),
            Err(s) if s.code() == Code::Unimplemented => Ok(Vec::new()),
            Err(s) => Err(status(s, self.live)),
        }
    }

    async fn list<T>(&mut self, method: &'static str, project: &str) -> Result<Vec<T>, Failure>
    where
        T: prost::Message + Default + PartialEq + Clone + std::fmt::Debug + Send + Sync + 'static,
    {
        let req = ListRequest {
            project: project.to_string(),
            allow_cache: false,
        };
        let resp: ListResponse<T> = self.call(method, req).await?;
        Ok(resp.items)
    }

    /// Adds one project's objects, attributed to it.
    async fn list_project(
        &mut self,
        project: &str,
        out: &mut proto::Registry,
    ) -> Result<(), Failure> {
        let mut r = proto::Registry {
            entities: self
                .list("/feast.registry.RegistryServer/ListEntities", project)
                .await?,
            data_sources: self
                .list("/feast.registry.RegistryServer/ListDataSources", project)
                .await?,
            feature_views: self
                .list("/feast.registry.RegistryServer/ListFeatureViews", project)
                .await?,
            stream_feature_views: self
                .list(
                    "/feast.registry.RegistryServer/ListStreamFeatureViews",
                    project,
                )
                .await?,
            on_demand_feature_views: self
                .list(
                    "/feast.registry.RegistryServer/ListOnDemandFeatureViews",
                    project,
                )
                .await?,
            feature_services: self
                .list(
                    "/feast.registry.RegistryServer/ListFeatureServices",
                    project,
                )
                .await?,
            permissions: self
                .list("/feast.registry.RegistryServer/ListPermissions", project)
                .await?,
            label_views: self.list_label_views(project).await?,
            ..Default::default()
        };
        assign_project(&mut r, project);
        out.entities.append(&mut r.entities);
        out.data_sources.append(&mut r.data_sources);
        out.feature_views.append(&mut r.feature_views);
        out.stream_feature_views.append(&mut r.stream_feature_views);
        out.on_demand_feature_views
            .append(&mut r.on_demand_feature_views);
        out.feature_services.append(&mut r.feature_services);
        out.permissions.append(&mut r.permissions);
        out.label_views.append(&mut r.label_views);
        Ok(())
    }
}

/// Sets every object's project where the server left it empty.
fn assign_project(r: &mut proto::Registry, project: &str) {
    let set = |p: &mut String| {
        if p.is_empty() {
            *p = project.to_string();
        }
    };
    r.entities
        .iter_mut()
        .filter_map(|m| m.spec.as_mut())
        .for_each(|s| set(&mut s.project));
    r.data_sources.iter_mut().for_each(|m| set(&mut m.project));
    r.feature_views
        .iter_mut()
        .filter_map(|m| m.spec.as_mut())
        .for_each(|s| set(&mut s.project));
    r.stream_feature_views
        .iter_mut()
        .filter_map(|m| m.spec.as_mut())
        .for_each(|s| set(&mut s.project));
    r.on_demand_feature_views
        .iter_mut()
        .filter_map(|m| m.spec.as_mut())
        .for_each(|s| set(&mut s.project));
    r.feature_services
        .iter_mut()
        .filter_map(|m| m.spec.as_mut())
        .for_each(|s| set(&mut s.project));
    r.permissions
        .iter_mut()
        .filter_map(|m| m.spec.as_mut())
        .for_each(|s| set(&mut s.project));
    r.label_views
        .iter_mut()
        .filter_map(|m| m.spec.as_mut())
        .for_each(|s| set(&mut s.project));
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
        // tonic refuses a message over `max_decoding_message_size` by its
        // length prefix, before reading it.
        Code::OutOfRange if msg.contains("message length too large") => {
            Failure::fatal(live.remote(format!(
                "{} ({msg})",
                crate::input_limits::Input::Registry.too_large(None)
            )))
        }
        _ => Failure::fatal(live.remote(format!("{:?}: {msg}", s.code()))),
    }
}
