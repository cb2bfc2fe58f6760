//! Writing volumes and documents. Every function here runs inside the caller's transaction and
//! never commits; any error propagates and the dropped transaction rolls back.

use std::collections::HashMap;

use chancery_model::{
    Division, Document, Origin, ParsedVolume, ReferenceKind, SourceFormat, Volume, Warning,
};
use rusqlite::{params, CachedStatement, Connection, ErrorCode, OptionalExtension};

use crate::{StoreError, StoreReport};

mod prepare;
mod witness;
use prepare::PreparedDocument;
pub use prepare::{prepare, FlatText, PreparedVolume};
use witness::{
    add_witness, record_witness_file, restore_witnesses, saved_witnesses, text_document_as_witness,
    witness_target,
};

/// Documents added from text captures sort after the TEI ones (whose `seq` is their position),
/// by their number, whatever order the files arrive in.
pub(crate) const TEXT_SEQ_BASE: i64 = 1_000_000;

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

pub(crate) fn format_str(f: SourceFormat) -> &'static str {
    match f {
        SourceFormat::Tei => "tei",
        SourceFormat::Text => "text",
        SourceFormat::Bibliography => "bibliography",
    }
}

fn ref_kind_str(k: ReferenceKind) -> &'static str {
    match k {
        ReferenceKind::Document => "document",
        ReferenceKind::Footnote => "footnote",
        ReferenceKind::Page => "page",
        ReferenceKind::Volume => "volume",
        ReferenceKind::Other => "other",
        ReferenceKind::External => "external",
    }
}

fn to_i64(n: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::Invalid(format!("{what} {n} is out of range")))
}

/// Ids the archive accepts are the ids its URLs can carry (`volume_id::is_valid_id`: letters,
/// digits, `-`, `_`, `.`, not starting with a dot): a volume id with a `/` or `..` would be
/// stored but could never be shown.
fn check_ids(parsed: &ParsedVolume) -> Result<(), StoreError> {
    use chancery_model::volume_id::is_valid_id;
    let vol = &parsed.volume.id;
    if vol.is_empty() {
        return Err(StoreError::Invalid("the volume has no id".into()));
    }
    if !is_valid_id(vol) {
        return Err(StoreError::InvalidId {
            what: "volume",
            id: vol.clone(),
        });
    }
    for doc in &parsed.documents {
        if doc.id.is_empty() {
            return Err(StoreError::Invalid(format!(
                "a document of {vol} has no id"
            )));
        }
        if !is_valid_id(&doc.id) {
            return Err(StoreError::InvalidId {
                what: "document",
                id: format!("{vol}/{}", doc.id),
            });
        }
        if !doc.volume_id.is_empty() && doc.volume_id != *vol {
            return Err(StoreError::Invalid(format!(
                "document {}/{} is filed under volume {vol}",
                doc.volume_id, doc.id
            )));
        }
    }
    Ok(())
}

