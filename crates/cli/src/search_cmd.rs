//! `chancery search` and `chancery reindex`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};
use chancery_index::{Freshness, SearchIndex};
use chancery_query::{search, DateMode, SearchError, SearchRequest, SearchResponse, Sort};
use chancery_store::Archive;

/// Arguments of `chancery search`.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", AND/OR/NOT, fields (title:, person:, date:[A TO B]…); see
    /// docs/search.md. May be empty with --like or filters.
    #[arg(default_value = "")]
    pub query: String,
    /// Only in this volume (repeatable).
    #[arg(long)]
    pub volume: Vec<String>,
    /// Dated on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Dated on or before (a day means the whole day).
    #[arg(long)]
    pub to: Option<String>,
    /// Date semantics: the document's dates overlap the interval, or lie within it.
    #[arg(long, value_enum, default_value_t = ModeArg::Overlap)]
    pub date_mode: ModeArg,
    /// relevance, date (oldest first) or -date (newest first); undated documents sort last.
    #[arg(long, default_value = "relevance", allow_hyphen_values = true)]
    pub sort: String,
    /// Print facet counts (volume, sub-series, year, decade, kind, type, classification, …).
    #[arg(long)]
    pub facets: bool,
    /// Values shown per facet.
    #[arg(long, default_value_t = 10)]
    pub facet_limit: usize,
    /// Results per page.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Results to skip before the page.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Only these kinds (historical-document, editorial-note, front-matter, back-matter).
    #[arg(long)]
    pub kind: Vec<String>,
    /// Include front and back matter (prefaces, lists of names, indexes).
    #[arg(long)]
    pub matter: bool,
    /// Documents like this one (VOLUME/DOC).
    #[arg(long)]
    pub like: Option<String>,
    /// Facet filter FACET=VALUE, e.g. `--filter type=telegram --filter year=1968` (repeatable;
    /// values of one facet are alternatives). Each facet is then counted without its own filter.
    #[arg(long, value_name = "FACET=VALUE")]
    pub filter: Vec<String>,
    /// Print the whole response as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--date-mode` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ModeArg {
    /// The document's dates overlap the interval.
    Overlap,
    /// The document's dates lie within the interval.
    Within,
}

/// What `chancery search` ended with.
pub enum Outcome {
    /// The search ran and printed its results (perhaps none).
    Found,
    /// The query or a parameter was wrong (message already printed).
    BadQuery,
}

/// Open the archive's index, rebuilding it first if the store moved on without it.
pub fn open_current(archive_dir: &Path) -> Result<(Archive, SearchIndex)> {
    let archive = Archive::open_existing(archive_dir)
        .with_context(|| format!("cannot open the archive {}", archive_dir.display()))?;
    let index = SearchIndex::open(archive_dir).context("cannot open the search index")?;
    match index.ensure_current(&archive)? {
        Freshness::Current => {}
        Freshness::Rebuilt { documents, seconds } => eprintln!(
            "note: the search index was behind the archive and has been rebuilt ({documents} documents in {seconds:.1}s)"
        ),
        Freshness::Stale => eprintln!(
            "warning: the search index is behind the archive and is being written by another process; results may be out of date"
        ),
    }
    Ok((archive, index))
}

/// The command-line flag that sets a request field.
fn flag(field: chancery_query::RequestField) -> &'static str {
    use chancery_query::RequestField as F;
    match field {
        F::Query => "the query",
        F::Limit => "--limit",
        F::Offset => "--offset",
        F::Kinds => "--kind",
        F::Filters => "--filter",
        F::DateFrom => "--from",
        F::DateTo => "--to",
        F::Like => "--like",
    }
}

/// The request `chancery search` sends.
pub fn request(args: &SearchArgs) -> Result<SearchRequest> {
    let sort = match args.sort.as_str() {
        "relevance" => Sort::Relevance,
        "date" | "+date" => Sort::Date,
        "-date" => Sort::DateDesc,
        other => anyhow::bail!("--sort {other:?}: expected relevance, date or -date"),
    };
    let mut filters: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for f in &args.filter {
        let Some((name, value)) = f.split_once('=') else {
            anyhow::bail!("--filter {f:?}: expected FACET=VALUE, e.g. type=telegram");
        };
        filters
            .entry(name.trim().to_string())
            .or_default()
            .push(value.trim().to_string());
    }
    Ok(SearchRequest {
        query: args.query.clone(),
        volumes: args.volume.clone(),
        date_from: args.from.clone(),
        date_to: args.to.clone(),
        date_mode: match args.date_mode {
            ModeArg::Overlap => DateMode::Overlap,
            ModeArg::Within => DateMode::Within,
        },
        kinds: args.kind.clone(),
        include_matter: args.matter,
        filters,
        sort,
        facets: args.facets,
        facet_limit: args.facet_limit,
        limit: args.limit,
        offset: args.offset,
        snippets: 3,
        like: args.like.clone(),
    })
}

