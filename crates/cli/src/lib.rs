//! The machinery behind the `chancery` binary, as a library so tests and benchmarks call the
//! same code the command line runs.

pub mod bench;
pub mod ingest;
