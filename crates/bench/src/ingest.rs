//! `chancery-bench ingest`: ingest throughput with its baseline measured in the same run.
//!
//! Method: replicate the sample TEI volumes (each copy under a new volume id) until the corpus
//! reaches the requested size, load it into memory once so that disk speed is out of the
//! comparison, then time, over the very same bytes:
//!
//! 1. a bare quick-xml event pass, on one thread and on the whole pool: the floor any XML-based
//!    loader pays;
//! 2. Chancery's TEI reader alone, in parallel (the model is built and dropped);
//! 3. the real `chancery ingest` end to end into a fresh archive (read, hash, parse, store);
//! 4. a *floor*: the least any loader pays that still keeps every document searchable (the TEI
//!    reader, one SQLite row of plain text per document — `chancery_store::baseline::FloorStore`
//!    — and one full-text field with positions).
//!    The distance between 3 and 4 is the price of what the archive holds beyond that: the
//!    model as JSON, the apparatus tables, the fields, facets and snippets search needs.
//!
//! Each is run once; the corpus is large enough (≥ 1 GB by default) that one run is many seconds.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use quick_xml::events::Event;
use rayon::prelude::*;

use chancery_cli::ingest::{self, IngestOptions};
use chancery_store::baseline::{FloorRow, FloorStore};

use crate::corpus::{build_corpus, dir_size};

const MB: u64 = 1_000_000;

/// Options of `chancery-bench ingest`.
#[derive(Debug, Clone, clap::Args)]
pub struct IngestArgs {
    /// Size of the replicated corpus in MB.
    #[arg(long, default_value_t = 1024)]
    mb: u64,
    /// Directory holding the sample TEI volumes to replicate.
    #[arg(long, default_value = "sample/tei")]
    sample: PathBuf,
    /// Where to write the replicated corpus and the bench archive (kept for reuse).
    #[arg(long, default_value = "bench-data")]
    work: PathBuf,
}

