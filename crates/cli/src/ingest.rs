//! `chancery ingest`: find input files, parse them in parallel, store each whole or not at all.
//!
//! Parsing is CPU-bound and independent per file, so it runs on a rayon pool; SQLite has one
//! writer, so storing happens on the calling thread, fed through a bounded channel that keeps at
//! most a few parsed volumes in memory however large the corpus. Each file is stored whole or not
//! at all: a file that fails to read, parse or store leaves no trace, and every good file is
//! still stored. Stored files are committed in batches of about [`BATCH_BYTES`] of input (see
//! `Archive::begin_batch`); the summary counts a file once its batch is committed.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use chancery_formats::capture::TextOptions;
use chancery_formats::{ReadError, ReadErrorKind};
use chancery_model::{ParsedVolume, SourceFormat};
use chancery_store::{Archive, FiledAt, PreparedVolume, StoreError, StoreReport};

use chancery_index::IndexRecord;

use crate::english;
use crate::index_sync::IndexSync;

/// The write-ahead log may grow to this size during a bulk ingest before the writer waits for a
/// complete checkpoint (see `Archive::bound_wal`).
const WAL_LIMIT_BYTES: u64 = 256 * 1024 * 1024;

/// Input bytes stored per committed batch. Per-file commits rewrote the pages every file
/// touches (index right edges, B-tree interiors) once per file; at 16 MB a batch takes a
/// second or two to write, so readers still see the archive grow steadily and a crash loses
/// little work.
const BATCH_BYTES: u64 = 16 * 1024 * 1024;

/// How `ingest` reads and stores its files.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Volume id for text documents whose file name does not name one.
    pub volume: Option<String>,
    /// Replace existing text documents with the same id instead of failing.
    pub replace: bool,
    /// Re-read files whose content hash is already recorded.
    pub force: bool,
    /// Parser threads; `None` = all cores.
    pub jobs: Option<usize>,
    /// Draw a progress bar when stderr is a terminal.
    pub progress: bool,
}

/// What one `ingest` run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestSummary {
    /// Input files found.
    pub files: usize,
    /// Files stored (new or changed).
    pub stored: usize,
    /// Files skipped because an identical file was ingested before.
    pub unchanged: usize,
    /// Volumes stored (TEI volumes, and volumes text documents were filed under).
    pub volumes: usize,
    /// Volume catalogue records stored (`bibliography/{id}.xml`).
    pub records: usize,
    /// Documents stored.
    pub documents: usize,
    /// Footnotes stored.
    pub footnotes: usize,
    /// Persons-list entries stored.
    pub persons: usize,
    /// Page breaks stored.
    pub pages: usize,
    /// Bytes of input read.
    pub bytes: u64,
    /// How long the run took.
    pub seconds: f64,
    /// Second witnesses stored (text captures of documents the archive has from TEI).
    pub witnesses: usize,
    /// What the run did that a user should know beyond the counts ("matched to …").
    pub notes: Vec<String>,
    /// Reading warnings, as "file: message".
    pub warnings: Vec<String>,
    /// Files not stored, and why.
    pub failed: Vec<Failure>,
}

/// A file that was not stored, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// The file, as given.
    pub file: String,
    /// The kind of failure (`malformed`, `duplicate-id`, `document-exists`, …).
    pub kind: String,
    /// What went wrong, with the place in the file where known.
    pub message: String,
}

impl IngestSummary {
    /// The human summary printed at the end of `chancery ingest`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for w in self.warnings.iter().take(50) {
            out.push_str(&format!("warning: {w}\n"));
        }
        if self.warnings.len() > 50 {
            out.push_str(&format!(
                "warning: … and {} more\n",
                self.warnings.len() - 50
            ));
        }
        for n in &self.notes {
            out.push_str(&format!("note: {n}\n"));
        }
        for f in &self.failed {
            out.push_str(&format!("error: {}\n", f.message));
        }
        let mut counts = vec![
            english::count(self.volumes, "volume"),
            english::count(self.documents, "document"),
        ];
        if self.records > 0 {
            counts.push(english::count(self.records, "catalogue record"));
        }
        if self.witnesses > 0 {
            counts.push(english::count(self.witnesses, "second witness"));
        }
        counts.extend([
            english::count(self.footnotes, "footnote"),
            english::count(self.persons, "person"),
            english::count(self.pages, "page"),
            english::count(self.warnings.len(), "warning"),
        ]);
        out.push_str(&format!(
            "ingested {} of {} ({} unchanged, {} failed) in {:.2}s: {}\n",
            self.stored,
            english::count(self.files, "file"),
            self.unchanged,
            self.failed.len(),
            self.seconds,
            counts.join(", ")
        ));
        out
    }
}

