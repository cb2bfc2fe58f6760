//! The apparatus of one document analysed and turned into the rows the writer inserts, on the
//! parser threads.

use std::collections::HashSet;

use chancery_apparatus::document::{DocumentAnalysis, Place};
use chancery_apparatus::source_note::Addressee;
use chancery_apparatus::telegram::{self, CableKeyword, CableReference};
use chancery_apparatus::xref::{RefKind, TextReference};
use chancery_model::{walk_inlines, Document, DocumentKind, Inline};
use serde::Serialize;

use crate::StoreError;

/// Everything the writer inserts for one document's apparatus, computed off the writer thread.
#[derive(Debug, Default)]
pub(crate) struct PreparedApparatus {
    pub(super) markings: Option<MarkingsRow>,
    pub(super) telegrams: Vec<TelegramRow>,
    pub(super) cables: Vec<CableRow>,
    pub(super) xrefs: Vec<XrefRow>,
}

#[derive(Debug, Default)]
pub(super) struct MarkingsRow {
    pub(super) doc_type: Option<String>,
    pub(super) doc_family: Option<String>,
    pub(super) markers: String,
    pub(super) serial_number: Option<String>,
    pub(super) sent_time: Option<String>,
    pub(super) received_at: Option<String>,
    pub(super) circular: bool,
    pub(super) classification: Option<&'static str>,
    pub(super) classification_as_written: Option<String>,
    pub(super) precedence: Option<&'static str>,
    pub(super) caveats: String,
    pub(super) code_words: String,
    pub(super) repository: Option<String>,
    pub(super) repository_as_written: Option<String>,
    pub(super) record_group: Option<String>,
    pub(super) lot: Option<String>,
    pub(super) archive_path: String,
    pub(super) decimal_files: String,
    pub(super) drafted_by: String,
    pub(super) cleared_by: String,
    pub(super) approved_by: String,
    pub(super) sent_to: String,
    pub(super) repeated_to: String,
    pub(super) received: Option<String>,
    pub(super) reading_marks: String,
    pub(super) printed_from: Option<String>,
    pub(super) remainder: String,
    pub(super) from_party: Option<String>,
    pub(super) to_party: Option<String>,
    pub(super) from_persons: String,
    pub(super) to_persons: String,
}

#[derive(Debug)]
pub(super) struct TelegramRow {
    pub(super) raw: String,
    pub(super) number: Option<String>,
    pub(super) series: Option<String>,
    pub(super) origin: Option<String>,
    pub(super) sender: Option<String>,
    pub(super) destination: Option<String>,
}

#[derive(Debug)]
pub(super) struct CableRow {
    pub(super) footnote_id: Option<String>,
    pub(super) place: &'static str,
    pub(super) raw: String,
    pub(super) number: Option<String>,
    pub(super) series: Option<String>,
    pub(super) keyword: &'static str,
    pub(super) origin_as_written: Option<String>,
    pub(super) origin: Option<String>,
    pub(super) sender: Option<String>,
    pub(super) destination: Option<String>,
    pub(super) circular: bool,
}

#[derive(Debug)]
pub(super) struct XrefRow {
    pub(super) footnote_id: Option<String>,
    pub(super) place: &'static str,
    pub(super) raw: String,
    pub(super) target_volume: Option<String>,
    pub(super) element: Option<String>,
    pub(super) kind: &'static str,
    pub(super) surface: String,
}

fn json<T: Serialize + ?Sized>(v: &T) -> Result<String, StoreError> {
    Ok(serde_json::to_string(v)?)
}

fn keyword_str(k: CableKeyword) -> &'static str {
    match k {
        CableKeyword::Telegram => "telegram",
        CableKeyword::Embtel => "embtel",
        CableKeyword::Deptel => "deptel",
        CableKeyword::Urtel => "urtel",
        CableKeyword::Mytel => "mytel",
        CableKeyword::Reftel => "reftel",
        CableKeyword::Circtel => "circtel",
        CableKeyword::Place => "place",
        CableKeyword::Possessive => "possessive",
        CableKeyword::Series => "series",
        CableKeyword::Other => "other",
    }
}

fn place_str(p: Place) -> &'static str {
    match p {
        Place::SourceNote => "source-note",
        Place::Body => "body",
        Place::Note(_) => "note",
    }
}

/// Only documents proper carry an apparatus; front and back matter (prefaces, the persons list)
/// would only feed the parsers prose they were not built for.
fn analysed(doc: &Document) -> bool {
    matches!(
        doc.kind,
        DocumentKind::HistoricalDocument | DocumentKind::EditorialNote
    )
}

