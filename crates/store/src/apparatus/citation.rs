//! A printed FRUS citation typed by a reader, resolved to an archive document.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::read::{doc_link, DocLink};
use crate::StoreError;

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
