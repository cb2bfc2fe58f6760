//! Cross-references written as text: "See Document 40", "See footnote 6,
//! Document 236", "Foreign Relations, 1964–1968, vol. VI, Document 299",
//! "ibid., Document 308", "Documents 31–53", "p. 23", "pp. 949–950".
//!
//! The scanner keeps state between calls so that "ibid." in a later
//! footnote of the same document resolves to the volume last cited.

use std::sync::OnceLock;

use chancery_model::date::month_abbreviation;
use chancery_model::volume_id::VolumeId;
use chancery_model::MONTH_NAMES;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::rx;
use crate::volume::{normalize_years, parse_number, subject_fragment, VolumeSpec};

/// What a text reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// A document ("Document 40").
    #[default]
    Document,
    /// A footnote ("footnote 3 to Document 40").
    Footnote,
    /// A page ("p. 120").
    Page,
    /// A whole volume ("printed in volume VI").
    Volume,
}

/// One cross-reference found in text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TextReference {
    /// The matched text, from the volume citation (if adjacent) to the target.
    pub raw: String,
    /// Byte offsets of `raw` in the scanned text.
    pub start: usize,
    /// Byte offset just past `raw`.
    pub end: usize,
    /// What the reference points at.
    pub kind: RefKind,
    /// Volume id when the reference names (or inherits) another volume;
    /// `None` means the volume the text belongs to.
    pub volume: Option<String>,
    /// The volume as printed ("vol. XIV") when it could not be resolved to an id.
    pub volume_raw: Option<String>,
    /// The target document's number.
    pub document: Option<u32>,
    /// Last document of a range ("Documents 31–53").
    pub document_end: Option<u32>,
    /// The target footnote's number.
    pub footnote: Option<u32>,
    /// The target page.
    pub page: Option<u32>,
    /// Last page of a page range.
    pub page_end: Option<u32>,
    /// The volume came from "ibid.".
    pub ibid: bool,
}

impl TextReference {
    /// Compact key in the style of TEI `ref/@target`: `#d40`,
    /// `frus1964-68v06#d299`, `#d236fn6`, `frus1947v06#pg_150`,
    /// `#d31-d53`, and a bare volume id for whole-volume references.
    pub fn key(&self) -> String {
        let vol = self
            .volume
            .clone()
            .or_else(|| self.volume_raw.clone())
            .unwrap_or_default();
        match self.kind {
            RefKind::Volume => vol,
            RefKind::Document => match (self.document, self.document_end) {
                (Some(d), Some(e)) => format!("{vol}#d{d}-d{e}"),
                (Some(d), None) => format!("{vol}#d{d}"),
                _ => vol,
            },
            RefKind::Footnote => format!(
                "{vol}#d{}fn{}",
                self.document.unwrap_or(0),
                self.footnote.unwrap_or(0)
            ),
            RefKind::Page => match (self.page, self.page_end) {
                (Some(p), Some(e)) => format!("{vol}#pg_{p}-{e}"),
                (Some(p), None) => format!("{vol}#pg_{p}"),
                _ => vol,
            },
        }
    }
}

impl TextReference {
    /// One target per item: a range of documents ("Documents 19–21") is each of its
    /// documents (up to 50), a range of pages its first page.
    pub fn keys(&self) -> Vec<String> {
        let vol = self
            .volume
            .clone()
            .or_else(|| self.volume_raw.clone())
            .unwrap_or_default();
        match (self.kind, self.document, self.document_end) {
            (RefKind::Document, Some(d), Some(e)) if e >= d && e - d < 50 => {
                (d..=e).map(|n| format!("{vol}#d{n}")).collect()
            }
            (RefKind::Page, Some(_), _) | (RefKind::Page, None, _) => match self.page {
                Some(p) => vec![format!("{vol}#pg_{p}")],
                None => vec![self.key()],
            },
            _ => vec![self.key()],
        }
    }
}

