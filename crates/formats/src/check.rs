//! `chancery check`: an editor's validation report for a TEI volume.
//!
//! The reader ([`crate::tei::read_tei`]) builds the model and stops at the first fatal problem;
//! an editor wants *every* problem, with its line. So this is a separate, line-aware pass over
//! the raw XML events that remembers just enough per document to answer:
//!
//! * **dangling references** — `ref/@target`, `persName/@corresp`, `gloss/@target` naming an id
//!   the file does not have. References to a document numbered beyond the file's last document
//!   are listed in their own category ([`FindingKind::RefBeyondFile`]): excerpts and volumes
//!   published in parts legitimately point past their end.
//! * **footnote numbering gaps** — per document from the 1955–57 subseries on (where notes are
//!   numbered per document); per page for older volumes, whose notes are numbered by page.
//! * **missing source notes** — historical documents of volumes from 1961 on without
//!   `note[@type="source"]`.
//! * **missing or inconsistent dates** — no dateline date and no `frus:doc-dateTime-min`;
//!   `doc-dateTime-min` after `-max`; a dateline date outside the document's own min–max; a
//!   date outside the volume's content-date range.
//! * **suspected document-boundary errors** — a body paragraph that reads like the next
//!   document's heading ("46. Telegram From …"), or a document with two headings, two datelines
//!   or two source notes at its top level.
//! * **duplicate ids** — every repeat of an `xml:id`, with the line of the first.
//!
//! Documents are the divs the reader reads as documents ([`crate::tei::is_document_div`]), so the
//! report counts and names what `chancery ingest` stores. The checks of source notes, dates and
//! boundaries are for correspondence and editorial notes: sections and tables of contents (the
//! volume's matter) are documents for notes and references only.

use std::collections::{HashMap, HashSet};

use chancery_model::volume_id::VolumeId;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde::{Deserialize, Serialize};

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The file is not well-formed or the reader refused it.
    Unreadable,
    /// Two elements share an `xml:id`.
    DuplicateId,
    /// A reference whose target names no element in the file.
    DanglingRef,
    /// A reference to a document numbered past the file's last document (excerpts, parts).
    RefBeyondFile,
    /// Footnote marks of a document that skip or repeat a number.
    FootnoteGap,
    /// A historical document without a source note.
    MissingSourceNote,
    /// A historical document with no machine-readable date.
    MissingDate,
    /// Dates of one document that contradict each other.
    InconsistentDate,
    /// A date outside the volume's content dates.
    DateOutOfRange,
    /// What looks like two documents in one (a second heading, say).
    BoundarySuspect,
}

impl FindingKind {
    /// The kebab-case name the report prints.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Unreadable => "unreadable",
            FindingKind::DuplicateId => "duplicate-id",
            FindingKind::DanglingRef => "dangling-ref",
            FindingKind::RefBeyondFile => "ref-beyond-file",
            FindingKind::FootnoteGap => "footnote-gap",
            FindingKind::MissingSourceNote => "missing-source-note",
            FindingKind::MissingDate => "missing-date",
            FindingKind::InconsistentDate => "inconsistent-date",
            FindingKind::DateOutOfRange => "date-out-of-range",
            FindingKind::BoundarySuspect => "boundary-suspect",
        }
    }

    /// Whether the finding is a problem to fix, as opposed to a listing for the editor's
    /// information (references past the end of an excerpt).
    pub fn is_problem(self) -> bool {
        self != FindingKind::RefBeyondFile
    }
}

/// One finding, with its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What kind of problem it is.
    pub kind: FindingKind,
    /// 1-based line of the element concerned.
    pub line: u64,
    /// The document it is in, where known (`d45`).
    pub document: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

/// The report on one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// The file checked, as given.
    pub file: String,
    /// The volume id, if the file names one.
    pub volume: Option<String>,
    /// Documents in the file.
    pub documents: usize,
    /// The documents' ids in file order (the JSON report counts them in `documents`).
    #[serde(skip)]
    pub document_ids: Vec<String>,
    /// What was found, in the file's order.
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// Findings that are problems (not informational listings).
    pub fn problems(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.kind.is_problem())
    }

    /// `file:line: kind [doc]: message`, one per line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let doc = f
                .document
                .as_deref()
                .map(|d| format!(" [{d}]"))
                .unwrap_or_default();
            out.push_str(&format!(
                "{}:{}: {}{}: {}\n",
                self.file,
                f.line,
                f.kind.as_str(),
                doc,
                f.message
            ));
        }
        out
    }
}