/// The office of a heading party: its office when the heading separates one, else its text.
fn office(p: &Option<chancery_apparatus::heading::Party>) -> Option<String> {
    p.as_ref()
        .map(|p| p.office.clone().unwrap_or_else(|| p.text.clone()))
        .filter(|s| !s.trim().is_empty())
}

fn is_post(office: &str) -> bool {
    ["Embassy", "Mission", "Consulate", "Legation", "Delegation"]
        .iter()
        .any(|w| office.starts_with(w))
}

/// The sender office and origin a cable reference stands for. "Embtel", "Urtel" and "Mytel" name
/// no place: they are read against the citing document's own sender and recipient, so "Urtel
/// 2430" in a telegram to the Embassy in France is a telegram from Paris.
fn effective_origin(
    r: &CableReference,
    from: Option<&str>,
    to: Option<&str>,
) -> (Option<String>, Option<String>) {
    let post = || from.filter(|f| is_post(f)).or(to.filter(|t| is_post(t)));
    let sender: Option<String> = match (&r.sender, r.keyword) {
        (Some(s), _) if s == "Embassy" => post().map(str::to_string),
        (Some(s), _) => Some(s.clone()),
        (None, CableKeyword::Urtel) => to.map(str::to_string),
        (None, CableKeyword::Mytel) => from.map(str::to_string),
        (None, _) => r
            .origin
            .as_deref()
            .and_then(telegram::sender_for)
            .map(str::to_string),
    };
    let origin = r.origin.clone().or_else(|| {
        sender
            .as_deref()
            .and_then(telegram::origin_for)
            .map(str::to_string)
    });
    (origin, sender)
}

/// The glossary ids of the persons the heading tags as sender (`from`) or recipient (`to`).
fn heading_persons(doc: &Document, role: &str) -> Vec<String> {
    let mut out = Vec::new();
    walk_inlines(&doc.heading, &mut |i| {
        if let Inline::Person {
            person_id: Some(id),
            role: Some(r),
            ..
        } = i
        {
            if r == role {
                let id = id.trim_start_matches('#').to_string();
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
    });
    out
}

fn addressees<'a>(list: &[&'a [Addressee]]) -> Vec<&'a Addressee> {
    list.iter().flat_map(|l| l.iter()).collect()
}

/// The apparatus analysis of a document, for documents proper (`None` for front and back
/// matter).
pub(crate) fn analyse(doc: &Document) -> Option<DocumentAnalysis> {
    analysed(doc).then(|| chancery_apparatus::analyze_document(doc))
}

