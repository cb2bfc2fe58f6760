//! `chancery-bench search`: search latency at full-series scale, beside SQLite FTS5 and ripgrep
//! over the same text, measured in the same run.
//!
//! For each corpus size (a small one and the full one, so growth can be read off):
//!
//! 1. replicate the sample TEI volumes under new volume ids until the corpus holds about the
//!    requested number of documents (`corpus::build_corpus`, shared with the ingest benchmark);
//! 2. ingest it into a fresh archive with the index off, then time the index build from the
//!    store on its own (`SearchIndex::rebuild`, the code `chancery reindex` runs);
//! 3. extract every document's text (heading, body, footnotes) once, from the store, into
//!    one file per volume (one line per document) for ripgrep, and into an FTS5 table (with the
//!    dates beside it) in a separate SQLite file (`chancery_store::baseline::Fts5Baseline`);
//! 4. run a fixed mix of queries through all three, after one untimed warm-up pass each, and
//!    print p50/p95/p99 of the per-query medians over several rounds of the mix (5 for
//!    Chancery, 3 for FTS5, 1 for ripgrep, whose scans take long enough to time once).
//!
//! Chancery runs every query with facets on, exact totals, 10 hits and their snippets (row
//! `chancery`), and again without snippets (row `chancery-s`: what FTS5 is asked for, plus the
//! total and facets). FTS5 gets the top 10 by bm25 (no total, no facets, no snippets). ripgrep
//! counts matching lines (one per document) for the query's first word or phrase,
//! case-insensitively, as a fixed string.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use chancery_cli::ingest::{self, IngestOptions};
use chancery_index::SearchIndex;
use chancery_query::{search, SearchRequest};
use chancery_store::baseline::{BaselineText, Fts5Baseline};

use crate::corpus::{build_corpus, corpus_bytes_for, dir_size};

/// Options of `chancery-bench search`.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// Documents in the full-size corpus.
    #[arg(long, default_value_t = 300_000)]
    pub docs: u64,
    /// Documents in the smaller corpus measured first (0: skip it).
    #[arg(long, default_value_t = 30_000)]
    pub small: u64,
    /// Directory holding the sample TEI volumes to replicate.
    #[arg(long, default_value = "sample/tei")]
    pub sample: PathBuf,
    /// Where corpora, archives and baselines are written (kept for reuse).
    #[arg(long, default_value = "bench-data")]
    pub work: PathBuf,
    /// Skip the ripgrep baseline.
    #[arg(long)]
    pub no_rg: bool,
    /// Reuse the index and the baselines' text from a previous run of the same size (the
    /// build times printed are then those of that run).
    #[arg(long)]
    pub reuse: bool,
}

/// One query of the mix, in each engine's language.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub chancery: String,
    /// Request-level date filter.
    pub dates: Option<(&'static str, &'static str)>,
    pub fts: String,
    pub rg: String,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    p50: f64,
    p95: f64,
    p99: f64,
    mean: f64,
    max: f64,
}

/// Rounds of the whole mix timed per engine; each query's time is its median over the rounds,
/// so one preempted run (2 cores, shared with the OS) does not make a query look slow.
const ROUNDS: usize = 5;
/// FTS5's rounds: fewer, as its slow queries take up to a second at full scale.
const FTS_ROUNDS: usize = 3;

