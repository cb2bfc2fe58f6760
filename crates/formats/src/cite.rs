//! Citation writers for one document of one volume: the form the Office of the Historian
//! recommends ("Citing the Foreign Relations series": the volume, its editors, the imprint, the
//! document number, the URL), the Chicago Manual's note for correspondence in a published
//! collection (sender to recipient, kind, place, date, *in* the volume, doc. N, URL), BibTeX,
//! RIS and CSL-JSON.
//!
//! The Office of the Historian asks for document numbers as the locator: they are stable across
//! print, web and ebook. Volumes published before the 1955–1957 subseries were not numbered by
//! document in print, so their citations give the page range instead (when the document carries
//! page breaks; otherwise the document number is the best locator there is).
//!
//! Text documents filed under a stub volume (no TEI yet, so no titles, editors or imprint) still
//! cite sensibly: the title is built from the FRUS volume id (`frus1952-54v02p1` → "1952–1954,
//! Volume II, Part 1") and the missing imprint is simply left out.

use chancery_model::roman::{from_roman, to_roman};
use chancery_model::volume_id::VolumeId;
use chancery_model::{Block, Document, Inline, Volume};
use serde_json::{json, Value};

/// Everything a citation needs, derived once from a volume and a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// `frus1964-68v07-d45`: a key usable by BibTeX, RIS and CSL.
    pub key: String,
    /// The document title without its printed number: "Telegram From the Embassy in France…".
    pub document_title: String,
    /// The volume's complete title (or one built from its id).
    pub volume_title: String,
    /// "Foreign Relations of the United States".
    pub series: String,
    /// "VII" (the roman number alone), when known.
    pub volume_number: Option<String>,
    /// Primary editors as printed ("Kent Sieg").
    pub editors: Vec<String>,
    /// "Government Printing Office" (the "United States" prefix dropped, as the OH style does).
    pub publisher: Option<String>,
    /// Place of publication ("Washington").
    pub place: Option<String>,
    /// Year of publication.
    pub year: Option<String>,
    /// The printed document number ("45").
    pub number: Option<String>,
    /// First and last printed page, for the page locator of pre-1955 volumes.
    pub pages: Option<(String, String)>,
    /// Whether the locator is the page range (older volumes) rather than the document number.
    pub page_locator: bool,
    /// The volume's ISBN, when known.
    pub isbn: Option<String>,
    /// The document's date as an ISO day ("1968-10-02"), when known.
    pub date: Option<String>,
    /// A web address for the document, when the caller has one.
    pub url: Option<String>,
    /// General editors of the series (left out of the Office of the Historian's form, named in
    /// Chicago's).
    pub general_editors: Vec<String>,
    /// "1969–1976".
    pub sub_series: Option<String>,
    /// The volume's own title: "Chile, 1969–1973".
    pub volume_subject: Option<String>,
    /// "21" (Chicago numbers volumes in arabic), and the part ("1") where there is one.
    pub volume_arabic: Option<u32>,
    /// The volume's part, where there is one.
    pub part: Option<u32>,
    /// Who wrote to whom, and what kind of document it is (the caller knows from the
    /// apparatus).
    pub correspondence: Option<Correspondence>,
    /// Where the document was written ("Washington").
    pub written_at: Option<String>,
    /// The document's date as printed in prose ("December 18, 1970").
    pub date_prose: Option<String>,
}

pub use chancery_model::Correspondence;

const SERIES: &str = "Foreign Relations of the United States";