pub(crate) fn store_volume(
    conn: &Connection,
    parsed: &ParsedVolume,
    prepared: Option<&PreparedVolume>,
) -> Result<StoreReport, StoreError> {
    check_ids(parsed)?;
    let own;
    let prepared = match prepared {
        Some(p) if p.fits(parsed, true) => p,
        _ => {
            own = prepare(parsed, true)?;
            &own
        }
    };
    let vol = &parsed.volume;
    let vid = vol.id.as_str();
    let mut report = StoreReport {
        volume: vid.to_string(),
        ..StoreReport::default()
    };

    let previous: Option<bool> = conn
        .prepare_cached("SELECT is_stub FROM volumes WHERE id = ?1")?
        .query_row([vid], |r| r.get(0))
        .optional()?;
    report.replaced = previous == Some(false);

    upsert_volume(conn, vol, false, true)?;

    // The witnesses of this volume's documents outlive the TEI documents they hang off (which
    // are replaced below), and text documents the TEI supersedes become witnesses of it.
    let mut witnesses = saved_witnesses(conn, vid)?;
    for doc in &parsed.documents {
        witnesses.extend(text_document_as_witness(conn, vid, &doc.id)?);
    }

    // Drop everything the previous TEI of this volume produced. Footnotes, pages, mentions, refs
    // and text-file `files` rows go with their documents (ON DELETE CASCADE).
    conn.execute(
        "DELETE FROM documents WHERE volume_id = ?1 AND format <> 'text'",
        [vid],
    )?;
    for table in ["divisions", "persons", "terms"] {
        conn.execute(&format!("DELETE FROM {table} WHERE volume_id = ?1"), [vid])?;
    }
    conn.execute(
        "DELETE FROM warnings WHERE volume_id = ?1 AND format <> 'text'",
        [vid],
    )?;
    conn.execute(
        "DELETE FROM files WHERE volume_id = ?1 AND document_id IS NULL
            AND format <> 'bibliography'",
        [vid],
    )?;
    {
        // Text documents the TEI supersedes.
        let mut del_doc =
            conn.prepare_cached("DELETE FROM documents WHERE volume_id = ?1 AND id = ?2")?;
        let mut del_warn = conn.prepare_cached(
            "DELETE FROM warnings WHERE volume_id = ?1 AND document_id = ?2 AND format = 'text'",
        )?;
        for doc in &parsed.documents {
            if del_doc.execute(params![vid, doc.id])? > 0 {
                del_warn.execute(params![vid, doc.id])?;
            }
        }
    }

    let divisions = division_rows(&vol.toc, &parsed.documents);
    report.persons = insert_glossary(conn, "persons", vid, &vol.persons)?;
    report.terms = insert_glossary(conn, "terms", vid, &vol.terms)?;
    report.divisions = insert_divisions(conn, vid, &divisions)?;

    let mut w = DocWriter::new(conn)?;
    for (i, (doc, prep)) in parsed.documents.iter().zip(&prepared.docs).enumerate() {
        let seq = to_i64(i as u64, "document position")?;
        w.insert(vid, doc, seq, &vol.origin, prep, &mut report)?;
    }
    drop(w);
    report.witnesses = restore_witnesses(conn, vid, &witnesses)?;

    report.warnings = insert_warnings(conn, vid, parsed, None)?;
    record_file(conn, parsed, None)?;
    // References inside the volume to itself were resolved above, against the parsed documents;
    // links between this volume and the rest of the archive wait for `resolve_pending`.
    conn.prepare_cached("INSERT OR IGNORE INTO pending_links (volume_id) VALUES (?1)")?
        .execute([vid])?;
    crate::apparatus::rebuild_authority(conn, vid, &vol.persons)?;
    Ok(report)
}

/// The volumes of the `pending_links` table, as an SQL set for [`resolve_links`].
const PENDING: &str = "(SELECT volume_id FROM pending_links)";

/// Resolve the links between the volumes waiting in `pending_links` and the rest of the archive,
/// then empty the table; returns how many volumes were waiting. One pass for a whole ingest run
/// instead of one per volume: per volume, each new volume re-examined references from every
/// earlier one that its telegrams might answer, which grew with the square of the run.
pub(crate) fn resolve_pending(conn: &Connection) -> Result<usize, StoreError> {
    crate::apparatus::recluster_authority(conn)?;
    let waiting: i64 = conn.query_row("SELECT count(*) FROM pending_links", [], |r| r.get(0))?;
    if waiting == 0 {
        return Ok(0);
    }
    resolve_links(conn, PENDING, &[])?;
    conn.execute("DELETE FROM pending_links", [])?;
    Ok(usize::try_from(waiting).unwrap_or(0))
}