/// Context for resolving references: the id of the volume the text is in
/// lets a bare "vol. XIV" resolve within the same sub-series.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XrefContext {
    /// The id of the volume the text is in.
    pub volume_id: Option<String>,
}

/// What the last reference pointed at, for "ibid.".
#[derive(Debug, Clone, PartialEq, Eq)]
enum LastPub {
    /// A FRUS volume (`None` = the current volume).
    Frus(Option<String>),
    /// Some other publication (Bulletin, a memoir…): "ibid." then is not FRUS.
    Other,
}

/// Whether the text before a bare "Document N" names another documentary edition in the same
/// breath: a title or acronym and a year ("AAPBD 1979, Document 214").
fn other_series_before(before: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = rx(&R, r"(?:^|[\s(;])([A-Z][A-Za-z]{2,})\s+\d{4},\s*$");
    let tail_start = before.len().saturating_sub(40);
    let tail_start = (tail_start..=before.len())
        .find(|&i| before.is_char_boundary(i))
        .unwrap_or(before.len());
    r.captures(&before[tail_start..])
        .and_then(|c| c.get(1))
        .is_some_and(|w| !matches!(w.as_str(), "Relations" | "Ibid" | "See" | "In"))
}

/// Stateful scanner: feed it the notes of one document in order.
#[derive(Debug, Clone)]
pub struct XrefScanner {
    ctx: XrefContext,
    last: Option<LastPub>,
}

/// Find cross-references in one text without volume context.
pub fn find_text_references(text: &str) -> Vec<TextReference> {
    XrefScanner::new(XrefContext::default()).scan(text)
}

#[derive(Debug, Clone)]
enum AnchorKind {
    Frus(VolumeSpec),
    IbidVol(VolumeSpec),
    Ibid,
    /// "vol. XIV" without a year, resolved through the context.
    Bare {
        volume: u32,
        part: Option<u32>,
    },
}

#[derive(Debug, Clone)]
struct Anchor {
    start: usize,
    end: usize,
    kind: AnchorKind,
    used: bool,
}

#[derive(Debug, Clone)]
struct Target {
    start: usize,
    end: usize,
    kind: RefKind,
    /// Documents or pages with optional range end.
    items: Vec<(u32, Option<u32>)>,
    /// (document, footnote) pairs.
    footnotes: Vec<(u32, u32)>,
}

fn frus_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"\b(?:Foreign Relations(?: of the United States)?|FRUS)\b",
    )
}

fn ibid_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(&R, r"\b[Ii]bid\b\.?")
}

fn bare_vol_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"\b(?:vol\.|Vol\.|volume|Volume)\s+([IVXLC]+|[ivxlc]+)\b(?:,?\s+(?:Part|part)\s+(\d+|[IVX]+)\b)?",
    )
}

fn footnote_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"(?i)\bfootnotes?\s+(\d+)((?:\s*(?:,\s*and|,|and)\s*\d+)*)\s*,?\s*(?:to\s+|in\s+|of\s+)?(?:Document|Doc\.)\s+(\d+)",
    )
}

fn doc_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"\b(?:Documents?|Docs?\.|docs?\.|doc\.)\s+(\d+)((?:\s*(?:,\s*and|,|and|–|-|to|through)\s*\d+)*)(\s+and\s+footnotes?\s+(\d+)\s+thereto)?",
    )
}

fn page_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"\b(pp?)\.\s?(\d+)((?:\s*(?:,\s*and|,|and|–|-)\s*\d+)*)",
    )
}