/// One input found on the command line or in a directory.
#[derive(Debug, Clone)]
struct Input {
    path: PathBuf,
    format: Option<SourceFormat>,
}

/// The outcome of reading and parsing one file on a worker thread.
enum Parsed {
    Ok {
        path: PathBuf,
        parsed: Box<ParsedVolume>,
        /// Serialised on the worker so the single writer only inserts.
        prepared: Option<PreparedVolume>,
        /// Search-index records, also built on the worker (`None` when the index is off).
        records: Option<Vec<IndexRecord>>,
    },
    Unchanged {
        bytes: u64,
    },
    Failed {
        bytes: u64,
        error: ReadError,
    },
}

/// Run an ingest of `paths` into the archive at `archive_dir`.
pub fn run(archive_dir: &Path, paths: &[PathBuf], opts: &IngestOptions) -> Result<IngestSummary> {
    run_with_index(archive_dir, paths, opts, true)
}

/// [`run`], with the search index kept in step (`index`) or left alone (benchmarks that time the
/// index build separately; the index is then rebuilt on its next open).
pub fn run_with_index(
    archive_dir: &Path,
    paths: &[PathBuf],
    opts: &IngestOptions,
    index: bool,
) -> Result<IngestSummary> {
    let started = Instant::now();
    let mut summary = IngestSummary::default();
    let inputs = expand(paths, &mut summary);
    summary.files = inputs.len() + summary.failed.len();
    if inputs.is_empty() {
        // Nothing to read: say so, and create no archive.
        if summary.failed.is_empty() {
            anyhow::bail!(
                "nothing to ingest: {} holds no .xml or .txt files",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }
    // An archive this run creates is removed again if the run stores nothing.
    let created = !archive_dir.exists();

    let mut archive = Archive::open(archive_dir)
        .with_context(|| format!("cannot open the archive {}", archive_dir.display()))?;
    let with_index = index;
    let mut index = IndexSync::begin(&archive, index);
    let known: HashMap<String, Vec<FiledAt>> = if opts.force {
        HashMap::new()
    } else {
        archive.known_files()?
    };

    let total_bytes: u64 = inputs
        .iter()
        .filter_map(|i| std::fs::metadata(&i.path).ok())
        .map(|m| m.len())
        .sum();
    let bar = if opts.progress && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(total_bytes);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };

    let threads = opts.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start parser threads")?;
    let text_opts = TextOptions {
        volume_id: opts.volume.clone(),
    };
    let (tx, rx) = sync_channel::<Parsed>(pool.current_num_threads() * 2);

    // Checkpoint fsyncs run beside the writer instead of stalling it (see store::checkpoint).
    let checkpointer = archive.begin_bulk()?;
    std::thread::scope(|scope| {
        let inputs = &inputs;
        let known = &known;
        let text_opts = &text_opts;
        let pool = &pool;
        scope.spawn(move || {
            pool.install(|| {
                inputs.par_iter().for_each_with(tx, |tx, input| {
                    // A send fails only if the receiver is gone, i.e. the store loop ended early.
                    let _ = tx.send(parse_one(input, known, text_opts, with_index));
                });
            });
        });

        let mut batch = Batch::default();
        for parsed in rx {
            match parsed {
                Parsed::Unchanged { bytes } => {
                    summary.unchanged += 1;
                    bar.inc(bytes);
                }
                Parsed::Failed { bytes, error } => {
                    summary.failed.push(Failure {
                        file: error.file.clone(),
                        kind: error.kind.as_str().to_string(),
                        message: error.to_string(),
                    });
                    bar.inc(bytes);
                }
                Parsed::Ok {
                    path,
                    parsed,
                    prepared,
                    records,
                } => {
                    let bytes = parsed.volume.origin.bytes;
                    bar.set_message(parsed.volume.id.clone());
                    if let Err(e) = archive.begin_batch() {
                        // The file is then stored in a transaction of its own.
                        summary
                            .warnings
                            .push(format!("cannot open a write batch: {e}"));
                    }
                    let generation = index.before(&archive);
                    let stored = store_one(&mut archive, &path, &parsed, prepared.as_ref(), opts);
                    index.stored(
                        &archive,
                        &parsed,
                        records,
                        generation,
                        stored.as_ref().ok().map(|s| &s.report),
                    );
                    match stored {
                        Ok(stored) => batch.files.push(stored),
                        Err(failure) => summary.failed.push(failure),
                    }
                    summary.bytes += bytes;
                    batch.bytes += bytes;
                    bar.inc(bytes);
                    if batch.bytes >= BATCH_BYTES {
                        batch.commit(&mut archive, &mut summary, &mut index);
                        if let Err(e) = archive.bound_wal(WAL_LIMIT_BYTES) {
                            summary.warnings.push(format!("checkpoint: {e}"));
                        }
                    }
                }
            }
        }
        batch.commit(&mut archive, &mut summary, &mut index);
    });
    // Commit the index on every path out of the loop, failures included (see index_sync). The
    // commit (tantivy writing its segments) and the store's end of run (one pass resolving the
    // links between volumes, the last checkpoint) touch nothing of each other's, so they run
    // side by side; a rebuild, which reads the store, waits for both.
    let ending = Instant::now();
    let (index, ended) = std::thread::scope(|scope| {
        let committing = scope.spawn(move || {
            let mut index = index;
            index.commit();
            index
        });
        let ended = archive.end_bulk(checkpointer);
        let index = committing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (index, ended)
    });
    let index = index.finish(&archive);
    summary.warnings.extend(index.warnings);
    ended?;
    tracing::info!(
        "index committed, links between volumes resolved and log checkpointed in {:.2}s",
        ending.elapsed().as_secs_f64()
    );
    bar.finish_and_clear();
    if created && summary.stored == 0 && archive.volumes()?.is_empty() {
        drop(archive);
        std::fs::remove_dir_all(archive_dir).with_context(|| {
            format!(
                "nothing was stored, and the new archive {} could not be removed",
                archive_dir.display()
            )
        })?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// A file stored in the open batch: what it adds to the summary once the batch is committed.
struct Stored {
    file: String,
    format: SourceFormat,
    report: StoreReport,
    warnings: Vec<String>,
}

/// The files stored since the last commit.
#[derive(Default)]
struct Batch {
    bytes: u64,
    files: Vec<Stored>,
}

impl Batch {
    /// Commit the archive's open batch and count its files; if the commit fails, none of them
    /// is stored: each becomes a failure, and the index (which already has them) is rebuilt
    /// from the store at the end of the run.
    fn commit(
        &mut self,
        archive: &mut Archive,
        summary: &mut IngestSummary,
        index: &mut IndexSync,
    ) {
        let committed = archive.commit_batch();
        for stored in self.files.drain(..) {
            match &committed {
                Ok(()) => {
                    summary.stored += 1;
                    match stored.format {
                        SourceFormat::Tei => summary.volumes += 1,
                        SourceFormat::Bibliography => summary.records += 1,
                        SourceFormat::Text => {}
                    }
                    summary.documents += stored.report.documents;
                    summary.footnotes += stored.report.footnotes;
                    summary.persons += stored.report.persons;
                    summary.pages += stored.report.pages;
                    summary.witnesses += stored.report.witnesses;
                    for target in &stored.report.witness_of {
                        summary.notes.push(format!(
                            "{}: a second witness of {target} (the archive has it from TEI, \
                             or the same number and heading)",
                            stored.file
                        ));
                    }
                    summary.warnings.extend(stored.warnings);
                }
                Err(e) => summary.failed.push(Failure {
                    message: format!(
                        "{}: not stored: the batch it was written in could not be committed: {e}",
                        stored.file
                    ),
                    file: stored.file,
                    kind: "store".to_string(),
                }),
            }
        }
        if committed.is_err() {
            index.abandon();
        }
        self.bytes = 0;
    }
}

fn store_one(
    archive: &mut Archive,
    path: &Path,
    parsed: &ParsedVolume,
    prepared: Option<&PreparedVolume>,
    opts: &IngestOptions,
) -> Result<Stored, Failure> {
    let format = parsed.volume.origin.format;
    let result = match format {
        SourceFormat::Tei => archive.store_volume_prepared(parsed, prepared),
        SourceFormat::Text => archive.store_documents_prepared(parsed, prepared, opts.replace),
        SourceFormat::Bibliography => archive.store_catalogue(parsed),
    };
    match result {
        Ok(report) => Ok(Stored {
            file: path.display().to_string(),
            format,
            report,
            warnings: parsed.warnings.iter().map(|w| w.to_string()).collect(),
        }),
        Err(err) => {
            let message = match &err {
                StoreError::DocumentExists { volume, document } => format!(
                    "{}: document {volume}/{document} is already in the archive (use --replace to overwrite it)",
                    path.display()
                ),
                StoreError::NeedsVolume { .. } => format!("{}: {err}", path.display()),
                other => format!("{}: not stored: {other}", path.display()),
            };
            let kind = match err {
                StoreError::DocumentExists { .. } => "document-exists",
                StoreError::NeedsVolume { .. } => "needs-volume",
                _ => "store",
            };
            Err(Failure {
                file: path.display().to_string(),
                kind: kind.to_string(),
                message,
            })
        }
    }
}

fn parse_one(
    input: &Input,
    known: &HashMap<String, Vec<FiledAt>>,
    text_opts: &TextOptions,
    with_index: bool,
) -> Parsed {
    let file = input.path.display().to_string();
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => {
            return Parsed::Failed {
                bytes: 0,
                error: ReadError::new(ReadErrorKind::Io, file, format!("cannot read: {e}")),
            }
        }
    };
    let len = bytes.len() as u64;
    let Some(format) = input.format else {
        return Parsed::Failed {
            bytes: len,
            error: ReadError::new(
                ReadErrorKind::UnknownLayout,
                file,
                "not a TEI volume or catalogue record (.xml) or a plain-text document (.txt)",
            ),
        };
    };
    let filed = if known.is_empty() {
        None
    } else {
        known.get(&chancery_formats::sha256_hex(&bytes))
    };
    // An XML file names its volume inside: the same bytes land in the same place.
    if filed.is_some() && format != SourceFormat::Text {
        return Parsed::Unchanged { bytes: len };
    }
    let result = match format {
        // A TEI volume or a volume's catalogue record: the root element says which.
        SourceFormat::Tei | SourceFormat::Bibliography => chancery_formats::read_xml(&bytes, &file),
        SourceFormat::Text => chancery_formats::capture::read_text(&bytes, &file, text_opts),
    };
    // A text capture is unchanged only if it would be filed where the same bytes were filed
    // before: a copy under another name is another document.
    if let (Some(filed), Ok(parsed)) = (filed, &result) {
        let unfiled = parsed.volume.id == chancery_model::UNKNOWN_VOLUME;
        let same_place = parsed.documents.iter().all(|d| {
            filed.iter().any(|f| {
                unfiled
                    || (f.volume == parsed.volume.id
                        && f.document.as_deref() == Some(d.id.as_str()))
            })
        });
        if same_place {
            return Parsed::Unchanged { bytes: len };
        }
    }
    match result {
        Ok(parsed) if parsed.volume.origin.format == SourceFormat::Bibliography => Parsed::Ok {
            path: input.path.clone(),
            parsed: Box::new(parsed),
            prepared: None,
            records: None,
        },
        Ok(parsed) => {
            let tei = parsed.volume.origin.format == SourceFormat::Tei;
            // On failure the writer prepares again and reports the error with the file.
            let prepared = chancery_store::prepare(&parsed, tei).ok();
            let records = with_index.then(|| {
                parsed
                    .documents
                    .iter()
                    .enumerate()
                    .map(|(i, doc)| {
                        prepared
                            .as_ref()
                            .and_then(|p| IndexRecord::from_prepared(doc, p, i))
                            .unwrap_or_else(|| IndexRecord::from_document(doc))
                    })
                    .collect()
            });
            Parsed::Ok {
                path: input.path.clone(),
                parsed: Box::new(parsed),
                prepared,
                records,
            }
        }
        Err(error) => Parsed::Failed { bytes: len, error },
    }
}

/// Expand command-line paths: files as given, directories recursively (only .xml and .txt, in
/// sorted order so runs are repeatable). Missing paths are recorded as failures.
fn expand(paths: &[PathBuf], summary: &mut IngestSummary) -> Vec<Input> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, summary);
            found.sort();
            out.extend(found.into_iter().map(|p| {
                let format = format_of(&p);
                Input { path: p, format }
            }));
        } else if path.is_file() {
            out.push(Input {
                path: path.clone(),
                format: format_of(path),
            });
        } else {
            summary.failed.push(Failure {
                file: path.display().to_string(),
                kind: "io".into(),
                message: format!("{}: no such file or directory", path.display()),
            });
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, summary: &mut IngestSummary) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            summary.failed.push(Failure {
                file: dir.display().to_string(),
                kind: "io".into(),
                message: format!("{}: cannot list directory: {e}", dir.display()),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, out, summary);
        } else if format_of(&path).is_some() {
            out.push(path);
        }
    }
}

fn format_of(path: &Path) -> Option<SourceFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "xml" => Some(SourceFormat::Tei),
        "txt" => Some(SourceFormat::Text),
        _ => None,
    }
}