/// Re-resolve what a stored volume in `set` (an SQL set of volume ids) may have changed:
/// references from other volumes into it, from it to others, its misses (the target may be a
/// kept text document), references in its kept text documents (whose targets may have been
/// replaced), and the apparatus links (text and cable references).
fn resolve_links(
    conn: &Connection,
    set: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<(), StoreError> {
    resolve_refs(
        conn,
        &format!(
            "(target_volume IN {set} AND volume_id <> target_volume)
             OR (document_key IN (SELECT key FROM documents WHERE volume_id IN {set})
                 AND (target_volume <> volume_id OR resolved = 0))
             OR document_key IN (SELECT key FROM documents
                                 WHERE volume_id IN {set} AND format = 'text')"
        ),
        params,
    )?;
    crate::apparatus::resolve_volume_links(conn, set, params)
}

pub(crate) fn store_documents(
    conn: &Connection,
    parsed: &ParsedVolume,
    prepared: Option<&PreparedVolume>,
    replace: bool,
) -> Result<StoreReport, StoreError> {
    check_ids(parsed)?;
    let own;
    let prepared = match prepared {
        Some(p) if p.fits(parsed, false) => p,
        _ => {
            own = prepare(parsed, false)?;
            &own
        }
    };
    let vol = &parsed.volume;
    let vid = vol.id.as_str();
    let mut report = StoreReport {
        volume: vid.to_string(),
        ..StoreReport::default()
    };
    // A capture of a document the archive has from TEI is a second witness of it, not a second
    // document; so is a capture filed under no volume whose number and heading match one
    // document of the archive.
    let mut targets = Vec::with_capacity(parsed.documents.len());
    for doc in &parsed.documents {
        targets.push(witness_target(conn, vid, doc)?);
    }
    if targets.iter().all(Option::is_some) {
        for ((doc, target), prep) in parsed.documents.iter().zip(&targets).zip(&prepared.docs) {
            if let Some(t) = target {
                let stored = prep.enriched.as_ref().unwrap_or(doc);
                if add_witness(conn, t, stored, &vol.origin)? {
                    report.witnesses += 1;
                }
                report
                    .witness_of
                    .push(format!("{}/{}", t.volume, t.document));
            }
        }
        if !report.witness_of.is_empty() {
            report.volume = targets
                .iter()
                .flatten()
                .next()
                .map(|t| t.volume.clone())
                .unwrap_or_default();
            record_witness_file(conn, parsed, &targets)?;
        }
        return Ok(report);
    }
    if vid == chancery_model::UNKNOWN_VOLUME {
        let doc = parsed.documents.first();
        return Err(StoreError::NeedsVolume {
            document: doc.map(|d| d.id.clone()).unwrap_or_default(),
            heading: doc.map(|d| d.heading_text.clone()).unwrap_or_default(),
        });
    }
    upsert_volume(conn, vol, true, false)?;

    let mut w = DocWriter::new(conn)?;
    let mut exists =
        conn.prepare_cached("SELECT 1 FROM documents WHERE volume_id = ?1 AND id = ?2")?;
    let mut del_doc =
        conn.prepare_cached("DELETE FROM documents WHERE volume_id = ?1 AND id = ?2")?;
    let mut del_warn =
        conn.prepare_cached("DELETE FROM warnings WHERE volume_id = ?1 AND document_id = ?2")?;
    let mut replaced_ids: Vec<&str> = Vec::new();
    for (doc, prep) in parsed.documents.iter().zip(&prepared.docs) {
        if exists.exists(params![vid, doc.id])? {
            if !replace {
                return Err(StoreError::DocumentExists {
                    volume: vid.to_string(),
                    document: doc.id.clone(),
                });
            }
            del_doc.execute(params![vid, doc.id])?;
            del_warn.execute(params![vid, doc.id])?;
            report.replaced = true;
            replaced_ids.push(&doc.id);
        }
        w.insert(vid, doc, text_seq(doc), &vol.origin, prep, &mut report)?;
    }
    drop((w, exists, del_doc, del_warn));

    let first = parsed.documents.first().map(|d| d.id.as_str());
    report.warnings = insert_warnings(conn, vid, parsed, first)?;
    record_file(conn, parsed, first)?;
    // Adding documents can only resolve what was unresolved, or move what pointed at a replaced
    // document; plus the new documents' own references. Everything else is unaffected, which
    // keeps adding many text documents to a large volume cheap.
    let new_ids: Vec<&str> = parsed.documents.iter().map(|d| d.id.as_str()).collect();
    let (replaced_json, new_json) = (
        serde_json::to_string(&replaced_ids)?,
        serde_json::to_string(&new_ids)?,
    );
    resolve_refs(
        conn,
        "(target_volume = ?1 AND (resolved = 0
             OR resolved_document IN (SELECT value FROM json_each(?2))))
         OR document_key IN (SELECT key FROM documents
                             WHERE volume_id = ?1 AND id IN (SELECT value FROM json_each(?3)))",
        params![vid, replaced_json, new_json],
    )?;
    crate::apparatus::after_documents(conn, vid, &replaced_json, &new_json)?;
    Ok(report)
}

