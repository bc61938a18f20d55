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
    let (_, rest) = raw
        .split_once("://")
        .ok_or_else(|| live.bad_source("expected postgresql://user:password@host:port/database"))?;
    let mut url = format!("postgres://{rest}");
    if let Some(ca) = &live.opts.ca_cert
        && !rest.contains("sslrootcert=")
    {
        url.push(if rest.contains('?') { '&' } else { '?' });
        url.push_str("sslmode=verify-full&sslrootcert=");
        url.push_str(
            &percent_encoding::utf8_percent_encode(
                &ca.display().to_string(),
                percent_encoding::NON_ALPHANUMERIC,
            )
            .to_string(),
        );
    }
    Ok(url)
}
