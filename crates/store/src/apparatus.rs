//! The apparatus as linked data: markings, telegram identity, the cable graph, cross-references
//! written as text, and the series-wide person authority.
//!
//! The parsing (`chancery_apparatus`) is pure and runs in [`crate::prepare`], on the parser
//! threads; the single writer only binds the prepared values ([`ApparatusWriter`]). Everything
//! that depends on *other* documents (which archive document carries a cited telegram, which
//! document a "See Document 40" lands in, which glossary entries are the same person) is
//! recomputed by SQL after each store, in the same transaction, so it is right whatever order
//! volumes and text documents arrive in.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chancery_apparatus::authority;
use chancery_apparatus::document::{DocumentAnalysis, Place};
use chancery_apparatus::source_note::Addressee;
use chancery_apparatus::telegram::{self, CableKeyword, CableReference};
use chancery_apparatus::xref::{RefKind, TextReference};
use chancery_model::{walk_inlines, Correspondence, Document, DocumentKind, GlossaryEntry, Inline};
use rusqlite::{params, CachedStatement, Connection, OptionalExtension, Params};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// Everything the writer inserts for one document's apparatus, computed off the writer thread.
#[derive(Debug, Default)]
pub(crate) struct PreparedApparatus {
    markings: Option<MarkingsRow>,
    telegrams: Vec<TelegramRow>,
    cables: Vec<CableRow>,
    xrefs: Vec<XrefRow>,
}

#[derive(Debug, Default)]
struct MarkingsRow {
    doc_type: Option<String>,
    doc_family: Option<String>,
    markers: String,
    serial_number: Option<String>,
    sent_time: Option<String>,
    received_at: Option<String>,
    circular: bool,
    classification: Option<&'static str>,
    classification_as_written: Option<String>,
    precedence: Option<&'static str>,
    caveats: String,
    code_words: String,
    repository: Option<String>,
    repository_as_written: Option<String>,
    record_group: Option<String>,
    lot: Option<String>,
    archive_path: String,
    decimal_files: String,
    drafted_by: String,
    cleared_by: String,
    approved_by: String,
    sent_to: String,
    repeated_to: String,
    received: Option<String>,
    reading_marks: String,
    printed_from: Option<String>,
    remainder: String,
    from_party: Option<String>,
    to_party: Option<String>,
    from_persons: String,
    to_persons: String,
}

#[derive(Debug)]
struct TelegramRow {
    raw: String,
    number: Option<String>,
    series: Option<String>,
    origin: Option<String>,
    sender: Option<String>,
    destination: Option<String>,
}

#[derive(Debug)]
struct CableRow {
    footnote_id: Option<String>,
    place: &'static str,
    raw: String,
    number: Option<String>,
    series: Option<String>,
    keyword: &'static str,
    origin_as_written: Option<String>,
    origin: Option<String>,
    sender: Option<String>,
    destination: Option<String>,
    circular: bool,
}

#[derive(Debug)]
struct XrefRow {
    footnote_id: Option<String>,
    place: &'static str,
    raw: String,
    target_volume: Option<String>,
    element: Option<String>,
    kind: &'static str,
    surface: String,
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

/// The apparatus statements, prepared once per store call.
pub(crate) struct ApparatusWriter<'c> {
    markings: CachedStatement<'c>,
    telegram: CachedStatement<'c>,
    cable: CachedStatement<'c>,
    xref: CachedStatement<'c>,
}

impl<'c> ApparatusWriter<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Result<Self, StoreError> {
        Ok(ApparatusWriter {
            markings: conn.prepare_cached(
                "INSERT INTO markings (document_key, volume_id, document_id, doc_type,
                    doc_family, circular, classification, classification_as_written, precedence,
                    caveats, code_words, repository, repository_as_written, record_group, lot,
                    archive_path, decimal_files, drafted_by, cleared_by, approved_by, sent_to,
                    repeated_to, received, reading_marks, printed_from, remainder, from_party,
                    to_party, from_persons, to_persons, markers, serial_number, sent_time,
                    received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31,
                    ?32, ?33, ?34)",
            )?,
            telegram: conn.prepare_cached(
                "INSERT INTO telegrams (document_key, seq, volume_id, document_id, raw, number,
                    series, origin, sender, destination)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?,
            cable: conn.prepare_cached(
                "INSERT INTO cable_refs (document_key, seq, volume_id, document_id, footnote_id,
                    place, raw, number, series, keyword, origin_as_written, origin, sender,
                    destination, circular)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?,
            xref: conn.prepare_cached(
                "INSERT INTO text_refs (document_key, seq, volume_id, document_id, footnote_id,
                    place, raw, target_volume, target_element, kind, surface)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?,
        })
    }

    pub(crate) fn insert(
        &mut self,
        key: i64,
        vid: &str,
        doc_id: &str,
        p: &PreparedApparatus,
    ) -> Result<(), StoreError> {
        if let Some(m) = &p.markings {
            self.markings.execute(params![
                key,
                vid,
                doc_id,
                m.doc_type,
                m.doc_family,
                m.circular,
                m.classification,
                m.classification_as_written,
                m.precedence,
                m.caveats,
                m.code_words,
                m.repository,
                m.repository_as_written,
                m.record_group,
                m.lot,
                m.archive_path,
                m.decimal_files,
                m.drafted_by,
                m.cleared_by,
                m.approved_by,
                m.sent_to,
                m.repeated_to,
                m.received,
                m.reading_marks,
                m.printed_from,
                m.remainder,
                m.from_party,
                m.to_party,
                m.from_persons,
                m.to_persons,
                m.markers,
                m.serial_number,
                m.sent_time,
                m.received_at,
            ])?;
        }
        for (i, t) in p.telegrams.iter().enumerate() {
            self.telegram.execute(params![
                key,
                i as i64,
                vid,
                doc_id,
                t.raw,
                t.number,
                t.series,
                t.origin,
                t.sender,
                t.destination
            ])?;
        }
        for (i, c) in p.cables.iter().enumerate() {
            self.cable.execute(params![
                key,
                i as i64,
                vid,
                doc_id,
                c.footnote_id,
                c.place,
                c.raw,
                c.number,
                c.series,
                c.keyword,
                c.origin_as_written,
                c.origin,
                c.sender,
                c.destination,
                c.circular
            ])?;
        }
        for (i, x) in p.xrefs.iter().enumerate() {
            self.xref.execute(params![
                key,
                i as i64,
                vid,
                doc_id,
                x.footnote_id,
                x.place,
                x.raw,
                x.target_volume,
                x.element,
                x.kind,
                x.surface
            ])?;
        }
        Ok(())
    }
}

