//! A file registry kept in object storage: S3 (and S3-compatible servers
//! such as MinIO), GCS, Azure Blob. The object holds exactly the bytes of a
//! local registry.db.
//!
//! Credentials come from each cloud's standard chain (environment, profile
//! and instance metadata, as `object_store`'s `from_env` builders read them),
//! plus the two variables Feast itself honours: `FEAST_S3_ENDPOINT_URL` for
//! the S3 endpoint and `REGISTRY_BLOB_KEY` for an Azure account key.

use std::path::Path;
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::{ClientOptions, ObjectStore, RetryConfig};

use super::live::{Failure, Live};
use super::parquet_footer::{self, FooterError};
use super::{SourceError, registry_file};
use crate::model;

/// Where the registry object is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    S3 {
        bucket: String,
        key: String,
    },
    Gcs {
        bucket: String,
        key: String,
    },
    Azure {
        /// `None`: from `AZURE_STORAGE_ACCOUNT_NAME`.
        account: Option<String>,
        container: String,
        key: String,
    },
}

/// Schemes this module reads.
pub(crate) fn handles(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    [
        "s3://",
        "s3a://",
        "gs://",
        "gcs://",
        "az://",
        "azure://",
        "azure+https://",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
        || is_azure_blob_url(&lower)
}

/// `https://<account>.blob.core.windows.net/...`: Azure, not a REST server.
pub(crate) fn is_azure_blob_url(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?']).next().unwrap_or("");
    host.ends_with(".blob.core.windows.net")
}

pub(crate) fn parse(s: &str) -> Result<Location, String> {
    let s = s.strip_prefix("azure+").unwrap_or(s);
    let (scheme, rest) = s.split_once("://").ok_or("expected scheme://bucket/key")?;
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (first, key) = rest.split_once('/').unwrap_or((rest, ""));
    let key = key.trim_start_matches('/').to_string();
    if first.is_empty() || key.is_empty() {
        return Err(format!(
            "expected {scheme}://<bucket or container>/<path to registry object>"
        ));
    }
    let first = first.to_string();
    Ok(match scheme.to_ascii_lowercase().as_str() {
        "s3" | "s3a" => Location::S3 { bucket: first, key },
        "gs" | "gcs" => Location::Gcs { bucket: first, key },
        "az" | "azure" => Location::Azure {
            account: None,
            container: first,
            key,
        },
        "https" | "http" => {
            // https://<account>.blob.core.windows.net/<container>/<blob path>
            let account = first.split('.').next().unwrap_or("").to_string();
            let (container, key) = key
                .split_once('/')
                .ok_or("expected https://<account>.blob.core.windows.net/<container>/<blob>")?;
            Location::Azure {
                account: Some(account),
                container: container.to_string(),
                key: key.to_string(),
            }
        }
        other => return Err(format!("unsupported object store scheme `{other}`")),
    })
}

pub(crate) fn load(raw: &str, live: &Live) -> Result<model::Registry, SourceError> {
    load_proto(raw, live).map(super::from_proto::registry)
}

/// The registry proto the object holds.
pub(crate) fn load_proto(raw: &str, live: &Live) -> Result<super::proto::Registry, SourceError> {
    let location = parse(raw).map_err(|e| live.bad_source(e))?;
    let (store, key) = build(&location, live)?;
    let path = object_store::path::Path::from(key.as_str());
    let bytes = live.run(|| async {
        let got = store.get(&path).await.map_err(|e| classify(e, live))?;
        let kind = crate::input_limits::Input::Registry;
        if got.meta.size > kind.limit() {
            return Err(Failure::fatal(
                live.remote(kind.too_large(Some(got.meta.size))),
            ));
        }
        got.bytes().await.map_err(|e| classify(e, live))
    })?;
    registry_file::decode(Path::new(&live.at), &bytes)
}

/// The footer metadata of a parquet object (without its 8-byte tail),
/// read with ranged GETs: the last 16 KiB (on Azure, which serves no
/// suffix ranges, after a HEAD for the size), and the rest of the metadata
/// only when it is larger. Rows are never read.
pub(crate) fn parquet_metadata(raw: &str) -> Result<Vec<u8>, SourceError> {
    const TAIL: u64 = 16 * 1024;
    let opts = super::SourceOptions {
        connect_timeout: std::time::Duration::from_secs(5),
        timeout: std::time::Duration::from_secs(20),
        ..Default::default()
    };
    let live = Live::new(raw, &opts);
    let location = parse(raw).map_err(|e| live.bad_source(e))?;
    let (store, key) = build(&location, &live)?;
    let path = object_store::path::Path::from(key.as_str());
    live.run(|| async {
        let bad = |e: FooterError| Failure::fatal(live.remote(e));
        let suffix = object_store::GetOptions {
            range: Some(object_store::GetRange::Suffix(TAIL)),
            ..Default::default()
        };
        let (size, tail) = match store.get_opts(&path, suffix).await {
            Ok(got) => {
                let size = got.meta.size;
                (size, got.bytes().await.map_err(|e| classify(e, &live))?)
            }
            // Azure Blob Storage serves no suffix ranges: the size first,
            // then the tail.
            Err(object_store::Error::NotSupported { .. }) => {
                let size = store
                    .head(&path)
                    .await
                    .map_err(|e| classify(e, &live))?
                    .size;
                // No GET for an object too small to be parquet (`locate`
                // below says so for the others).
                if size < 12 {
                    return Err(bad(FooterError::NotParquet));
                }
                let tail = store
                    .get_range(&path, size.saturating_sub(TAIL)..size)
                    .await
                    .map_err(|e| classify(e, &live))?;
                (size, tail)
            }
            Err(e) => return Err(classify(e, &live)),
        };
        let footer = parquet_footer::locate(&tail, size).map_err(bad)?;
        // The tail fetched holds the file's last bytes, from `held_from` on.
        let held_from = size - tail.len() as u64;
        if footer.start >= held_from {
            let at = |o: u64| (o - held_from) as usize;
            return Ok(tail[at(footer.start)..at(footer.end)].to_vec());
        }
        let md = store
            .get_range(&path, footer)
            .await
            .map_err(|e| classify(e, &live))?;
        Ok(md.to_vec())
    })
}

fn build(location: &Location, live: &Live) -> Result<(Arc<dyn ObjectStore>, String), SourceError> {
    let client = ClientOptions::new()
        .with_connect_timeout(live.opts.connect_timeout)
        .with_timeout(live.opts.timeout);
    // object_store retries transient HTTP failures itself; bound it.
    let retry = RetryConfig {
        max_retries: 2,
        retry_timeout: live.opts.timeout,
        ..Default::default()
    };
    let built: Result<(Arc<dyn ObjectStore>, String), object_store::Error> = match location {
        Location::S3 { bucket, key } => {
            let mut b = AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .with_client_options(client)
                .with_retry(retry);
            if let Ok(endpoint) = std::env::var("FEAST_S3_ENDPOINT_URL")
                && !endpoint.is_empty()
            {
                b = b
                    .with_allow_http(endpoint.starts_with("http://"))
                    .with_endpoint(endpoint);
            }
            b.build()
                .map(|s| (Arc::new(s) as Arc<dyn ObjectStore>, key.clone()))
        }
        Location::Gcs { bucket, key } => {
            let mut b = GoogleCloudStorageBuilder::from_env().with_bucket_name(bucket);
            let mut client = client;
            if let Some(base) = gcs_emulator() {
                client = client.with_allow_http(base.starts_with("http://"));
                b = b.with_service_account_key(emulator_key(&base));
            }
            // A service-account key object_store cannot use is a credential
            // problem, said before any request is made.
            return b
                .with_client_options(client)
                .with_retry(retry)
                .build()
                .map(|s| (Arc::new(s) as Arc<dyn ObjectStore>, key.clone()))
                .map_err(|e| match e {
                    object_store::Error::Generic { .. } => live.auth_failed(
                        "the Google service-account credentials cannot be used (GOOGLE_SERVICE_ACCOUNT_KEY, GOOGLE_SERVICE_ACCOUNT or GOOGLE_APPLICATION_CREDENTIALS)",
                    ),
                    other => live.bad_source(other),
                });
        }
        Location::Azure {
            account,
            container,
            key,
        } => {
            let mut b = MicrosoftAzureBuilder::from_env()
                .with_container_name(container)
                .with_client_options(client)
                .with_retry(retry);
            if let Some(a) = account {
                b = b.with_account(a);
            }
            if let Ok(k) = std::env::var("REGISTRY_BLOB_KEY")
                && !k.is_empty()
            {
                b = b.with_access_key(k);
            }
            b.build()
                .map(|s| (Arc::new(s) as Arc<dyn ObjectStore>, key.clone()))
        }
    };
    built.map_err(|e| live.bad_source(e))
}

/// The GCS emulator Google's client libraries (and so Feast's GCS registry)
/// talk to when `STORAGE_EMULATOR_HOST` names one, as a base URL.
fn gcs_emulator() -> Option<String> {
    let host = std::env::var("STORAGE_EMULATOR_HOST").ok()?;
    let host = host.trim().trim_end_matches('/');
    if host.is_empty() {
        return None;
    }
    Some(if host.contains("://") {
        host.to_string()
    } else {
        format!("http://{host}")
    })
}

/// A key that points object_store's GCS client at `base` without OAuth:
/// like Google's libraries, nothing is signed for an emulator.
fn emulator_key(base: &str) -> String {
    serde_json::json!({
        "private_key": "",
        "private_key_id": "",
        "client_email": "",
        "gcs_base_url": base,
        "disable_oauth": true,
    })
    .to_string()
}

fn classify(e: object_store::Error, live: &Live) -> Failure {
    use object_store::Error as E;
    let error = match &e {
        E::NotFound { .. } => {
            live.remote("no registry object at this path (has `feast apply` run against it?)")
        }
        E::Unauthenticated { .. } | E::PermissionDenied { .. } => live.auth_failed(&e),
        _ => {
            // The generic variant wraps HTTP client errors; a connection
            // failure there means the endpoint is unreachable.
            let text = format!("{e}");
            let lower = text.to_ascii_lowercase();
            if lower.contains("connect") || lower.contains("dns") || lower.contains("timed out") {
                live.unreachable(text)
            } else if lower.contains("403") || lower.contains("401") || lower.contains("credential")
            {
                live.auth_failed(text)
            } else {
                live.remote(text)
            }
        }
    };
    Failure::fatal(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_locations() {
        assert_eq!(
            parse("s3://b/feast/registry.db").unwrap(),
            Location::S3 {
                bucket: "b".into(),
                key: "feast/registry.db".into()
            }
        );
        assert_eq!(
            parse("gs://b/registry.pb").unwrap(),
            Location::Gcs {
                bucket: "b".into(),
                key: "registry.pb".into()
            }
        );
        assert_eq!(
            parse("azure+https://acct.blob.core.windows.net/c/dir/registry.db").unwrap(),
            Location::Azure {
                account: Some("acct".into()),
                container: "c".into(),
                key: "dir/registry.db".into()
            }
        );
        assert_eq!(
            parse("az://c/registry.db").unwrap(),
            Location::Azure {
                account: None,
                container: "c".into(),
                key: "registry.db".into()
            }
        );
        assert!(parse("s3://bucket-only").is_err());
    }

    #[test]
    fn recognises_azure_blob_urls() {
        assert!(handles("https://acct.blob.core.windows.net/c/r.db"));
        assert!(!handles("https://registry.example.com:6572"));
        assert!(handles("S3://b/k"));
    }
}