/// Sort key of a text document: after all TEI documents, by number.
fn text_seq(doc: &Document) -> i64 {
    fn digits(s: &str) -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    }
    let n = doc
        .id
        .strip_prefix('d')
        .and_then(digits)
        .or_else(|| doc.number.as_deref().and_then(digits))
        .filter(|n| *n < TEXT_SEQ_BASE - 1)
        .unwrap_or(TEXT_SEQ_BASE - 1);
    TEXT_SEQ_BASE + n
}

/// Rewrite the columns of a stored document that the apparatus enriches (its JSON, place, date
/// and parties), for a migration that recomputes the apparatus.
pub(crate) fn update_document_fields(
    conn: &Connection,
    key: i64,
    doc: &Document,
) -> Result<(), StoreError> {
    let date = doc.date.as_ref();
    let interval = date.and_then(|d| d.interval.as_ref());
    conn.prepare_cached(
        "UPDATE documents SET json = ?2, place = ?3, date_text = ?4, date_when = ?5,
            date_min = ?6, date_max = ?7, date_precision = ?8, senders = ?9, recipients = ?10
          WHERE key = ?1",
    )?
    .execute(params![
        key,
        serde_json::to_string(doc)?,
        doc.place,
        date.map(|d| d.text.as_str()),
        date.and_then(|d| d.when.as_deref()),
        interval.map(|i| i.min.as_str()),
        interval.map(|i| i.max.as_str()),
        interval.map(|i| i.precision.as_str()),
        serde_json::to_string(&doc.from)?,
        serde_json::to_string(&doc.to)?,
    ])?;
    Ok(())
}

/// Insert or update the volume row. A stub (`stub = true`, `overwrite = false`) only creates the
/// row when absent; TEI overwrites all metadata.
fn upsert_volume(
    conn: &Connection,
    vol: &Volume,
    stub: bool,
    overwrite: bool,
) -> Result<(), StoreError> {
    // What the TEI header lacks is kept from a catalogue record stored before it.
    let on_conflict = if overwrite {
        "ON CONFLICT(id) DO UPDATE SET
            is_stub = excluded.is_stub,
            title_complete = coalesce(excluded.title_complete, title_complete),
            title_series = coalesce(excluded.title_series, title_series),
            title_sub_series = coalesce(excluded.title_sub_series, title_sub_series),
            title_volume_number = coalesce(excluded.title_volume_number, title_volume_number),
            title_volume = coalesce(excluded.title_volume, title_volume),
            editors = CASE excluded.editors WHEN '[]' THEN editors ELSE excluded.editors END,
            publisher = coalesce(excluded.publisher, publisher),
            pub_place = coalesce(excluded.pub_place, pub_place),
            publication_year = coalesce(excluded.publication_year, publication_year),
            idnos = CASE excluded.idnos WHEN '[]' THEN idnos ELSE excluded.idnos END,
            content_date_min = excluded.content_date_min,
            content_date_max = excluded.content_date_max,
            content_date_precision = excluded.content_date_precision,
            toc = excluded.toc,
            source_path = excluded.source_path,
            source_format = excluded.source_format,
            source_sha256 = excluded.source_sha256,
            source_bytes = excluded.source_bytes,
            ingested_at = excluded.ingested_at"
    } else {
        "ON CONFLICT(id) DO NOTHING"
    };
    let sql = format!(
        "INSERT INTO volumes (id, is_stub, title_complete, title_series, title_sub_series,
            title_volume_number, title_volume, editors, publisher, pub_place, publication_year,
            idnos, content_date_min, content_date_max, content_date_precision, toc, source_path,
            source_format, source_sha256, source_bytes, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, {NOW})
         {on_conflict}"
    );
    let t = &vol.titles;
    let dates = vol.content_dates.as_ref();
    conn.prepare_cached(&sql)?.execute(params![
        vol.id,
        stub,
        t.complete,
        t.series,
        t.sub_series,
        t.volume_number,
        t.volume,
        serde_json::to_string(&vol.editors)?,
        vol.publisher,
        vol.pub_place,
        vol.publication_year,
        serde_json::to_string(&vol.idnos)?,
        dates.map(|d| d.min.as_str()),
        dates.map(|d| d.max.as_str()),
        dates.map(|d| d.precision.as_str()),
        serde_json::to_string(&vol.toc)?,
        vol.origin.path,
        format_str(vol.origin.format),
        vol.origin.sha256,
        to_i64(vol.origin.bytes, "file size")?,
    ])?;
    Ok(())
}