/// Resolve cable references matching `filter` to the archive document carrying the cited
/// telegram: same serial number (or, for a series-only citation, same series number), no
/// conflicting series, the same origin place or sender office, not the citing document itself,
/// and dated within 400 days of the citing document (serial numbers restart every year). Among
/// several candidates the nearest in date wins, then volume and reading order. No candidate
/// leaves the reference external (NULL).
pub(crate) fn resolve_cables<P: Params + Copy>(
    conn: &Connection,
    filter: &str,
    params: P,
) -> Result<(), StoreError> {
    // Two passes: a telegram printed in the citing document's own volume answers first (where
    // compilers usually print the reply, and an index lookup); only references still
    // unanswered search the whole archive by date distance. One pass over the archive made every
    // reference scan every telegram sharing its number, in every volume.
    for (restrict, only_unresolved) in [
        ("AND t.volume_id = cable_refs.volume_id", false),
        ("", true),
    ] {
        // The archive-wide pass only for references some telegram could answer: an indexed
        // existence test on number and origin or sender (what the resolver demands anyway).
        // A series-only citation ("Secto 10") needs a telegram of that series (through the
        // case-blind series index): letting every one through made each scan all telegrams.
        let filter = if only_unresolved {
            format!(
                "({filter}) AND resolved_document IS NULL AND (
                   EXISTS (SELECT 1 FROM telegrams x WHERE x.number = cable_refs.number
                             AND x.origin = cable_refs.origin COLLATE NOCASE)
                   OR EXISTS (SELECT 1 FROM telegrams x WHERE x.number = cable_refs.number
                                AND x.sender = cable_refs.sender COLLATE NOCASE)
                   OR (number IS NULL AND EXISTS (
                         SELECT 1 FROM telegrams x
                          WHERE x.series = cable_refs.series COLLATE NOCASE
                            AND (x.origin = cable_refs.origin COLLATE NOCASE
                                 OR x.sender = cable_refs.sender COLLATE NOCASE))))"
            )
        } else {
            filter.to_string()
        };
        let sql = format!(
            "UPDATE cable_refs SET (resolved_volume, resolved_document) = (
           SELECT t.volume_id, t.document_id
             FROM telegrams t
             JOIN documents td ON td.key = t.document_key
             LEFT JOIN documents cd ON cd.key = cable_refs.document_key
            WHERE t.document_key <> cable_refs.document_key {restrict}
              AND ((cable_refs.number IS NOT NULL AND t.number = cable_refs.number)
                OR (cable_refs.number IS NULL AND cable_refs.series IS NOT NULL
                    AND t.series = cable_refs.series COLLATE NOCASE))
              AND (cable_refs.series IS NULL OR t.series IS NULL
                   OR t.series = cable_refs.series COLLATE NOCASE)
              AND ((cable_refs.origin IS NOT NULL AND t.origin = cable_refs.origin COLLATE NOCASE)
                OR (cable_refs.sender IS NOT NULL AND t.sender = cable_refs.sender COLLATE NOCASE))
              AND (td.date_min IS NULL OR cd.date_min IS NULL
                   OR abs(julianday(substr(td.date_min, 1, 10))
                          - julianday(substr(cd.date_min, 1, 10))) <= 400)
            ORDER BY abs(coalesce(julianday(substr(td.date_min, 1, 10))
                                  - julianday(substr(cd.date_min, 1, 10)), 0)),
                     td.volume_id, td.seq, t.seq
            LIMIT 1)
         WHERE {filter}"
        );
        conn.prepare_cached(&sql)?.execute(params)?;
    }
    Ok(())
}

/// Unresolved cable references that a telegram of the documents `keys` (a subquery of document
/// keys) could now answer. Only these need resolving again: the resolver demands the same number
/// (or, without one, the same series) and the same origin or sender, so the candidates are found
/// through the new telegrams, not by re-examining every external reference that shares a number —
/// telegram numbers repeat across posts and years, and that re-examination grew with the archive.
///
/// `CROSS JOIN` fixes the join order (SQLite's planner otherwise started from the references
/// and probed every document key for each); the series side uses the case-blind series index.
fn answerable_by(keys: &str) -> String {
    format!(
        "SELECT c.document_key, c.seq FROM telegrams t
           CROSS JOIN cable_refs c ON c.number = t.number
          WHERE t.document_key IN ({keys}) AND c.resolved_document IS NULL
            AND (c.origin = t.origin COLLATE NOCASE OR c.sender = t.sender COLLATE NOCASE)
         UNION
         SELECT c.document_key, c.seq FROM telegrams t
           CROSS JOIN cable_refs c ON c.series = t.series COLLATE NOCASE
          WHERE t.document_key IN ({keys}) AND c.number IS NULL AND c.resolved_document IS NULL
            AND (c.origin = t.origin COLLATE NOCASE OR c.sender = t.sender COLLATE NOCASE)"
    )
}

