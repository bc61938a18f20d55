//! feastops: lint Feast schema changes and render Feast Operator topologies.
//!
//! `sources` turn registries, lock files and feature repos into one
//! [`model::Registry`]; `lint` compares two of them under the rules in
//! `rules/`; `report` prints the findings. `topology` renders and validates
//! Feast Operator deployments.

pub mod cli;
pub mod config;
pub mod contract;
pub mod freshness;
pub mod fuzz_entry;
pub mod input_limits;
pub mod lint;
pub mod model;
pub mod policy;
pub mod report;
pub mod sources;
pub mod suggest;
pub mod topology;