/// Store a volume's catalogue record: its own fields always (the record is their authority),
/// titles, editors, year and ISBNs only where the volume has none (a TEI header, when there is
/// one, is the volume's own word). A volume the archive does not have yet gets a stub row, so
/// text captures filed under it later show its real title.
pub(crate) fn store_catalogue(
    conn: &Connection,
    parsed: &ParsedVolume,
) -> Result<StoreReport, StoreError> {
    check_ids(parsed)?;
    let vol = &parsed.volume;
    let Some(c) = &vol.catalogue else {
        return Err(StoreError::Corrupt(format!(
            "{}: a catalogue record without its catalogue fields",
            vol.origin.path
        )));
    };
    let t = &vol.titles;
    conn.prepare_cached(&format!(
        "INSERT INTO volumes (id, is_stub, title_complete, title_series, title_sub_series,
            title_volume_number, title_volume, editors, publication_year, idnos, toc,
            source_path, source_format, source_sha256, source_bytes, ingested_at,
            administrations, coverage_from, coverage_to, publication_status, published_date,
            media, summary, bibliography_path)
         VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '[]', ?10, ?11, ?12, ?13, {NOW},
            ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?10)
         ON CONFLICT(id) DO UPDATE SET
            title_complete = coalesce(title_complete, excluded.title_complete),
            title_series = coalesce(title_series, excluded.title_series),
            title_sub_series = coalesce(title_sub_series, excluded.title_sub_series),
            title_volume_number = coalesce(title_volume_number, excluded.title_volume_number),
            title_volume = coalesce(title_volume, excluded.title_volume),
            editors = CASE editors WHEN '[]' THEN excluded.editors ELSE editors END,
            publication_year = coalesce(publication_year, excluded.publication_year),
            idnos = CASE idnos WHEN '[]' THEN excluded.idnos ELSE idnos END,
            administrations = excluded.administrations,
            coverage_from = excluded.coverage_from,
            coverage_to = excluded.coverage_to,
            publication_status = excluded.publication_status,
            published_date = excluded.published_date,
            media = excluded.media,
            summary = excluded.summary,
            bibliography_path = excluded.bibliography_path"
    ))?
    .execute(params![
        vol.id,
        t.complete,
        t.series,
        t.sub_series,
        t.volume_number,
        t.volume,
        serde_json::to_string(&vol.editors)?,
        vol.publication_year,
        serde_json::to_string(&vol.idnos)?,
        vol.origin.path,
        format_str(vol.origin.format),
        vol.origin.sha256,
        to_i64(vol.origin.bytes, "file size")?,
        serde_json::to_string(&c.administrations)?,
        c.coverage_from,
        c.coverage_to,
        c.publication_status,
        c.published_date,
        serde_json::to_string(&c.media)?,
        c.summary,
    ])?;
    record_file(conn, parsed, None)?;
    Ok(StoreReport {
        volume: vol.id.clone(),
        ..StoreReport::default()
    })
}

fn insert_glossary(
    conn: &Connection,
    table: &str,
    vid: &str,
    entries: &[chancery_model::GlossaryEntry],
) -> Result<usize, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO {table} (volume_id, seq, id, name, description) VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?;
    for (i, e) in entries.iter().enumerate() {
        stmt.execute(params![vid, i as i64, e.id, e.name, e.description])?;
    }
    Ok(entries.len())
}

/// One row of the flattened table of contents.
struct DivisionRow<'a> {
    div: &'a Division,
    parent: Option<&'a str>,
    depth: i64,
    /// The division's first document in reading order (it or its descendants hold it).
    first_document: Option<&'a str>,
}

