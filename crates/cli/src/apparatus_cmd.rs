//! The apparatus commands: `check`, `eval`, `cite`, `person`, `thread`, and the `apparatus`
//! object `show --format json` adds to a document.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chancery_formats::check::{check_tei, CheckReport};
use chancery_formats::cite::Citation;
use chancery_model::{Document, Volume};
use chancery_store::Archive;
use serde_json::Value;

/// Arguments of `chancery check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// TEI volumes (.xml), or directories searched for them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print the reports as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `chancery eval`.
#[derive(Debug, Clone, clap::Args)]
pub struct EvalArgs {
    /// The gold directory (with labels/*.json, see gold/GUIDE.md); default: ./gold, else the
    /// source tree's.
    #[arg(long)]
    pub gold: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The citation styles `chancery cite` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CiteStyle {
    /// The Office of the Historian's form ("Citing the Foreign Relations series").
    Historian,
    /// The Chicago Manual's note for correspondence in a published collection.
    Chicago,
    /// A BibTeX entry.
    Bibtex,
    /// An RIS record.
    Ris,
    /// A CSL-JSON item.
    CslJson,
}

/// Arguments of `chancery cite`.
#[derive(Debug, Clone, clap::Args)]
pub struct CiteArgs {
    /// VOLUME/DOC (e.g. frus1964-68v07/d45); with --lookup, a printed citation instead.
    pub target: String,
    /// Resolve a printed citation ("FRUS, 1964–1968, vol. VII, doc. 45") to the document.
    #[arg(long)]
    pub lookup: bool,
    /// The citation style.
    #[arg(long, value_enum, default_value_t = CiteStyle::Historian)]
    pub style: CiteStyle,
}

/// Arguments of `chancery person`.
#[derive(Debug, Clone, clap::Args)]
pub struct PersonArgs {
    /// An authority id (`harriman-w-averell`), or words of a name to search for.
    pub query: String,
    /// Print the person as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `chancery thread`.
#[derive(Debug, Clone, clap::Args)]
pub struct ThreadArgs {
    /// VOLUME/DOC
    pub path: String,
    /// Print the thread as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `frus1964-68v07/d45` → (`frus1964-68v07`, `d45`).
pub fn split_doc_path(path: &str) -> Result<(&str, &str)> {
    match path.trim_matches('/').split_once('/') {
        Some((v, d)) if !v.is_empty() && !d.is_empty() && !d.contains('/') => Ok((v, d)),
        _ => bail!("expected VOLUME/DOCUMENT (e.g. frus1964-68v07/d45), got {path:?}"),
    }
}

fn open(dir: &Path) -> Result<Archive> {
    Archive::open_existing(dir)
        .with_context(|| format!("cannot open the archive {}", dir.display()))
}

/// `show --format json`: the document as `render_json` gives it, plus the `apparatus` object.
pub fn show_json(archive: &Archive, doc: &Document, volume: Option<&Volume>) -> Result<Value> {
    let mut value = chancery_formats::render::render_json(doc, volume);
    let apparatus = archive.apparatus(&doc.volume_id, &doc.id)?;
    let witnesses = witnesses_json(archive, doc)?;
    if let Value::Object(map) = &mut value {
        map.insert("apparatus".into(), serde_json::to_value(apparatus)?);
        map.insert("witnesses".into(), witnesses);
    }
    Ok(value)
}

/// The document's other witnesses, each with where its words differ from the document's.
fn witnesses_json(archive: &Archive, doc: &Document) -> Result<Value> {
    let mut out = Vec::new();
    for w in archive.witnesses(&doc.volume_id, &doc.id)? {
        let collation = chancery_formats::collate::collate_witness(doc, &w.text);
        out.push(serde_json::json!({
            "format": w.format,
            "source_path": w.source_path,
            "source_sha256": w.source_sha256,
            "identical": collation.identical(),
            "collation": collation,
        }));
    }
    Ok(Value::Array(out))
}

/// TEI files under `paths` (directories recursively), sorted.
fn tei_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Check TEI files; the reports, one per file.
pub fn check(paths: &[PathBuf]) -> Result<Vec<CheckReport>> {
    let mut reports = Vec::new();
    let files = tei_files(paths)?;
    if files.is_empty() {
        bail!(
            "nothing to check: {} holds no .xml files",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for path in files {
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        reports.push(check_tei(&bytes, &path.display().to_string()));
    }
    Ok(reports)
}

/// `chancery check`: exit 1 when any file has a problem (informational listings do not count).
pub fn run_check(args: &CheckArgs) -> Result<bool> {
    let reports = check(&args.paths)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    } else {
        for r in &reports {
            print!("{}", r.render());
            let problems = r.problems().count();
            eprintln!(
                "{}: {}, {}, {}",
                r.file,
                crate::english::count(r.documents, "document"),
                crate::english::count(problems, "problem"),
                crate::english::count(r.findings.len() - problems, "note")
            );
        }
    }
    Ok(reports.iter().all(|r| r.problems().next().is_none()))
}

/// `chancery eval`: the per-field and per-era tables and the misses; false when a field is
/// under the threshold.
pub fn run_eval(args: &EvalArgs) -> Result<bool> {
    crate::gold::run(args.gold.as_deref(), args.json)
}

fn render_citation(c: &Citation, style: CiteStyle) -> Result<String> {
    Ok(match style {
        CiteStyle::Historian => c.historian(),
        CiteStyle::Chicago => c.chicago(),
        CiteStyle::Bibtex => c.bibtex(),
        CiteStyle::Ris => c.ris(),
        CiteStyle::CslJson => serde_json::to_string_pretty(&c.csl_json())?,
    })
}

/// The citation of `volume/doc` in `style`.
pub fn cite(archive: &Archive, volume: &str, doc: &str, style: CiteStyle) -> Result<String> {
    let Some(d) = archive.document(volume, doc)? else {
        bail!("no document {volume}/{doc} in the archive");
    };
    let v = archive.volume(volume)?.unwrap_or_else(|| Volume {
        id: volume.to_string(),
        ..Volume::default()
    });
    render_citation(&citation(archive, &v, &d)?, style)
}

/// The citation of a stored document in every form: the volume's record, the parties and kind
/// from the stored apparatus, the canonical URL.
pub fn citation(archive: &Archive, v: &Volume, d: &Document) -> Result<Citation> {
    let parties = archive.apparatus(&v.id, &d.id)?.unwrap_or_default();
    Ok(Citation::of_stored(v, d, parties.correspondents()))
}

/// `chancery cite`.
pub fn run_cite(archive_dir: &Path, args: &CiteArgs) -> Result<()> {
    let archive = open(archive_dir)?;
    if args.lookup {
        let Some(m) = archive.lookup_citation(&args.target)? else {
            bail!("not a FRUS citation: {:?}", args.target);
        };
        let Some(doc) = &m.document else {
            bail!(
                "{} (read as {}) is not in the archive",
                args.target,
                m.citation
            );
        };
        let fnote = m
            .footnote_id
            .as_deref()
            .map(|f| format!(" (footnote {f})"))
            .unwrap_or_default();
        println!(
            "{}/{}{}\t{}",
            doc.volume_id,
            doc.document_id,
            fnote,
            doc.heading.as_deref().unwrap_or("")
        );
        println!(
            "{}",
            cite(&archive, &doc.volume_id, &doc.document_id, args.style)?
        );
        return Ok(());
    }
    let (v, d) = split_doc_path(&args.target)?;
    println!("{}", cite(&archive, v, d, args.style)?);
    Ok(())
}

/// `chancery person`.
pub fn run_person(archive_dir: &Path, args: &PersonArgs) -> Result<()> {
    let archive = open(archive_dir)?;
    if let Some(p) = archive.person(&args.query)? {
        if args.json {
            println!("{}", serde_json::to_string_pretty(&p)?);
            return Ok(());
        }
        println!("{}\t{}", p.id, p.name);
        for m in &p.members {
            println!(
                "  {}#{}\t{}\t{}",
                m.volume_id, m.person_id, m.name, m.description
            );
        }
        for d in &p.documents {
            println!(
                "  {}\t{}/{}\t{}",
                d.date_min
                    .as_deref()
                    .map(|s| s.get(..10).unwrap_or(s))
                    .unwrap_or("-"),
                d.volume_id,
                d.document_id,
                d.heading.as_deref().unwrap_or("")
            );
        }
        return Ok(());
    }
    let found = archive.find_persons(&args.query)?;
    if found.is_empty() {
        bail!("no person matches {:?}", args.query);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&found)?);
    } else {
        for (id, name) in found {
            println!("{id}\t{name}");
        }
    }
    Ok(())
}

/// `chancery thread`.
pub fn run_thread(archive_dir: &Path, args: &ThreadArgs) -> Result<()> {
    let archive = open(archive_dir)?;
    let (v, d) = split_doc_path(&args.path)?;
    let Some(a) = archive.apparatus(v, d)? else {
        bail!("no document {v}/{d} in the archive");
    };
    if args.json {
        let value = serde_json::json!({
            "telegrams": a.telegrams,
            "cable_refs": a.cable_refs,
            "thread": a.thread,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    for t in &a.telegrams {
        println!(
            "telegram {} from {} to {}",
            t.raw,
            t.origin.as_deref().or(t.sender.as_deref()).unwrap_or("?"),
            t.destination.as_deref().unwrap_or("?")
        );
    }
    for c in &a.cable_refs {
        match &c.resolved {
            Some(r) => println!("cites {}  →  {}/{}", c.raw, r.volume_id, r.document_id),
            None => println!("cites {}  (external)", c.raw),
        }
    }
    for r in &a.thread.answered_by {
        println!(
            "cited by {}/{}\t{}",
            r.volume_id,
            r.document_id,
            r.heading.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
