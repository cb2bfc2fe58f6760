//! Second witnesses: a text capture of a document the archive already holds from TEI is kept
//! beside it (its file and text), not stored as a second document, and survives the volume's
//! replacement.

use chancery_model::{plain_text_blocks, Document, Origin, ParsedVolume, Volume};
use rusqlite::{params, Connection, OptionalExtension};

use super::{format_str, prepare, record_file_at, text_seq, DocWriter};
use crate::{StoreError, StoreReport};

/// The archive document a capture is a witness of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WitnessTarget {
    pub(super) key: i64,
    pub(super) volume: String,
    pub(super) document: String,
}

/// Where a text capture belongs as a second witness: the document of the same volume and id
/// that the archive has from TEI; or, for a capture filed under no volume, the one document of
/// the archive with the same printed number and heading. `None`: it is a document of its own.
pub(super) fn witness_target(
    conn: &Connection,
    vid: &str,
    doc: &Document,
) -> Result<Option<WitnessTarget>, StoreError> {
    if vid != chancery_model::UNKNOWN_VOLUME {
        return Ok(conn
            .prepare_cached(
                "SELECT key FROM documents WHERE volume_id = ?1 AND id = ?2 AND format = 'tei'",
            )?
            .query_row(params![vid, doc.id], |r| r.get(0))
            .optional()?
            .map(|key| WitnessTarget {
                key,
                volume: vid.to_string(),
                document: doc.id.clone(),
            }));
    }
    let Some(number) = doc.number.as_deref() else {
        return Ok(None);
    };
    let wanted = comparable_heading(&doc.heading_text);
    let mut stmt =
        conn.prepare_cached("SELECT key, volume_id, id, heading FROM documents WHERE number = ?1")?;
    let rows = stmt.query_map([number], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut found: Vec<WitnessTarget> = Vec::new();
    for row in rows {
        let (key, volume, document, heading) = row?;
        if comparable_heading(&heading) == wanted {
            found.push(WitnessTarget {
                key,
                volume,
                document,
            });
        }
    }
    Ok(match found.len() {
        1 => found.pop(),
        _ => None,
    })
}

/// A heading as compared between witnesses: quotes straightened, whitespace and a footnote
/// mark at the end ignored, case folded.
fn comparable_heading(h: &str) -> String {
    let t = chancery_model::collapse_ws(h)
        .replace(['’', '‘'], "'")
        .replace(['“', '”'], "\"");
    let t = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '.');
    t.to_lowercase()
}

/// Store `doc` as a witness of `t`; false when the same file is already one.
pub(super) fn add_witness(
    conn: &Connection,
    t: &WitnessTarget,
    doc: &Document,
    origin: &Origin,
) -> Result<bool, StoreError> {
    let known = conn
        .prepare_cached("SELECT 1 FROM witnesses WHERE document_key = ?1 AND source_sha256 = ?2")?
        .exists(params![t.key, origin.sha256])?;
    if known {
        return Ok(false);
    }
    let mut stored = doc.clone();
    stored.volume_id = t.volume.clone();
    stored.id = t.document.clone();
    conn.prepare_cached(
        "INSERT INTO witnesses (document_key, seq, volume_id, document_id, format, source_path,
            source_sha256, text, json)
         VALUES (?1, (SELECT coalesce(max(seq) + 1, 0) FROM witnesses WHERE document_key = ?1),
            ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        t.key,
        t.volume,
        t.document,
        format_str(origin.format),
        origin.path,
        origin.sha256,
        plain_text_blocks(&stored.body),
        serde_json::to_string(&stored)?,
    ])?;
    Ok(true)
}

/// The `files` row of a capture stored as a witness (so an unchanged file is not read again).
pub(super) fn record_witness_file(
    conn: &Connection,
    parsed: &ParsedVolume,
    targets: &[Option<WitnessTarget>],
) -> Result<(), StoreError> {
    let Some(Some(t)) = targets.first() else {
        return Ok(());
    };
    record_file_at(conn, parsed, &t.volume, Some(&t.document))
}

/// A witness kept aside while its document is replaced.
#[derive(Debug)]
pub(super) struct SavedWitness {
    document: String,
    format: String,
    source_path: String,
    source_sha256: String,
    text: String,
    json: String,
}

impl SavedWitness {
    /// A row of `document/id, format, source_path, source_sha256, text, json`, in that order.
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SavedWitness> {
        Ok(SavedWitness {
            document: r.get(0)?,
            format: r.get(1)?,
            source_path: r.get(2)?,
            source_sha256: r.get(3)?,
            text: r.get(4)?,
            json: r.get(5)?,
        })
    }
}

/// The witnesses of a volume's documents, read before the documents are replaced.
pub(super) fn saved_witnesses(
    conn: &Connection,
    vid: &str,
) -> Result<Vec<SavedWitness>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT document_id, format, source_path, source_sha256, text, json FROM witnesses
          WHERE volume_id = ?1 ORDER BY document_id, seq",
    )?;
    let rows = stmt.query_map([vid], SavedWitness::from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A text document of the volume that a TEI document of the same id supersedes: it becomes a
/// witness of the TEI document (it is deleted with the rest of the old documents).
pub(super) fn text_document_as_witness(
    conn: &Connection,
    vid: &str,
    id: &str,
) -> Result<Option<SavedWitness>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT id, format, source_path, source_sha256, text, json FROM documents
              WHERE volume_id = ?1 AND id = ?2 AND format = 'text'",
        )?
        .query_row(params![vid, id], SavedWitness::from_row)
        .optional()?)
}

/// Attach the saved witnesses to the volume's new documents; returns how many were attached. A
/// witness whose document the new TEI no longer has goes back to being a document of its own,
/// so no capture is lost.
pub(super) fn restore_witnesses(
    conn: &Connection,
    vid: &str,
    saved: &[SavedWitness],
) -> Result<usize, StoreError> {
    let mut attached = 0;
    for w in saved {
        let key: Option<i64> = conn
            .prepare_cached(
                "SELECT key FROM documents WHERE volume_id = ?1 AND id = ?2 AND format = 'tei'",
            )?
            .query_row(params![vid, w.document], |r| r.get(0))
            .optional()?;
        match key {
            Some(key) => {
                conn.prepare_cached(
                    "INSERT INTO witnesses (document_key, seq, volume_id, document_id, format,
                        source_path, source_sha256, text, json)
                     VALUES (?1, (SELECT coalesce(max(seq) + 1, 0) FROM witnesses
                                   WHERE document_key = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    key,
                    vid,
                    w.document,
                    w.format,
                    w.source_path,
                    w.source_sha256,
                    w.text,
                    w.json
                ])?;
                attached += 1;
            }
            None => {
                let doc: Document = serde_json::from_str(&w.json)?;
                let origin = Origin {
                    path: w.source_path.clone(),
                    format: chancery_model::SourceFormat::Text,
                    sha256: w.source_sha256.clone(),
                    bytes: 0,
                };
                let parsed = ParsedVolume {
                    volume: Volume {
                        id: vid.to_string(),
                        origin: origin.clone(),
                        ..Volume::default()
                    },
                    documents: vec![doc],
                    ..ParsedVolume::default()
                };
                let prepared = prepare(&parsed, false)?;
                let mut report = StoreReport::default();
                let mut w = DocWriter::new(conn)?;
                for (doc, prep) in parsed.documents.iter().zip(&prepared.docs) {
                    w.insert(vid, doc, text_seq(doc), &origin, prep, &mut report)?;
                }
            }
        }
    }
    Ok(attached)
}