/// Flatten the table of contents, preorder, with each division's first document in reading
/// order (so a reference to `#ch3` can resolve to a document).
fn division_rows<'a>(toc: &'a [Division], docs: &'a [Document]) -> Vec<DivisionRow<'a>> {
    let position: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    fn first<'a>(div: &'a Division, position: &HashMap<&str, usize>) -> Option<(usize, &'a str)> {
        let own = div
            .documents
            .iter()
            .filter_map(|id| position.get(id.as_str()).map(|p| (*p, id.as_str())))
            .min();
        let inner = div.children.iter().filter_map(|c| first(c, position)).min();
        match (own, inner) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
    fn visit<'a>(
        divs: &'a [Division],
        parent: Option<&'a str>,
        depth: i64,
        position: &HashMap<&str, usize>,
        out: &mut Vec<DivisionRow<'a>>,
    ) {
        for div in divs {
            out.push(DivisionRow {
                div,
                parent,
                depth,
                first_document: first(div, position).map(|(_, id)| id),
            });
            visit(&div.children, Some(&div.id), depth + 1, position, out);
        }
    }
    let mut out = Vec::new();
    visit(toc, None, 0, &position, &mut out);
    out
}

fn insert_divisions(
    conn: &Connection,
    vid: &str,
    rows: &[DivisionRow<'_>],
) -> Result<usize, StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO divisions (volume_id, seq, id, parent_id, depth, kind, subtype, heading,
            document_count, first_document)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (seq, row) in rows.iter().enumerate() {
        stmt.execute(params![
            vid,
            seq as i64,
            row.div.id,
            row.parent,
            row.depth,
            row.div.kind,
            row.div.subtype,
            row.div.heading,
            row.div.document_count() as i64,
            row.first_document,
        ])?;
    }
    Ok(rows.len())
}

fn insert_warnings(
    conn: &Connection,
    vid: &str,
    parsed: &ParsedVolume,
    default_document: Option<&str>,
) -> Result<usize, StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO warnings (volume_id, document_id, format, file, line, col, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let format = format_str(parsed.volume.origin.format);
    for Warning {
        file,
        line,
        column,
        document,
        message,
    } in &parsed.warnings
    {
        let line = line.map(|n| to_i64(n, "line")).transpose()?;
        let col = column.map(|n| to_i64(n, "column")).transpose()?;
        let document = document.as_deref().or(default_document);
        stmt.execute(params![vid, document, format, file, line, col, message])?;
    }
    Ok(parsed.warnings.len())
}

/// Remember the input file so an unchanged file is skipped next time. Part of the same
/// transaction as the data, so `files` never claims something that was not stored.
fn record_file(
    conn: &Connection,
    parsed: &ParsedVolume,
    document: Option<&str>,
) -> Result<(), StoreError> {
    record_file_at(conn, parsed, &parsed.volume.id, document)
}

/// [`record_file`] for a file filed under `volume` (and `document`), which may not be the
/// volume it was read as (a capture stored as another document's witness).
fn record_file_at(
    conn: &Connection,
    parsed: &ParsedVolume,
    volume: &str,
    document: Option<&str>,
) -> Result<(), StoreError> {
    let o: &Origin = &parsed.volume.origin;
    if o.sha256.is_empty() {
        return Ok(());
    }
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO files (sha256, path, format, bytes, volume_id, document_id,
            census, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})"
    ))?
    .execute(params![
        o.sha256,
        o.path,
        format_str(o.format),
        to_i64(o.bytes, "file size")?,
        volume,
        document,
        serde_json::to_string(&parsed.census)?,
    ])?;
    Ok(())
}

pub(crate) fn resolve_all_refs(conn: &Connection) -> Result<(), StoreError> {
    resolve_refs(conn, "1", params![])?;
    resolve_table(conn, "text_refs", "1", params![])?;
    crate::apparatus::resolve_cables(conn, "1", params![])
}