fn list_items(first: &str, rest: &str) -> Vec<(u32, Option<u32>)> {
    // "156, 160, and 314" / "31–53" / "303 and 304".
    let mut items: Vec<(u32, Option<u32>)> = Vec::new();
    let Ok(f) = first.parse::<u32>() else {
        return items;
    };
    items.push((f, None));
    let mut s = rest;
    loop {
        let t = s.trim_start();
        let (is_range, after) = if let Some(a) = t.strip_prefix('–') {
            (true, a)
        } else if let Some(a) = t.strip_prefix('-') {
            (true, a)
        } else if let Some(a) = t.strip_prefix("through") {
            (true, a)
        } else if let Some(a) = t.strip_prefix("to") {
            (true, a)
        } else if let Some(a) = t.strip_prefix(", and") {
            (false, a)
        } else if let Some(a) = t.strip_prefix(',') {
            (false, a)
        } else if let Some(a) = t.strip_prefix("and") {
            (false, a)
        } else {
            break;
        };
        let a = after.trim_start();
        let num: String = a.chars().take_while(|c| c.is_ascii_digit()).collect();
        let Ok(n) = num.parse::<u32>() else {
            break;
        };
        if is_range {
            if let Some(last) = items.last_mut() {
                // A range end must exceed its start; otherwise it is damage
                // such as "949950" or an unrelated number.
                if n > last.0 {
                    last.1 = Some(n);
                }
            }
        } else {
            items.push((n, None));
        }
        s = &a[num.len()..];
    }
    items
}

/// Parse "1964–1968, vol. VI, Part 2" items after "Foreign Relations," or
/// "ibid.,"; returns the spec and where it ends. Years are required.
fn parse_volume_items(text: &str, mut pos: usize) -> Option<(VolumeSpec, usize)> {
    let mut spec = VolumeSpec::default();
    let mut have_years = false;
    let mut end = pos;
    let mut subject_before: Option<&'static str> = None;
    for _ in 0..6 {
        let rest = &text[pos..];
        let trimmed = rest.trim_start_matches([',', ' ', '\u{a0}']);
        if trimmed.len() + 3 < rest.len() {
            // More than ", " between items: not a continuation.
            break;
        }
        let skip = rest.len() - trimmed.len();
        let item_start = pos + skip;
        // Years.
        let yr: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_digit() || matches!(c, '–' | '-' | '—'))
            .collect();
        if !have_years && yr.len() >= 4 {
            let y = yr.trim_end_matches(['–', '-', '—']);
            if let Some(n) = normalize_years(y) {
                spec.years = n;
                have_years = true;
                pos = item_start + y.len();
                end = pos;
                continue;
            }
        }
        // Volume.
        let vol_prefix = ["vol.", "Vol.", "volume", "Volume", "vols.", "Vols."]
            .iter()
            .find(|p| trimmed.starts_with(**p));
        if let Some(p) = vol_prefix {
            let after = &trimmed[p.len()..];
            let a = after.trim_start();
            let num: String = a.chars().take_while(|c| c.is_alphanumeric()).collect();
            if let Some(n) = parse_number(&num) {
                spec.volume = Some(n);
                pos = item_start + p.len() + (after.len() - a.len()) + num.len();
                end = pos;
                continue;
            }
            break;
        }
        // Part.
        let part_prefix = ["Part", "part", "pt."]
            .iter()
            .find(|p| trimmed.starts_with(**p));
        if let Some(p) = part_prefix {
            let after = &trimmed[p.len()..];
            let a = after.trim_start();
            let num: String = a.chars().take_while(|c| c.is_alphanumeric()).collect();
            if let Some(n) = parse_number(&num) {
                spec.part = Some(n);
                pos = item_start + p.len() + (after.len() - a.len()) + num.len();
                end = pos;
                continue;
            }
            break;
        }
        // "1914, supp., p. 170": the supplement volumes, abbreviated.
        if have_years {
            if let Some(p) = ["supp.", "Supp.", "Supplement"]
                .iter()
                .find(|p| trimmed.starts_with(**p))
            {
                spec.subject = Some("Supp".to_string());
                pos = item_start + p.len();
                end = pos;
                continue;
            }
        }
        // Subject words ("Japan, 1931–1941", "1918, Russia, vol. I").
        let word: String = trimmed
            .chars()
            .take_while(|c| c.is_alphabetic() || *c == ' ')
            .collect();
        let word = word.trim_end();
        let first_upper = word.chars().next().is_some_and(|c| c.is_uppercase());
        let stop_words = ["Document", "Documents", "Doc", "Ibid", "The", "See", "For"];
        if first_upper && !stop_words.iter().any(|w| word.starts_with(w)) && word.len() < 30 {
            let frag = subject_fragment(word);
            if have_years && frag.is_none() {
                break;
            }
            if !have_years {
                subject_before = frag;
            } else {
                spec.subject = frag.map(str::to_string);
            }
            pos = item_start + word.len();
            if !have_years {
                end = pos;
            }
            continue;
        }
        break;
    }
    if spec.subject.is_none() {
        spec.subject = subject_before.map(str::to_string);
    }
    if have_years {
        Some((spec, end))
    } else {
        None
    }
}

