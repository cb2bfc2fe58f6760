//! What the benchmarks measure Chancery against, built with SQLite (feature `baseline`, enabled
//! only by `chancery-bench`). These are SQL, so they live here with the rest of the archive's
//! SQL; the benchmarks time them through the typed calls below.
//!
//! * [`FloorStore`]: the least a loader can store and still keep every document searchable — one
//!   row of plain text per document, in a database with the archive's own settings.
//! * [`Fts5Baseline`]: SQLite's full-text engine over the same text the archive holds (heading,
//!   body, footnotes, dates), searched for a top ten by bm25.

use std::path::Path;

use chancery_model::date::parse_iso;
use rusqlite::{params, Connection};

use crate::{Archive, StoreError, PAGE_SIZE};

/// One document of the floor: its ids and its whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloorRow {
    /// The document's volume.
    pub volume_id: String,
    /// The document's id within its volume.
    pub id: String,
    /// Heading, body and footnotes as plain text.
    pub text: String,
}

/// The floor loader's database: one table of document text.
pub struct FloorStore {
    conn: Connection,
}

impl FloorStore {
    /// Create the database at `path` (a file that must not exist yet) with the page size,
    /// journal and sync settings of a real archive, so the comparison is about what is stored.
    pub fn create(path: &Path) -> Result<FloorStore, StoreError> {
        if path.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists",
                path.display()
            )));
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(
            "CREATE TABLE documents (volume_id TEXT NOT NULL, id TEXT NOT NULL, text TEXT NOT NULL,
                                     PRIMARY KEY (volume_id, id))",
        )?;
        Ok(FloorStore { conn })
    }

    /// Insert one file's documents in one transaction, as the archive commits a file at a time.
    pub fn insert(&mut self, rows: &[FloorRow]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO documents (volume_id, id, text) VALUES (?1, ?2, ?3)",
            )?;
            for row in rows {
                insert.execute((&row.volume_id, &row.id, &row.text))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Copy the log into the database and close it: the sync a real ingest ends with too.
    pub fn finish(self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// One document's text as the FTS5 baseline indexes it, handed to the caller while the table is
/// built (the search benchmark writes the same text out for ripgrep).
#[derive(Debug, Clone, Copy)]
pub struct BaselineText<'a> {
    /// The document's volume.
    pub volume_id: &'a str,
    /// The document's id within its volume.
    pub id: &'a str,
    /// The heading as plain text.
    pub heading: &'a str,
    /// The body as plain text.
    pub body: &'a str,
    /// Every footnote's text, joined by spaces.
    pub notes: &'a str,
}

/// An SQLite FTS5 table over every document of an archive, in a database file of its own.
pub struct Fts5Baseline {
    conn: Connection,
}

impl Fts5Baseline {
    /// Build the table at `path` (replacing any file there) from every document of `archive`, in
    /// volume and document order; `each` sees every document's text as it is inserted.
    pub fn build(
        archive: &Archive,
        path: &Path,
        mut each: impl FnMut(&BaselineText<'_>) -> std::io::Result<()>,
    ) -> Result<Fts5Baseline, StoreError> {
        if path.exists() {
            std::fs::remove_file(path)?;
        }
        let mut conn = Connection::open(path)?;
        // A scratch file rebuilt from the archive: nothing to protect from a crash.
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             CREATE VIRTUAL TABLE docs USING fts5(
                 path UNINDEXED, title, body, notes, date_min UNINDEXED, date_max UNINDEXED,
                 tokenize = 'unicode61 remove_diacritics 2');",
        )?;
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO docs (path, title, body, notes, date_min, date_max)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let snapshot = archive.read_snapshot()?;
            let mut stmt = snapshot.prepare(
                "SELECT d.volume_id, d.id, d.heading, d.text, d.date_min, d.date_max,
                        (SELECT group_concat(f.text, ' ') FROM footnotes f
                         WHERE f.document_key = d.key)
                 FROM documents d ORDER BY d.volume_id, d.seq",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let volume_id: String = row.get(0)?;
                let id: String = row.get(1)?;
                let heading: String = row.get(2)?;
                let body: String = row.get(3)?;
                let date_min: Option<String> = row.get(4)?;
                let date_max: Option<String> = row.get(5)?;
                let notes: Option<String> = row.get(6)?;
                let notes = notes.unwrap_or_default();
                each(&BaselineText {
                    volume_id: &volume_id,
                    id: &id,
                    heading: &heading,
                    body: &body,
                    notes: &notes,
                })?;
                // Seconds, as the search index keeps dates, so a range filter costs the same.
                let start = date_min
                    .as_deref()
                    .and_then(|s| parse_iso(s).ok())
                    .map(|d| d.start);
                let end = date_max
                    .as_deref()
                    .and_then(|s| parse_iso(s).ok())
                    .map(|d| d.end());
                insert.execute(params![
                    format!("{volume_id}/{id}"),
                    heading,
                    body,
                    notes,
                    start,
                    end
                ])?;
            }
            drop(rows);
            drop(stmt);
            snapshot.finish()?;
        }
        tx.commit()?;
        conn.execute_batch("INSERT INTO docs(docs) VALUES('optimize');")?;
        Ok(Fts5Baseline { conn })
    }

    /// Open a table built before by [`Fts5Baseline::build`].
    pub fn open(path: &Path) -> Result<Fts5Baseline, StoreError> {
        if !path.is_file() {
            return Err(StoreError::NotFound(format!(
                "no FTS5 baseline at {}",
                path.display()
            )));
        }
        Ok(Fts5Baseline {
            conn: Connection::open(path)?,
        })
    }

    /// Run an FTS5 `MATCH` query for its best `limit` documents by bm25, optionally only those
    /// whose dates overlap `dates` (ISO dates or prefixes, as the search engine's filters take);
    /// returns how many came back.
    pub fn top(
        &self,
        query: &str,
        dates: Option<(&str, &str)>,
        limit: u32,
    ) -> Result<usize, StoreError> {
        let found = match dates {
            Some((from, to)) => {
                let bound = |s: &str| {
                    parse_iso(s).map_err(|e| StoreError::Invalid(format!("date {s:?}: {e}")))
                };
                let (from, to) = (bound(from)?.start, bound(to)?.end());
                let mut stmt = self.conn.prepare_cached(
                    "SELECT rowid FROM docs
                     WHERE docs MATCH ?1 AND date_min <= ?3 AND date_max >= ?2
                     ORDER BY bm25(docs) LIMIT ?4",
                )?;
                let rows =
                    stmt.query_map(params![query, from, to, limit], |r| r.get::<_, i64>(0))?;
                rows.collect::<Result<Vec<_>, _>>()?.len()
            }
            None => {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT ?2",
                )?;
                let rows = stmt.query_map(params![query, limit], |r| r.get::<_, i64>(0))?;
                rows.collect::<Result<Vec<_>, _>>()?.len()
            }
        };
        Ok(found)
    }
}