/// Recompute `refs.resolved_document` and `refs.resolved` for the references selected by
/// `filter` (a WHERE clause over `refs`, with `params`). The store calls it for exactly the
/// references whose answer can have changed, so cross-volume references resolve whatever order
/// volumes arrive in.
fn resolve_refs(
    conn: &Connection,
    filter: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<(), StoreError> {
    resolve_table(conn, "refs", filter, params)
}

/// [`resolve_refs`] over `table`: `refs` (TEI `ref/@target`) or `text_refs` (cross-references
/// found in text), which share the target columns and the resolution rules.
pub(crate) fn resolve_table(
    conn: &Connection,
    table: &str,
    filter: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<(), StoreError> {
    // The target element may name a document, a footnote, a page break (by id, or by number
    // when the break has no id), or a division (→ its first document). A footnote id whose note
    // is missing still resolves to the document its `d{N}fn{M}` form names, if present.
    // `resolved` also counts targets that exist but are not documents: whole volumes, glossary
    // entries and divisions without documents.
    let sql = format!(
        "UPDATE {table} SET (resolved_document, resolved) = (
           SELECT doc, CASE
               WHEN {table}.kind = 'external' THEN NULL
               WHEN doc IS NOT NULL THEN 1
               WHEN {table}.target_volume IS NULL THEN 0
               WHEN {table}.target_element IS NULL THEN
                 EXISTS (SELECT 1 FROM volumes v WHERE v.id = {table}.target_volume)
               WHEN EXISTS (SELECT 1 FROM persons p
                  WHERE p.volume_id = {table}.target_volume AND p.id = {table}.target_element) THEN 1
               WHEN EXISTS (SELECT 1 FROM terms t
                  WHERE t.volume_id = {table}.target_volume AND t.id = {table}.target_element) THEN 1
               WHEN EXISTS (SELECT 1 FROM divisions v
                  WHERE v.volume_id = {table}.target_volume AND v.id = {table}.target_element) THEN 1
               ELSE 0 END
           FROM (SELECT CASE
             WHEN {table}.target_volume IS NULL OR {table}.target_element IS NULL THEN NULL
             ELSE COALESCE(
               (SELECT d.id FROM documents d
                 WHERE d.volume_id = {table}.target_volume AND d.id = {table}.target_element),
               (SELECT f.document_id FROM footnotes f
                  JOIN documents d ON d.key = f.document_key
                 WHERE f.volume_id = {table}.target_volume AND f.id = {table}.target_element
                 ORDER BY d.seq, f.seq LIMIT 1),
               (SELECT p.document_id FROM pages p
                  JOIN documents d ON d.key = p.document_key
                 WHERE p.volume_id = {table}.target_volume AND p.id = {table}.target_element
                 ORDER BY d.seq, p.seq LIMIT 1),
               (CASE WHEN {table}.kind = 'page' THEN
                 (SELECT p.document_id FROM pages p
                    JOIN documents d ON d.key = p.document_key
                   WHERE p.volume_id = {table}.target_volume AND p.id IS NULL
                     AND p.n = substr({table}.target_element, 4)
                   ORDER BY d.seq, p.seq LIMIT 1) END),
               (SELECT d.id FROM divisions v
                  JOIN documents d ON d.volume_id = v.volume_id AND d.id = v.first_document
                 WHERE v.volume_id = {table}.target_volume AND v.id = {table}.target_element
                 ORDER BY v.seq LIMIT 1),
               (CASE WHEN {table}.kind = 'footnote' AND instr({table}.target_element, 'fn') > 1 THEN
                 (SELECT d.id FROM documents d
                   WHERE d.volume_id = {table}.target_volume
                     AND d.id = substr({table}.target_element, 1,
                                       instr({table}.target_element, 'fn') - 1)) END)
             ) END AS doc)
         )
         WHERE {filter}"
    );
    conn.prepare_cached(&sql)?.execute(params)?;
    Ok(())
}

/// Prepared statements for one document and what hangs off it.
struct DocWriter<'c> {
    doc: CachedStatement<'c>,
    footnote: CachedStatement<'c>,
    milestones: Milestones<'c>,
    apparatus: crate::apparatus::ApparatusWriter<'c>,
}

struct Milestones<'c> {
    page: CachedStatement<'c>,
    mention: CachedStatement<'c>,
    reference: CachedStatement<'c>,
}

