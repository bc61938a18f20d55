//! Render and validate production deployment topologies for the Feast Operator.
//!
//! Pipeline: [`spec`] (merged, schema-checked input) → [`plan`] (every name, port and
//! choice decided, per cloud from [`clouds`]) → [`render`] (handlebars templates →
//! parsed, canonical YAML documents) → [`validate`] (CRD schema + CEL, strict core kinds,
//! policy) → written atomically.

pub mod backup;
pub mod batch;
pub mod cidr;
pub mod clouds;
pub mod crlint;
pub mod error;
pub mod flows;
pub mod netpol;
pub mod observability;
pub mod operator;
pub mod output;
pub mod plan;
pub mod ports;
pub mod refs;
pub mod render;
pub mod spec;
pub mod spec_checks;
pub mod validate;

pub use error::{Result, TopologyError};
