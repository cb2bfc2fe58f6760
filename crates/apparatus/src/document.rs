//! All apparatus parsers applied to one document, and the one record of what they found.

use std::sync::OnceLock;

use chancery_model::date::CalendarDate;
use chancery_model::volume_id::VolumeId;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::dateline::{self, DateSpan, Dateline, DatelineSources};
use crate::eval::Labels;
use crate::heading::{self, HeadingInfo, Kind, Party};
use crate::kind::{self, Evidence};
use crate::source_note::{self, Addressee, Classification, SourceNote};
use crate::telegram::{self, CableReference, TelegramNumber};
use crate::xref::{TextReference, XrefContext, XrefScanner};

/// The apparatus texts of one document, as plain strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DocumentInput {
    /// Volume id ("frus1961-63v15"), used to resolve "vol. XIV" and to date by era.
    pub volume: Option<String>,
    /// The document's printed number in the volume ("45").
    pub number: Option<String>,
    /// The heading as plain text.
    pub heading: String,
    /// Source note (may be empty), tags stripped.
    pub source_note: String,
    /// Where the source note is only a file number, the footnote on the heading, which carries
    /// the rest of the apparatus (distribution, drafting, clearance) in those volumes.
    pub heading_note: String,
    /// Lines at the head of the document: file-number and "[Telegram]" lines, opener,
    /// classification line, dateline, "No. 144.]", short lines before the text.
    pub opening: Vec<String>,
    /// The first part of the text proper (where a telegram prints its number).
    pub body_opening: String,
    /// The whole body as text.
    pub body: String,
    /// Lines at the foot: last paragraphs, closer, signature, postscript.
    pub closing: Vec<String>,
    /// Other footnotes, in order.
    pub notes: Vec<String>,
    /// Senders and recipients the TEI marks (`gloss`/`persName` with `type="from|to"`).
    pub encoded_from: Vec<String>,
    /// Recipients the TEI marks, as for `encoded_from`.
    pub encoded_to: Vec<String>,
    /// The date value the TEI encodes (`date/@when`), when there is one.
    pub encoded_date: Option<String>,
    /// Cross-references the TEI encodes as links (`ref/@target` into FRUS), as targets.
    pub encoded_refs: Vec<String>,
}

/// Which text a reference was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The source note.
    #[default]
    SourceNote,
    /// The body of the document.
    Body,
    /// Index into `DocumentInput::notes`.
    Note(usize),
}

/// Something a parser found, with the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Located<T> {
    /// Which text it was found in.
    pub place: Place,
    /// What was found.
    pub item: T,
}

/// Everything the parsers found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DocumentAnalysis {
    /// The parsed heading.
    pub heading: HeadingInfo,
    /// The parsed source note.
    pub source: SourceNote,
    /// The specific type and its family ("memorandum of conversation" / "memorandum").
    pub kind: Option<Kind>,
    /// Form marks: circular, paraphrase, extract, translation.
    pub markers: Vec<String>,
    /// The despatch's or instruction's own number ("No. 144.]" → "144").
    pub serial_number: Option<String>,
    /// Sender and recipient: the heading's, else what the TEI marks.
    pub from: Option<Party>,
    /// Recipient, found as the sender is.
    pub to: Option<Party>,
    /// What the dateline says: place, date, time, received.
    pub dateline: Dateline,
    /// From the source note, else from a classification line at the head of the document.
    pub classification: Option<Classification>,
    /// Addressees beyond the recipient: the note's "Repeated to", "Also sent to", and the
    /// distribution line at the foot of a telegram.
    pub repeated_to: Vec<Addressee>,
    /// The numbers the telegram itself carries.
    pub telegram_numbers: Vec<TelegramNumber>,
    /// Cables the document cites, and where.
    pub cable_references: Vec<Located<CableReference>>,
    /// Cross-references written as text ("See Document 40"), and where.
    pub text_references: Vec<Located<TextReference>>,
    /// The cross-references the TEI encodes as links (targets as written).
    pub encoded_references: Vec<String>,
}

impl DocumentAnalysis {
    /// The specific type ("memorandum of conversation").
    pub fn doc_type(&self) -> Option<&str> {
        self.kind.as_ref().map(|k| k.doc_type.as_str())
    }

    /// The family ("memorandum").
    pub fn doc_family(&self) -> Option<&str> {
        self.kind.as_ref().map(|k| k.family.as_str())
    }

