//! `chancery-bench capture`: how long one plain-text capture takes to ingest into a large
//! archive, beside the same capture into an empty one.
//!
//! Method: replicate the sample TEI volumes until the corpus holds about `--documents`
//! documents, ingest it into a fresh archive (store and index, as `chancery ingest` does), then
//! ingest each capture of `--captures` on its own — one complete `chancery ingest` run per file,
//! opening the archive and its index, storing, updating the index and committing — first into
//! an empty archive (the baseline), then into the large one. A capture's cost should not grow
//! with the archive: the index is updated in place, never rebuilt, and cross-volume links are
//! resolved for the new volume only. Both series are printed as median, 90th percentile and
//! maximum.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};

use chancery_cli::ingest::{self, IngestOptions, IngestSummary};

use crate::corpus::{build_corpus, corpus_bytes_for};

/// Options of `chancery-bench capture`.
#[derive(Debug, Clone, clap::Args)]
pub struct CaptureArgs {
    /// Documents in the large archive (approximately: whole volumes are copied).
    #[arg(long, default_value_t = 30_000)]
    documents: usize,
    /// Directory holding the sample TEI volumes to replicate.
    #[arg(long, default_value = "sample/tei")]
    sample: PathBuf,
    /// Directory holding the plain-text captures to ingest one by one.
    #[arg(long, default_value = "sample/text")]
    captures: PathBuf,
    /// Where to write the replicated corpus and the bench archives.
    #[arg(long, default_value = "bench-data")]
    work: PathBuf,
}

/// Build the large archive, time every capture into it and into an empty one, print both.
pub fn run(args: &CaptureArgs) -> Result<()> {
    let captures = text_files(&args.captures)?;
    let target = corpus_bytes_for(&args.sample, args.documents as u64)?;
    let corpus_dir = args.work.join(format!("corpus-{}docs", args.documents));
    build_corpus(&args.sample, &corpus_dir, target)?;

    let large = args.work.join("archive-capture-large");
    let empty = args.work.join("archive-capture-empty");
    for dir in [&large, &empty] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .with_context(|| format!("cannot clear {}", dir.display()))?;
        }
    }
    let t = Instant::now();
    let built = ingest_checked(&large, &corpus_dir)?;
    println!(
        "large archive: {} documents in {} volumes, built in {:.1} s ({})",
        built.documents,
        built.volumes,
        t.elapsed().as_secs_f64(),
        large.display()
    );
    // The empty archive exists (and holds no document) before the first capture, as the large
    // one does: the baseline times the same work, not the archive's creation.
    chancery_store::Archive::open(&empty)
        .with_context(|| format!("cannot create {}", empty.display()))?;

    let baseline = time_each(&empty, &captures)?;
    let measured = time_each(&large, &captures)?;
    println!(
        "{} captures from {}, one `chancery ingest` run each (store + index):",
        captures.len(),
        args.captures.display()
    );
    println!(
        "{:<34} {:>10} {:>10} {:>10}",
        "archive", "median s", "p90 s", "max s"
    );
    let row = |name: String, secs: &[f64]| {
        println!(
            "{:<34} {:>10.3} {:>10.3} {:>10.3}",
            name,
            quantile(secs, 0.5),
            quantile(secs, 0.9),
            quantile(secs, 1.0),
        );
    };
    row("empty (baseline)".to_string(), &baseline);
    row(format!("{} documents", built.documents), &measured);
    // Where the slow runs fall in the sequence says whether they are the capture's cost or
    // deferred work of the bulk ingest before them.
    let mut order: Vec<usize> = (0..measured.len()).collect();
    order.sort_by(|&a, &b| measured[b].total_cmp(&measured[a]));
    for &i in order.iter().take(5) {
        println!(
            "  slowest into the large archive: run {:>2} of {}, {:.3} s, {}",
            i + 1,
            measured.len(),
            measured[i],
            captures[i].display()
        );
    }
    Ok(())
}

/// The `.txt` files of `dir`, sorted.
fn text_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no .txt captures in {}", dir.display());
    }
    Ok(files)
}

/// One ingest run that must store everything it is given.
fn ingest_checked(archive: &Path, path: &Path) -> Result<IngestSummary> {
    let summary = ingest::run(
        archive,
        &[path.to_path_buf()],
        &IngestOptions {
            progress: false,
            ..IngestOptions::default()
        },
    )?;
    if let Some(f) = summary.failed.first() {
        bail!("{}: {}", f.file, f.message);
    }
    if summary.stored == 0 {
        bail!("{}: nothing stored", path.display());
    }
    Ok(summary)
}

/// Seconds of one ingest run per capture, in order.
fn time_each(archive: &Path, captures: &[PathBuf]) -> Result<Vec<f64>> {
    captures
        .iter()
        .map(|file| {
            let t = Instant::now();
            ingest_checked(archive, file)?;
            Ok(t.elapsed().as_secs_f64())
        })
        .collect()
}

/// The `q` quantile of `values` by the benchmarks' one rule ([`crate::stats::nearest_rank`]).
fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    crate::stats::nearest_rank(&sorted, q)
}
