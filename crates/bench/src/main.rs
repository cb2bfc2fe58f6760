//! `chancery-bench`: Chancery's benchmarks, kept out of the product binary. Each prints its
//! numbers beside a baseline measured in the same process and run (the house rule for speed
//! numbers): a bare XML pass and a floor loader for ingest, SQLite FTS5 and ripgrep for search,
//! a bare HTTP server for serve.
//!
//! `cargo run -p chancery-bench --release -- ingest|search|serve …`

// The tables the benchmarks print are their output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

mod corpus;
mod ingest;
mod search;
mod serve;

#[derive(Parser)]
#[command(
    name = "chancery-bench",
    version,
    about = "Chancery's benchmarks, each beside a baseline measured in the same run"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest throughput on a replicated corpus, beside a bare quick-xml pass over the same bytes
    /// and a floor loader.
    Ingest(ingest::IngestArgs),
    /// Search latency on a replicated corpus at two sizes, beside SQLite FTS5 and ripgrep over
    /// the same text.
    Search(search::SearchArgs),
    /// Load on the reading room over loopback: a document page and a faceted search, N clients
    /// for S seconds each, beside a bare HTTP server answering as many bytes; prints req/s,
    /// p50/p99 latency and errors.
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("CHANCERY_LOG"))
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => ingest::run(&args)?,
        Command::Search(args) => search::run(&args)?,
        Command::Serve(args) => {
            let results = serve::run(&args)?;
            // A load test that saw errors did not measure the server it meant to.
            if results.iter().any(|r| r.errors > 0) {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
