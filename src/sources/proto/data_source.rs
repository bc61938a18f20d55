//! feast.core.DataSource (DataSource.proto) and its option messages.

use std::collections::BTreeMap;

use super::FeatureSpecV2;

#[derive(Clone, PartialEq, prost::Message)]
pub struct DataSource {
    /// DataSource.SourceType
    #[prost(int32, tag = "1")]
    pub r#type: i32,
    #[prost(btree_map = "string, string", tag = "2")]
    pub field_mapping: BTreeMap<String, String>,
    #[prost(string, tag = "3")]
    pub timestamp_field: String,
    #[prost(string, tag = "4")]
    pub date_partition_column: String,
    #[prost(string, tag = "5")]
    pub created_timestamp_column: String,
    #[prost(message, optional, tag = "11")]
    pub file_options: Option<FileOptions>,
    #[prost(message, optional, tag = "12")]
    pub bigquery_options: Option<TableOrQuery>,
    #[prost(message, optional, tag = "13")]
    pub kafka_options: Option<KafkaOptions>,
    #[prost(message, optional, tag = "14")]
    pub kinesis_options: Option<KinesisOptions>,
    #[prost(message, optional, tag = "15")]
    pub redshift_options: Option<WarehouseOptions>,
    #[prost(message, optional, tag = "16")]
    pub custom_options: Option<CustomSourceOptions>,
    #[prost(string, tag = "17")]
    pub data_source_class_type: String,
    #[prost(message, optional, tag = "18")]
    pub request_data_options: Option<RequestDataOptions>,
    #[prost(message, optional, tag = "19")]
    pub snowflake_options: Option<WarehouseOptions>,
    #[prost(string, tag = "20")]
    pub name: String,
    #[prost(string, tag = "21")]
    pub project: String,
    #[prost(string, tag = "23")]
    pub description: String,
    #[prost(btree_map = "string, string", tag = "24")]
    pub tags: BTreeMap<String, String>,
    #[prost(string, tag = "25")]
    pub owner: String,
    #[prost(message, optional, boxed, tag = "26")]
    pub batch_source: Option<Box<DataSource>>,
    #[prost(message, optional, tag = "27")]
    pub spark_options: Option<SparkOptions>,
    #[prost(message, optional, tag = "30")]
    pub trino_options: Option<TableOrQuery>,
    #[prost(message, optional, tag = "35")]
    pub athena_options: Option<WarehouseOptions>,
}

/// DataSource.SourceType values.
pub mod source_type {
    pub const INVALID: i32 = 0;
    pub const BATCH_FILE: i32 = 1;
    pub const BATCH_BIGQUERY: i32 = 2;
    pub const STREAM_KAFKA: i32 = 3;
    pub const STREAM_KINESIS: i32 = 4;
    pub const BATCH_REDSHIFT: i32 = 5;
    pub const CUSTOM_SOURCE: i32 = 6;
    pub const REQUEST_SOURCE: i32 = 7;
    pub const BATCH_SNOWFLAKE: i32 = 8;
    pub const PUSH_SOURCE: i32 = 9;
    pub const BATCH_TRINO: i32 = 10;
    pub const BATCH_SPARK: i32 = 11;
    pub const BATCH_ATHENA: i32 = 12;
    pub const BATCH_ICEBERG: i32 = 13;
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FileOptions {
    #[prost(message, optional, tag = "1")]
    pub file_format: Option<FileFormat>,
    #[prost(string, tag = "2")]
    pub uri: String,
    #[prost(string, tag = "3")]
    pub s3_endpoint_override: String,
}

/// DataFormat.proto's FileFormat: which member of its oneof is set is all
/// the model keeps.
#[derive(Clone, PartialEq, prost::Message)]
pub struct FileFormat {
    #[prost(message, optional, tag = "1")]
    pub parquet_format: Option<Empty>,
    #[prost(message, optional, tag = "2")]
    pub delta_format: Option<Empty>,
}

/// A message whose fields the model does not need.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Empty {}

/// BigQueryOptions and TrinoOptions share this shape (1 table, 2 query).
#[derive(Clone, PartialEq, prost::Message)]
pub struct TableOrQuery {
    #[prost(string, tag = "1")]
    pub table: String,
    #[prost(string, tag = "2")]
    pub query: String,
}

/// RedshiftOptions, SnowflakeOptions and AthenaOptions: 1 table, 2 query,
/// 3 schema (Athena: database), 4 database (Athena: data_source).
#[derive(Clone, PartialEq, prost::Message)]
pub struct WarehouseOptions {
    #[prost(string, tag = "1")]
    pub table: String,
    #[prost(string, tag = "2")]
    pub query: String,
    #[prost(string, tag = "3")]
    pub schema: String,
    #[prost(string, tag = "4")]
    pub database: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SparkOptions {
    #[prost(string, tag = "1")]
    pub table: String,
    #[prost(string, tag = "2")]
    pub query: String,
    #[prost(string, tag = "3")]
    pub path: String,
    #[prost(string, tag = "4")]
    pub file_format: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct KafkaOptions {
    #[prost(string, tag = "1")]
    pub kafka_bootstrap_servers: String,
    #[prost(string, tag = "2")]
    pub topic: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct KinesisOptions {
    #[prost(string, tag = "1")]
    pub region: String,
    #[prost(string, tag = "2")]
    pub stream_name: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct CustomSourceOptions {
    #[prost(bytes = "vec", tag = "1")]
    pub configuration: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct RequestDataOptions {
    /// Pre-0.20 registries: field name → ValueType.
    #[prost(btree_map = "string, int32", tag = "2")]
    pub deprecated_schema: BTreeMap<String, i32>,
    #[prost(message, repeated, tag = "3")]
    pub schema: Vec<FeatureSpecV2>,
}
