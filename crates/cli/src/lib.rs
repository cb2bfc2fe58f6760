//! The machinery behind the `chancery` binary, as a library so tests and benchmarks call the
//! same code the command line runs.

pub mod apparatus_cmd;
pub mod english;
pub mod gold;
pub mod index_sync;
pub mod ingest;
pub mod sample;
pub mod search_cmd;
