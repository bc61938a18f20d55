//! feastops: lint Feast schema changes and render Feast Operator topologies.