/// A footnote or page break in reading order, for the numbering check.
#[derive(Debug, Clone)]
enum Mark {
    Note {
        n: String,
        line: u64,
        doc: Option<usize>,
    },
    Page,
}

#[derive(Debug, Default)]
struct DocInfo {
    id: String,
    line: u64,
    /// A section or table of contents: the volume's own matter (preface, lists, index), whose
    /// notes and references are its own but which is no correspondence to check.
    matter: bool,
    subtype: Option<String>,
    min: Option<String>,
    max: Option<String>,
    heads: Vec<u64>,
    head_text: String,
    datelines: Vec<u64>,
    /// (value, line) of `date` attributes inside top-level datelines.
    dates: Vec<(String, u64)>,
    source_notes: Vec<u64>,
    /// A top-level "[Source: …]" paragraph or untyped note stands in for the source note.
    bracketed_source: bool,
    /// Dateline `date` elements without any machine value ("undated").
    undated: Vec<u64>,
    /// Lines of top-level paragraphs that read like a document heading.
    heading_like: Vec<(u64, String)>,
}

#[derive(Debug, Default)]
struct Elem {
    name: String,
    /// Index of the document this element opened, if it is a document div.
    opens_doc: Option<usize>,
}

/// Containers inside which a dateline, head or paragraph is not the document's own.
const NESTED: &[&str] = &[
    "frus:attachment",
    "note",
    "quote",
    "closer",
    "postscript",
    "table",
    "list",
    "item",
    "cell",
];

