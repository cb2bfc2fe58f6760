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

/// Score the current parsers on the gold in `gold`.
pub fn evaluate(gold: &Path) -> Result<EvalReport> {
    let entries = load(gold)?;
    let root = gold
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut sources = Sources {
        root,
        parsed: BTreeMap::new(),
    };
    let mut predicted = Vec::with_capacity(entries.len());
    for e in &entries {
        let doc = sources.document(e)?;
        predicted.push(predict(&doc));
    }
    Ok(score(entries.iter().zip(predicted.iter())))
}

/// What the product says of `doc`, in the gold's terms.
pub fn predict(doc: &Document) -> Labels {
    use chancery_model::{walk_blocks, walk_inlines, DatePrecision, Inline, ReferenceKind};
    let a = chancery_apparatus::analyze_document(doc);
    let s = &a.source;
    let party = |p: &Option<chancery_apparatus::heading::Party>| {
        (
            p.as_ref().map(|p| p.text.clone()),
            p.as_ref().and_then(|p| p.office.clone()),
            p.as_ref().and_then(|p| p.person.clone()),
        )
    };
    let (from, from_office, from_person) = party(&a.heading.from);
    let (to, to_office, to_person) = party(&a.heading.to);
    let mut markers = Vec::new();
    if a.heading.circular || a.doc_type.as_deref() == Some("circular") {
        markers.push("circular".to_string());
    }
    markers.extend(s.editorial_marks.iter().map(|m| m.to_lowercase()));
    let (date, time) = match doc.date.as_ref().and_then(|d| d.interval.as_ref()) {
        Some(i) => {
            let len = match i.precision {
                DatePrecision::Year => 4,
                DatePrecision::Month => 7,
                _ => 10,
            };
            let min = i.min.get(..len).unwrap_or(&i.min).to_string();
            let max = i.max.get(..len).unwrap_or(&i.max).to_string();
            let date = if min == max {
                min
            } else {
                format!("{min}/{max}")
            };
            let time =
                matches!(i.precision, DatePrecision::Minute | DatePrecision::Second).then(|| {
                    let hm = i.min.get(11..16).unwrap_or("").to_string();
                    if i.min.ends_with('Z') {
                        format!("{hm}Z")
                    } else {
                        hm
                    }
                });
            (Some(date), time)
        }
        None => (None, None),
    };
    let mut text_references: Vec<String> = a.text_references.iter().map(|r| r.item.key()).collect();
    let mut encoded = |inline: &Inline| {
        if let Inline::Ref { target, .. } = inline {
            if matches!(
                target.kind,
                ReferenceKind::Document
                    | ReferenceKind::Footnote
                    | ReferenceKind::Page
                    | ReferenceKind::Volume
            ) {
                text_references.push(target.raw.clone());
            }
        }
    };
    walk_blocks(&doc.body, &mut encoded);
    walk_inlines(&doc.heading, &mut encoded);
    for f in &doc.footnotes {
        walk_blocks(&f.blocks, &mut encoded);
    }
    Labels {
        doc_type: a.heading.doc_subtype.clone().or_else(|| a.doc_type.clone()),
        doc_family: a.doc_type.clone(),
        markers,
        serial_number: None,
        telegram_numbers: a.telegram_numbers.iter().map(|t| t.key()).collect(),
        from,
        from_office,
        from_person,
        to,
        to_office,
        to_person,
        place: doc.place.clone(),
        date,
        time,
        received: s.received.clone(),
        repository: s.repository.clone(),
        record_group: s.record_group.clone(),
        lot: s.lot.clone(),
        archive_path: (!s.archive_path.is_empty()).then(|| s.archive_path.join(", ")),
        decimal_files: s.decimal_files.clone(),
        classification: a.classification.map(|c| c.label().to_string()),
        precedence: s.precedence.map(|p| p.label().to_string()),
        caveats: s.caveats.clone(),
        code_words: s.code_words.clone(),
        repeated_to: s.repeated_to.iter().map(|r| r.name.clone()).collect(),
        drafted_by: s.drafted_by.clone(),
        cleared_by: s.cleared_by.clone(),
        approved_by: s.approved_by.clone(),
        reading_marks: s.reading_marks.iter().map(|m| m.key()).collect(),
        cable_references: a.cable_references.iter().map(|c| c.item.key()).collect(),
        text_references,
    }
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
