//! Flags for reading live registries, shared by `lint` and `snapshot`.

use std::path::PathBuf;
use std::time::Duration;

use crate::sources::SourceOptions;

#[derive(Debug, Clone, clap::Args)]
pub struct SourceArgs {
    /// Seconds to wait for a connection to a live registry (per attempt).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub connect_timeout: u64,
    /// Seconds allowed for reading a live registry, retries included.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,
    /// PEM CA bundle to trust for TLS to the registry (grpcs://, PostgreSQL, MySQL).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Environment variable holding a bearer token for a registry server with auth.
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
}

impl SourceArgs {
    pub fn options(&self, project: Option<&str>) -> SourceOptions {
        SourceOptions {
            connect_timeout: Duration::from_secs(self.connect_timeout.max(1)),
            timeout: Duration::from_secs(self.timeout.max(1)),
            ca_cert: self.ca_cert.clone(),
            token_env: self.token_env.clone(),
            project: project.map(str::to_string),
            ..SourceOptions::default()
        }
    }
}
