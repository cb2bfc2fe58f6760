//! The machinery behind the `chancery` binary, as a library so tests and benchmarks call the
//! same code the command line runs.

// What the commands print is their output: the one place in the workspace that prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod apparatus_cmd;
pub mod english;
pub mod gold;
pub mod index_sync;
pub mod ingest;
pub mod sample;
pub mod search_cmd;

/// Send `tracing` events to stderr, filtered by `CHANCERY_LOG` (`info` for the access log,
/// `chancery_store=debug` …): the one logging set-up of the binaries.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("CHANCERY_LOG"))
        .with_writer(std::io::stderr)
        .init();
}
