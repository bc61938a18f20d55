//! Render and validate production deployment topologies for the Feast Operator.
//!
//! Pipeline: [`spec`] (merged, schema-checked input) → [`plan`] (every name, port and
//! choice decided, per cloud from [`clouds`]) → [`render`] (handlebars templates →
//! parsed, canonical YAML documents) → [`validate`] (CRD schema + CEL, strict core kinds,
//! policy) → written atomically.

pub mod backup;
pub mod clouds;
pub mod crlint;
pub mod error;
pub mod operator;
pub mod output;
pub mod plan;
pub mod ports;
pub mod render;
pub mod spec;
pub mod validate;

pub use error::{Result, TopologyError};