/// Milliseconds per query, each the median of `rounds` runs, the mix run whole each round (not
/// one query repeated back to back, which would leave its data hot in the CPU caches).
fn per_query_medians(
    queries: usize,
    rounds: usize,
    mut run: impl FnMut(usize) -> Result<()>,
) -> Result<Vec<f64>> {
    let mut times = vec![Vec::with_capacity(rounds); queries];
    for _ in 0..rounds {
        for (i, t) in times.iter_mut().enumerate() {
            let started = Instant::now();
            run(i)?;
            t.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(times
        .into_iter()
        .map(|mut t| {
            t.sort_by(f64::total_cmp);
            t[t.len() / 2]
        })
        .collect())
}

fn stats(mut ms: Vec<f64>) -> Stats {
    if ms.is_empty() {
        return Stats::default();
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    let pick = |q: f64| crate::stats::nearest_rank(&ms, q);
    Stats {
        p50: pick(0.50),
        p95: pick(0.95),
        p99: pick(0.99),
        mean: ms.iter().sum::<f64>() / ms.len() as f64,
        max: ms[ms.len() - 1],
    }
}

/// Run the benchmark and print its table.
pub fn run(args: &SearchArgs) -> Result<()> {
    let queries = query_mix();
    let rg = if args.no_rg {
        None
    } else if Command::new("rg")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok()
    {
        Some("rg")
    } else {
        println!(
            "ripgrep (rg) is not installed: run scripts/install-bench-tools.sh to add the ripgrep baseline"
        );
        None
    };
    println!(
        "query mix: {} queries (terms, phrases, booleans, proximity, prefixes, fields, date filters); Chancery with facets on",
        queries.len()
    );
    let mut rows = Vec::new();
    for size in [args.small, args.docs] {
        if size == 0 {
            continue;
        }
        rows.push(measure(args, size, &queries, rg)?);
    }
    println!();
    println!(
        "{:<10} {:>9} {:>9} {:>10} {:>9} | {:<10} {:>8} {:>8} {:>8} {:>8} | {:>9}",
        "docs",
        "TEI MB",
        "index s",
        "index MB",
        "FTS5 s",
        "engine",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "mean ms",
        "×FTS5 p50"
    );
    for r in &rows {
        let engines: [(&str, Option<Stats>); 4] = [
            ("chancery", Some(r.chancery)),
            ("chancery-s", r.chancery_no_snippets),
            ("fts5", Some(r.fts)),
            ("ripgrep", r.rg),
        ];
        for (i, (name, s)) in engines.iter().enumerate() {
            let Some(s) = s else { continue };
            let head = if i == 0 {
                format!(
                    "{:<10} {:>9.0} {:>9.1} {:>10.1} {:>9.1}",
                    r.docs, r.tei_mb, r.index_secs, r.index_mb, r.fts_secs
                )
            } else {
                format!("{:<10} {:>9} {:>9} {:>10} {:>9}", "", "", "", "", "")
            };
            let speedup = if name.starts_with("chancery") {
                format!("{:>9.1}", r.fts.p50 / s.p50.max(1e-6))
            } else {
                String::new()
            };
            println!(
                "{head} | {:<10} {:>8.2} {:>8.2} {:>8.2} {:>8.2} | {speedup}",
                name, s.p50, s.p95, s.p99, s.mean
            );
        }
    }
    if rows.len() == 2 {
        let (a, b) = (&rows[0], &rows[1]);
        let growth = b.docs as f64 / a.docs as f64;
        println!(
            "growth ×{growth:.1} in documents: chancery p50 ×{:.2}, p99 ×{:.2}; fts5 p50 ×{:.2}; index size ×{:.2}",
            b.chancery.p50 / a.chancery.p50.max(1e-6),
            b.chancery.p99 / a.chancery.p99.max(1e-6),
            b.fts.p50 / a.fts.p50.max(1e-6),
            b.index_mb / a.index_mb.max(1e-6),
        );
    }
    Ok(())
}

struct Row {
    docs: u64,
    tei_mb: f64,
    index_secs: f64,
    index_mb: f64,
    fts_secs: f64,
    /// The full request: facets, exact total, 10 hits with 3 snippets each.
    chancery: Stats,
    /// The same with facets and total but no snippets.
    chancery_no_snippets: Option<Stats>,
    fts: Stats,
    rg: Option<Stats>,
}

fn measure(args: &SearchArgs, docs: u64, queries: &[BenchQuery], rg: Option<&str>) -> Result<Row> {
    println!("\n== {docs} documents ==");
    let target = corpus_bytes_for(&args.sample, docs)?;
    let corpus = args.work.join(format!("search-corpus-{docs}"));
    let t = Instant::now();
    let files = build_corpus(&args.sample, &corpus, target)?;
    let tei_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "corpus: {} files, {:.0} MB of TEI ({:.1}s)",
        files.len(),
        tei_bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    // Ingest once (reused by later runs), index off: the index build is timed on its own.
    let archive_dir = args.work.join(format!("search-archive-{docs}"));
    let marker = archive_dir.join(".bench-ingested");
    if !marker.exists() {
        if archive_dir.exists() {
            std::fs::remove_dir_all(&archive_dir)?;
        }
        let t = Instant::now();
        let summary = ingest::run_with_index(
            &archive_dir,
            std::slice::from_ref(&corpus),
            &IngestOptions::default(),
            false,
        )?;
        if let Some(f) = summary.failed.first() {
            bail!("ingest failed: {}", f.message);
        }
        println!(
            "ingest (store only): {} documents in {:.1}s",
            summary.documents,
            t.elapsed().as_secs_f64()
        );
        std::fs::write(&marker, summary.documents.to_string())?;
    }
    let archive = chancery_store::Archive::open_existing(&archive_dir)?;
    let index = SearchIndex::open(&archive_dir)?;
    let times = args.work.join(format!("search-times-{docs}.json"));
    let previous: Option<(u64, f64, f64)> = if args.reuse && index.is_current(&archive)? {
        std::fs::read_to_string(&times)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
    } else {
        None
    };
    let (documents, index_secs) = match previous {
        Some((d, s, _)) => (d, s),
        None => {
            let report = index.rebuild(&archive)?;
            (report.documents, report.seconds)
        }
    };
    let index_mb = index.size_on_disk() as f64 / 1e6;
    println!(
        "index build: {documents} documents in {index_secs:.1}s, {index_mb:.1} MB{}",
        if previous.is_some() { " (reused)" } else { "" }
    );
    let t = Instant::now();
    index.warm()?;
    println!(
        "facet tables unpacked at load: {:.2}s",
        t.elapsed().as_secs_f64()
    );

    // Baselines over the same text.
    let text_dir = args.work.join(format!("search-text-{docs}"));
    let fts_path = args.work.join(format!("search-fts-{docs}.sqlite"));
    let fts_secs = match previous {
        Some((_, _, f)) if fts_path.exists() && text_dir.exists() => f,
        _ => {
            let t = Instant::now();
            extract(&archive, &text_dir, &fts_path)?;
            t.elapsed().as_secs_f64()
        }
    };
    std::fs::write(
        &times,
        serde_json::to_string(&(documents, index_secs, fts_secs))?,
    )?;
    println!(
        "text extracted and FTS5 table built in {fts_secs:.1}s ({:.0} MB of text, FTS5 file {:.0} MB)",
        dir_size(&text_dir) as f64 / 1e6,
        std::fs::metadata(&fts_path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
    );

    // Chancery.
    let requests: Vec<SearchRequest> = queries
        .iter()
        .map(|q| SearchRequest {
            query: q.chancery.clone(),
            date_from: q.dates.map(|d| d.0.to_string()),
            date_to: q.dates.map(|d| d.1.to_string()),
            facets: true,
            limit: 10,
            ..SearchRequest::default()
        })
        .collect();
    let mut total_hits = 0u64;
    for r in &requests {
        total_hits += search(&index, r)
            .with_context(|| format!("query {:?}", r.query))?
            .total;
    }
    let ms = per_query_medians(requests.len(), ROUNDS, |i| {
        std::hint::black_box(search(&index, &requests[i])?);
        Ok(())
    })?;
    // The tail, by name: what to look at first when p99 moves.
    let mut slowest: Vec<(f64, &str)> = ms
        .iter()
        .zip(&requests)
        .map(|(t, r)| (*t, r.query.as_str()))
        .collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let chancery = stats(ms);
    println!(
        "chancery: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} hits in all)",
        chancery.p50, chancery.p99, chancery.max, total_hits
    );
    let tail: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(t, q)| format!("{q:?} {t:.1} ms"))
        .collect();
    println!("chancery, slowest: {}", tail.join(", "));
    // Where the time goes: the same mix without snippets, and without facets either. The first
    // is also the like-for-like comparison with FTS5, which returns its top 10 without snippets
    // (and without the total and facets Chancery still computes).
    let mut without_snippets = None;
    for (label, facets) in [
        ("facets, no snippets", true),
        ("no facets, no snippets", false),
    ] {
        let lean: Vec<SearchRequest> = requests
            .iter()
            .map(|r| SearchRequest {
                facets,
                snippets: 0,
                ..r.clone()
            })
            .collect();
        let ms = per_query_medians(lean.len(), ROUNDS, |i| {
            std::hint::black_box(search(&index, &lean[i])?);
            Ok(())
        })?;
        let s = stats(ms);
        println!(
            "chancery, {label}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
            s.p50, s.p95, s.p99
        );
        if facets {
            without_snippets = Some(s);
        }
    }

    // FTS5.
    let fts = Fts5Baseline::open(&fts_path)?;
    let run_fts = |q: &BenchQuery| fts.top(&q.fts, q.dates, 10);
    for q in queries {
        run_fts(q).with_context(|| format!("FTS5 query {:?}", q.fts))?;
    }
    let ms = per_query_medians(queries.len(), FTS_ROUNDS, |i| {
        std::hint::black_box(run_fts(&queries[i])?);
        Ok(())
    })?;
    let fts = stats(ms);
    println!(
        "fts5: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        fts.p50, fts.p99, fts.max
    );

    // ripgrep.
    let rg_stats = match rg {
        None => None,
        Some(bin) => {
            let run_rg = |pattern: &str| -> Result<()> {
                Command::new(bin)
                    .args(["-i", "-c", "-F", "--no-messages", "--", pattern])
                    .arg(&text_dir)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .context("cannot run rg")?;
                Ok(())
            };
            for q in queries.iter().take(5) {
                run_rg(&q.rg)?;
            }
            let mut ms = Vec::with_capacity(queries.len());
            for q in queries {
                let t = Instant::now();
                run_rg(&q.rg)?;
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            let s = stats(ms);
            println!("ripgrep: p50 {:.2} ms, p99 {:.2} ms", s.p50, s.p99);
            Some(s)
        }
    };
    Ok(Row {
        docs: documents,
        tei_mb: tei_bytes as f64 / 1e6,
        index_secs,
        index_mb,
        fts_secs,
        chancery,
        chancery_no_snippets: without_snippets,
        fts,
        rg: rg_stats,
    })
}

/// Write every document's text to per-volume files (one line per document) for ripgrep while
/// the FTS5 table is built from the same rows.
fn extract(archive: &chancery_store::Archive, text_dir: &Path, fts_path: &Path) -> Result<()> {
    if text_dir.exists() {
        std::fs::remove_dir_all(text_dir)?;
    }
    std::fs::create_dir_all(text_dir)?;
    let mut current: Option<(String, std::io::BufWriter<std::fs::File>)> = None;
    Fts5Baseline::build(archive, fts_path, |doc: &BaselineText<'_>| {
        let (volume, id) = (doc.volume_id, doc.id);
        if current.as_ref().is_none_or(|(open, _)| open != volume) {
            if let Some((_, mut w)) = current.take() {
                w.flush()?;
            }
            let f = std::fs::File::create(text_dir.join(format!("{volume}.txt")))?;
            current = Some((volume.to_string(), std::io::BufWriter::new(f)));
        }
        if let Some((_, w)) = current.as_mut() {
            let line = format!("{volume}/{id}\t{} {} {}", doc.heading, doc.body, doc.notes)
                .replace('\n', " ");
            writeln!(w, "{line}")?;
        }
        Ok(())
    })?;
    if let Some((_, mut w)) = current.take() {
        w.flush()?;
    }
    Ok(())
}

/// The fixed query mix: the same list, in the same order, every run.
pub fn query_mix() -> Vec<BenchQuery> {
    const TERMS: &[&str] = &[
        "bombing",
        "Harriman",
        "Vance",
        "Thuy",
        "Hanoi",
        "Saigon",
        "Moscow",
        "Soviet",
        "Berlin",
        "treaty",
        "embassy",
        "ambassador",
        "negotiations",
        "DMZ",
        "reciprocity",
        "Paris",
        "Johnson",
        "Rusk",
        "Rostow",
        "Kennedy",
        "Khrushchev",
        "Laos",
        "Cambodia",
        "Thieu",
        "Bunker",
        "Clifford",
        "Abrams",
        "election",
        "Humphrey",
        "Nixon",
        "troops",
        "withdrawal",
        "infiltration",
        "Okinawa",
        "Sato",
        "Japan",
        "Tokyo",
        "Seward",
        "Dayton",
        "Confederate",
        "blockade",
        "Indonesia",
        "Dutch",
        "Netherlands",
        "Batavia",
        "Sukarno",
        "Hatta",
        "Gromyko",
        "Adenauer",
        "Bonn",
        "autobahn",
        "Allied",
        "recognition",
        "cotton",
        "neutrality",
        "Debré",
        "MACV",
        "Kosygin",
        "yen",
        "reversion",
    ];
    const PHRASES: &[&str] = &[
        "stop the bombing",
        "Secretary of State",
        "Prime Minister",
        "Department of State",
        "the President",
        "Security Council",
        "United Nations",
        "Soviet Union",
        "West Berlin",
        "East Germany",
        "Embassy in Japan",
        "Embassy in France",
        "Foreign Minister",
        "serious talks",
        "Viet-Nam",
        "South Vietnam",
        "North Vietnam",
        "peace talks",
        "United States",
        "Government of the Netherlands",
        "Republic of Indonesia",
        "Good Offices Committee",
        "Her Majesty",
        "Lord Lyons",
        "Mr. Adams",
        "Ryukyu Islands",
        "civil aviation",
        "access routes",
        "four powers",
        "Paris talks",
        "National Security Council",
        "Memorandum of Conversation",
        "Johnson Library",
        "National Archives",
        "RG 59",
        "Central Files",
        "Top Secret",
        "the DRV",
        "cessation of bombing",
        "participation of the GVN",
    ];
    const PAIRS: &[(&str, &str)] = &[
        ("bombing", "Hanoi"),
        ("Berlin", "Soviet"),
        ("Japan", "Okinawa"),
        ("Seward", "Adams"),
        ("Harriman", "Vance"),
        ("Thieu", "Bunker"),
        ("Indonesia", "Dutch"),
        ("Rusk", "Gromyko"),
        ("treaty", "ratification"),
        ("embassy", "telegram"),
        ("Laos", "Cambodia"),
        ("troops", "withdrawal"),
        ("Kennedy", "Khrushchev"),
        ("Sato", "Johnson"),
        ("election", "Nixon"),
    ];
    let mut out = Vec::new();
    let q = |c: String, fts: String, rg: &str| BenchQuery {
        chancery: c,
        dates: None,
        fts,
        rg: rg.to_string(),
    };
    let fts_word = |w: &str| format!("\"{}\"", w.replace('"', ""));
    for t in TERMS {
        out.push(q(t.to_string(), fts_word(t), t));
    }
    for p in PHRASES {
        out.push(q(format!("\"{p}\""), fts_word(p), p));
    }
    for (a, b) in PAIRS {
        out.push(q(
            format!("{a} AND {b}"),
            format!("{} AND {}", fts_word(a), fts_word(b)),
            a,
        ));
        out.push(q(
            format!("{a} OR {b}"),
            format!("{} OR {}", fts_word(a), fts_word(b)),
            a,
        ));
        out.push(q(
            format!("{a} -{b}"),
            format!("{} NOT {}", fts_word(a), fts_word(b)),
            a,
        ));
        out.push(q(
            format!("\"{a} {b}\"~10"),
            format!("NEAR({} {}, 10)", fts_word(a), fts_word(b)),
            a,
        ));
    }
    for (a, b) in PAIRS.iter().take(10) {
        out.push(q(
            format!("({a} OR {b}) telegram"),
            format!("({} OR {}) AND \"telegram\"", fts_word(a), fts_word(b)),
            a,
        ));
    }
    for p in [
        "negotiat", "bomb", "Sovie", "emba", "treat", "Okina", "Confed", "withdr", "infiltr",
        "recogn",
    ] {
        out.push(q(format!("{p}*"), format!("{}*", p.to_lowercase()), p));
    }
    for t in TERMS.iter().take(12) {
        out.push(q(
            format!("title:{t}"),
            format!("title : {}", fts_word(t)),
            t,
        ));
        out.push(q(
            format!("footnotes:{t}"),
            format!("notes : {}", fts_word(t)),
            t,
        ));
    }
    for t in ["Harriman", "Rusk", "Seward", "Sato", "Bunker", "Rostow"] {
        // person:/from: have no FTS5 column: FTS5 searches the words anywhere.
        out.push(q(format!("person:{t}"), fts_word(t), t));
        out.push(q(
            format!("from:{t}"),
            format!("title : {}", fts_word(t)),
            t,
        ));
    }
    for t in ["bombing", "Berlin", "Japan", "treaty", "embassy", "Soviet"] {
        out.push(q(format!("kind:document {t}"), fts_word(t), t));
        out.push(q(format!("type:telegram {t}"), fts_word(t), t));
        out.push(q(format!("classification:secret {t}"), fts_word(t), t));
    }
    const RANGES: &[(&str, &str)] = &[
        ("1968-10-01", "1968-10-31"),
        ("1968", "1968"),
        ("1861", "1862"),
        ("1962-01", "1962-06"),
        ("1949", "1950"),
        ("1964", "1969"),
    ];
    for (i, t) in TERMS.iter().take(24).enumerate() {
        let r = RANGES[i % RANGES.len()];
        out.push(BenchQuery {
            chancery: t.to_string(),
            dates: Some(r),
            fts: fts_word(t),
            rg: t.to_string(),
        });
    }
    for t in ["bombing", "Berlin", "Okinawa", "Seward"] {
        out.push(BenchQuery {
            chancery: format!("year:1968 {t}"),
            dates: Some(("1968", "1968")),
            fts: fts_word(t),
            rg: t.to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_is_big_and_parses() {
        let mix = query_mix();
        assert!(mix.len() >= 200, "{} queries", mix.len());
        for q in &mix {
            chancery_query::parse(&q.chancery).unwrap_or_else(|e| panic!("{}: {e}", q.chancery));
        }
    }
}
