//! feastops: lint Feast schema changes and render Feast Operator topologies.

pub mod cli;
pub mod topology;