/// Compute the apparatus rows of one analysed document. `tei_targets` are the (volume,
/// document) pairs its TEI `ref`s already point at: a text pattern saying the same thing ("See
/// <ref>Document 40</ref>") is not recorded twice.
pub(crate) fn prepare_analysed(
    vid: &str,
    doc: &Document,
    tei_targets: &HashSet<(Option<String>, Option<String>)>,
    a: &DocumentAnalysis,
) -> Result<PreparedApparatus, StoreError> {
    let s = &a.source;
    let from_office = office(&a.from).or_else(|| doc.from.first().cloned());
    let to_office = office(&a.to).or_else(|| doc.to.first().cloned());

    let markings = MarkingsRow {
        doc_type: a.doc_type().map(str::to_string),
        doc_family: a.doc_family().map(str::to_string),
        markers: json(&a.markers)?,
        serial_number: a.serial_number.clone(),
        sent_time: a.dateline.time.map(|t| t.iso()),
        received_at: a.dateline.received.and_then(|r| r.iso()),
        circular: a.markers.iter().any(|m| m == "circular"),
        classification: a.classification.map(|c| c.label()),
        classification_as_written: s.classification_as_written.clone(),
        precedence: s.precedence.map(|p| p.label()),
        caveats: json(&s.caveats)?,
        code_words: json(&s.code_words)?,
        repository: s.repository.clone(),
        repository_as_written: s.repository_as_written.clone(),
        record_group: s.record_group.clone(),
        lot: s.lot.clone(),
        archive_path: json(&s.archive_path)?,
        decimal_files: json(&s.decimal_files)?,
        drafted_by: json(&s.drafted_by)?,
        cleared_by: json(&s.cleared_by)?,
        approved_by: json(&s.approved_by)?,
        sent_to: json(&addressees(&[&s.sent_to]))?,
        repeated_to: json(&a.repeated_to)?,
        received: s.received.clone(),
        reading_marks: json(&s.reading_marks)?,
        printed_from: s.printed_from.clone(),
        remainder: json(&s.remainder)?,
        from_party: a.from.as_ref().map(json).transpose()?,
        to_party: a.to.as_ref().map(json).transpose()?,
        from_persons: json(&heading_persons(doc, "from"))?,
        to_persons: json(&heading_persons(doc, "to"))?,
    };

    // The document's own telegram numbers: the body's opening ("21737/Delto 788.") and a number
    // printed in the heading ("Telegram 4858 From …").
    let origin = doc
        .place
        .clone()
        .or_else(|| a.dateline.place.clone())
        .or_else(|| {
            from_office
                .as_deref()
                .and_then(telegram::origin_for)
                .map(str::to_string)
        });
    let sender = from_office.clone().or_else(|| {
        origin
            .as_deref()
            .and_then(telegram::sender_for)
            .map(str::to_string)
    });
    let mut telegrams: Vec<TelegramRow> = a
        .telegram_numbers
        .iter()
        .map(|t| TelegramRow {
            raw: t.raw.clone(),
            number: t.number.clone(),
            series: t.series.clone(),
            origin: origin.clone(),
            sender: sender.clone(),
            destination: to_office.clone(),
        })
        .collect();
    if let Some(n) = &a.heading.telegram_number {
        if !telegrams.iter().any(|t| t.number.as_deref() == Some(n)) {
            telegrams.push(TelegramRow {
                raw: n.clone(),
                number: Some(n.clone()),
                series: None,
                origin: origin.clone(),
                sender: sender.clone(),
                destination: to_office.clone(),
            });
        }
    }

    // Places → footnote ids: `Place::Note(i)` indexes the non-source notes in order (as
    // `chancery_apparatus::input_for` builds them).
    let source_id = doc.source_note().map(|f| f.id.clone());
    let notes: Vec<&str> = doc
        .footnotes
        .iter()
        .filter(|f| !f.is_source)
        .map(|f| f.id.as_str())
        .collect();
    let footnote_of = |p: Place| match p {
        Place::SourceNote => source_id.clone(),
        Place::Body => None,
        Place::Note(i) => notes.get(i).map(|s| s.to_string()),
    };

    let mut cables = Vec::with_capacity(a.cable_references.len());
    for c in &a.cable_references {
        let r = &c.item;
        let (origin, sender) = effective_origin(r, from_office.as_deref(), to_office.as_deref());
        cables.push(CableRow {
            footnote_id: footnote_of(c.place),
            place: place_str(c.place),
            raw: r.raw.clone(),
            number: r.number.clone(),
            series: r.series.clone(),
            keyword: keyword_str(r.keyword),
            origin_as_written: r.origin.clone(),
            origin,
            sender,
            destination: r.destination.clone(),
            circular: r.circular,
        });
    }

    let mut xrefs = Vec::new();
    let mut seen = HashSet::new();
    for t in &a.text_references {
        let row = xref_row(vid, &t.item, footnote_of(t.place), place_str(t.place));
        let doc_part = row
            .element
            .as_deref()
            .map(|e| e.find("fn").map_or(e, |i| &e[..i]).to_string());
        if tei_targets.contains(&(row.target_volume.clone(), doc_part))
            || !seen.insert((row.raw.clone(), row.footnote_id.clone()))
        {
            continue;
        }
        xrefs.push(row);
    }

    Ok(PreparedApparatus {
        markings: Some(markings),
        telegrams,
        cables,
        xrefs,
    })
}

fn xref_row(
    vid: &str,
    r: &TextReference,
    footnote_id: Option<String>,
    place: &'static str,
) -> XrefRow {
    // A volume printed but not identifiable ("vol. XIV" with no years in reach) cannot be
    // resolved: its target volume stays NULL and the reference is listed as unresolved.
    let target_volume = match (&r.volume, &r.volume_raw) {
        (Some(v), _) => Some(v.clone()),
        (None, Some(_)) => None,
        (None, None) => Some(vid.to_string()),
    };
    let (kind, element) = match (r.kind, r.document, r.footnote, r.page) {
        (RefKind::Document, Some(d), _, _) => ("document", Some(format!("d{d}"))),
        (RefKind::Footnote, Some(d), Some(f), _) => ("footnote", Some(format!("d{d}fn{f}"))),
        (RefKind::Footnote, Some(d), None, _) => ("document", Some(format!("d{d}"))),
        (RefKind::Page, _, _, Some(p)) => ("page", Some(format!("pg_{p}"))),
        _ => ("volume", None),
    };
    XrefRow {
        footnote_id,
        place,
        raw: r.key(),
        target_volume,
        element,
        kind,
        surface: r.raw.clone(),
    }
}