impl<'c> DocWriter<'c> {
    fn new(conn: &'c Connection) -> Result<Self, StoreError> {
        Ok(DocWriter {
            doc: conn.prepare_cached(
                "INSERT INTO documents (volume_id, id, seq, number, kind, subtype, heading,
                    senders, recipients, place, date_text, date_when, date_min, date_max,
                    date_precision, chapter_path, text, json, format, source_path, source_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21)",
            )?,
            footnote: conn.prepare_cached(
                "INSERT INTO footnotes (document_key, seq, volume_id, document_id, id, mark,
                    is_source, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            milestones: Milestones {
                page: conn.prepare_cached(
                    "INSERT INTO pages (document_key, seq, volume_id, document_id, n, id,
                        footnote_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?,
                mention: conn.prepare_cached(
                    "INSERT INTO mentions (document_key, seq, volume_id, document_id,
                        footnote_id, kind, target, role, surface, linked)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?,
                reference: conn.prepare_cached(
                    "INSERT INTO refs (document_key, seq, volume_id, document_id, footnote_id,
                        raw, target_volume, target_element, kind, surface, resolved_document,
                        resolved)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?,
            },
            apparatus: crate::apparatus::ApparatusWriter::new(conn)?,
        })
    }

    fn insert(
        &mut self,
        vid: &str,
        doc: &Document,
        seq: i64,
        origin: &Origin,
        prep: &PreparedDocument,
        report: &mut StoreReport,
    ) -> Result<(), StoreError> {
        let doc = prep.enriched.as_ref().unwrap_or(doc);
        let date = doc.date.as_ref();
        let interval = date.and_then(|d| d.interval.as_ref());
        let inserted = self.doc.insert(params![
            vid,
            doc.id,
            seq,
            doc.number,
            doc.kind.as_str(),
            doc.subtype,
            doc.heading_text,
            prep.senders,
            prep.recipients,
            doc.place,
            date.map(|d| d.text.as_str()),
            date.and_then(|d| d.when.as_deref()),
            interval.map(|i| i.min.as_str()),
            interval.map(|i| i.max.as_str()),
            interval.map(|i| i.precision.as_str()),
            prep.chapter_path,
            prep.text,
            prep.json,
            format_str(origin.format),
            origin.path,
            origin.sha256,
        ]);
        let key = match inserted {
            Ok(key) => key,
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::ConstraintViolation =>
            {
                return Err(StoreError::DuplicateDocument {
                    volume: vid.to_string(),
                    document: doc.id.clone(),
                })
            }
            Err(e) => return Err(e.into()),
        };
        report.documents += 1;

        let footnote_id =
            |i: Option<usize>| i.and_then(|i| doc.footnotes.get(i)).map(|f| f.id.as_str());
        for (i, (f, text)) in doc.footnotes.iter().zip(&prep.footnote_texts).enumerate() {
            self.footnote.execute(params![
                key,
                i as i64,
                vid,
                doc.id,
                f.id,
                f.mark,
                f.is_source,
                text,
            ])?;
        }
        report.footnotes += doc.footnotes.len();

        let m = &mut self.milestones;
        for (i, p) in prep.pages.iter().enumerate() {
            m.page.execute(params![
                key,
                i as i64,
                vid,
                doc.id,
                p.n,
                p.id,
                footnote_id(p.footnote)
            ])?;
        }
        for (i, r) in prep.mentions.iter().enumerate() {
            m.mention.execute(params![
                key,
                i as i64,
                vid,
                doc.id,
                footnote_id(r.footnote),
                r.kind,
                r.target,
                r.role,
                r.surface,
                r.linked,
            ])?;
        }
        for (i, r) in prep.refs.iter().enumerate() {
            m.reference.execute(params![
                key,
                i as i64,
                vid,
                doc.id,
                footnote_id(r.footnote),
                r.raw,
                r.target_volume,
                r.element,
                r.kind,
                r.surface,
                r.resolved_document,
                r.resolved,
            ])?;
        }
        report.pages += prep.pages.len();
        report.mentions += prep.mentions.len();
        report.refs += prep.refs.len();
        self.apparatus.insert(key, vid, &doc.id, &prep.apparatus)?;
        Ok(())
    }
}
