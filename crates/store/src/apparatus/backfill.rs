//! The apparatus filled in for an archive written before it existed (schema migration).

use std::collections::HashSet;

use chancery_model::{Document, GlossaryEntry};
use rusqlite::{params, Connection};

use super::authority::{rebuild_authority, recluster_authority};
use super::prepare::{analyse, prepare_analysed};
use super::resolve::resolve_cables;
use super::writer::ApparatusWriter;
use crate::StoreError;

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
    let index = chancery_apparatus::persons::PersonsIndex::of(persons);
    for (key, seq, surface) in bare {
        if let Some(id) = index.link(&surface) {
            update.execute(params![key, seq, id])?;
        }
    }
    Ok(())
}