/// Is the text between two positions only separators?
fn adjacent(gap: &str) -> bool {
    gap.chars()
        .all(|c| c.is_whitespace() || matches!(c, ',' | ':' | ';'))
        && gap.len() < 6
}

/// A month as FRUS prints it in a citation: "October", "Oct", "Sept" (case as printed).
fn is_month_word(w: &str) -> bool {
    w == "Sept" || MONTH_NAMES.contains(&w) || month_abbreviations().any(|a| a == w)
}

/// "Jan" … "Dec": the three letters every printed form of a month starts with.
fn month_abbreviations() -> impl Iterator<Item = &'static str> {
    (1..=12).filter_map(month_abbreviation)
}

/// Decide whether an unanchored "p. 8" is a page of the current FRUS
/// volume (the old "Ante, p. 284" / "telegram 598, February 25, p. 8"
/// style) or of another publication ("Department of State Bulletin,
/// March 26, 1962, pp. 494–497", "(New York: Random House, 1991), p. 491").
/// Walks back over comma-separated items: dates and times are skipped, a
/// cable number or "Ante"/"see" accepts, anything else rejects.
fn bare_page_is_frus(prefix: &str) -> Option<bool> {
    let window_start = prefix
        .rfind(['.', ';', '(', ')', '[', ']', '“', '”', ':'])
        .unwrap_or(0);
    // "see ibid., October 28, 1968, p. 434": an "ibid." page follows the
    // publication cited last; the caller decides.
    let before = prefix[..window_start].to_lowercase();
    let window = prefix[window_start..].trim_start_matches('.').trim();
    let window_is_dates = window.split(',').all(|i| {
        i.trim().is_empty()
            || i.trim().chars().all(|c| c.is_ascii_digit())
            || month_abbreviations().any(|a| i.trim().starts_with(a))
    });
    if before.trim_end().ends_with("ibid") && window_is_dates {
        return None;
    }
    Some(bare_page_is_frus_inner(prefix))
}

