//! `chancery`: ingest FRUS volumes and documents into an archive, and read them back.

// What the commands print is their output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use chancery_cli::english;
use chancery_cli::ingest::{self, IngestOptions};
use chancery_formats::render;
use chancery_store::Archive;

#[derive(Parser)]
#[command(
    name = "chancery",
    version,
    about = "An archive engine for the record of diplomacy (FRUS)"
)]
struct Cli {
    /// The archive directory (created by `ingest` if absent).
    #[arg(
        long,
        global = true,
        env = "CHANCERY_ARCHIVE",
        default_value = "archive"
    )]
    archive: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read TEI volumes (.xml) and plain-text documents (.txt) into the archive.
    Ingest {
        /// Files or directories (searched recursively for .xml and .txt).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Volume id for plain-text documents whose file name does not name one.
        #[arg(long)]
        volume: Option<String>,
        /// Replace plain-text documents whose id already exists (otherwise that is an error).
        #[arg(long)]
        replace: bool,
        /// Re-read files even when an identical file was ingested before.
        #[arg(long)]
        force: bool,
        /// Parser threads (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one document, e.g. `frus1964-68v07/d45`.
    Show {
        /// VOLUME/DOC
        path: String,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// List documents (of one volume, or all).
    List {
        volume: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List volumes.
    Volumes {
        #[arg(long)]
        json: bool,
    },
    /// Counts of everything in the archive.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Serve the reading room and the JSON API. With no archive in the directory, builds one
    /// from the bundled sample first.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Do not print one line per request.
        #[arg(long)]
        quiet: bool,
    },
    /// Search the archive: chancery search 'harriman "stop the bombing"' --facets
    Search(chancery_cli::search_cmd::SearchArgs),
    /// Rebuild the search index from the archive's database.
    Reindex {
        #[arg(long)]
        json: bool,
    },
    /// Validate TEI volumes for an editor: dangling refs, footnote gaps, missing source notes
    /// and dates, suspected document boundaries, duplicate ids (with line numbers).
    Check(chancery_cli::apparatus_cmd::CheckArgs),
    /// Score the apparatus parsers against a gold file and print the per-field table.
    Eval(chancery_cli::apparatus_cmd::EvalArgs),
    /// Cite a document (Chicago, BibTeX, RIS, CSL-JSON), or resolve a printed citation.
    Cite(chancery_cli::apparatus_cmd::CiteArgs),
    /// A series-wide person: glossary entries across volumes and documents by date.
    Person(chancery_cli::apparatus_cmd::PersonArgs),
    /// A document's cable thread: the telegrams it cites and the documents citing it.
    Thread(chancery_cli::apparatus_cmd::ThreadArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum ShowFormat {
    Text,
    Json,
    Markdown,
}

/// Rust ignores SIGPIPE, so `chancery list | head` would panic inside `println!` once `head`
/// exits; restoring the default makes the process end quietly, as other Unix tools do.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    restore_sigpipe();
    chancery_cli::init_logging();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest {
            paths,
            volume,
            replace,
            force,
            jobs,
            json,
        } => {
            let opts = IngestOptions {
                volume,
                replace,
                force,
                jobs,
                progress: !json,
            };
            let summary = ingest::run(&cli.archive, &paths, &opts)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                eprint!("{}", summary.render());
            }
            Ok(if summary.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Show { path, format } => {
            let (volume_id, doc_id) = split_doc_path(&path)?;
            let archive = open(&cli.archive)?;
            let Some(doc) = archive.document(volume_id, doc_id)? else {
                bail!(
                    "no document {path} in the archive {}",
                    cli.archive.display()
                );
            };
            let volume = archive.volume(volume_id)?;
            let out = match format {
                ShowFormat::Text => render::render_text(&doc),
                ShowFormat::Markdown => render::render_markdown(&doc, volume.as_ref()),
                ShowFormat::Json => serde_json::to_string_pretty(
                    &chancery_cli::apparatus_cmd::show_json(&archive, &doc, volume.as_ref())?,
                )?,
            };
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(out.as_bytes())?;
            if !matches!(format, ShowFormat::Text) {
                // Text output is byte-exact (captures have no final newline); others end a line.
                stdout.write_all(b"\n")?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::List { volume, json } => {
            let archive = open(&cli.archive)?;
            if let Some(v) = &volume {
                if !archive.has_volume(v)? {
                    bail!("no volume {v} in the archive {}", cli.archive.display());
                }
            }
            let docs = archive.documents(volume.as_deref())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&docs)?);
            } else {
                for d in docs {
                    println!(
                        "{}/{}\t{}\t{}\t{}",
                        d.volume_id,
                        d.id,
                        d.number.as_deref().unwrap_or("-"),
                        d.date_text.as_deref().unwrap_or("-"),
                        d.heading
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Volumes { json } => {
            let archive = open(&cli.archive)?;
            let vols = archive.volumes()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&vols)?);
            } else {
                for v in vols {
                    println!(
                        "{}\t{}\t{}",
                        v.id,
                        english::count(
                            usize::try_from(v.documents).unwrap_or(usize::MAX),
                            "document"
                        ),
                        v.title.as_deref().unwrap_or("(untitled)")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => Ok(exit(chancery_cli::apparatus_cmd::run_check(&args)?)),
        Command::Eval(args) => Ok(exit(chancery_cli::apparatus_cmd::run_eval(&args)?)),
        Command::Cite(args) => {
            chancery_cli::apparatus_cmd::run_cite(&cli.archive, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Person(args) => {
            chancery_cli::apparatus_cmd::run_person(&cli.archive, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Thread(args) => {
            chancery_cli::apparatus_cmd::run_thread(&cli.archive, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search(args) => match chancery_cli::search_cmd::run(&cli.archive, &args)? {
            chancery_cli::search_cmd::Outcome::Found => Ok(ExitCode::SUCCESS),
            chancery_cli::search_cmd::Outcome::BadQuery => Ok(ExitCode::from(2)),
        },
        Command::Reindex { json } => {
            chancery_cli::search_cmd::reindex(&cli.archive, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { json } => {
            let archive = open(&cli.archive)?;
            let stats = archive.stats()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                let value = serde_json::to_value(&stats)?;
                print_flat("", &value);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { addr, quiet } => {
            chancery_cli::sample::ensure_archive(&cli.archive)?;
            let state = chancery_web::open_state(
                &cli.archive,
                &chancery_web::Options {
                    access_log: !quiet,
                    ..chancery_web::Options::default()
                },
            )
            .map_err(|e| {
                anyhow::anyhow!("cannot open the archive {}: {e}", cli.archive.display())
            })?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            rt.block_on(chancery_web::serve(state, addr))
                .with_context(|| format!("cannot serve on {addr}"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Success, or exit status 1 (problems found, a field under threshold).
fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn open(dir: &std::path::Path) -> Result<Archive> {
    Archive::open_existing(dir)
        .with_context(|| format!("cannot open the archive {}", dir.display()))
}

/// `frus1964-68v07/d45` → (`frus1964-68v07`, `d45`).
fn split_doc_path(path: &str) -> Result<(&str, &str)> {
    match path.trim_matches('/').split_once('/') {
        Some((v, d)) if !v.is_empty() && !d.is_empty() && !d.contains('/') => Ok((v, d)),
        _ => bail!("expected VOLUME/DOCUMENT (e.g. frus1964-68v07/d45), got {path:?}"),
    }
}

/// Print a JSON object as `key: value` lines, nested keys joined with dots.
fn print_flat(prefix: &str, value: &serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                print_flat(&key, v);
            }
        }
        other => println!("{prefix}: {other}"),
    }
}