    /// Every FRUS target the document refers to, written or encoded, once each. A whole
    /// volume is dropped where a page or document of it is named ("vol. XV, pp. 223–224").
    pub fn reference_targets(&self) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for k in self
            .text_references
            .iter()
            .flat_map(|r| r.item.keys())
            .chain(self.encoded_references.iter().cloned())
        {
            if !all.contains(&k) {
                all.push(k);
            }
        }
        let specific: Vec<String> = all
            .iter()
            .filter_map(|k| k.split_once('#').map(|(v, _)| v.to_string()))
            .filter(|v| !v.is_empty())
            .collect();
        all.retain(|k| k.contains('#') || !specific.contains(k));
        all
    }

    /// What the analysis says, in the gold set's terms.
    pub fn labels(&self) -> Labels {
        let s = &self.source;
        let party = |p: &Option<Party>| {
            (
                p.as_ref().map(|p| p.text.clone()),
                p.as_ref().and_then(|p| p.office.clone()),
                p.as_ref().and_then(|p| p.person.clone()),
            )
        };
        let (from, from_office, from_person) = party(&self.from);
        let (to, to_office, to_person) = party(&self.to);
        Labels {
            doc_type: self.doc_type().map(str::to_string),
            doc_family: self.doc_family().map(str::to_string),
            markers: self.markers.clone(),
            serial_number: self.serial_number.clone(),
            telegram_numbers: self.telegram_numbers.iter().map(|t| t.key()).collect(),
            from,
            from_office,
            from_person,
            to,
            to_office,
            to_person,
            place: self.dateline.place.clone(),
            date: self.dateline.date.map(|d| d.iso()),
            time: self.dateline.time.map(|t| t.iso()),
            received: self.dateline.received.and_then(|r| r.iso()),
            repository: s.repository.clone(),
            record_group: s.record_group.clone(),
            lot: s.lot.clone(),
            archive_path: (!s.archive_path.is_empty()).then(|| s.archive_path.join(", ")),
            decimal_files: s.decimal_files.clone(),
            classification: self.classification.map(|c| c.label().to_string()),
            precedence: s.precedence.map(|p| p.label().to_string()),
            caveats: s.caveats.clone(),
            code_words: s.code_words.clone(),
            repeated_to: self.repeated_to.iter().map(|a| a.name.clone()).collect(),
            drafted_by: s.drafted_by.clone(),
            cleared_by: s.cleared_by.clone(),
            approved_by: s.approved_by.clone(),
            reading_marks: s.reading_marks.iter().map(|m| m.key()).collect(),
            cable_references: self.cable_references.iter().map(|c| c.item.key()).collect(),
            text_references: self.reference_targets(),
        }
    }
}

fn serial_line_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    crate::rx(&R, r"(?:^|\s)No\.\s*(\d{1,5}(?:/\d{1,4})?)\.?\]?\s*$")
}

/// The despatch number: "No. 144.]" on a line of its own (or ending the dateline line), or
/// "No. 59." before the parties when it is not the volume's number for the document.
fn serial_number(input: &DocumentInput, h: &HeadingInfo) -> Option<String> {
    let is_doc_number = |n: &str| input.number.as_deref() == Some(n);
    if let Some(n) = &h.numbered {
        if !is_doc_number(n) {
            return Some(n.clone());
        }
    }
    input.opening.iter().find_map(|line| {
        let c = serial_line_re().captures(line.trim())?;
        let n = c.get(1)?.as_str();
        (!is_doc_number(n)).then(|| n.to_string())
    })
}

/// A sender or recipient the TEI marks, when the heading names none.
fn encoded_party(names: &[String]) -> Option<Party> {
    let text = names.join(" and ");
    (!text.trim().is_empty()).then(|| heading::parse_party(&text))
}

/// The date the TEI encodes, as a calendar date.
fn encoded_span(when: &str) -> Option<DateSpan> {
    let year: i32 = when.get(..4)?.parse().ok()?;
    let month = when.get(5..7).and_then(|m| m.parse().ok());
    let day = when.get(8..10).and_then(|d| d.parse().ok());
    Some(DateSpan {
        start: CalendarDate::new(year, month, if month.is_some() { day } else { None })?,
        end: None,
    })
}

