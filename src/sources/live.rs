//! What every live (networked) source shares: options, a private runtime,
//! the deadline, a bounded retry of transient failures, and redaction.
//!
//! The async clients (sqlx, tonic, object_store, reqwest) run on a
//! current-thread tokio runtime owned here, so `sources::load` stays a plain
//! blocking call for the CLI and the lint core.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use super::SourceError;
use super::redact::{self, Redactor};

/// How to reach a live registry. Defaults suit a registry on the same
/// network: a slow link wants a longer `timeout`, not more retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceOptions {
    /// Per connection attempt.
    pub connect_timeout: Duration,
    /// For the whole read, retries included.
    pub timeout: Duration,
    /// PEM CA bundle trusted for TLS (gRPC, REST, PostgreSQL).
    pub ca_cert: Option<PathBuf>,
    /// Name of the environment variable holding a bearer token for a
    /// registry server with auth enabled.
    pub token_env: Option<String>,
    /// Read only this project (and fail when a live registry lacks it).
    pub project: Option<String>,
    /// The proposed feature repo directory: where `git:` sources find their
    /// repository and their default path.
    pub proposed_dir: Option<PathBuf>,
    /// Read feature repos with the user's own feast instead of statically.
    pub via_feast: Option<super::via_feast::FeastCommand>,
    /// Which data files (parquet footers) a static feature repo read reads.
    pub read_data: super::repo::DataRead,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            ca_cert: None,
            token_env: None,
            project: None,
            proposed_dir: None,
            via_feast: None,
            read_data: super::repo::DataRead::Needed,
        }
    }
}

/// Attempts per read; only transient failures are retried.
const ATTEMPTS: u32 = 3;
const BACKOFF: Duration = Duration::from_millis(250);

/// One read of one live source.
pub(crate) struct Live<'a> {
    /// The source as shown to the user (redacted).
    pub at: String,
    pub redactor: Redactor,
    pub opts: &'a SourceOptions,
}

/// A failure, and whether trying again may help.
pub(crate) struct Failure {
    pub error: SourceError,
    pub transient: bool,
}

impl Failure {
    pub fn fatal(error: SourceError) -> Failure {
        Failure {
            error,
            transient: false,
        }
    }
    pub fn transient(error: SourceError) -> Failure {
        Failure {
            error,
            transient: true,
        }
    }
}

impl From<SourceError> for Failure {
    fn from(error: SourceError) -> Failure {
        Failure::fatal(error)
    }
}

impl<'a> Live<'a> {
    pub fn new(raw: &str, opts: &'a SourceOptions) -> Live<'a> {
        let mut redactor = Redactor::for_url(raw);
        if let Some(token) = opts
            .token_env
            .as_deref()
            .and_then(|v| std::env::var(v).ok())
        {
            redactor.add(&token);
        }
        Live {
            at: redact::url(raw),
            redactor,
            opts,
        }
    }

    /// Driver/server text, safe to print.
    pub fn reason(&self, e: impl std::fmt::Display) -> String {
        let text = self.redactor.text(&e.to_string());
        // Keep errors to one line.
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub fn unreachable(&self, e: impl std::fmt::Display) -> SourceError {
        SourceError::Unreachable {
            at: self.at.clone(),
            reason: self.reason(e),
        }
    }

    pub fn auth_failed(&self, e: impl std::fmt::Display) -> SourceError {
        SourceError::AuthFailed {
            at: self.at.clone(),
            reason: self.reason(e),
        }
    }

    pub fn not_registry(&self, e: impl std::fmt::Display) -> SourceError {
        SourceError::NotARegistryAt {
            at: self.at.clone(),
            reason: self.reason(e),
        }
    }

    pub fn remote(&self, e: impl std::fmt::Display) -> SourceError {
        SourceError::Remote {
            at: self.at.clone(),
            reason: self.reason(e),
        }
    }

    pub fn bad_source(&self, e: impl std::fmt::Display) -> SourceError {
        SourceError::BadSource {
            at: self.at.clone(),
            reason: self.reason(e),
        }
    }

    pub fn connect_timeout(&self) -> SourceError {
        SourceError::Timeout {
            at: self.at.clone(),
            during: "connecting",
            seconds: self.opts.connect_timeout.as_secs(),
            flag: "--connect-timeout",
        }
    }

    /// The bearer token named by `--token-env`, if any.
    pub fn token(&self) -> Result<Option<String>, SourceError> {
        let Some(var) = &self.opts.token_env else {
            return Ok(None);
        };
        match std::env::var(var) {
            Ok(t) if !t.trim().is_empty() => Ok(Some(t.trim().to_string())),
            _ => Err(SourceError::BadSource {
                at: self.at.clone(),
                reason: format!(
                    "--token-env names `{var}`, but that environment variable is unset or empty"
                ),
            }),
        }
    }

    /// Runs `attempt` on a private runtime under the overall deadline,
    /// retrying transient failures a bounded number of times.
    pub fn run<T, F, Fut>(&self, mut attempt: F) -> Result<T, SourceError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| self.remote(format!("cannot start the I/O runtime: {e}")))?;
        let deadline = self.opts.timeout;
        runtime.block_on(async {
            let all = async {
                let mut tries = 0;
                loop {
                    tries += 1;
                    match attempt().await {
                        Ok(v) => return Ok(v),
                        Err(f) if f.transient && tries < ATTEMPTS => {
                            tokio::time::sleep(BACKOFF * tries).await;
                        }
                        Err(f) => return Err(f.error),
                    }
                }
            };
            match tokio::time::timeout(deadline, all).await {
                Ok(r) => r,
                Err(_) => Err(SourceError::Timeout {
                    at: self.at.clone(),
                    during: "reading the registry",
                    seconds: deadline.as_secs(),
                    flag: "--timeout",
                }),
            }
        })
    }
}

/// Bounds a connection attempt by `--connect-timeout`; a timeout is
/// transient (the server may be starting).
pub(crate) async fn connecting<T>(
    live: &Live<'_>,
    fut: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    match tokio::time::timeout(live.opts.connect_timeout, fut).await {
        Ok(r) => r,
        Err(_) => Err(Failure::transient(live.connect_timeout())),
    }
}
