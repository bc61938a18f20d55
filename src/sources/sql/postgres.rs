//! PostgreSQL (SQLAlchemy `postgresql://`, `postgresql+psycopg://`,
//! `postgresql+psycopg2://`).

use super::super::SourceError;
use super::super::live::Live;

pub const BEGIN_READ_ONLY: &str = "BEGIN READ ONLY";
// `table_name` is a domain type the generic driver cannot decode.
pub const LIST_TABLES: &str = "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
     WHERE table_schema = current_schema()";

/// The driver's URL: SQLAlchemy's `+driver` suffix dropped, and the CA
/// bundle from `--ca-cert` trusted unless the URL already names one.
pub fn driver_url(raw: &str, live: &Live) -> Result<String, SourceError> {
    super::server_driver_url(
        raw,
        live,
        "postgres",
        "postgresql://user:password@host:port/database",
        "sslrootcert=",
        "sslmode=verify-full&sslrootcert=",
    )
}