impl Citation {
    /// Build the citation of `doc`, which lies in `volume`.
    pub fn new(volume: &Volume, doc: &Document) -> Citation {
        let t = &volume.titles;
        let id = VolumeId::parse(&volume.id);
        let series = non_empty(t.series.as_deref()).unwrap_or(SERIES).to_string();
        let volume_title = match non_empty(t.complete.as_deref()) {
            Some(c) => c.to_string(),
            None => {
                let parts: Vec<&str> = [
                    t.sub_series.as_deref(),
                    t.volume_number.as_deref(),
                    t.volume.as_deref(),
                ]
                .into_iter()
                .filter_map(non_empty)
                .collect();
                if parts.is_empty() {
                    title_from_id(&volume.id)
                } else {
                    format!("{series}, {}", parts.join(", "))
                }
            }
        };
        let volume_number = non_empty(t.volume_number.as_deref())
            .map(|v| v.trim_start_matches("Volume").trim().to_string())
            .filter(|v| !v.is_empty())
            .or_else(|| id.as_ref().and_then(|i| i.volume).and_then(to_roman));
        let mut editors: Vec<String> = volume
            .editors
            .iter()
            .filter(|e| e.role.as_deref() == Some("primary"))
            .map(|e| e.name.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        if editors.is_empty() {
            // Volumes that do not mark roles: every named editor except the general editor.
            editors = volume
                .editors
                .iter()
                .filter(|e| e.role.as_deref() != Some("general"))
                .map(|e| e.name.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
        }
        let publisher = non_empty(volume.publisher.as_deref()).map(|p| {
            p.strip_prefix("United States ")
                .unwrap_or(p)
                .trim()
                .to_string()
        });
        let year = non_empty(volume.publication_year.as_deref()).map(str::to_string);
        let isbn = volume
            .idnos
            .iter()
            .find(|i| i.kind == "isbn-13" && !i.value.trim().is_empty())
            .or_else(|| {
                volume
                    .idnos
                    .iter()
                    .find(|i| i.kind == "isbn-10" && !i.value.trim().is_empty())
            })
            .map(|i| i.value.trim().to_string());
        let pages = page_range(doc);
        let page_locator = id.as_ref().is_some_and(|i| i.first_year < 1955) && pages.is_some();
        let general_editors = volume
            .editors
            .iter()
            .filter(|e| e.role.as_deref() == Some("general"))
            .map(|e| e.name.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        let sub_series = non_empty(t.sub_series.as_deref())
            .map(str::to_string)
            .or_else(|| id.as_ref().map(|i| i.years_label()));
        let volume_arabic = non_empty(t.volume_number.as_deref())
            .and_then(|v| {
                let v = v.trim_start_matches("Volume").trim();
                v.parse().ok().or_else(|| from_roman(v))
            })
            .or_else(|| id.as_ref().and_then(|i| i.volume));
        Citation {
            key: format!("{}-{}", sanitize_key(&volume.id), sanitize_key(&doc.id)),
            document_title: strip_number(&doc.heading_text, doc.number.as_deref()),
            volume_title,
            series,
            volume_number,
            editors,
            publisher,
            place: non_empty(volume.pub_place.as_deref()).map(str::to_string),
            year,
            number: non_empty(doc.number.as_deref()).map(str::to_string),
            pages,
            page_locator,
            isbn,
            date: doc
                .date
                .as_ref()
                .and_then(|d| d.interval.as_ref())
                .and_then(|i| i.min.get(..10))
                .map(str::to_string),
            url: None,
            general_editors,
            sub_series,
            volume_subject: non_empty(t.volume.as_deref()).map(str::to_string),
            volume_arabic,
            part: id.as_ref().and_then(|i| i.part),
            correspondence: None,
            written_at: non_empty(doc.place.as_deref()).map(str::to_string),
            date_prose: doc
                .date
                .as_ref()
                .and_then(|d| d.interval.as_ref())
                .and_then(|i| prose_date(&i.min, i.precision)),
        }
    }

    /// The same citation with the parties and kind of the document (for the Chicago note).
    pub fn with_correspondence(mut self, c: Correspondence) -> Citation {
        self.correspondence = Some(c);
        self
    }

    /// The citation of a document as the archive serves it: parties and kind as its stored
    /// apparatus names them, and its address on history.state.gov.
    pub fn of_stored(volume: &Volume, doc: &Document, parties: Correspondence) -> Citation {
        Citation::new(volume, doc)
            .with_correspondence(parties)
            .with_url(chancery_model::document_url(&volume.id, &doc.id))
    }

    /// The same citation with the document's web address (every form carries it).
    pub fn with_url(mut self, url: impl Into<String>) -> Citation {
        self.url = Some(url.into());
        self
    }

    /// "Document 45", "pp. 120–121", "p. 7", or the document title when nothing else locates it.
    pub fn locator(&self) -> String {
        if self.page_locator {
            if let Some((first, last)) = &self.pages {
                return if first == last {
                    format!("p. {first}")
                } else {
                    format!("pp. {first}–{last}")
                };
            }
        }
        match &self.number {
            Some(n) => format!("Document {n}"),
            None => self.document_title.clone(),
        }
    }

    /// The form the Office of the Historian recommends: "Foreign Relations of the United
    /// States, 1964–1968, Volume VII, Vietnam, September 1968–January 1969, ed. Kent Sieg
    /// (Washington: Government Printing Office, 2003), Document 45." and the document's URL.
    pub fn historian(&self) -> String {
        let mut out = self.volume_part();
        out.push_str(", ");
        out.push_str(&self.locator());
        out.push('.');
        if let Some(u) = &self.url {
            out.push(' ');
            out.push_str(u);
        }
        out
    }

    /// The Chicago Manual's note for correspondence in a published collection: "Embassy in
    /// France to Department of State, telegram, Paris, October 2, 1968, in Foreign Relations of
    /// the United States, 1964–1968, ed. Edward C. Keefer, vol. 7, Vietnam, September
    /// 1968–January 1969, ed. Kent Sieg (Washington: Government Printing Office, 2003), doc. 45,
    /// https://…."
    pub fn chicago(&self) -> String {
        let mut head: Vec<String> = Vec::new();
        if let Some(c) = &self.correspondence {
            match (&c.sender, &c.recipient) {
                (Some(s), Some(r)) => head.push(format!("{s} to {r}")),
                (Some(s), None) => head.push(s.clone()),
                (None, Some(r)) => head.push(format!("to {r}")),
                (None, None) => {}
            }
            if let Some(k) = &c.kind {
                head.push(k.clone());
            }
        }
        if head.is_empty() {
            head.push(format!("“{}”", self.document_title.trim_end_matches('.')));
        }
        if let Some(p) = &self.written_at {
            head.push(p.clone());
        }
        if let Some(d) = &self.date_prose {
            head.push(d.clone());
        }
        let mut volume: Vec<String> = vec![self.series.clone()];
        if let Some(s) = &self.sub_series {
            volume.push(s.clone());
        }
        if !self.general_editors.is_empty() {
            volume.push(format!("ed. {}", join_names(&self.general_editors)));
        }
        if let Some(v) = self.volume_arabic {
            let mut vol = format!("vol. {v}");
            if let Some(p) = self.part {
                vol.push_str(&format!(", pt. {p}"));
            }
            volume.push(vol);
        }
        if let Some(t) = &self.volume_subject {
            volume.push(t.clone());
        }
        let volume = if self.sub_series.is_none() && self.volume_arabic.is_none() {
            self.volume_title.trim_end_matches('.').to_string()
        } else {
            volume.join(", ")
        };
        let mut out = format!("{}, in {volume}", head.join(", "));
        if !self.editors.is_empty() {
            out.push_str(&format!(", ed. {}", join_names(&self.editors)));
        }
        if let Some(imprint) = self.imprint() {
            out.push_str(&format!(" ({imprint})"));
        }
        let locator = match (&self.number, self.page_locator, &self.pages) {
            (_, true, Some((a, b))) if a == b => format!("p. {a}"),
            (_, true, Some((a, b))) => format!("pp. {a}–{b}"),
            (Some(n), _, _) => format!("doc. {n}"),
            (None, _, _) => String::new(),
        };
        if !locator.is_empty() {
            out.push_str(", ");
            out.push_str(&locator);
        }
        if let Some(u) = &self.url {
            out.push_str(", ");
            out.push_str(u);
        }
        out.push('.');
        out
    }

    /// "Washington: Government Printing Office, 2003".
    fn imprint(&self) -> Option<String> {
        let mut head = String::new();
        if let Some(p) = &self.place {
            head.push_str(p);
        }
        if let Some(p) = &self.publisher {
            if !head.is_empty() {
                head.push_str(": ");
            }
            head.push_str(p);
        }
        let mut v = Vec::new();
        if !head.is_empty() {
            v.push(head);
        }
        if let Some(y) = &self.year {
            v.push(y.clone());
        }
        (!v.is_empty()).then(|| v.join(", "))
    }

    /// The volume with its editors and imprint, as the Office of the Historian writes it.
    fn volume_part(&self) -> String {
        let mut out = self.volume_title.trim_end_matches('.').to_string();
        if !self.editors.is_empty() {
            let ed = if self.editors.len() == 1 {
                "ed."
            } else {
                "eds."
            };
            out.push_str(&format!(", {ed} {}", join_names(&self.editors)));
        }
        if let Some(imprint) = self.imprint() {
            out.push_str(&format!(" ({imprint})"));
        }
        out
    }

    /// A BibTeX `@incollection` entry (the document is a part of the edited volume).
    pub fn bibtex(&self) -> String {
        let mut fields: Vec<(&str, String)> = vec![
            ("title", self.document_title.clone()),
            ("booktitle", self.volume_title.clone()),
            ("series", self.series.clone()),
        ];
        if let Some(v) = &self.volume_number {
            fields.push(("volume", v.clone()));
        }
        if !self.editors.is_empty() {
            fields.push(("editor", self.editors.join(" and ")));
        }
        if let Some(p) = &self.publisher {
            fields.push(("publisher", p.clone()));
        }
        if let Some(p) = &self.place {
            fields.push(("address", p.clone()));
        }
        if let Some(y) = &self.year {
            fields.push(("year", y.clone()));
        }
        if self.page_locator {
            if let Some((a, b)) = &self.pages {
                fields.push((
                    "pages",
                    if a == b {
                        a.clone()
                    } else {
                        format!("{a}--{b}")
                    },
                ));
            }
        }
        if let Some(n) = &self.number {
            fields.push(("chapter", format!("Document {n}")));
        }
        if let Some(i) = &self.isbn {
            fields.push(("isbn", i.clone()));
        }
        if let Some(d) = &self.date {
            // The document's own date (biblatex `origdate`); `year` is the volume's.
            fields.push(("origdate", d.clone()));
        }
        if let Some(u) = &self.url {
            fields.push(("url", u.clone()));
        }
        let mut out = format!("@incollection{{{},\n", self.key);
        for (k, v) in fields {
            // URLs are verbatim in BibTeX (url package); everything else is escaped.
            let v = if k == "url" { v } else { bibtex_escape(&v) };
            out.push_str(&format!("  {k} = {{{v}}},\n"));
        }
        out.push_str("}\n");
        out
    }

    /// An RIS record (`TY  - CHAP`).
    pub fn ris(&self) -> String {
        let mut lines: Vec<(&str, String)> = vec![
            ("TY", "CHAP".to_string()),
            ("ID", self.key.clone()),
            ("TI", self.document_title.clone()),
            ("T2", self.volume_title.clone()),
            ("T3", self.series.clone()),
        ];
        for e in &self.editors {
            lines.push(("A2", invert_name(e)));
        }
        if let Some(v) = &self.volume_number {
            lines.push(("VL", v.clone()));
        }
        if let Some(n) = &self.number {
            lines.push(("SE", format!("Document {n}")));
        }
        if self.page_locator {
            if let Some((a, b)) = &self.pages {
                lines.push(("SP", a.clone()));
                lines.push(("EP", b.clone()));
            }
        }
        if let Some(y) = &self.year {
            lines.push(("PY", y.clone()));
        }
        if let Some(d) = &self.date {
            lines.push(("DA", d.replace('-', "/")));
        }
        if let Some(p) = &self.publisher {
            lines.push(("PB", p.clone()));
        }
        if let Some(p) = &self.place {
            lines.push(("CY", p.clone()));
        }
        if let Some(i) = &self.isbn {
            lines.push(("SN", i.clone()));
        }
        if let Some(u) = &self.url {
            lines.push(("UR", u.clone()));
        }
        let mut out = String::new();
        for (tag, value) in lines {
            // RIS is line-based: a newline inside a value would start a bogus tag.
            let value = value.replace(['\r', '\n'], " ");
            out.push_str(&format!("{tag}  - {value}\r\n"));
        }
        out.push_str("ER  - \r\n");
        out
    }

    /// CSL-JSON (one item), as reference managers and citeproc read it.
    pub fn csl_json(&self) -> Value {
        let mut item = json!({
            "id": self.key,
            "type": "chapter",
            "title": self.document_title,
            "container-title": self.volume_title,
            "collection-title": self.series,
        });
        let obj = match item.as_object_mut() {
            Some(o) => o,
            None => return item,
        };
        if let Some(v) = &self.volume_number {
            obj.insert("volume".into(), json!(v));
        }
        if !self.editors.is_empty() {
            let eds: Vec<Value> = self
                .editors
                .iter()
                .map(|e| {
                    let (given, family) = split_name(e);
                    if given.is_empty() {
                        json!({ "literal": e })
                    } else {
                        json!({ "given": given, "family": family })
                    }
                })
                .collect();
            obj.insert("editor".into(), Value::Array(eds));
        }
        if let Some(p) = &self.publisher {
            obj.insert("publisher".into(), json!(p));
        }
        if let Some(p) = &self.place {
            obj.insert("publisher-place".into(), json!(p));
        }
        if let Some(y) = self
            .year
            .as_deref()
            .and_then(|y| y.trim().parse::<i64>().ok())
        {
            obj.insert("issued".into(), json!({ "date-parts": [[y]] }));
        }
        if let Some(n) = &self.number {
            obj.insert("number".into(), json!(n));
        }
        obj.insert("locator".into(), json!(self.locator()));
        if self.page_locator {
            if let Some((a, b)) = &self.pages {
                let p = if a == b {
                    a.clone()
                } else {
                    format!("{a}-{b}")
                };
                obj.insert("page".into(), json!(p));
            }
        }
        if let Some(i) = &self.isbn {
            obj.insert("ISBN".into(), json!(i));
        }
        if let Some(u) = &self.url {
            obj.insert("URL".into(), json!(u));
        }
        if let Some(parts) = self.date.as_deref().and_then(date_parts) {
            // The document's own date; `issued` is the volume's publication.
            obj.insert("original-date".into(), json!({ "date-parts": [parts] }));
        }
        item
    }
}

/// "1968-10-02" → [1968, 10, 2].
fn date_parts(iso: &str) -> Option<Vec<i64>> {
    let parts: Vec<i64> = iso.split('-').map_while(|p| p.parse().ok()).collect();
    (!parts.is_empty()).then_some(parts)
}

/// "1968-10-02T…" → "October 2, 1968" (month or year alone at those precisions).
fn prose_date(iso: &str, precision: chancery_model::DatePrecision) -> Option<String> {
    use chancery_model::DatePrecision as P;
    let year: i32 = iso.get(..4)?.parse().ok()?;
    let month: usize = iso.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    let day: u32 = iso.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(0);
    let name = month
        .checked_sub(1)
        .and_then(|m| chancery_model::MONTH_NAMES.get(m));
    Some(match (precision, name) {
        (P::Year, _) | (_, None) => year.to_string(),
        (P::Month, Some(m)) => format!("{m} {year}"),
        (_, Some(m)) => format!("{m} {day}, {year}"),
    })
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// "45. Telegram From …" → "Telegram From …".
fn strip_number(heading: &str, number: Option<&str>) -> String {
    let h = heading.trim();
    if let Some(n) = number {
        if let Some(rest) = h.strip_prefix(n) {
            if let Some(rest) = rest.strip_prefix('.') {
                let rest = rest.trim_start();
                if !rest.is_empty() {
                    return rest.to_string();
                }
            }
        }
    }
    h.to_string()
}

fn sanitize_key(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// "Foreign Relations of the United States, 1952–1954, Volume II, Part 1" from the id of a volume
/// that has no titles (`frus1952-54v02p1`).
fn title_from_id(id: &str) -> String {
    match VolumeId::parse(id) {
        Some(v) => {
            let mut parts = vec![SERIES.to_string(), v.years_label()];
            if let Some(n) = v.volume.and_then(to_roman) {
                parts.push(format!("Volume {n}"));
            }
            if let Some(p) = v.part {
                parts.push(format!("Part {p}"));
            }
            // A subject ("Iran", "Russia", a supplement mark) is kept as the id writes it.
            parts.extend(v.subject);
            parts.join(", ")
        }
        // Not a FRUS id (a local volume such as "seeds"): name the series and the id.
        None => format!("{SERIES} [{id}]"),
    }
}

/// The printed pages a document spans: the page it starts on and the last page break in it.
///
/// A break before any text means the document starts on that page; otherwise it starts on the
/// page before its first break (computable only for arabic page numbers).
fn page_range(doc: &Document) -> Option<(String, String)> {
    let mut breaks: Vec<(String, bool)> = Vec::new();
    let mut seen_text = !chancery_model::plain_text(&doc.heading).trim().is_empty();
    // Headings precede the body; a break in the heading still counts as "before text".
    seen_text &= !doc
        .heading
        .iter()
        .any(|i| matches!(i, Inline::PageBreak { .. }));
    collect_breaks(&doc.body, &mut breaks, &mut seen_text);
    let (first, at_start) = breaks.first()?.clone();
    let last = breaks
        .last()
        .map(|b| b.0.clone())
        .unwrap_or_else(|| first.clone());
    let start = if at_start {
        first
    } else {
        match first.trim().parse::<u32>() {
            Ok(n) if n > 1 => (n - 1).to_string(),
            _ => first,
        }
    };
    Some((start, last))
}

fn collect_breaks(blocks: &[Block], out: &mut Vec<(String, bool)>, seen_text: &mut bool) {
    for b in blocks {
        match b {
            Block::PageBreak { n, .. } => out.push((n.clone(), !*seen_text)),
            Block::Paragraph { inlines, .. } => collect_inline_breaks(inlines, out, seen_text),
            Block::List { head, items, .. } => {
                if let Some(h) = head {
                    collect_inline_breaks(h, out, seen_text);
                }
                for item in items {
                    collect_breaks(&item.blocks, out, seen_text);
                }
            }
            Block::Table { rows, .. } => {
                for row in rows {
                    if let Some(n) = &row.page_break_before {
                        out.push((n.clone(), !*seen_text));
                    }
                    for cell in &row.cells {
                        collect_inline_breaks(&cell.inlines, out, seen_text);
                    }
                }
            }
            Block::Attachment { head, blocks } => {
                if let Some(h) = head {
                    collect_inline_breaks(h, out, seen_text);
                }
                collect_breaks(blocks, out, seen_text);
            }
            Block::Group { blocks, .. } => collect_breaks(blocks, out, seen_text),
        }
    }
}

fn collect_inline_breaks(inlines: &[Inline], out: &mut Vec<(String, bool)>, seen_text: &mut bool) {
    for i in inlines {
        match i {
            Inline::PageBreak { n, .. } => out.push((n.clone(), !*seen_text)),
            Inline::Text { text } => {
                if !text.trim().is_empty() {
                    *seen_text = true;
                }
            }
            Inline::NoteRef { .. } | Inline::LineBreak => {}
            wrapper => collect_inline_breaks(wrapper.children(), out, seen_text),
        }
    }
}

/// "A", "A and B", "A, B, and C" (Chicago).
fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// "Kent Sieg" → ("Kent", "Sieg"); a trailing "Jr." stays with the family name.
fn split_name(name: &str) -> (String, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut family_start = words.len().saturating_sub(1);
    if family_start > 0 {
        let last = words[family_start].trim_end_matches(',');
        if matches!(last, "Jr." | "Sr." | "II" | "III" | "IV") {
            family_start -= 1;
        }
    }
    (
        words[..family_start].join(" "),
        words[family_start..].join(" "),
    )
}

/// "Kent Sieg" → "Sieg, Kent" (RIS name order).
fn invert_name(name: &str) -> String {
    let (given, family) = split_name(name);
    if given.is_empty() {
        family
    } else {
        format!("{family}, {given}")
    }
}

fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chancery_model::{
        DateInterval, DatePrecision, DocumentDate, Editor, Idno, ParagraphRole, VolumeTitles,
    };

    fn v07() -> Volume {
        Volume {
            id: "frus1964-68v07".into(),
            titles: VolumeTitles {
                complete: Some(
                    "Foreign Relations of the United States, 1964–1968, Volume VII, Vietnam, September 1968–January 1969"
                        .into(),
                ),
                series: Some("Foreign Relations of the United States".into()),
                sub_series: Some("1964–1968".into()),
                volume_number: Some("Volume VII".into()),
                volume: Some("Vietnam, September 1968–January 1969".into()),
            },
            editors: vec![
                Editor {
                    name: "Kent Sieg".into(),
                    role: Some("primary".into()),
                },
                Editor {
                    name: "Edward C. Keefer".into(),
                    role: Some("general".into()),
                },
            ],
            publisher: Some("United States Government Printing Office".into()),
            pub_place: Some("Washington".into()),
            publication_year: Some("2003".into()),
            idnos: vec![Idno {
                kind: "isbn-13".into(),
                value: "9780160513961".into(),
            }],
            ..Volume::default()
        }
    }

    fn d45() -> Document {
        Document {
            volume_id: "frus1964-68v07".into(),
            id: "d45".into(),
            number: Some("45".into()),
            heading_text: "45. Telegram From the Embassy in France to the Department of State"
                .into(),
            date: Some(DocumentDate {
                text: "October 2, 1968, 1410Z".into(),
                when: Some("1968-10-02T14:10:00Z".into()),
                interval: Some(DateInterval {
                    min: "1968-10-02T14:10:00Z".into(),
                    max: "1968-10-02T14:10:59Z".into(),
                    precision: DatePrecision::Minute,
                }),
            }),
            body: vec![Block::Paragraph {
                role: ParagraphRole::Paragraph,
                rend: None,
                inlines: vec![
                    Inline::text("We said we "),
                    Inline::PageBreak {
                        n: "120".into(),
                        id: Some("pg_120".into()),
                    },
                    Inline::text("had not talked"),
                ],
                layout: None,
            }],
            ..Document::default()
        }
    }

    #[test]
    fn chicago_d45_matches_the_office_of_the_historian() {
        let c = Citation::new(&v07(), &d45());
        assert_eq!(
            c.historian(),
            "Foreign Relations of the United States, 1964–1968, Volume VII, Vietnam, September \
             1968–January 1969, ed. Kent Sieg (Washington: Government Printing Office, 2003), \
             Document 45."
        );
        assert_eq!(
            c.document_title,
            "Telegram From the Embassy in France to the Department of State"
        );
        let note = c
            .with_correspondence(Correspondence {
                sender: Some("Embassy in France".into()),
                recipient: Some("Department of State".into()),
                kind: Some("telegram".into()),
            })
            .with_url("https://history.state.gov/historicaldocuments/frus1964-68v07/d45")
            .chicago();
        assert!(
            note.starts_with("Embassy in France to Department of State, telegram, "),
            "{note}"
        );
        assert!(
            note.contains("ed. Kent Sieg (Washington: Government Printing Office, 2003), doc. 45"),
            "{note}"
        );
        assert!(note.contains("vol. 7, Vietnam"), "{note}");
        assert!(note.ends_with("frus1964-68v07/d45."), "{note}");
    }

    #[test]
    fn bibtex_ris_csl_d45() {
        let c = Citation::new(&v07(), &d45())
            .with_url("https://history.state.gov/historicaldocuments/frus1964-68v07/d45");
        let b = c.bibtex();
        assert!(b.starts_with("@incollection{frus1964-68v07-d45,\n"), "{b}");
        assert!(b.contains("  editor = {Kent Sieg},\n"), "{b}");
        assert!(b.contains("  volume = {VII},\n"), "{b}");
        assert!(b.contains("  year = {2003},\n"), "{b}");
        assert!(b.contains("  chapter = {Document 45},\n"), "{b}");
        assert!(b.contains("  isbn = {9780160513961},\n"), "{b}");
        assert!(
            b.contains("url = {https://history.state.gov/historicaldocuments/frus1964-68v07/d45}")
        );
        assert!(!b.contains("pages"), "document number is the locator: {b}");

        let r = c.ris();
        assert!(r.starts_with("TY  - CHAP\r\n"), "{r}");
        assert!(r.contains("A2  - Sieg, Kent\r\n"), "{r}");
        assert!(r.contains("SE  - Document 45\r\n"), "{r}");
        assert!(r.contains("DA  - 1968/10/02\r\n"), "{r}");
        assert!(r.ends_with("ER  - \r\n"), "{r}");

        let j = c.csl_json();
        assert_eq!(j["type"], "chapter");
        assert_eq!(j["editor"][0]["family"], "Sieg");
        assert_eq!(j["editor"][0]["given"], "Kent");
        assert_eq!(j["issued"]["date-parts"][0][0], 2003);
        assert_eq!(j["locator"], "Document 45");
    }

    #[test]
    fn eighteen_sixty_one_cites_pages() {
        let vol = Volume {
            id: "frus1861".into(),
            titles: VolumeTitles {
                complete: Some(
                    "Message of the President of the United States to the Two Houses of Congress, at the Commencement of the Second Session of the Thirty-seventh Congress"
                        .into(),
                ),
                sub_series: Some("1861".into()),
                ..VolumeTitles::default()
            },
            editors: vec![Editor {
                name: String::new(),
                role: Some("primary".into()),
            }],
            publisher: Some("Government Printing Office".into()),
            pub_place: Some("Washington".into()),
            publication_year: Some("1861".into()),
            ..Volume::default()
        };
        let doc = Document {
            volume_id: "frus1861".into(),
            id: "d67".into(),
            number: Some("67".into()),
            heading_text: "67. Mr. Seward to Mr. Adams".into(),
            body: vec![
                Block::Paragraph {
                    role: ParagraphRole::Paragraph,
                    rend: None,
                    inlines: vec![
                        Inline::text("Sir: "),
                        Inline::PageBreak {
                            n: "105".into(),
                            id: None,
                        },
                        Inline::text("more"),
                    ],
                    layout: None,
                },
                Block::PageBreak {
                    n: "106".into(),
                    id: None,
                    layout: None,
                },
            ],
            ..Document::default()
        };
        let c = Citation::new(&vol, &doc);
        assert_eq!(
            c.historian(),
            "Message of the President of the United States to the Two Houses of Congress, at the \
             Commencement of the Second Session of the Thirty-seventh Congress (Washington: \
             Government Printing Office, 1861), pp. 104–106."
        );
        assert!(c.bibtex().contains("  pages = {104--106},\n"));
        assert!(c.ris().contains("SP  - 104\r\n"));
        assert_eq!(c.csl_json()["page"], "104-106");
    }

    #[test]
    fn stub_volume_cites_from_its_id() {
        let vol = Volume {
            id: "frus1952-54v02p1".into(),
            ..Volume::default()
        };
        let doc = Document {
            volume_id: "frus1952-54v02p1".into(),
            id: "d143".into(),
            number: Some("143".into()),
            heading_text: "143. Memorandum of Discussion".into(),
            ..Document::default()
        };
        let c = Citation::new(&vol, &doc);
        assert_eq!(
            c.historian(),
            "Foreign Relations of the United States, 1952–1954, Volume II, Part 1, Document 143."
        );
        assert_eq!(c.volume_number.as_deref(), Some("II"));
        let seeds = Volume {
            id: "seeds".into(),
            ..Volume::default()
        };
        let doc = Document {
            volume_id: "seeds".into(),
            id: "d45".into(),
            number: Some("45".into()),
            heading_text: "45. Telegram".into(),
            ..Document::default()
        };
        assert_eq!(
            Citation::new(&seeds, &doc).historian(),
            "Foreign Relations of the United States [seeds], Document 45."
        );
        assert_eq!(
            title_from_id("frus1951-54Iran"),
            "Foreign Relations of the United States, 1951–1954, Iran"
        );
        assert_eq!(
            title_from_id("frus1918Russiav01"),
            "Foreign Relations of the United States, 1918, Volume I, Russia"
        );
    }

    #[test]
    fn bibtex_escapes_specials() {
        assert_eq!(bibtex_escape("A & B {x} 50%"), "A \\& B \\{x\\} 50\\%");
    }
}
