//! `chancery-bench`: Chancery's benchmarks, kept out of the product binary. Each prints its
//! numbers beside a baseline measured in the same process and run (the house rule for speed
//! numbers): a bare XML pass and a floor loader for ingest, SQLite FTS5 and ripgrep for search,
//! a bare HTTP server for serve, an empty archive for one capture into a large one.
//!
//! `cargo run -p chancery-bench --release -- ingest|search|serve|capture …`

// The tables the benchmarks print are their output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

mod capture;
mod corpus;
mod ingest;
mod search;
mod serve;
mod stats;

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
    /// One plain-text capture ingested into a large archive (30,000 documents by default),
    /// beside the same capture into an empty archive; prints median, p90 and max per run.
    Capture(capture::CaptureArgs),
}

fn main() -> ExitCode {
    chancery_cli::init_logging();
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
        Command::Capture(args) => capture::run(&args)?,
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