/// Check one TEI file.
pub fn check_tei(bytes: &[u8], file: &str) -> CheckReport {
    let mut report = CheckReport {
        file: file.to_string(),
        ..CheckReport::default()
    };
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |pos: usize| newlines.partition_point(|&nl| nl < pos) as u64 + 1;

    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Elem> = Vec::new();
    let mut docs: Vec<DocInfo> = Vec::new();
    let mut cur_doc: Option<usize> = None;
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut refs: Vec<(String, String, u64, Option<usize>)> = Vec::new();
    let mut marks: Vec<Mark> = Vec::new();
    let mut page_ns: HashSet<String> = HashSet::new();
    let mut content: Option<(String, String, u64)> = None;
    let mut volume: Option<String> = None;
    // Text capture for top-level paragraphs and the first head of the current document.
    let mut capture: Option<(usize, String, u64, bool)> = None;
    let mut buf = Vec::new();

    loop {
        let pos = reader.buffer_position() as usize;
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                report.findings.push(Finding {
                    kind: FindingKind::Unreadable,
                    line: line_of(at),
                    document: cur_doc.and_then(|i| docs.get(i)).map(|d| d.id.clone()),
                    message: format!("not well-formed XML: {e}"),
                });
                break;
            }
        };
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let line = line_of(pos);
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let attrs = attributes(e);
                let attr = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
                if let Some(id) = attr("xml:id") {
                    if let Some(first) = ids.get(&id) {
                        report.findings.push(Finding {
                            kind: FindingKind::DuplicateId,
                            line,
                            document: cur_doc.and_then(|i| docs.get(i)).map(|d| d.id.clone()),
                            message: format!("duplicate xml:id \"{id}\" (first at line {first})"),
                        });
                    } else {
                        ids.insert(id, line);
                    }
                }
                let target_attr = match name.as_str() {
                    "ref" | "gloss" => attr("target"),
                    "persName" => attr("corresp"),
                    _ => None,
                };
                if let Some(t) = target_attr {
                    refs.push((name.clone(), t, line, cur_doc));
                }
                let nested = stack.iter().any(|s| NESTED.contains(&s.name.as_str()));
                let in_doc_top = cur_doc.is_some() && !nested;
                let mut opens_doc = None;
                match name.as_str() {
                    "idno" if attr("type").as_deref() == Some("frus") => {
                        // The volume id, read on the text event below.
                        capture = Some((usize::MAX, String::new(), line, false));
                    }
                    "date" if attr("type").as_deref() == Some("content-date") => {
                        let lo = attr("notBefore").or_else(|| attr("from"));
                        let hi = attr("notAfter").or_else(|| attr("to"));
                        if let (Some(lo), Some(hi)) = (lo, hi) {
                            content = Some((lo, hi, line));
                        }
                    }
                    "div"
                        if crate::tei::is_document_div(
                            attr("type").as_deref(),
                            attr("subtype").as_deref(),
                            cur_doc.is_some(),
                        ) =>
                    {
                        docs.push(DocInfo {
                            id: attr("xml:id").unwrap_or_default(),
                            line,
                            matter: matches!(attr("type").as_deref(), Some("section" | "toc")),
                            subtype: attr("subtype"),
                            min: attr("frus:doc-dateTime-min"),
                            max: attr("frus:doc-dateTime-max"),
                            ..DocInfo::default()
                        });
                        let i = docs.len() - 1;
                        if !empty {
                            opens_doc = Some(i);
                            cur_doc = Some(i);
                        }
                    }
                    "pb" => {
                        if let Some(n) = attr("n") {
                            page_ns.insert(n);
                        }
                        marks.push(Mark::Page);
                    }
                    "note" => {
                        if let Some(i) = cur_doc {
                            if let Some(d) = docs.get_mut(i) {
                                if attr("type").as_deref() == Some("source") && !nested {
                                    d.source_notes.push(line);
                                } else if attr("type").is_none()
                                    && !nested
                                    && !empty
                                    && capture.is_none()
                                {
                                    // "[Source: …]" in an untyped note: the bracketed source of
                                    // a document printed only as a summary.
                                    capture = Some((i, String::new(), line, false));
                                }
                            }
                        }
                        if let Some(n) = attr("n") {
                            marks.push(Mark::Note {
                                n,
                                line,
                                doc: cur_doc,
                            });
                        }
                    }
                    "head" if in_doc_top => {
                        if let Some(i) = cur_doc {
                            if let Some(d) = docs.get_mut(i) {
                                d.heads.push(line);
                                if d.heads.len() == 1 && !empty {
                                    capture = Some((i, String::new(), line, true));
                                }
                            }
                        }
                    }
                    "dateline" if in_doc_top => {
                        if let Some(d) = cur_doc.and_then(|i| docs.get_mut(i)) {
                            d.datelines.push(line);
                        }
                    }
                    "date" if !nested && stack.iter().any(|s| s.name == "dateline") => {
                        if let Some(d) = cur_doc.and_then(|i| docs.get_mut(i)) {
                            let before = d.dates.len();
                            for k in ["when", "notBefore", "from", "notAfter", "to"] {
                                if let Some(v) = attr(k) {
                                    d.dates.push((v, line));
                                }
                            }
                            if d.dates.len() == before {
                                d.undated.push(line);
                            }
                        }
                    }
                    "p" if in_doc_top && !empty => {
                        if let Some(i) = cur_doc {
                            capture = Some((i, String::new(), line, false));
                        }
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(Elem { name, opens_doc });
                }
            }
            Event::Text(ref t) => {
                if let Some((_, text, _, _)) = capture.as_mut() {
                    match t.unescape() {
                        Ok(u) => text.push_str(&u),
                        Err(_) => text.push_str(&String::from_utf8_lossy(t.as_ref())),
                    }
                }
            }
            Event::End(ref e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if let Some(elem) = stack.pop() {
                    if elem.opens_doc.is_some() {
                        // Documents do not nest, but restore an enclosing one if they ever do.
                        cur_doc = stack.iter().rev().find_map(|s| s.opens_doc);
                    }
                }
                let ends_capture = matches!(name.as_str(), "p" | "head" | "idno" | "note");
                if ends_capture {
                    if let Some((i, text, line, is_head)) = capture.take() {
                        let text = chancery_model::collapse_ws(&text);
                        if i == usize::MAX {
                            if volume.is_none() && !text.is_empty() {
                                volume = Some(text);
                            }
                        } else if let Some(d) = docs.get_mut(i) {
                            if is_head {
                                d.head_text = text;
                            } else if text.starts_with("[Source:") {
                                d.bracketed_source = true;
                            } else if looks_like_heading(&text) {
                                d.heading_like.push((line, text));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }

    // The reader's own verdict (it stops at the first problem; the pass above found the rest).
    if let Err(e) = crate::tei::read_tei(bytes, file) {
        let already = report
            .findings
            .iter()
            .any(|f| matches!(f.kind, FindingKind::Unreadable | FindingKind::DuplicateId));
        if !already {
            report.findings.push(Finding {
                kind: FindingKind::Unreadable,
                line: e.line.unwrap_or(1),
                document: e.document.clone(),
                message: format!("the TEI reader refused the file: {}", e.message),
            });
        }
    }

    report.documents = docs.len();
    report.document_ids = docs.iter().map(|d| d.id.clone()).collect();
    report.volume = volume.clone();
    let year = volume
        .as_deref()
        .and_then(VolumeId::parse)
        .map(|v| v.first_year);
    check_refs(&mut report, &refs, &ids, &page_ns, &docs);
    check_numbering(&mut report, &marks, &docs, year);
    check_documents(&mut report, &docs, year, content.as_ref());
    report.findings.sort_by_key(|f| (f.line, f.kind));
    report
}

fn attributes(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a
                .unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (key, value)
        })
        .collect()
}

/// Document-type words that open a FRUS heading after its number.
const HEADING_TYPES: &[&str] = &[
    "Telegram",
    "Memorandum",
    "Letter",
    "Airgram",
    "Message",
    "Despatch",
    "Dispatch",
    "Instruction",
    "Note",
    "Circular",
    "Paper",
    "Minutes",
    "Report",
];

/// "46. Telegram From the Embassy …", "12. Memorandum for the Record", "7. Editorial Note":
/// a number, a period, up to three words, a document type, then From/to/for/of/by/Between (or
/// "Editorial Note" alone). Paragraph numbering ("3. The Ambassador said …") does not match.
fn looks_like_heading(text: &str) -> bool {
    let t = text.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return false;
    }
    let Some(rest) = t[digits..].strip_prefix(". ") else {
        return false;
    };
    if rest.starts_with("Editorial Note") {
        return rest.trim_end().len() <= "Editorial Note".len() + 1;
    }
    let words: Vec<&str> = rest.split_whitespace().take(6).collect();
    for (i, w) in words.iter().enumerate().take(4) {
        if HEADING_TYPES.contains(w) {
            return words.get(i + 1).is_some_and(|next| {
                matches!(
                    *next,
                    "From" | "from" | "to" | "for" | "of" | "by" | "Between"
                )
            });
        }
        // Words before the type must be capitalised ("Information Memorandum").
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
    }
    false
}

