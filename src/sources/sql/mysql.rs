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
    super::server_driver_url(
        raw,
        live,
        "mysql",
        "mysql://user:password@host:port/database",
        "ssl-ca=",
        "ssl-mode=VERIFY_CA&ssl-ca=",
    )
}
