//! Command-line front ends of the library (clap args + `run`).

pub mod render;
pub mod validate;
