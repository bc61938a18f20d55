//! MySQL and MariaDB (SQLAlchemy `mysql://`, `mysql+pymysql://`,
//! `mariadb://`, `mariadb+mariadbconnector://`). Feast stores the protos in
//! LONGBLOB columns there.

use super::super::SourceError;
use super::super::live::Live;

// Text protocol: MySQL cannot prepare START TRANSACTION.
pub const BEGIN_READ_ONLY: &str = "START TRANSACTION READ ONLY";
pub const LIST_TABLES: &str = "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
     WHERE table_schema = DATABASE()";

pub fn driver_url(raw: &str, live: &Live) -> Result<String, SourceError> {
    let (_, rest) = raw
        .split_once("://")
        .ok_or_else(|| live.bad_source("expected mysql://user:password@host:port/database"))?;
    let mut url = format!("mysql://{rest}");
    if let Some(ca) = &live.opts.ca_cert
        && !rest.contains("ssl-ca=")
    {
        url.push(if rest.contains('?') { '&' } else { '?' });
        url.push_str("ssl-mode=VERIFY_CA&ssl-ca=");
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
