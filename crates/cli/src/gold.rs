//! `chancery eval`: read every document the gold set names with the product's own readers, run
//! the apparatus on it exactly as ingest does, and score the result ([`chancery_apparatus::eval`]).
//!
//! The gold lives in `gold/labels/*.json` at the repository root (see `gold/GUIDE.md`); each
//! entry names its source file relative to that root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chancery_apparatus::eval::{score, EvalReport, GoldEntry, Labels};
use chancery_formats::tei::read_tei;
use chancery_formats::text::{read_text, TextOptions};
use chancery_model::{Document, ParsedVolume};

/// The gold directory of the source tree this binary was built from.
pub const SOURCE_GOLD_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../gold");

/// The threshold the fidelity issue sets for every field.
pub const EVAL_THRESHOLD: f64 = 0.97;

/// Where the gold is: the given directory, else `./gold`, else the source tree's.
pub fn gold_dir(given: Option<&Path>) -> PathBuf {
    if let Some(g) = given {
        return g.to_path_buf();
    }
    let local = PathBuf::from("gold");
    if local.join("labels").is_dir() {
        return local;
    }
    PathBuf::from(SOURCE_GOLD_DIR)
}

/// Every entry of every `labels/*.json` file, in file order.
pub fn load(gold: &Path) -> Result<Vec<GoldEntry>> {
    let dir = gold.join("labels");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read the gold labels in {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text =
            std::fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
        let entries: Vec<GoldEntry> = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a list of gold entries", f.display()))?;
        out.extend(entries);
    }
    if out.is_empty() {
        bail!("no gold entries in {}", dir.display());
    }
    Ok(out)
}

/// Reads each source file once and finds the documents the gold names in it.
struct Sources {
    root: PathBuf,
    parsed: BTreeMap<(String, String), ParsedVolume>,
}

impl Sources {
    fn document(&mut self, e: &GoldEntry) -> Result<Document> {
        let key = (e.source.clone(), e.volume.clone());
        if !self.parsed.contains_key(&key) {
            let path = self.root.join(&e.source);
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let parsed = if e.source.ends_with(".txt") {
                let opts = TextOptions {
                    volume_id: Some(e.volume.clone()),
                };
                read_text(&bytes, &e.source, &opts)?
            } else {
                read_tei(&bytes, &e.source)?
            };
            self.parsed.insert(key.clone(), parsed);
        }
        let parsed = &self.parsed[&key];
        let doc = match parsed.documents.as_slice() {
            [only] if e.source.ends_with(".txt") => Some(only),
            docs => docs.iter().find(|d| d.id == e.document),
        };
        match doc {
            Some(d) => Ok(d.clone()),
            None => bail!("{}: no document {}", e.source, e.document),
        }
    }
}

/// Every gold entry with the document it labels, read from its source file.
pub fn labelled_documents(gold: &Path) -> Result<Vec<(GoldEntry, Document)>> {
    let entries = load(gold)?;
    let root = gold
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut sources = Sources {
        root,
        parsed: BTreeMap::new(),
    };
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let doc = sources.document(&e)?;
        out.push((e, doc));
    }
    Ok(out)
}

/// Score the current parsers on the gold in `gold`.
pub fn evaluate(gold: &Path) -> Result<EvalReport> {
    let docs = labelled_documents(gold)?;
    let predicted: Vec<Labels> = docs.iter().map(|(_, d)| predict(d)).collect();
    Ok(score(docs.iter().map(|(e, _)| e).zip(predicted.iter())))
}

/// What the product says of `doc`, in the gold's terms.
pub fn predict(doc: &Document) -> Labels {
    chancery_apparatus::analyze_document(doc).labels()
}

/// `chancery eval`: the per-field and per-era tables and the misses; false when a field is
/// under the threshold.
pub fn run(gold: Option<&Path>, json: bool) -> Result<bool> {
    let dir = gold_dir(gold);
    let report = evaluate(&dir)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    Ok(report.worst() >= EVAL_THRESHOLD)
}
