//! Resolution across documents and volumes: cited telegrams to the documents carrying them, text
//! cross-references to their targets, redone for what each store changes.

use rusqlite::{params, Connection, Params};

use crate::StoreError;

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