/// Run `chancery search`.
pub fn run(archive_dir: &Path, args: &SearchArgs) -> Result<Outcome> {
    let req = request(args)?;
    let (archive, index) = open_current(archive_dir)?;
    // A volume the archive does not hold is a mistake, not a search with no results.
    for v in &req.volumes {
        if !archive.has_volume(v)? {
            eprintln!(
                "error: --volume {v}: no such volume in the archive {} (`chancery volumes` lists them)",
                archive_dir.display()
            );
            return Ok(Outcome::BadQuery);
        }
    }
    let resp = match search(&index, &req) {
        Ok(r) => r,
        Err(SearchError::Parse(e)) => {
            eprintln!("error: {e}");
            eprintln!("  {}", args.query);
            let pad: String = args
                .query
                .chars()
                .take(e.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            eprintln!("  {pad}^");
            return Ok(Outcome::BadQuery);
        }
        Err(SearchError::Request { field, message }) => {
            eprintln!("error: {}: {message}", flag(field));
            return Ok(Outcome::BadQuery);
        }
        Err(e) => return Err(e.into()),
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&resp)?)?;
    } else {
        print_text(&mut out, &resp, std::io::stdout().is_terminal())?;
    }
    Ok(Outcome::Found)
}

fn print_text(out: &mut impl Write, resp: &SearchResponse, color: bool) -> Result<()> {
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[[", "]]")
    };
    let order = match resp.sort {
        Sort::Relevance => "by relevance",
        Sort::Date => "by date, oldest first",
        Sort::DateDesc => "by date, newest first",
    };
    write!(
        out,
        "{} result{} ({order}), {:.1} ms",
        resp.total,
        if resp.total == 1 { "" } else { "s" },
        resp.took_ms
    )?;
    if let Some(n) = resp.undated_excluded.filter(|n| *n > 0) {
        write!(
            out,
            "; {n} undated document{} left out by the date filter",
            if n == 1 { "" } else { "s" }
        )?;
    }
    writeln!(out)?;
    for (i, hit) in resp.hits.iter().enumerate() {
        writeln!(
            out,
            "{:>3}. {}  {}",
            resp.offset + i + 1,
            hit.path,
            hit.date_text.as_deref().unwrap_or("(undated)")
        )?;
        writeln!(out, "     {}", hit.heading)?;
        for s in &hit.snippets {
            writeln!(out, "     {}: {}", s.location, s.render(open, close))?;
        }
    }
    if let Some(facets) = &resp.facets {
        writeln!(out, "facets:")?;
        for (name, values) in facets {
            if values.is_empty() {
                continue;
            }
            let list: Vec<String> = values
                .iter()
                .map(|v| format!("{} ({})", v.value, v.count))
                .collect();
            writeln!(out, "  {name}: {}", list.join(", "))?;
        }
        if let Some(u) = resp.undated {
            writeln!(out, "  undated: {u}")?;
        }
    }
    Ok(())
}

/// Run `chancery reindex`.
pub fn reindex(archive_dir: &Path, json: bool) -> Result<()> {
    let archive = Archive::open_existing(archive_dir)
        .with_context(|| format!("cannot open the archive {}", archive_dir.display()))?;
    let index = SearchIndex::open(archive_dir).context("cannot open the search index")?;
    let report = index.rebuild(&archive)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        eprintln!(
            "reindexed {} in {:.2}s (store generation {}); index {:.1} MB",
            crate::english::count(
                usize::try_from(report.documents).unwrap_or(usize::MAX),
                "document"
            ),
            report.seconds,
            report.generation,
            index.size_on_disk() as f64 / 1e6
        );
    }
    Ok(())
}