fn doc_number(id: &str) -> Option<u64> {
    let rest = id.strip_prefix('d')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

fn check_refs(
    report: &mut CheckReport,
    refs: &[(String, String, u64, Option<usize>)],
    ids: &HashMap<String, u64>,
    page_ns: &HashSet<String>,
    docs: &[DocInfo],
) {
    let last_doc = docs.iter().filter_map(|d| doc_number(&d.id)).max();
    let last_page = page_ns.iter().filter_map(|n| n.parse::<u64>().ok()).max();
    for (element, target, line, doc) in refs {
        let document = doc.and_then(|i| docs.get(i)).map(|d| d.id.clone());
        for t in target.split_whitespace() {
            // Only local targets: other volumes and the web are not this file's business.
            let Some(id) = t.strip_prefix('#') else {
                continue;
            };
            if id.is_empty() || ids.contains_key(id) {
                continue;
            }
            // A page target resolves to a break without an id by its number, as the store does.
            if let Some(n) = id.strip_prefix("pg_") {
                if page_ns.contains(n) {
                    continue;
                }
            }
            let target_doc = id.strip_prefix('d').and(doc_number(id));
            let doc_part: String = match id.find("fn") {
                Some(i) if target_doc.is_some() => id[..i].to_string(),
                _ => id.to_string(),
            };
            let beyond = match (target_doc, last_doc) {
                (Some(n), Some(last)) => n > last && !ids.contains_key(&doc_part),
                _ => false,
            };
            // Pages past the last printed page, or front-matter (roman) pages the file does not
            // hold: what an excerpt or a part leaves out.
            let page_beyond = id
                .strip_prefix("pg_")
                .is_some_and(|n| match n.parse::<u64>() {
                    Ok(n) => last_page.is_some_and(|last| n > last),
                    Err(_) => n
                        .chars()
                        .all(|c| "ivxlcdm".contains(c.to_ascii_lowercase())),
                });
            let (kind, message) = if beyond {
                (
                    FindingKind::RefBeyondFile,
                    format!(
                        "{element} target \"{t}\" is past the file's last document (d{})",
                        last_doc.unwrap_or(0)
                    ),
                )
            } else if page_beyond {
                (
                    FindingKind::RefBeyondFile,
                    format!("{element} target \"{t}\" is a page this file does not hold"),
                )
            } else {
                (
                    FindingKind::DanglingRef,
                    format!("{element} target \"{t}\" names no element in the file"),
                )
            };
            report.findings.push(Finding {
                kind,
                line: *line,
                document: document.clone(),
                message,
            });
        }
    }
}

/// Footnote numbers must run 1, 2, 3… (a source note may be 0 or 1; a number may repeat when a
/// note is cited twice). From 1955 on numbering is per document; before, per page.
fn check_numbering(report: &mut CheckReport, marks: &[Mark], docs: &[DocInfo], year: Option<u32>) {
    let per_document = year.is_none_or(|y| y >= 1955);
    let mut prev: Option<(u64, Option<usize>)> = None;
    for m in marks {
        match m {
            Mark::Page => {
                if !per_document {
                    prev = None;
                }
            }
            Mark::Note { n, line, doc } => {
                let Ok(v) = n.trim().parse::<u64>() else {
                    continue;
                };
                if per_document {
                    // Only notes inside documents are numbered per document.
                    if doc.is_none() {
                        continue;
                    }
                    if prev.is_some_and(|(_, d)| d != *doc) {
                        prev = None;
                    }
                }
                let document = doc.and_then(|i| docs.get(i)).map(|d| d.id.clone());
                let gap = match prev {
                    None => (per_document && v > 1).then_some(0),
                    Some((p, _)) if v > p + 1 => Some(p),
                    _ => None,
                };
                if let Some(p) = gap {
                    let scope = if per_document { "document" } else { "page" };
                    report.findings.push(Finding {
                        kind: FindingKind::FootnoteGap,
                        line: *line,
                        document,
                        message: if prev.is_none() {
                            format!("footnote {v} is the first numbered note of its {scope}")
                        } else {
                            format!("footnote {v} follows footnote {p} in the same {scope}")
                        },
                    });
                }
                prev = Some((v.max(prev.map_or(0, |(p, _)| p)), *doc));
            }
        }
    }
}

fn day(s: &str) -> &str {
    s.get(..10).unwrap_or(s)
}

/// Whether date `v` (a year, month or day) lies outside `lo`..`hi`, compared at `v`'s own
/// precision: "1861" is inside 1861-01-01 – 1861-12-31. A `v` with a time of day is compared as
/// the instant it names, so "12 midnight" written as 00:00 UTC on the 19th is inside a document
/// dated 19:00 on the 18th in Washington's time (the same instant).
fn outside(v: &str, lo: &str, hi: &str) -> bool {
    let zoned = |s: &str| {
        s.ends_with('Z')
            || s.get(s.len().saturating_sub(6)..)
                .is_some_and(|t| t.starts_with(['+', '-']) && t.contains(':'))
    };
    // A time without a zone is the place's own clock: only its day can be compared.
    if v.len() > 10 && zoned(v) && zoned(lo) && zoned(hi) {
        use chancery_model::date::parse_iso;
        if let (Ok(at), Ok(lo), Ok(hi)) = (parse_iso(v), parse_iso(lo), parse_iso(hi)) {
            return at.end() < lo.start || at.start > hi.end();
        }
    }
    let v = day(v);
    let cut = |b: &str| b.get(..v.len()).unwrap_or(b).to_string();
    v < cut(lo).as_str() || v > cut(hi).as_str()
}

fn check_documents(
    report: &mut CheckReport,
    docs: &[DocInfo],
    year: Option<u32>,
    content: Option<&(String, String, u64)>,
) {
    for d in docs.iter().filter(|d| !d.matter) {
        let editorial = d.subtype.as_deref() == Some("editorial-note")
            || d.head_text.contains("Editorial Note");
        let historical = !editorial
            && d.subtype
                .as_deref()
                .is_none_or(|s| s == "historical-document");
        let doc = Some(d.id.clone());
        let mut push = |kind, line, message: String| {
            report.findings.push(Finding {
                kind,
                line,
                document: doc.clone(),
                message,
            });
        };
        if historical
            && year.is_some_and(|y| y >= 1961)
            && d.source_notes.is_empty()
            && !d.bracketed_source
        {
            push(
                FindingKind::MissingSourceNote,
                d.line,
                "historical document without a source note".into(),
            );
        }
        if historical && d.dates.is_empty() && d.min.is_none() {
            match d.undated.first() {
                Some(line) => push(
                    FindingKind::MissingDate,
                    *line,
                    "the dateline date has no machine value (when/notBefore/notAfter) and the \
                     document no frus:doc-dateTime-min"
                        .into(),
                ),
                None => push(
                    FindingKind::MissingDate,
                    d.line,
                    "no dateline date and no frus:doc-dateTime-min".into(),
                ),
            }
        }
        if let (Some(min), Some(max)) = (&d.min, &d.max) {
            if day(min) > day(max) {
                push(
                    FindingKind::InconsistentDate,
                    d.line,
                    format!("frus:doc-dateTime-min {min} is after -max {max}"),
                );
            }
            for (v, line) in &d.dates {
                if outside(v, min, max) {
                    push(
                        FindingKind::InconsistentDate,
                        *line,
                        format!("dateline date {v} lies outside the document's {min} – {max}"),
                    );
                }
            }
        }
        if let Some((lo, hi, _)) = content {
            let own = d
                .dates
                .iter()
                .map(|(v, l)| (v.as_str(), *l))
                .chain(d.min.iter().map(|m| (m.as_str(), d.line)))
                .chain(d.max.iter().map(|m| (m.as_str(), d.line)));
            if let Some((v, line)) = own.into_iter().find(|(v, _)| outside(v, lo, hi)) {
                push(
                    FindingKind::DateOutOfRange,
                    line,
                    format!(
                        "date {v} lies outside the volume's content dates {} – {}",
                        day(lo),
                        day(hi)
                    ),
                );
            }
        }
        if d.heads.len() > 1 {
            push(
                FindingKind::BoundarySuspect,
                d.heads[1],
                format!("a second heading (first at line {})", d.heads[0]),
            );
        }
        if d.datelines.len() > 1 {
            push(
                FindingKind::BoundarySuspect,
                d.datelines[1],
                format!("a second dateline (first at line {})", d.datelines[0]),
            );
        }
        if d.source_notes.len() > 1 {
            push(
                FindingKind::BoundarySuspect,
                d.source_notes[1],
                format!("a second source note (first at line {})", d.source_notes[0]),
            );
        }
        for (line, text) in &d.heading_like {
            let shown: String = text.chars().take(80).collect();
            push(
                FindingKind::BoundarySuspect,
                *line,
                format!("a paragraph reads like a document heading: \"{shown}\""),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_patterns() {
        assert!(looks_like_heading(
            "46. Telegram From the Embassy in France to the Department of State"
        ));
        assert!(looks_like_heading(
            "12. Information Memorandum From the President's Special Assistant (Rostow)"
        ));
        assert!(looks_like_heading("7. Editorial Note"));
        assert!(!looks_like_heading(
            "3. The Ambassador said the telegram from Paris"
        ));
        assert!(!looks_like_heading("1. Telegram traffic was heavy."));
        assert!(!looks_like_heading("Telegram From the Embassy"));
    }

    #[test]
    fn dates_with_times_compare_as_instants() {
        // frus1919Parisv01 d264: "November 19, 1918—12 midnight", encoded in UTC, in a document
        // dated 19:00 on the 18th in Washington's time.
        let doc = "1918-11-18T19:00:00-05:00";
        assert!(!outside("1918-11-19T00:00:00+00:00", doc, doc));
        assert!(outside("1918-11-20T00:00:00+00:00", doc, doc));
        assert!(!outside("1918-11", "1918-11-18", "1918-11-18"));
        assert!(outside("1918-11-19", "1918-11-18", "1918-11-18"));
        // Wall-clock time against an instant: by the day.
        assert!(!outside(
            "1918-11-15T15:00:00",
            "1918-11-15T15:00:00-05:00",
            "1918-11-15T15:00:00-05:00"
        ));
    }
}