/// The distribution line at the foot of a telegram: "Sent Department 164, repeated Saigon 5.",
/// "Sent Ankara 577, rptd Paris 4062, London 6012, and Moscow 1481.", "Sent to the Department,
/// repeated to Peiping, please repeat to Shanghai and Chungking.", "Repeat text of this
/// telegram to Shanghai, to be repeated to Peiping and to Chungking.", "Department please
/// repeat London 50, and New York." Requests to repeat are distribution too; the numbers are
/// the telegram's numbers in each series, not addressees; a conditional repeat ("repeat London
/// if desired") is not one.
fn distribution_line(line: &str) -> Vec<Addressee> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = crate::rx(
        &R,
        r"(?i)\b(?:repeated|rptd|passed|repeat(?:ed)? information|(?:please\s+)?repeat(?:\s+(?:text\s+of\s+)?this\s+telegram)?|to\s+be\s+repeated)(?:\s+to)?\s+",
    );
    let line = line.trim();
    let lower = line.to_lowercase();
    let foot = lower.starts_with("sent ")
        || lower.starts_with("repeated ")
        || lower.starts_with("rptd ")
        || lower.starts_with("repeat ")
        || lower.contains("please repeat");
    if !foot || line.len() > 240 {
        return Vec::new();
    }
    let mut out: Vec<Addressee> = Vec::new();
    for t in line
        .split(". ")
        .filter(|s| !s.to_lowercase().contains("if desired"))
    {
        distribution_sentence(re, t, &mut out);
    }
    out
}

fn distribution_sentence(re: &Regex, t: &str, out: &mut Vec<Addressee>) {
    let found: Vec<_> = re.find_iter(t).collect();
    for (k, m) in found.iter().enumerate() {
        let end = found.get(k + 1).map_or(t.len(), |n| n.start());
        let mut rest = &t[m.end()..end];
        for stop in [
            ", please", "; please", ". ", ";", " please", ", to be", " to be",
        ] {
            if let Some(i) = rest.find(stop) {
                rest = &rest[..i];
            }
        }
        for p in crate::prose::split_list(rest.trim_end_matches(['.', ','])) {
            let p = p.trim().trim_start_matches("to ");
            // "Saigon 24", "Saigon as 15": the repeat's number in that series.
            let p = p.split(" as ").next().unwrap_or(p);
            let name = p
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '.')
                .trim_start_matches("the ")
                .to_string();
            let ok = !name.is_empty()
                && name.chars().next().is_some_and(char::is_uppercase)
                && !out.iter().any(|a| a.name == name);
            if ok {
                out.push(Addressee { name, detail: None });
            }
        }
    }
}

/// The telegram's own number: opening the text, on a line of its own before the dateline
/// ("18438."), or after a routing line ("White House please pass San Clemente for Secretary
/// Rogers from Sisco. 146306. Subj: …").
fn telegram_identity(input: &DocumentInput) -> Vec<TelegramNumber> {
    let found = telegram::parse_identity(&input.body_opening);
    if !found.is_empty() {
        return found;
    }
    for line in &input.opening {
        let t = line.trim();
        let ids = telegram::parse_identity(t);
        if ids.first().is_some_and(|i| i.end + 1 >= t.len()) {
            return ids;
        }
    }
    let b = input.body_opening.trim_start();
    if let Some(i) = b.find(". ") {
        let first = &b[..i];
        let lower = first.to_lowercase();
        let routing = first.len() < 160
            && (lower.contains(" pass ")
                || lower.starts_with("for ")
                || lower.starts_with("eyes only")
                || lower.starts_with("literally eyes only")
                || lower.starts_with("personal for"));
        if routing {
            return telegram::parse_identity(&b[i + 2..]);
        }
    }
    Vec::new()
}

/// A telegram number under 10 opening the text ("4. For the Department…"), unless the
/// paragraphs that follow are numbered on from it.
fn small_identity(body_opening: &str, body: &str) -> Option<TelegramNumber> {
    let b = body_opening.trim_start();
    let digits: String = b.chars().take_while(char::is_ascii_digit).collect();
    let n: u32 = digits.parse().ok()?;
    if !(1..10).contains(&n) || !b[digits.len()..].starts_with(". ") {
        return None;
    }
    let next = format!("{}. ", n + 1);
    if body.lines().any(|l| l.trim_start().starts_with(&next)) {
        return None;
    }
    Some(TelegramNumber {
        raw: digits.clone(),
        number: Some(digits),
        ..Default::default()
    })
}