/// The apparatus links of the stored volumes in `set` (an SQL set of volume ids): their own
/// cable and text references, references into them from elsewhere, and unresolved cable
/// references their telegrams may answer.
pub(crate) fn resolve_volume_links(
    conn: &Connection,
    set: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<(), StoreError> {
    let keys = format!("SELECT key FROM documents WHERE volume_id IN {set}");
    crate::write::resolve_table(
        conn,
        "text_refs",
        &format!("target_volume IN {set} OR document_key IN ({keys})"),
        params,
    )?;
    resolve_cables(
        conn,
        &format!(
            "document_key IN ({keys})
             OR resolved_volume IN {set}
             OR (document_key, seq) IN ({})",
            answerable_by(&keys)
        ),
        params,
    )
}

/// After text documents `new_ids` were added to `vid` (replacing `replaced_ids`).
pub(crate) fn after_documents(
    conn: &Connection,
    vid: &str,
    replaced_json: &str,
    new_json: &str,
) -> Result<(), StoreError> {
    let new_keys_query =
        "SELECT key FROM documents WHERE volume_id = ?1 AND id IN (SELECT value FROM json_each(?3))";
    let new_keys = format!("({new_keys_query})");
    crate::write::resolve_table(
        conn,
        "text_refs",
        &format!(
            "(target_volume = ?1 AND (resolved = 0
                 OR resolved_document IN (SELECT value FROM json_each(?2))))
             OR document_key IN {new_keys}"
        ),
        params![vid, replaced_json, new_json],
    )?;
    resolve_cables(
        conn,
        &format!(
            "document_key IN {new_keys}
             OR (resolved_volume = ?1 AND resolved_document IN (SELECT value FROM json_each(?2)))
             OR (document_key, seq) IN ({})",
            answerable_by(new_keys_query)
        ),
        params![vid, replaced_json, new_json],
    )?;
    Ok(())
}

/// Replace the authority members of volume `vid` by its persons list. The members get a
/// provisional id (the slug of their own name) and their block keys; the blocks they leave and
/// join are marked dirty and regrouped by [`recluster_authority`] when the run's links are
/// resolved, because who is one person depends on every volume that shares a surname.
pub(crate) fn rebuild_authority(
    conn: &Connection,
    vid: &str,
    persons: &[GlossaryEntry],
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO authority_dirty (key)
         SELECT key FROM authority_keys WHERE volume_id = ?1",
        [vid],
    )?;
    conn.execute("DELETE FROM authority_members WHERE volume_id = ?1", [vid])?;
    let mut member = conn.prepare_cached(
        "INSERT OR IGNORE INTO authority_members (volume_id, person_id, authority_id, name,
            description)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut key = conn.prepare_cached(
        "INSERT OR IGNORE INTO authority_keys (key, volume_id, person_id) VALUES (?1, ?2, ?3)",
    )?;
    let mut dirty =
        conn.prepare_cached("INSERT OR IGNORE INTO authority_dirty (key) VALUES (?1)")?;
    for p in persons {
        let provisional = authority::slug(&p.name).unwrap_or_else(|| p.id.clone());
        if member.execute(params![vid, p.id, provisional, p.name, p.description])? == 0 {
            continue;
        }
        for k in authority::keys(&p.name, &p.description) {
            key.execute(params![k, vid, p.id])?;
            dirty.execute([&k])?;
        }
    }
    Ok(())
}