/// Build (or reuse) the replicated corpus and print the throughput table.
pub fn run(args: &IngestArgs) -> Result<()> {
    let (sample, work, mb) = (args.sample.as_path(), args.work.as_path(), args.mb);
    let corpus_dir = work.join(format!("corpus-{mb}mb"));
    let files = build_corpus(sample, &corpus_dir, mb * MB)?;
    let buffers: Vec<Vec<u8>> = files
        .iter()
        .map(|p| std::fs::read(p).with_context(|| format!("cannot read {}", p.display())))
        .collect::<Result<_>>()?;
    let total: u64 = buffers.iter().map(|b| b.len() as u64).sum();
    let threads = rayon::current_num_threads();
    println!(
        "corpus: {} files, {:.1} MB, in {} ({} parser threads)",
        files.len(),
        total as f64 / MB as f64,
        corpus_dir.display(),
        threads
    );

    let t = Instant::now();
    let events_1: u64 = buffers.iter().map(|b| bare_pass(b)).sum::<Result<u64>>()?;
    let bare_1 = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let events_n: u64 = buffers
        .par_iter()
        .map(|b| bare_pass(b))
        .sum::<Result<u64>>()?;
    let bare_n = t.elapsed().as_secs_f64();
    if events_1 != events_n {
        bail!("bare passes disagree: {events_1} vs {events_n} events");
    }

    let t = Instant::now();
    let documents: usize = files
        .par_iter()
        .zip(buffers.par_iter())
        .map(|(p, b)| {
            chancery_formats::tei::read_tei(b, &p.display().to_string())
                .map(|v| v.documents.len())
                .map_err(|e| anyhow::anyhow!("{e}"))
        })
        .sum::<Result<usize>>()?;
    let parse_only = t.elapsed().as_secs_f64();

    // Where the single writer's time goes, on a slice of the corpus held in memory: the
    // serialisation it does per document, then the whole store call.
    let slice_bytes: u64 = (total / 5).max(1);
    let mut slice = Vec::new();
    let mut taken = 0u64;
    for (p, b) in files.iter().zip(buffers.iter()) {
        if taken >= slice_bytes {
            break;
        }
        taken += b.len() as u64;
        slice.push(
            chancery_formats::tei::read_tei(b, &p.display().to_string())
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
    }
    drop(buffers);
    // Preparation (JSON, plain text, apparatus, rows) runs on the parser threads during ingest;
    // here it is timed on one thread, apart from the writer's inserts.
    let t = Instant::now();
    let prepared: Vec<chancery_store::PreparedVolume> = slice
        .iter()
        .map(|v| chancery_store::prepare(v, true))
        .collect::<Result<_, _>>()?;
    let prepare_secs = t.elapsed().as_secs_f64();
    let store_dir = work.join("archive-store-only");
    if store_dir.exists() {
        std::fs::remove_dir_all(&store_dir)?;
    }
    let mut store = chancery_store::Archive::open(&store_dir)?;
    let checkpointer = store.begin_bulk()?;
    let t = Instant::now();
    for (v, p) in slice.iter().zip(&prepared) {
        store.store_volume_prepared(v, Some(p))?;
    }
    let store_only = t.elapsed().as_secs_f64();
    store.end_bulk(checkpointer)?;
    drop(store);
    drop(prepared);
    drop(slice);
    std::fs::remove_dir_all(&store_dir)?;

    // The real command twice: into the store alone, then keeping the search index in step
    // (what `chancery ingest` does by default).
    let archive = work.join("archive");
    let timed = |with_index: bool| -> Result<(f64, ingest::IngestSummary)> {
        if archive.exists() {
            std::fs::remove_dir_all(&archive)
                .with_context(|| format!("cannot clear {}", archive.display()))?;
        }
        let t = Instant::now();
        let summary = ingest::run_with_index(
            &archive,
            std::slice::from_ref(&corpus_dir),
            &IngestOptions {
                progress: false,
                ..IngestOptions::default()
            },
            with_index,
        )?;
        let secs = t.elapsed().as_secs_f64();
        if let Some(f) = summary.failed.first() {
            bail!(
                "bench ingest had {} failures: {}",
                summary.failed.len(),
                f.message
            );
        }
        Ok((secs, summary))
    };
    let floor_secs = floor(&files, work)?;
    let (store_only_e2e, _) = timed(false)?;
    let (end_to_end, summary) = timed(true)?;
    let db_bytes = dir_size(&archive);

    let rate = |secs: f64| total as f64 / MB as f64 / secs;
    println!(
        "{:<44} {:>9} {:>9} {:>14}",
        "stage (same bytes, same process)", "seconds", "MB/s", "× bare pass"
    );
    let row = |name: &str, secs: f64| {
        println!(
            "{:<44} {:>9.2} {:>9.1} {:>14.2}",
            name,
            secs,
            rate(secs),
            secs / bare_n
        );
    };
    row("bare quick-xml pass, 1 thread", bare_1);
    row(
        &format!("bare quick-xml pass, {threads} threads (baseline)"),
        bare_n,
    );
    row(
        &format!("TEI reader to model, {threads} threads"),
        parse_only,
    );
    row("floor: reader + text rows + 1 text field", floor_secs);
    row("chancery ingest, end to end, store only", store_only_e2e);
    row("chancery ingest, end to end, store + index", end_to_end);
    let slice_rate = |secs: f64| taken as f64 / MB as f64 / secs;
    println!(
        "on a {:.1} MB slice, one thread each: store::prepare {:.2}s ({:.1} MB/s); writer inserts {:.2}s ({:.1} MB/s)",
        taken as f64 / MB as f64,
        prepare_secs,
        slice_rate(prepare_secs),
        store_only,
        slice_rate(store_only)
    );
    println!(
        "{} XML events; {} documents parsed; {} stored in {} volumes; archive {:.1} MB",
        events_n,
        documents,
        summary.documents,
        summary.volumes,
        db_bytes as f64 / MB as f64
    );
    Ok(())
}

/// The floor stage (see the module docs), timed from the files on disk to both commits, with
/// the same parallelism as `chancery ingest`: parsing on the pool, one writer for SQLite, the
/// index writer's own threads.
fn floor(files: &[PathBuf], work: &Path) -> Result<f64> {
    use chancery_index::tantivy::{self, schema, TantivyDocument};

    let dir = work.join("archive-floor");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(dir.join("index"))?;
    let started = Instant::now();

    // The store's own settings (page size, WAL, synchronous), one table.
    let mut db = FloorStore::create(&dir.join("floor.sqlite"))?;

    let mut builder = schema::Schema::builder();
    let all = builder.add_text_field(
        "all",
        schema::TextOptions::default().set_indexing_options(
            schema::TextFieldIndexing::default()
                .set_tokenizer(chancery_index::analyzer::TOKENIZER)
                .set_index_option(schema::IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let index = tantivy::Index::create_in_dir(dir.join("index"), builder.build())?;
    index.tokenizers().register(
        chancery_index::analyzer::TOKENIZER,
        chancery_index::analyzer::analyzer(),
    );
    // The index writer's threads and memory are the real index's.
    let threads = chancery_index::writer_threads();
    let mut writer: tantivy::IndexWriter<TantivyDocument> = index
        .writer_with_num_threads(threads, threads * chancery_index::WRITER_BYTES_PER_THREAD)?;

    let (tx, rx) =
        std::sync::mpsc::sync_channel::<Result<Vec<FloorRow>>>(rayon::current_num_threads() * 2);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            files.par_iter().for_each_with(tx, |tx, path| {
                let rows = std::fs::read(path)
                    .with_context(|| format!("cannot read {}", path.display()))
                    .and_then(|bytes| {
                        chancery_formats::tei::read_tei(&bytes, &path.display().to_string())
                            .map_err(|e| anyhow::anyhow!("{e}"))
                    })
                    .map(|parsed| {
                        parsed
                            .documents
                            .iter()
                            .map(|d| {
                                let mut text = d.heading_text.clone();
                                text.push('\n');
                                text.push_str(&chancery_model::plain_text_blocks(&d.body));
                                for note in &d.footnotes {
                                    text.push('\n');
                                    text.push_str(&note.text());
                                }
                                FloorRow {
                                    volume_id: d.volume_id.clone(),
                                    id: d.id.clone(),
                                    text,
                                }
                            })
                            .collect()
                    });
                // A closed channel means the writer stopped on an error it reports itself.
                let _ = tx.send(rows);
            });
        });
        for rows in rx {
            let rows = rows?;
            db.insert(&rows)?;
            for row in rows {
                let mut doc = TantivyDocument::default();
                doc.add_text(all, row.text);
                writer.add_document(doc)?;
            }
        }
        Ok(())
    })?;
    writer.commit()?;
    db.finish()?;
    let secs = started.elapsed().as_secs_f64();
    drop(writer);
    std::fs::remove_dir_all(&dir)?;
    Ok(secs)
}

/// Read every event of `bytes` and throw it away: the cheapest complete XML pass.
fn bare_pass(bytes: &[u8]) -> Result<u64> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::with_capacity(4096);
    let mut events = 0u64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => return Ok(events),
            Ok(_) => events += 1,
            Err(e) => bail!("bare pass: {e}"),
        }
        buf.clear();
    }
}