/// The body with its distribution lines blanked (same length, so offsets hold).
fn blank_distribution(body: &str) -> String {
    body.split_inclusive('\n')
        .map(|line| {
            if distribution_line(line).is_empty() {
                line.to_string()
            } else {
                line.chars()
                    .map(|c| if c == '\n' { c } else { ' ' })
                    .collect::<String>()
            }
        })
        .collect()
}

/// One entry per cable: "State 233437" says nothing "233437/Todel 1045" does not.
fn dedupe_cables(refs: &mut Vec<Located<CableReference>>) {
    let full: Vec<(String, String)> = refs
        .iter()
        .filter_map(|r| Some((r.item.number.clone()?, r.item.series.clone()?)))
        .collect();
    refs.retain(|r| match (&r.item.number, &r.item.series) {
        (Some(n), None) => !full.iter().any(|(fnum, _)| fnum == n),
        (None, Some(s)) => !full.iter().any(|(_, fs)| fs == s),
        _ => true,
    });
}

/// What the heading's footnote adds to a file-number source note.
fn merge_heading_note(source: &mut SourceNote, extra: SourceNote) {
    fn add(to: &mut Vec<String>, from: Vec<String>) {
        for x in from {
            if !to.contains(&x) {
                to.push(x);
            }
        }
    }
    source.classification = source.classification.or(extra.classification);
    source.precedence = source.precedence.or(extra.precedence);
    add(&mut source.caveats, extra.caveats);
    add(&mut source.code_words, extra.code_words);
    add(&mut source.drafted_by, extra.drafted_by);
    add(&mut source.cleared_by, extra.cleared_by);
    add(&mut source.approved_by, extra.approved_by);
    source.repeated_to.extend(extra.repeated_to);
    source.also_sent_to.extend(extra.also_sent_to);
    source.sent_to.extend(extra.sent_to);
    source.reading_marks.extend(extra.reading_marks);
    add(&mut source.editorial_marks, extra.editorial_marks);
    if source.repository.is_none() {
        source.repository = extra.repository;
        source.repository_as_written = extra.repository_as_written;
    }
    source.received = source.received.take().or(extra.received);
}