fn bare_page_is_frus_inner(prefix: &str) -> bool {
    let cut = prefix
        .rfind(['.', ';', '(', ')', '[', ']', '“', '”', ':'])
        .map(|i| {
            // Keep abbreviation periods such as "6 p. m." inside the window.
            let c = prefix[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            i + c
        })
        .unwrap_or(0);
    let window = &prefix[cut..];
    if prefix[..cut].ends_with(')') || prefix[..cut].ends_with(':') {
        return false;
    }
    let items: Vec<&str> = window.split(',').collect();
    for item in items.iter().rev() {
        let t = item.trim();
        if t.is_empty() {
            continue;
        }
        let lower = t.to_lowercase();
        if lower == "ante" || lower == "post" || lower == "supra" || lower.ends_with(" ante") {
            return true;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let date_like = words.iter().all(|w| {
            let w = w.trim_end_matches('.');
            w.chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '–' || c == '-')
                || is_month_word(w)
                || matches!(w, "a" | "p" | "m" | "a.m" | "p.m" | "noon" | "midnight")
        });
        if date_like {
            continue;
        }
        // "telegram 598" / "despatch 30" / "Urtel 107": a document
        // citation followed by the FRUS page where it is printed.
        if let (Some(last), Some(prev)) = (words.last(), words.len().checked_sub(2)) {
            let kw = words[prev].to_lowercase();
            if last.chars().all(|c| c.is_ascii_digit())
                && matches!(
                    kw.as_str(),
                    "telegram"
                        | "despatch"
                        | "instruction"
                        | "note"
                        | "memorandum"
                        | "letter"
                        | "airgram"
                        | "urtel"
                        | "deptel"
                        | "embtel"
                )
            {
                return true;
            }
        }
        if lower == "see" || lower == "also" {
            return true;
        }
        return false;
    }
    // Only dates before the page and nothing else in the clause: accept
    // at the start of the text or of a sentence, but not after an
    // abbreviation ("The Bunker Papers, Vol. 2, pp. 588-593").
    if cut == 0 {
        return true;
    }
    let head = prefix[..cut].trim_end();
    let Some(stem) = head.strip_suffix('.') else {
        return false;
    };
    let last_word: String = stem
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    last_word.chars().count() > 3 || last_word.chars().all(|c| c.is_ascii_digit())
}

impl XrefScanner {
    /// A scanner resolving references in the given context.
    pub fn new(ctx: XrefContext) -> Self {
        XrefScanner { ctx, last: None }
    }

    fn bare_volume_id(&self, volume: u32, part: Option<u32>) -> Option<String> {
        // A bare "vol. XIV" is a volume of the citing volume's own sub-series.
        let ctx = VolumeId::parse(self.ctx.volume_id.as_deref()?)?;
        Some(VolumeId::compose(
            ctx.years_as_written(),
            None,
            Some(volume),
            part,
        ))
    }

    fn anchors(&self, text: &str) -> Vec<Anchor> {
        let mut out = Vec::new();
        for m in frus_re().find_iter(text) {
            if let Some((spec, end)) = parse_volume_items(text, m.end()) {
                out.push(Anchor {
                    start: m.start(),
                    end,
                    kind: AnchorKind::Frus(spec),
                    used: false,
                });
            }
        }
        for m in ibid_re().find_iter(text) {
            let kind_end = match parse_volume_items(text, m.end()) {
                Some((spec, end)) if spec.volume.is_some() || !spec.years.is_empty() => {
                    (AnchorKind::IbidVol(spec), end)
                }
                _ => (AnchorKind::Ibid, m.end()),
            };
            out.push(Anchor {
                start: m.start(),
                end: kind_end.1,
                kind: kind_end.0,
                used: false,
            });
        }
        for c in bare_vol_re().captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            if out
                .iter()
                .any(|a| m.start() >= a.start && m.start() < a.end)
            {
                continue;
            }
            // Only "see vol. XIV" / "printed in volume VI": an archival
            // "…, Vol. XXI)" is a file volume, not FRUS.
            let before = text[..m.start()].trim_end();
            let prev: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic() || *c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let prev = prev.to_lowercase();
            if !matches!(prev.as_str(), "see" | "in" | "also" | "cf." | "and") {
                continue;
            }
            let Some(volume) = c.get(1).and_then(|v| parse_number(v.as_str())) else {
                continue;
            };
            let part = c.get(2).and_then(|p| parse_number(p.as_str()));
            out.push(Anchor {
                start: m.start(),
                end: m.end(),
                kind: AnchorKind::Bare { volume, part },
                used: false,
            });
        }
        out.sort_by_key(|a| a.start);
        out
    }

    fn targets(text: &str) -> Vec<Target> {
        let mut out: Vec<Target> = Vec::new();
        for c in footnote_re().captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            let doc = c.get(3).and_then(|d| d.as_str().parse::<u32>().ok());
            let first = c.get(1).map(|x| x.as_str()).unwrap_or("");
            let rest = c.get(2).map(|x| x.as_str()).unwrap_or("");
            let Some(doc) = doc else { continue };
            let notes = list_items(first, rest);
            out.push(Target {
                start: m.start(),
                end: m.end(),
                kind: RefKind::Footnote,
                items: Vec::new(),
                footnotes: notes.into_iter().map(|(n, _)| (doc, n)).collect(),
            });
        }
        for c in doc_re().captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            if out.iter().any(|t| m.start() < t.end && m.end() > t.start) {
                continue;
            }
            let first = c.get(1).map(|x| x.as_str()).unwrap_or("");
            let rest = c.get(2).map(|x| x.as_str()).unwrap_or("");
            let items = list_items(first, rest);
            let mut footnotes = Vec::new();
            if let (Some(fnum), Some(&(doc, _))) = (
                c.get(4).and_then(|f| f.as_str().parse::<u32>().ok()),
                items.last(),
            ) {
                footnotes.push((doc, fnum));
            }
            out.push(Target {
                start: m.start(),
                end: m.end(),
                kind: RefKind::Document,
                items,
                footnotes,
            });
        }
        for c in page_re().captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            let first = c.get(2).map(|x| x.as_str()).unwrap_or("");
            let rest = c.get(3).map(|x| x.as_str()).unwrap_or("");
            out.push(Target {
                start: m.start(),
                end: m.end(),
                kind: RefKind::Page,
                items: list_items(first, rest),
                footnotes: Vec::new(),
            });
        }
        out.sort_by_key(|t| t.start);
        out
    }

    /// Scan one text; state (for "ibid.") carries over to the next call.
    pub fn scan(&mut self, text: &str) -> Vec<TextReference> {
        let mut anchors = self.anchors(text);
        let targets = Self::targets(text);
        let mut refs = Vec::new();
        for t in &targets {
            // The anchor that ends right before this target, if any.
            let anchor_idx = anchors
                .iter()
                .rposition(|a| a.end <= t.start && adjacent(&text[a.end..t.start]));
            let mut ibid = false;
            let mut start = t.start;
            // Resolve the volume: Ok(None) = current volume, Err = not FRUS.
            let volume: Result<Option<String>, ()> = match anchor_idx {
                Some(i) => {
                    let a = &mut anchors[i];
                    a.used = true;
                    start = a.start;
                    match &a.kind {
                        AnchorKind::Frus(spec) => Ok(Some(spec.id())),
                        AnchorKind::IbidVol(spec) => {
                            ibid = true;
                            if self.last == Some(LastPub::Other) {
                                Err(())
                            } else {
                                Ok(Some(spec.id()))
                            }
                        }
                        AnchorKind::Ibid => {
                            ibid = true;
                            match &self.last {
                                Some(LastPub::Frus(v)) => Ok(v.clone()),
                                Some(LastPub::Other) => Err(()),
                                None => Ok(None),
                            }
                        }
                        AnchorKind::Bare { volume, part } => Ok(Some(
                            self.bare_volume_id(*volume, *part)
                                .unwrap_or_else(|| format!("vol. {volume}")),
                        )),
                    }
                }
                None => {
                    if t.kind == RefKind::Page {
                        match bare_page_is_frus(&text[..t.start]) {
                            Some(true) => Ok(None),
                            Some(false) => Err(()),
                            None => {
                                ibid = true;
                                match &self.last {
                                    Some(LastPub::Frus(v)) => Ok(v.clone()),
                                    _ => Err(()),
                                }
                            }
                        }
                    } else if other_series_before(&text[..t.start]) {
                        // "AAPBD 1979, Document 214": a document of another edition.
                        Err(())
                    } else {
                        Ok(None)
                    }
                }
            };
            let Ok(volume) = volume else {
                self.last = Some(LastPub::Other);
                continue;
            };
            let raw = text[start..t.end].to_string();
            let base = TextReference {
                raw,
                start,
                end: t.end,
                kind: t.kind,
                volume: volume.clone(),
                ibid,
                ..Default::default()
            };
            match t.kind {
                RefKind::Footnote => {
                    for &(doc, n) in &t.footnotes {
                        refs.push(TextReference {
                            document: Some(doc),
                            footnote: Some(n),
                            ..base.clone()
                        });
                    }
                }
                RefKind::Document => {
                    for &(d, e) in &t.items {
                        refs.push(TextReference {
                            document: Some(d),
                            document_end: e,
                            ..base.clone()
                        });
                    }
                    for &(doc, n) in &t.footnotes {
                        refs.push(TextReference {
                            kind: RefKind::Footnote,
                            document: Some(doc),
                            footnote: Some(n),
                            ..base.clone()
                        });
                    }
                }
                RefKind::Page => {
                    for &(p, e) in &t.items {
                        refs.push(TextReference {
                            page: Some(p),
                            page_end: e,
                            ..base.clone()
                        });
                    }
                }
                RefKind::Volume => {}
            }
            self.last = Some(LastPub::Frus(volume));
        }
        // Whole-volume references: FRUS citations no target attached to.
        for a in anchors.iter().filter(|a| !a.used) {
            let id = match &a.kind {
                AnchorKind::Frus(spec) if spec.volume.is_some() => spec.id(),
                AnchorKind::Bare { volume, part } => match self.bare_volume_id(*volume, *part) {
                    Some(id) => id,
                    None => format!("vol. {volume}"),
                },
                _ => continue,
            };
            refs.push(TextReference {
                raw: text[a.start..a.end].to_string(),
                start: a.start,
                end: a.end,
                kind: RefKind::Volume,
                volume: Some(id.clone()),
                ..Default::default()
            });
            self.last = Some(LastPub::Frus(Some(id)));
        }
        refs.sort_by_key(|r| r.start);
        refs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str, vol: Option<&str>) -> Vec<String> {
        let mut s = XrefScanner::new(XrefContext {
            volume_id: vol.map(str::to_string),
        });
        s.scan(text).iter().map(|r| r.key()).collect()
    }

    #[test]
    fn same_volume() {
        assert_eq!(keys("See Document 40.", None), vec!["#d40"]);
        assert_eq!(
            keys("See footnote 6, Document 236.", None),
            vec!["#d236fn6"]
        );
        assert_eq!(keys("Documents 31–53", None), vec!["#d31-d53"]);
    }

    #[test]
    fn other_volume() {
        assert_eq!(
            keys(
                "See Foreign Relations, 1964-1968, vol. VI, Document 299.",
                None
            ),
            vec!["frus1964-68v06#d299"]
        );
        assert_eq!(
            keys("Foreign Relations, 1949, vol. VII, Part 1, p. 23", None),
            vec!["frus1949v07p1#pg_23"]
        );
        assert_eq!(
            keys("see vol. XIV, Document 277.", Some("frus1961-63v15")),
            vec!["frus1961-63v14#d277"]
        );
    }

    #[test]
    fn ibid_chain() {
        let mut s = XrefScanner::new(XrefContext::default());
        let a = s.scan("See Foreign Relations, 1964-1968, vol. VI, Document 345.");
        let b = s.scan("See ibid., Document 333 and footnote 4 thereto.");
        assert_eq!(a[0].key(), "frus1964-68v06#d345");
        let kb: Vec<String> = b.iter().map(|r| r.key()).collect();
        assert_eq!(kb, vec!["frus1964-68v06#d333", "frus1964-68v06#d333fn4"]);
        assert!(b[0].ibid);
    }

    #[test]
    fn non_frus_pages() {
        assert!(keys(
            "For text, see Department of State Bulletin, March 26, 1962, pp. 494–497.",
            None
        )
        .is_empty());
        assert_eq!(keys("February 25, p. 8.", None), vec!["#pg_8"]);
        assert_eq!(keys("Ante, p. 284.", None), vec!["#pg_284"]);
        let _ = keys("Ante, pp. 949950.", None);
    }
}