/// Regroup the persons of every dirty block (see [`rebuild_authority`]): the entries sharing a
/// key with a dirty block, and transitively every entry sharing a key with those, are grouped
/// by [`authority::cluster`] and their ids and damage written back. Returns how many entries
/// were regrouped.
pub(crate) fn recluster_authority(conn: &Connection) -> Result<usize, StoreError> {
    let mut frontier: Vec<String> = conn
        .prepare_cached("SELECT key FROM authority_dirty")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if frontier.is_empty() {
        return Ok(0);
    }
    let mut keys: HashSet<String> = frontier.iter().cloned().collect();
    let mut members: BTreeSet<(String, String)> = BTreeSet::new();
    let mut of_key =
        conn.prepare_cached("SELECT volume_id, person_id FROM authority_keys WHERE key = ?1")?;
    let mut keys_of = conn
        .prepare_cached("SELECT key FROM authority_keys WHERE volume_id = ?1 AND person_id = ?2")?;
    while let Some(k) = frontier.pop() {
        let found: Vec<(String, String)> = of_key
            .query_map([&k], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for m in found {
            if !members.insert(m.clone()) {
                continue;
            }
            let more: Vec<String> = keys_of
                .query_map(params![m.0, m.1], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for k in more {
                if keys.insert(k.clone()) {
                    frontier.push(k);
                }
            }
        }
    }
    let mut read = conn.prepare_cached(
        "SELECT name, description FROM authority_members WHERE volume_id = ?1 AND person_id = ?2",
    )?;
    let mut rows: Vec<(String, String, String, String)> = Vec::with_capacity(members.len());
    for (v, id) in &members {
        if let Some((name, description)) = read
            .query_row(params![v, id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
        {
            rows.push((v.clone(), id.clone(), name, description));
        }
    }
    let entries: Vec<authority::Entry> = rows
        .iter()
        .map(|(v, id, name, description)| authority::Entry {
            volume: v,
            id,
            name,
            description,
        })
        .collect();
    let grouped = authority::cluster(&entries);
    let mut write = conn.prepare_cached(
        "UPDATE authority_members SET authority_id = ?3, damage = ?4
          WHERE volume_id = ?1 AND person_id = ?2",
    )?;
    for (e, m) in entries.iter().zip(&grouped) {
        let damage = m.damage.map(|d| d.to_string());
        write.execute(params![e.volume, e.id, m.authority_id, damage])?;
    }
    conn.execute("DELETE FROM authority_dirty", [])?;
    Ok(entries.len())
}

/// Fill the apparatus tables for an archive written before they existed (schema migration to
/// version 3), inside the migration's transaction: every stored document is analysed from its
/// JSON, then references, cables and the authority are resolved as a store would.
pub(crate) fn backfill(conn: &Connection) -> Result<(), StoreError> {
    let docs: Vec<(i64, String, String)> = conn
        .prepare("SELECT key, volume_id, json FROM documents ORDER BY key")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut writer = ApparatusWriter::new(conn)?;
    let mut targets =
        conn.prepare("SELECT target_volume, target_element FROM refs WHERE document_key = ?1")?;
    for (key, vid, text) in docs {
        let doc: Document = serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("documents.json of key {key}: {e}")))?;
        let tei_targets: HashSet<(Option<String>, Option<String>)> = targets
            .query_map([key], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(|(v, e)| {
                (
                    v,
                    e.map(|e| e.find("fn").map_or(e.clone(), |i| e[..i].to_string())),
                )
            })
            .collect();
        let Some(analysis) = analyse(&doc) else {
            continue;
        };
        let enriched = chancery_apparatus::enrich(&doc, &analysis);
        if let Some(e) = &enriched {
            crate::write::update_document_fields(conn, key, e)?;
        }
        let doc = enriched.as_ref().unwrap_or(&doc);
        let prepared = prepare_analysed(&vid, doc, &tei_targets, &analysis)?;
        writer.insert(key, &vid, &doc.id, &prepared)?;
    }
    drop((writer, targets));
    crate::write::resolve_table(conn, "text_refs", "1", params![])?;
    resolve_cables(conn, "1", params![])?;
    let volumes: Vec<String> = conn
        .prepare("SELECT id FROM volumes ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for vid in volumes {
        let persons: Vec<GlossaryEntry> = conn
            .prepare_cached(
                "SELECT id, name, description FROM persons WHERE volume_id = ?1 ORDER BY seq",
            )?
            .query_map([&vid], |r| {
                Ok(GlossaryEntry {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    description: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        rebuild_authority(conn, &vid, &persons)?;
        link_bare_mentions(conn, &vid, &persons)?;
    }
    recluster_authority(conn)?;
    Ok(())
}

/// Link the bare person names of a stored volume to its persons list (as ingest does).
fn link_bare_mentions(
    conn: &Connection,
    vid: &str,
    persons: &[GlossaryEntry],
) -> Result<(), StoreError> {
    if persons.is_empty() {
        return Ok(());
    }
    let bare: Vec<(i64, i64, String)> = conn
        .prepare_cached(
            "SELECT document_key, seq, surface FROM mentions
              WHERE volume_id = ?1 AND kind = 'person' AND target IS NULL",
        )?
        .query_map([vid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut update = conn.prepare_cached(
        "UPDATE mentions SET target = ?3, linked = 1 WHERE document_key = ?1 AND seq = ?2",
    )?;
    for (key, seq, surface) in bare {
        if let Some(id) = chancery_apparatus::persons::link(&surface, persons) {
            update.execute(params![key, seq, id])?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading

/// A document pointed at, with what a reader needs to list it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocLink {
    /// The document's volume.
    pub volume_id: String,
    /// The document's id in its volume.
    pub document_id: String,
    /// Its heading as plain text.
    pub heading: Option<String>,
    /// The start of its date interval, if dated.
    pub date_min: Option<String>,
}

/// A document's markings, type and parties (the `markings` table).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Markings {
    /// The specific type: "memorandum of conversation", "telegram", "despatch".
    pub doc_type: Option<String>,
    /// Its family: "memorandum", "telegram", "despatch".
    pub doc_family: Option<String>,
    /// Form marks: circular, paraphrase, extract, translation.
    pub markers: Vec<String>,
    /// The despatch's or instruction's own number ("No. 144.]" → "144").
    pub serial_number: Option<String>,
    /// The time of day of the dateline (`14:10Z`).
    pub sent_time: Option<String>,
    /// When the telegram was received (`1940-10-13T07:00`).
    pub received_at: Option<String>,
    /// A circular: a telegram, airgram or instruction sent to many posts.
    pub circular: bool,
    /// Normalised: "Top Secret", "Secret", …, "No classification marking".
    pub classification: Option<String>,
    /// The classification as the source note prints it.
    pub classification_as_written: Option<String>,
    /// "Flash", "Niact", "Immediate", "Priority", "Routine", "Operational Immediate".
    pub precedence: Option<String>,
    /// Handling caveats ("Nodis", "Eyes Only").
    pub caveats: Vec<String>,
    /// Channel code words ("HARVAN", "Plus").
    pub code_words: Vec<String>,
    /// The repository, normalised ("National Archives and Records Administration").
    pub repository: Option<String>,
    /// The repository as printed.
    pub repository_as_written: Option<String>,
    /// "RG 59".
    pub record_group: Option<String>,
    /// "93 D 82" (without "Lot").
    pub lot: Option<String>,
    /// The rest of the archival citation, outermost first.
    pub archive_path: Vec<String>,
    /// Department of State decimal file numbers ("751G.00/1–1449").
    pub decimal_files: Vec<String>,
    /// Who drafted the document, as printed.
    pub drafted_by: Vec<String>,
    /// Who cleared it, as printed.
    pub cleared_by: Vec<String>,
    /// Who approved it, as printed.
    pub approved_by: Vec<String>,
    /// Addressees of "Sent to" and "Also sent to".
    pub sent_to: Vec<Addressee>,
    /// Addressees of "Repeated to", and of the distribution line at a telegram's foot.
    pub repeated_to: Vec<Addressee>,
    /// The received time as the source note prints it ("2:53 p.m.").
    pub received: Option<String>,
    /// Reading marks as stored: a JSON array of `{kind, reader, quoted, text}`.
    pub reading_marks: serde_json::Value,
    /// "Printed from an unsigned copy" and the like.
    pub printed_from: Option<String>,
    /// Source-note sentences the parser did not consume, kept verbatim.
    pub remainder: Vec<String>,
    /// The sender: from the heading, else what the TEI marks.
    pub from: Option<Party>,
    /// The recipient, found as the sender is.
    pub to: Option<Party>,
}

/// A sender or recipient: office and person as the heading gives them, with the glossary
/// entries (and their authority ids) the person is linked to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// The party as the heading writes it.
    pub text: String,
    /// The office ("President's Special Assistant"), when it names one.
    pub office: Option<String>,
    /// The person ("Rostow"), when it names one.
    pub person: Option<String>,
    /// The glossary entries the person is linked to.
    pub persons: Vec<PersonLink>,
}

/// A glossary entry of a volume and its series-wide authority id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonLink {
    /// The volume whose persons list holds the entry.
    pub volume_id: String,
    /// The entry's id in that list (`p_HWA1`).
    pub person_id: String,
    /// The name as the list prints it.
    pub name: String,
    /// The description after the name.
    pub description: String,
    /// The series-wide person this entry is one of; `None` when the entry's name is damaged and
    /// no person's entries take it in.
    pub authority_id: Option<String>,
    /// Why the printed name is not a proper name ("encoding damage"), when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damage: Option<String>,
}

/// One of a document's own telegram numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelegramIdentity {
    /// As printed: "21737/Delto 788", "CAP 82396".
    pub raw: String,
    /// Serial number ("21737"), if there is one.
    pub number: Option<String>,
    /// Channel series with its number ("Delto 788"), if there is one.
    pub series: Option<String>,
    /// Where it was sent from ("Paris").
    pub origin: Option<String>,
    /// Sending office ("Embassy in France").
    pub sender: Option<String>,
    /// Receiving office ("Department of State").
    pub destination: Option<String>,
}

/// A telegram cited by a document: resolved to the archive document carrying it, or external.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CableRef {
    /// The note it is in (the source note included); `None` in the body.
    pub footnote_id: Option<String>,
    /// `source-note`, `body` or `note`.
    pub place: String,
    /// As written: "Embtel 256", "Paris 22390".
    pub raw: String,
    /// Serial number, if cited.
    pub number: Option<String>,
    /// Channel series with its number, if cited.
    pub series: Option<String>,
    /// How it is introduced: `telegram`, `embtel`, `deptel`, `place`, `series`, …
    pub keyword: String,
    /// The origin the text names ("Paris", "State").
    pub origin_as_written: Option<String>,
    /// The origin it stands for: as written, else inferred.
    pub origin: Option<String>,
    /// The sending office it stands for: as written, else inferred.
    pub sender: Option<String>,
    /// "to X" when the text says so.
    pub destination: Option<String>,
    /// The archive document carrying the telegram; `None`: an external telegram.
    pub resolved: Option<DocLink>,
}

/// A cross-reference (TEI `ref` or a text pattern).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossRef {
    /// `tei` or `text`.
    pub source: String,
    /// The note it is in; `None` in the heading or body.
    pub footnote_id: Option<String>,
    /// The target in `ref/@target` form: `#d40`, `frus1964-68v06#d299`.
    pub raw: String,
    /// The words of the link ("Document 40").
    pub surface: String,
    /// `document`, `footnote`, `page`, `volume`, `other` or `external`.
    pub kind: String,
    /// The volume named; `None` when a printed volume could not be identified.
    pub target_volume: Option<String>,
    /// The element named in that volume (`d40`, `pg_67`).
    pub target_element: Option<String>,
    /// Whether the target is in the archive; `None` for web links.
    pub resolved: Option<bool>,
    /// The archive document the target is or lies in, when resolved.
    pub resolved_document: Option<String>,
}

/// A document's place among telegrams: the cables it cites that are in the archive, and the
/// archive documents citing it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    /// Documents carrying the telegrams this one cites.
    pub answers: Vec<DocLink>,
    /// Documents citing this one's telegrams.
    pub answered_by: Vec<DocLink>,
}

/// Everything the apparatus knows about one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Apparatus {
    /// Type, markings and parties, if the document was analysed.
    pub markings: Option<Markings>,
    /// The document's own telegram numbers.
    pub telegrams: Vec<TelegramIdentity>,
    /// Telegrams it cites, resolved where the archive has them.
    pub cable_refs: Vec<CableRef>,
    /// What it answers and what answers it.
    pub thread: Thread,
    /// Its cross-references, TEI and text.
    pub cross_refs: Vec<CrossRef>,
    /// Those of its cross-references whose target is not in the archive.
    pub unresolved_refs: Vec<CrossRef>,
    /// Documents whose cross-references point at it.
    pub cited_by: Vec<DocLink>,
    /// The persons-list entries it mentions.
    pub persons: Vec<PersonLink>,
}

impl Markings {
    /// Who wrote the document to whom, and what kind it is, named as a citation names them: a
    /// person by the full name of the persons-list entry the heading links to ("Walt W.
    /// Rostow"), else as the heading writes the person ("Rostow"), else the office ("Embassy in
    /// France").
    pub fn correspondents(&self) -> Correspondence {
        let name = |p: &Option<Party>| -> Option<String> {
            let p = p.as_ref()?;
            if let [one] = p.persons.as_slice() {
                return Some(natural_name(&one.name));
            }
            p.person
                .clone()
                .or_else(|| p.office.clone())
                .or_else(|| Some(p.text.clone()))
                .filter(|s| !s.trim().is_empty())
        };
        Correspondence {
            sender: name(&self.from),
            recipient: name(&self.to),
            kind: self.doc_type.as_ref().map(|k| k.to_lowercase()),
        }
    }
}

/// "Rostow, Walt W." → "Walt W. Rostow"; "Abrams, General Creighton" → "General Creighton
/// Abrams"; a name without a comma as printed.
pub fn natural_name(glossary_name: &str) -> String {
    match glossary_name.split_once(',') {
        Some((surname, rest)) => {
            let given = rest.split(',').next().unwrap_or("").trim();
            if given.is_empty() {
                surname.trim().to_string()
            } else {
                format!("{given} {}", surname.trim())
            }
        }
        None => glossary_name.trim().to_string(),
    }
}

/// A series-wide person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityPerson {
    /// The authority id: the slug of the name shown.
    pub id: String,
    /// The fullest undamaged name among the members.
    pub name: String,
    /// The persons-list entries, across volumes, that are this person.
    pub members: Vec<PersonLink>,
    /// Documents mentioning any member, by date (undated last), then volume and reading order.
    pub documents: Vec<DocLink>,
}

fn strings(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn doc_key(conn: &Connection, volume: &str, id: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT key FROM documents WHERE volume_id = ?1 AND id = ?2")?
        .query_row([volume, id], |r| r.get(0))
        .optional()?)
}

fn doc_link(conn: &Connection, volume: &str, id: &str) -> Result<DocLink, StoreError> {
    let row = conn
        .prepare_cached("SELECT heading, date_min FROM documents WHERE volume_id = ?1 AND id = ?2")?
        .query_row([volume, id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .optional()?;
    Ok(DocLink {
        volume_id: volume.to_string(),
        document_id: id.to_string(),
        heading: row.as_ref().map(|r| r.0.clone()),
        date_min: row.and_then(|r| r.1),
    })
}

pub(crate) fn person_link(
    conn: &Connection,
    volume: &str,
    id: &str,
) -> Result<Option<PersonLink>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT p.name, p.description,
                    CASE WHEN EXISTS (SELECT 1 FROM authority_persons a WHERE a.id = m.authority_id)
                         THEN m.authority_id END,
                    m.damage
               FROM persons p
               LEFT JOIN authority_members m ON m.volume_id = p.volume_id AND m.person_id = p.id
              WHERE p.volume_id = ?1 AND p.id = ?2 ORDER BY p.seq LIMIT 1",
        )?
        .query_row([volume, id], |r| {
            Ok(PersonLink {
                volume_id: volume.to_string(),
                person_id: id.to_string(),
                name: r.get(0)?,
                description: r.get(1)?,
                authority_id: r.get(2)?,
                damage: r.get(3)?,
            })
        })
        .optional()?)
}

/// The glossary entry a heading's person names, when the heading did not tag one: the volume's
/// only entry whose surname is that name ("Rostow" → "Rostow, Walt W."). Ambiguous or absent:
/// none (under-link rather than mislink).
fn person_by_surname(
    conn: &Connection,
    volume: &str,
    person: &str,
) -> Result<Option<PersonLink>, StoreError> {
    let glossary: Vec<GlossaryEntry> = conn
        .prepare_cached("SELECT id, name FROM persons WHERE volume_id = ?1 ORDER BY seq")?
        .query_map([volume], |r| {
            Ok(GlossaryEntry {
                id: r.get(0)?,
                name: r.get(1)?,
                description: String::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    match chancery_apparatus::persons::link(person, &glossary) {
        Some(id) => person_link(conn, volume, id),
        None => Ok(None),
    }
}

fn party(
    conn: &Connection,
    volume: &str,
    json_text: Option<String>,
    tagged: &[String],
) -> Result<Option<Party>, StoreError> {
    let Some(text) = json_text else {
        return Ok(None);
    };
    let p: chancery_apparatus::heading::Party = serde_json::from_str(&text)
        .map_err(|e| StoreError::Corrupt(format!("markings party: {e}")))?;
    let mut persons = Vec::new();
    for id in tagged {
        // A cross-volume id ("frus…#p_…") names its own volume.
        let (v, i) = match id.split_once('#') {
            Some((v, i)) if !v.is_empty() => (v, i),
            _ => (volume, id.as_str()),
        };
        if let Some(l) = person_link(conn, v, i)? {
            persons.push(l);
        }
    }
    if persons.is_empty() {
        if let Some(name) = &p.person {
            if let Some(l) = person_by_surname(conn, volume, name)? {
                persons.push(l);
            }
        }
    }
    Ok(Some(Party {
        text: p.text,
        office: p.office,
        person: p.person,
        persons,
    }))
}

fn markings(conn: &Connection, key: i64, volume: &str) -> Result<Option<Markings>, StoreError> {
    const TEXT_COLUMNS: usize = 30;
    let raw = conn
        .prepare_cached(
            "SELECT doc_type, doc_family, classification, classification_as_written,
                precedence, caveats, code_words, repository, repository_as_written,
                record_group, lot, archive_path, decimal_files, drafted_by, cleared_by,
                approved_by, sent_to, repeated_to, received, reading_marks, printed_from,
                remainder, from_party, to_party, from_persons, to_persons, markers,
                serial_number, sent_time, received_at, circular
             FROM markings WHERE document_key = ?1",
        )?
        .query_row([key], |r| {
            let mut cols: [Option<String>; TEXT_COLUMNS] = Default::default();
            for (i, c) in cols.iter_mut().enumerate() {
                *c = r.get(i)?;
            }
            Ok((cols, r.get::<_, bool>(TEXT_COLUMNS)?))
        })
        .optional()?;
    let Some((c, circular)) = raw else {
        return Ok(None);
    };
    let s = |i: usize| c[i].clone();
    let v = |i: usize| c[i].as_deref().map(strings).unwrap_or_default();
    let addr = |i: usize| -> Vec<Addressee> {
        c[i].as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    };
    Ok(Some(Markings {
        doc_type: s(0),
        doc_family: s(1),
        markers: v(26),
        serial_number: s(27),
        sent_time: s(28),
        received_at: s(29),
        circular,
        classification: s(2),
        classification_as_written: s(3),
        precedence: s(4),
        caveats: v(5),
        code_words: v(6),
        repository: s(7),
        repository_as_written: s(8),
        record_group: s(9),
        lot: s(10),
        archive_path: v(11),
        decimal_files: v(12),
        drafted_by: v(13),
        cleared_by: v(14),
        approved_by: v(15),
        sent_to: addr(16),
        repeated_to: addr(17),
        received: s(18),
        reading_marks: c[19]
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(serde_json::Value::Array(Vec::new())),
        printed_from: s(20),
        remainder: v(21),
        from: party(conn, volume, s(22), &v(24))?,
        to: party(conn, volume, s(23), &v(25))?,
    }))
}

/// The apparatus of one document, or `None` when the document is not in the archive.
pub(crate) fn apparatus(
    conn: &Connection,
    volume: &str,
    id: &str,
) -> Result<Option<Apparatus>, StoreError> {
    let Some(key) = doc_key(conn, volume, id)? else {
        return Ok(None);
    };
    let markings = markings(conn, key, volume)?;
    let telegrams = conn
        .prepare_cached(
            "SELECT raw, number, series, origin, sender, destination FROM telegrams
              WHERE document_key = ?1 ORDER BY seq",
        )?
        .query_map([key], |r| {
            Ok(TelegramIdentity {
                raw: r.get(0)?,
                number: r.get(1)?,
                series: r.get(2)?,
                origin: r.get(3)?,
                sender: r.get(4)?,
                destination: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let raw_cables = conn
        .prepare_cached(
            "SELECT footnote_id, place, raw, number, series, keyword, origin_as_written, origin,
                sender, destination, resolved_volume, resolved_document
             FROM cable_refs WHERE document_key = ?1 ORDER BY seq",
        )?
        .query_map([key], |r| {
            Ok((
                CableRef {
                    footnote_id: r.get(0)?,
                    place: r.get(1)?,
                    raw: r.get(2)?,
                    number: r.get(3)?,
                    series: r.get(4)?,
                    keyword: r.get(5)?,
                    origin_as_written: r.get(6)?,
                    origin: r.get(7)?,
                    sender: r.get(8)?,
                    destination: r.get(9)?,
                    resolved: None,
                },
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<String>>(11)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut cable_refs = Vec::with_capacity(raw_cables.len());
    let mut answers: Vec<DocLink> = Vec::new();
    for (mut c, v, d) in raw_cables {
        if let (Some(v), Some(d)) = (v, d) {
            let link = doc_link(conn, &v, &d)?;
            if !answers.contains(&link) {
                answers.push(link.clone());
            }
            c.resolved = Some(link);
        }
        cable_refs.push(c);
    }
    let answered_by = links(
        conn,
        "SELECT DISTINCT c.volume_id, c.document_id FROM cable_refs c
           JOIN documents d ON d.key = c.document_key
          WHERE c.resolved_volume = ?1 AND c.resolved_document = ?2
          ORDER BY d.date_min IS NULL, d.date_min, d.volume_id, d.seq",
        volume,
        id,
    )?;
    let mut cross_refs = Vec::new();
    for (table, source) in [("refs", "tei"), ("text_refs", "text")] {
        let sql = format!(
            "SELECT footnote_id, raw, surface, kind, target_volume, target_element, resolved,
                resolved_document
             FROM {table} WHERE document_key = ?1 ORDER BY seq"
        );
        let rows = conn
            .prepare_cached(&sql)?
            .query_map([key], |r| {
                Ok(CrossRef {
                    source: source.to_string(),
                    footnote_id: r.get(0)?,
                    raw: r.get(1)?,
                    surface: r.get(2)?,
                    kind: r.get(3)?,
                    target_volume: r.get(4)?,
                    target_element: r.get(5)?,
                    resolved: r.get::<_, Option<i64>>(6)?.map(|v| v != 0),
                    resolved_document: r.get(7)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        cross_refs.extend(rows);
    }
    let unresolved_refs = cross_refs
        .iter()
        .filter(|r| r.resolved == Some(false))
        .cloned()
        .collect();
    let cited_by = cited_by(conn, volume, id)?;
    let person_ids: Vec<String> = conn
        .prepare_cached(
            "SELECT target FROM mentions
              WHERE document_key = ?1 AND kind = 'person' AND target IS NOT NULL
              GROUP BY target ORDER BY min(seq)",
        )?
        .query_map([key], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut persons = Vec::new();
    for target in person_ids {
        let t = target.trim_start_matches('#');
        let (v, i) = match t.split_once('#') {
            Some((v, i)) if !v.is_empty() => (v, i),
            _ => (volume, t),
        };
        if let Some(l) = person_link(conn, v, i)? {
            persons.push(l);
        }
    }
    Ok(Some(Apparatus {
        markings,
        telegrams,
        cable_refs,
        thread: Thread {
            answers,
            answered_by,
        },
        cross_refs,
        unresolved_refs,
        cited_by,
        persons,
    }))
}

fn links(conn: &Connection, sql: &str, volume: &str, id: &str) -> Result<Vec<DocLink>, StoreError> {
    let pairs: Vec<(String, String)> = conn
        .prepare_cached(sql)?
        .query_map([volume, id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    pairs.iter().map(|(v, d)| doc_link(conn, v, d)).collect()
}

/// Documents whose cross-references (TEI or text) land in `volume/id`, other than itself.
pub(crate) fn cited_by(
    conn: &Connection,
    volume: &str,
    id: &str,
) -> Result<Vec<DocLink>, StoreError> {
    links(
        conn,
        "SELECT x.volume_id, x.document_id FROM (
             SELECT volume_id, document_id FROM refs
              WHERE target_volume = ?1 AND resolved_document = ?2
             UNION
             SELECT volume_id, document_id FROM text_refs
              WHERE target_volume = ?1 AND resolved_document = ?2) x
           JOIN documents d ON d.volume_id = x.volume_id AND d.id = x.document_id
          WHERE NOT (x.volume_id = ?1 AND x.document_id = ?2)
          ORDER BY d.volume_id, d.seq",
        volume,
        id,
    )
}

/// The thread of `volume/id` alone.
pub(crate) fn thread(
    conn: &Connection,
    volume: &str,
    id: &str,
) -> Result<Option<Thread>, StoreError> {
    Ok(apparatus(conn, volume, id)?.map(|a| a.thread))
}

/// One series-wide person with members and documents.
pub(crate) fn person(conn: &Connection, id: &str) -> Result<Option<AuthorityPerson>, StoreError> {
    let name: Option<String> = conn
        .prepare_cached("SELECT name FROM authority_persons WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let Some(name) = name else {
        return Ok(None);
    };
    let members = conn
        .prepare_cached(
            "SELECT volume_id, person_id, name, description, damage FROM authority_members
              WHERE authority_id = ?1 ORDER BY volume_id, person_id",
        )?
        .query_map([id], |r| {
            Ok(PersonLink {
                volume_id: r.get(0)?,
                person_id: r.get(1)?,
                name: r.get(2)?,
                description: r.get(3)?,
                authority_id: Some(id.to_string()),
                damage: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let documents = conn
        .prepare_cached(
            "SELECT d.volume_id, d.id, d.heading, d.date_min FROM documents d
              WHERE d.key IN (SELECT m.document_key FROM mentions m
                                JOIN authority_members a
                                  ON a.volume_id = m.volume_id AND a.person_id = m.target
                               WHERE a.authority_id = ?1 AND m.kind = 'person')
              ORDER BY d.date_min IS NULL, d.date_min, d.volume_id, d.seq",
        )?
        .query_map([id], |r| {
            Ok(DocLink {
                volume_id: r.get(0)?,
                document_id: r.get(1)?,
                heading: r.get(2)?,
                date_min: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(AuthorityPerson {
        id: id.to_string(),
        name,
        members,
        documents,
    }))
}

/// Authority persons whose key or member names match `query` (case-insensitive substring), with
/// member counts: for finding an id.
pub(crate) fn find_persons(
    conn: &Connection,
    query: &str,
) -> Result<BTreeMap<String, String>, StoreError> {
    let rows = conn
        .prepare_cached(
            "SELECT DISTINCT p.id, p.name FROM authority_persons p
               JOIN authority_members m ON m.authority_id = p.id
              WHERE m.name LIKE '%' || ?1 || '%' OR p.id LIKE '%' || ?1 || '%'
              ORDER BY p.id LIMIT 200",
        )?
        .query_map([query], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    Ok(rows)
}

/// A printed FRUS citation resolved to an archive document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitationMatch {
    /// What the citation was read as (`frus1964-68v07/d45`, `frus1949v07p1/pg_23`).
    pub citation: String,
    /// The volume cited.
    pub volume_id: String,
    /// The document, when it is in the archive.
    pub document: Option<DocLink>,
    /// The footnote cited, when the citation names one and it exists.
    pub footnote_id: Option<String>,
}

/// Resolve a printed citation ("FRUS, 1964–1968, vol. VII, doc. 45"; "Foreign Relations, 1949,
/// vol. VII, Part 1, p. 23"). `None` when the text is not a FRUS citation; a match without a
/// document when the cited volume or document is not in the archive.
pub(crate) fn lookup_citation(
    conn: &Connection,
    text: &str,
) -> Result<Option<CitationMatch>, StoreError> {
    let Some(c) = chancery_apparatus::citation::parse_citation(text) else {
        return Ok(None);
    };
    let vid = c.volume_id.clone();
    let mut footnote_id = None;
    let doc: Option<String> = if let Some(d) = c.document {
        let id = format!("d{d}");
        let found: Option<String> = conn
            .prepare_cached(
                "SELECT id FROM documents WHERE volume_id = ?1 AND (id = ?2 OR number = ?3)
                  ORDER BY id = ?2 DESC, seq LIMIT 1",
            )?
            .query_row(params![vid, id, d.to_string()], |r| r.get(0))
            .optional()?;
        if let (Some(doc), Some(f)) = (&found, c.footnote) {
            footnote_id = conn
                .prepare_cached(
                    "SELECT id FROM footnotes WHERE volume_id = ?1 AND document_id = ?2
                       AND (id = ?3 OR mark = ?4) ORDER BY id = ?3 DESC, seq LIMIT 1",
                )?
                .query_row(
                    params![vid, doc, format!("{doc}fn{f}"), f.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
        }
        found
    } else if let Some(p) = c.page {
        // The page's text starts at its break: the document holding `pg_N` (by id, else by
        // printed number); a page inside a long document starts mid-document but is still in it.
        conn.prepare_cached(
            "SELECT p.document_id FROM pages p JOIN documents d ON d.key = p.document_key
              WHERE p.volume_id = ?1 AND (p.id = ?2 OR p.n = ?3)
              ORDER BY p.id = ?2 DESC, d.seq, p.seq LIMIT 1",
        )?
        .query_row(params![vid, format!("pg_{p}"), p.to_string()], |r| r.get(0))
        .optional()?
        .map_or_else(
            // No break for that page: it continues the page before it, so the document holding
            // the last earlier break — provided a later break exists (the page is not past the
            // end of what the archive holds).
            || -> Result<Option<String>, StoreError> {
                Ok(conn
                    .prepare_cached(
                        "SELECT p.document_id FROM pages p
                           JOIN documents d ON d.key = p.document_key
                          WHERE p.volume_id = ?1 AND p.footnote_id IS NULL
                            AND p.n GLOB '[0-9]*' AND CAST(p.n AS INTEGER) < ?2
                            AND EXISTS (SELECT 1 FROM pages q WHERE q.volume_id = ?1
                                          AND q.n GLOB '[0-9]*' AND CAST(q.n AS INTEGER) > ?2)
                          ORDER BY CAST(p.n AS INTEGER) DESC, d.seq DESC, p.seq DESC LIMIT 1",
                    )?
                    .query_row(params![vid, i64::from(p)], |r| r.get(0))
                    .optional()?)
            },
            |d| Ok(Some(d)),
        )?
    } else {
        None
    };
    let document = doc.map(|d| doc_link(conn, &vid, &d)).transpose()?;
    Ok(Some(CitationMatch {
        citation: c.path(),
        volume_id: vid,
        document,
        footnote_id,
    }))
}
