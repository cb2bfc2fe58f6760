//! The single writer's side: binding prepared apparatus rows to their insert statements.

use rusqlite::{params, CachedStatement, Connection};

use super::prepare::PreparedApparatus;
use crate::StoreError;

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