/// Analyse one document.
pub fn analyze(input: &DocumentInput) -> DocumentAnalysis {
    let heading = heading::parse(&input.heading);
    let mut source = source_note::parse(&input.source_note);
    if !input.heading_note.trim().is_empty() {
        merge_heading_note(&mut source, source_note::parse(&input.heading_note));
    }
    let volume = input.volume.as_deref().and_then(VolumeId::parse);
    let years = volume.as_ref().map(|v| (v.first_year, v.last_year));

    // The TEI's own marks stand in only for headings the grammar could not read at all: a
    // heading that names a kind without parties ("Telephone Conversation Between …") has none.
    let unread = heading.kind.is_none() && heading.from.is_none() && heading.to.is_none();
    let from = heading
        .from
        .clone()
        .or_else(|| unread.then(|| encoded_party(&input.encoded_from)).flatten());
    let to = heading
        .to
        .clone()
        .or_else(|| unread.then(|| encoded_party(&input.encoded_to)).flatten());

    let notes = format!("{} {}", input.source_note, input.heading_note);
    let mut dateline = dateline::find(&DatelineSources {
        opening: &input.opening,
        heading: &input.heading,
        closing: &input.closing,
        source_note: &notes,
        volume: input.volume.as_deref(),
    });
    if dateline.date.is_none() {
        dateline.date = input.encoded_date.as_deref().and_then(encoded_span);
    }

    let classification = source.classification.or_else(|| {
        input
            .opening
            .iter()
            .find_map(|l| source_note::classification_from_opener(l))
    });
    // Marking lines at the head ("top secret" / "eyes only"): their caveats are the
    // document's too.
    for line in &input.opening {
        let short =
            line.split_whitespace().count() <= 6 && !line.chars().any(|c| c.is_ascii_digit());
        if short {
            let marks = source_note::parse(line);
            for c in marks.caveats {
                if !source.caveats.contains(&c) {
                    source.caveats.push(c);
                }
            }
            source.precedence = source.precedence.or(marks.precedence);
        }
    }

    let mut telegram_numbers = telegram_identity(input);
    if let Some(n) = &heading.telegram_number {
        if !telegram_numbers
            .iter()
            .any(|t| t.number.as_deref() == Some(n))
        {
            telegram_numbers.push(TelegramNumber {
                raw: n.clone(),
                number: Some(n.clone()),
                ..Default::default()
            });
        }
    }
    let serial = serial_number(input, &heading);
    let evidence = Evidence {
        heading: Some(&heading),
        source: Some(&source),
        opening: &input.opening,
        body_opening: &input.body_opening,
        from: from.as_ref(),
        to: to.as_ref(),
        serial: serial.is_some(),
        received: dateline.received.is_some(),
        telegram_number: !telegram_numbers.is_empty(),
        years,
    };
    let kind = kind::classify(&evidence);
    let markers = kind::markers(&evidence);
    let is_cable = kind
        .as_ref()
        .is_some_and(|k| matches!(k.family.as_str(), "telegram" | "message"));
    // A received date read from a note ("… and received September 8") is a telegram's; for a
    // memorandum it is the covering despatch's.
    let received_in_opening = input.opening.iter().any(|l| l.contains("eceived"));
    if !is_cable && !received_in_opening {
        if let Some(r) = dateline.received {
            if r.time.is_none() {
                dateline.received = None;
            }
        }
    }
    if !is_cable {
        telegram_numbers.clear();
    } else if telegram_numbers.is_empty() {
        // Small legations numbered their telegrams from 1: "4. For the Department…" is the
        // telegram's number unless the text goes on "5. …" (numbered paragraphs).
        if let Some(t) = small_identity(&input.body_opening, &input.body) {
            telegram_numbers.push(t);
        }
    }

    let mut repeated_to = source.repeated_to.clone();
    repeated_to.extend(source.also_sent_to.iter().cloned());
    for a in input.closing.iter().flat_map(|l| distribution_line(l)) {
        if !repeated_to.iter().any(|r| r.name == a.name) {
            repeated_to.push(a);
        }
    }

    // Distribution lines at the foot of a telegram carry its numbers in other series ("repeated
    // Saigon 5"), not citations.
    let body_for_refs = blank_distribution(&input.body);
    let mut pieces: Vec<(Place, &str)> = vec![
        (Place::SourceNote, input.source_note.as_str()),
        (Place::Body, body_for_refs.as_str()),
    ];
    pieces.extend(
        input
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| (Place::Note(i), n.as_str())),
    );
    // The document's own number, whole or in parts ("20314/Delto 682", "Delto 682", "CAP 5114").
    let own: Vec<String> = telegram_numbers
        .iter()
        .flat_map(|t| {
            let mut keys = vec![t.key()];
            keys.extend(t.number.clone());
            keys.extend(t.series.clone());
            if let Some(s) = &t.series {
                keys.extend(s.split(['–', '-']).next().map(str::to_string));
            }
            keys
        })
        .collect();

    let mut cable_references: Vec<Located<CableReference>> = Vec::new();
    let mut text_references = Vec::new();
    let mut scanner = XrefScanner::new(XrefContext {
        volume_id: input.volume.clone(),
    });
    for (place, text) in pieces {
        // The body's own identity is not a reference to another cable.
        let skip_until = if place == Place::Body {
            let lead = text.len() - text.trim_start().len();
            telegram::parse_identity(text)
                .iter()
                .map(|t| t.end)
                .max()
                .map_or(0, |e| e.max(lead))
        } else {
            0
        };
        for r in telegram::find_references(text) {
            if r.start >= skip_until && !own.contains(&r.key()) {
                cable_references.push(Located { place, item: r });
            }
        }
        for r in scanner.scan(text) {
            text_references.push(Located { place, item: r });
        }
    }
    // "my No. 259", "your No. 29, dated 17th September": in mail these are despatches and
    // instructions; only a telegram cites telegrams so ("Department's number 6282").
    if !is_cable {
        cable_references.retain(|r| {
            let numbered = r.item.raw.contains("No.") || r.item.raw.contains("number");
            let possessive = matches!(
                r.item.keyword,
                telegram::CableKeyword::Urtel
                    | telegram::CableKeyword::Mytel
                    | telegram::CableKeyword::Possessive
            );
            !(numbered && possessive)
        });
    }
    dedupe_cables(&mut cable_references);
    DocumentAnalysis {
        heading,
        source,
        kind,
        markers,
        serial_number: serial,
        from,
        to,
        dateline,
        classification,
        repeated_to,
        telegram_numbers,
        cable_references,
        text_references,
        encoded_references: input.encoded_refs.clone(),
    }
}
