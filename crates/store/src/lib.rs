//! The archive store: one directory holding one SQLite database, `chancery.sqlite`.
//!
//! The schema is open and documented (`docs/schema.md`) so researchers can query it with
//! `sqlite3`. Every write is one IMMEDIATE transaction: a volume or a batch of text documents
//! appears completely or not at all, and a crash mid-write leaves the previous archive intact
//! (WAL journal, nothing written outside the database).
//!
//! The `documents.json` column is the exact reconstruction source for [`Document`]s; every other
//! column and table is derived from it for querying.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chancery_model::{Document, ParsedVolume, Volume};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use serde::Serialize;

mod apparatus;
pub use apparatus::{
    natural_name, Apparatus, AuthorityPerson, CableRef, CitationMatch, CrossRef, DocLink, Markings,
    Party, PersonLink, TelegramIdentity, Thread,
};
#[cfg(feature = "baseline")]
pub mod baseline;
mod browse;
pub use browse::{
    document_from_json, DateBucket, DatedDocument, EncodedRef, GlossaryKind, MentioningDocument,
    PageBreak, PersonsList, TermEntry, VolumeGlossary, Witness,
};
mod checkpoint;
pub use checkpoint::Checkpointer;
pub use write::{prepare, FlatText, PreparedVolume};
mod read;
mod schema;
mod write;

pub use schema::{APPLICATION_ID, SCHEMA_VERSION};

/// The database file inside an archive directory.
pub const DB_FILE: &str = "chancery.sqlite";

/// Bytes per database page. Only takes effect on a new, empty database: big pages mean fewer
/// overflow pages for the document JSON and fewer, larger writes.
pub(crate) const PAGE_SIZE: i64 = 16384;

/// What can go wrong reading or writing the archive.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused a statement or a transaction.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file of the archive could not be read or written.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A document could not be written as, or read back from, its JSON.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// A text document's id is already filed under its volume (and `replace` was not asked for).
    #[error("document {volume}/{document} is already in the archive")]
    DocumentExists {
        /// The volume it is filed under.
        volume: String,
        /// The document's id.
        document: String,
    },
    /// The input itself holds two documents with the same id.
    #[error("the input holds document {volume}/{document} more than once")]
    DuplicateDocument {
        /// The volume of the input.
        volume: String,
        /// The id found twice.
        document: String,
    },
    /// No archive, or nothing of the name asked for.
    #[error("not found: {0}")]
    NotFound(String),
    /// The database holds what an archive cannot (an unknown value, a broken row).
    #[error("archive is corrupt: {0}")]
    Corrupt(String),
    /// The archive was written by a newer Chancery.
    #[error("archive schema version {found} is newer than this program supports ({supported})")]
    UnsupportedVersion {
        /// The archive's schema version.
        found: i64,
        /// The newest this program reads.
        supported: i64,
    },
    /// The parsed input is inconsistent (empty ids, a document filed under another volume…).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// A volume or document id that URLs could not carry.
    #[error("{what} id {id:?} is not valid: ids are letters, digits, '-', '_' and '.', not starting with '.'")]
    InvalidId {
        /// "volume" or "document".
        what: &'static str,
        /// The id as given.
        id: String,
    },
    /// A document bigger than the archive serves.
    #[error("document {volume}/{document} is {bytes} bytes as stored, over the limit of {limit} bytes", limit = chancery_model::MAX_DOCUMENT_BYTES)]
    DocumentTooLarge {
        /// The document's volume.
        volume: String,
        /// The document's id.
        document: String,
        /// Its size as stored.
        bytes: usize,
    },
    /// A text capture filed under no volume that matches no one document of the archive.
    #[error("cannot tell which volume document {document} ({heading:?}) belongs to: no document of the archive has the same number and heading; give its volume with --volume")]
    NeedsVolume {
        /// The capture's document id.
        document: String,
        /// Its heading.
        heading: String,
    },
}

/// Where a stored file was filed: its volume, and the document for a text capture.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FiledAt {
    /// The volume it was filed under.
    pub volume: String,
    /// The document, for a text capture; `None` for a TEI volume.
    pub document: Option<String>,
}

/// What one store call wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StoreReport {
    /// The volume written to.
    pub volume: String,
    /// Documents stored.
    pub documents: usize,
    /// Footnotes stored.
    pub footnotes: usize,
    /// Page breaks stored.
    pub pages: usize,
    /// Persons-list entries stored.
    pub persons: usize,
    /// Terms stored.
    pub terms: usize,
    /// Table-of-contents divisions stored.
    pub divisions: usize,
    /// Person and term mentions stored.
    pub mentions: usize,
    /// Cross-references stored.
    pub refs: usize,
    /// Reading warnings stored.
    pub warnings: usize,
    /// `store_volume`: the volume had been stored from TEI before. `store_documents`: at least
    /// one existing document was replaced.
    pub replaced: bool,
    /// Second witnesses stored: text captures of documents the archive has from TEI.
    pub witnesses: usize,
    /// The documents (`volume/id`) the captures were filed as witnesses of.
    pub witness_of: Vec<String>,
}

/// One line of `chancery volumes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VolumeSummary {
    /// The volume id.
    pub id: String,
    /// The complete title.
    pub title: Option<String>,
    /// "1964–1968".
    pub sub_series: Option<String>,
    /// "Volume VII".
    pub volume_number: Option<String>,
    /// The year of publication.
    pub publication_year: Option<String>,
    /// True when the volume row was created for text documents only (no TEI stored yet).
    pub stub: bool,
    /// Documents stored in it.
    pub documents: u64,
    /// Footnotes stored in it.
    pub footnotes: u64,
}

/// One line of `chancery list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    /// The document's volume.
    pub volume_id: String,
    /// The document's id in its volume.
    pub id: String,
    /// The printed number.
    pub number: Option<String>,
    /// `historical-document`, `editorial-note`, `front-matter`, `back-matter`.
    pub kind: String,
    /// The TEI `div/@subtype` as encoded.
    pub subtype: Option<String>,
    /// The heading as plain text.
    pub heading: String,
    /// The date as printed.
    pub date_text: Option<String>,
    /// The start of the date interval, if dated.
    pub date_min: Option<String>,
    /// `tei` or `text`: the kind of file the document was read from.
    pub format: String,
}

/// Counts of what the archive (or one volume of it) holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Volumes, stubs included.
    pub volumes: u64,
    /// Volumes known only from text documents.
    pub stub_volumes: u64,
    /// Documents of every kind.
    pub documents: u64,
    /// Documents per kind (`historical-document`, …).
    pub documents_by_kind: BTreeMap<String, u64>,
    /// Footnotes.
    pub footnotes: u64,
    /// Footnotes that are source notes.
    pub source_notes: u64,
    /// Page breaks.
    pub pages: u64,
    /// Persons-list entries.
    pub persons: u64,
    /// Terms.
    pub terms: u64,
    /// Table-of-contents divisions.
    pub divisions: u64,
    /// Person and term mentions.
    pub mentions: u64,
    /// Person mentions.
    pub person_mentions: u64,
    /// Term mentions.
    pub term_mentions: u64,
    /// Cross-references.
    pub refs: u64,
    /// References whose target exists in the archive.
    pub refs_resolved: u64,
    /// References into the FRUS id space whose target is not (yet) in the archive.
    pub refs_unresolved: u64,
    /// Web addresses and mail links, which the archive cannot resolve.
    pub refs_external: u64,
    /// Reading warnings.
    pub warnings: u64,
    /// Input files stored.
    pub files: u64,
}

/// See [`Archive::read_snapshot`].
enum ReadSnapshot<'c> {
    Own(rusqlite::Transaction<'c>),
    Borrowed(&'c Connection),
}

impl std::ops::Deref for ReadSnapshot<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            ReadSnapshot::Own(tx) => tx,
            ReadSnapshot::Borrowed(conn) => conn,
        }
    }
}

impl ReadSnapshot<'_> {
    /// End the read (a transaction of its own is finished; a borrowed view stays open).
    fn finish(self) -> Result<(), StoreError> {
        if let ReadSnapshot::Own(tx) = self {
            tx.finish()?;
        }
        Ok(())
    }
}

/// An open archive. One writer at a time (the CLI's store thread); readers may run in other
/// processes concurrently and always see the last committed state.
pub struct Archive {
    conn: Connection,
    dir: PathBuf,
    /// Inside `begin_bulk` .. `end_bulk`: links between volumes wait for one pass at the end.
    bulk: bool,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive").field("dir", &self.dir).finish()
    }
}

impl Archive {
    /// Open the archive in `dir`, creating the directory and database if absent and migrating an
    /// older schema.
    pub fn open(dir: &Path) -> Result<Archive, StoreError> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        Archive::setup(conn, dir)
    }

    /// Open an archive that must already exist (for read commands): no directory or database is
    /// created, and a database that is not a Chancery archive is refused.
    pub fn open_existing(dir: &Path) -> Result<Archive, StoreError> {
        let db = dir.join(DB_FILE);
        if !db.is_file() {
            return Err(StoreError::NotFound(format!(
                "no archive in {} (missing {DB_FILE})",
                dir.display()
            )));
        }
        let conn = Connection::open_with_flags(
            &db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if version == 0 || app != APPLICATION_ID {
            return Err(StoreError::NotFound(format!(
                "{} is not a Chancery archive",
                db.display()
            )));
        }
        Archive::setup(conn, dir)
    }

    fn setup(mut conn: Connection, dir: &Path) -> Result<Archive, StoreError> {
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        // Switching a new database to WAL needs it to itself for a moment; when two processes
        // create the same archive at once, SQLite reports the loser busy without waiting (the
        // busy handler is not called for this lock), so wait and try again here.
        let mut tries = 0;
        let mode: String = loop {
            match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)) {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy && tries < 100 =>
                {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                other => break other?,
            }
        };
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt(format!(
                "cannot switch the database to WAL mode (got {mode})"
            )));
        }
        // NORMAL is durable enough with WAL: a crash may lose the last commit, never corrupt.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // A big volume's transaction grows the WAL file; cut it back after checkpoints.
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        // 64 MiB page cache: a large volume's replace touches many index pages.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.set_prepared_statement_cache_capacity(64);
        schema::migrate(&mut conn)?;
        Ok(Archive {
            conn,
            dir: dir.to_path_buf(),
            bulk: false,
        })
    }

    /// Start a long run of writes (an ingest): WAL checkpoints go to a background
    /// [`Checkpointer`], and the links between each stored volume and the rest of the archive
    /// (cross-volume references, cable references, text references) wait in `pending_links`
    /// for one resolution pass in [`Archive::end_bulk`] instead of one per volume. Each volume
    /// is still its own transaction; if the run dies, the waiting links are resolved by the
    /// next write ([`Archive::resolve_pending`]) and are only missing, never wrong, until then.
    /// Pass the returned guard to [`Archive::end_bulk`].
    pub fn begin_bulk(&mut self) -> Result<Checkpointer, StoreError> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let checkpointer = Checkpointer::start(&self.db_path())?;
        self.bulk = true;
        Ok(checkpointer)
    }

    /// Resolve the links of every volume stored in a bulk run (or left by one that was killed)
    /// in one transaction; returns how many volumes were waiting.
    pub fn resolve_pending(&mut self) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let waiting = write::resolve_pending(&tx)?;
        tx.commit()?;
        Ok(waiting)
    }

    /// Keep the log bounded during a bulk run: call between writes. The background checkpointer
    /// copies the log while the writer keeps appending, but with a writer that never pauses it
    /// cannot catch up completely, and SQLite only restarts the log once it has; past `limit`
    /// bytes the writer waits for one complete checkpoint (most frames are already copied).
    pub fn bound_wal(&self, limit: u64) -> Result<(), StoreError> {
        let mut wal = self.db_path().into_os_string();
        wal.push("-wal");
        let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        // Inside a batch the log cannot be restarted (the batch is still being written).
        if size > limit && !self.in_batch() {
            self.conn
                .query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Commit a batch left open, resolve the links the run deferred, stop the background
    /// checkpointer, checkpoint what is left and resume automatic checkpoints.
    pub fn end_bulk(&mut self, checkpointer: Checkpointer) -> Result<(), StoreError> {
        self.bulk = false;
        let committed = self.commit_batch();
        let resolved = self.resolve_pending();
        checkpointer.stop();
        self.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        committed?;
        resolved.map(|_| ())
    }

    /// The archive directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file.
    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    /// The schema version of the open database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Whether a file with this SHA-256 (lower-case hex) is stored and still current.
    pub fn has_file(&self, sha256: &str) -> Result<bool, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM files WHERE sha256 = ?1")?;
        Ok(stmt.exists([sha256])?)
    }

    /// Every stored, current file by SHA-256, with where each copy was filed (volume, and the
    /// document for a text capture): an input is unchanged only if it would land in the same
    /// place again (the same bytes under another name are another document).
    pub fn known_files(&self) -> Result<HashMap<String, Vec<FiledAt>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT sha256, volume_id, document_id FROM files")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                FiledAt {
                    volume: r.get(1)?,
                    document: r.get(2)?,
                },
            ))
        })?;
        let mut out: HashMap<String, Vec<FiledAt>> = HashMap::new();
        for row in rows {
            let (sha, at) = row?;
            out.entry(sha).or_default().push(at);
        }
        Ok(out)
    }

    /// TEI: replace the whole volume (metadata, glossaries, all TEI-sourced documents and
    /// everything hanging off them) as one unit: a transaction, or a savepoint in a batch.
    /// Text-sourced documents already filed under the same volume id are kept unless the TEI
    /// has a document with the same id.
    pub fn store_volume(&mut self, parsed: &ParsedVolume) -> Result<StoreReport, StoreError> {
        self.store_volume_prepared(parsed, None)
    }

    /// [`Archive::store_volume`] with the serialisation already done by [`prepare`]`(parsed,
    /// true)`, e.g. on a parser thread, so the single writer only inserts. A `prepared` that does
    /// not match `parsed` is ignored and recomputed.
    pub fn store_volume_prepared(
        &mut self,
        parsed: &ParsedVolume,
        prepared: Option<&PreparedVolume>,
    ) -> Result<StoreReport, StoreError> {
        self.write_unit(|conn| write::store_volume(conn, parsed, prepared))
    }

    /// Text documents: add them to their volume, creating a stub volume row if absent (never
    /// overwriting existing volume metadata). An existing document id is an error
    /// ([`StoreError::DocumentExists`]) unless `replace`. One unit, like [`Archive::store_volume`].
    pub fn store_documents(
        &mut self,
        parsed: &ParsedVolume,
        replace: bool,
    ) -> Result<StoreReport, StoreError> {
        self.store_documents_prepared(parsed, None, replace)
    }

    /// [`Archive::store_documents`] with the serialisation already done by
    /// [`prepare`]`(parsed, false)`.
    pub fn store_documents_prepared(
        &mut self,
        parsed: &ParsedVolume,
        prepared: Option<&PreparedVolume>,
        replace: bool,
    ) -> Result<StoreReport, StoreError> {
        self.write_unit(|conn| write::store_documents(conn, parsed, prepared, replace))
    }

    /// Store a volume's catalogue record (`bibliography/{id}.xml`, read by
    /// `chancery_formats::bibliography`): see [`ParsedVolume`] with
    /// `SourceFormat::Bibliography`. Fills what the volume lacks, never erases what its TEI
    /// says, and creates a stub volume for one the archive does not have yet.
    pub fn store_catalogue(&mut self, parsed: &ParsedVolume) -> Result<StoreReport, StoreError> {
        self.write_unit(|conn| write::store_catalogue(conn, parsed))
    }

    /// One store call as a unit that happens whole or not at all: its own transaction, or,
    /// inside a batch ([`Archive::begin_batch`]), a savepoint that a failure rolls back
    /// without touching the rest of the batch. Bumps the generation once.
    fn write_unit<R>(
        &mut self,
        store: impl FnOnce(&Connection) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let bulk = self.bulk;
        let unit = |conn: &Connection| -> Result<R, StoreError> {
            let result = store(conn)?;
            if !bulk {
                // Links a killed bulk run left waiting.
                write::resolve_pending(conn)?;
            }
            schema::bump_generation(conn)?;
            Ok(result)
        };
        if self.in_batch() {
            let savepoint = self.conn.savepoint()?;
            let result = unit(&savepoint)?;
            savepoint.commit()?;
            Ok(result)
        } else {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let result = unit(&tx)?;
            tx.commit()?;
            Ok(result)
        }
    }

    /// Open a batch: the store calls that follow, until [`Archive::commit_batch`], share one
    /// transaction. Each call is still whole or absent (a savepoint), but the pages that every
    /// call touches (the right edges of tables and indexes, the B-tree interiors) are written
    /// to the log once per batch instead of once per call: a bulk ingest of many small volumes
    /// writes markedly less. Readers see a batch appear at once; a crash loses the batch under
    /// way and nothing before it. A no-op if a batch is already open.
    pub fn begin_batch(&mut self) -> Result<(), StoreError> {
        if !self.in_batch() {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
        }
        Ok(())
    }

    /// Commit the open batch (a no-op if none). On failure the whole batch is rolled back:
    /// none of its calls are stored, and what was stored before it is untouched.
    pub fn commit_batch(&mut self) -> Result<(), StoreError> {
        if !self.in_batch() {
            return Ok(());
        }
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            // SQLite rolls back by itself after most commit errors; make sure of it.
            if self.in_batch() {
                if let Err(rollback) = self.conn.execute_batch("ROLLBACK") {
                    tracing::warn!("rolling back a batch whose commit failed: {rollback}");
                }
            }
            return Err(e.into());
        }
        Ok(())
    }

    /// Whether a batch is open.
    pub fn in_batch(&self) -> bool {
        !self.conn.is_autocommit()
    }

    /// Recompute the resolution of every reference in the archive from scratch. The store keeps
    /// resolution current by itself; this is a repair and verification tool.
    pub fn resolve_all_refs(&mut self) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        write::resolve_all_refs(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The volume's metadata, glossaries and table of contents.
    pub fn volume(&self, id: &str) -> Result<Option<Volume>, StoreError> {
        let tx = self.read_snapshot()?;
        read::volume(&tx, id)
    }

    /// All volumes, by id.
    pub fn volumes(&self) -> Result<Vec<VolumeSummary>, StoreError> {
        read::volumes(&self.conn)
    }

    /// One document exactly as it was stored.
    pub fn document(&self, volume: &str, id: &str) -> Result<Option<Document>, StoreError> {
        read::document(&self.conn, volume, id)
    }

    /// Documents of one volume or of all, by volume then reading order.
    pub fn documents(&self, volume: Option<&str>) -> Result<Vec<DocumentSummary>, StoreError> {
        read::documents(&self.conn, volume)
    }

    /// Counts over the whole archive.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let tx = self.read_snapshot()?;
        read::stats(&tx, None)
    }

    /// Counts restricted to one volume (all zero if the volume is not in the archive).
    pub fn counts_for_volume(&self, id: &str) -> Result<Stats, StoreError> {
        let tx = self.read_snapshot()?;
        read::stats(&tx, Some(id))
    }

    /// The store generation: bumped once by every write transaction (`store_volume`,
    /// `store_documents`). The search index records the generation it reflects, so a mismatch
    /// means the index missed a write and must be rebuilt.
    pub fn generation(&self) -> Result<i64, StoreError> {
        schema::generation(&self.conn)
    }

    /// The apparatus of one document (markings, type and parties, telegram identity, cable
    /// references resolved or external, its thread, cross-references, cited-by backlinks and
    /// the persons it mentions with their authority ids); `None` if the document is absent.
    pub fn apparatus(&self, volume: &str, id: &str) -> Result<Option<Apparatus>, StoreError> {
        let tx = self.read_snapshot()?;
        apparatus::apparatus(&tx, volume, id)
    }

    /// The cable thread of one document: the archive documents whose telegrams it cites
    /// (`answers`) and those citing its telegrams (`answered_by`).
    pub fn thread(&self, volume: &str, id: &str) -> Result<Option<Thread>, StoreError> {
        let tx = self.read_snapshot()?;
        apparatus::thread(&tx, volume, id)
    }

    /// Documents whose cross-references (TEI or text) resolve to `volume/id`.
    pub fn cited_by(&self, volume: &str, id: &str) -> Result<Vec<DocLink>, StoreError> {
        apparatus::cited_by(&self.conn, volume, id)
    }

    /// A series-wide person of the authority, with its glossary entries and documents by date.
    pub fn person(&self, authority_id: &str) -> Result<Option<AuthorityPerson>, StoreError> {
        let tx = self.read_snapshot()?;
        apparatus::person(&tx, authority_id)
    }

    /// One entry of a volume's persons list with the series-wide person it belongs to, or why
    /// its name is damaged.
    pub fn persons_entry(
        &self,
        volume: &str,
        person_id: &str,
    ) -> Result<Option<PersonLink>, StoreError> {
        apparatus::person_link(&self.conn, volume, person_id)
    }

    /// Authority ids and names whose id or member names contain `query`.
    pub fn find_persons(&self, query: &str) -> Result<BTreeMap<String, String>, StoreError> {
        apparatus::find_persons(&self.conn, query)
    }

    /// Resolve a printed FRUS citation to an archive document (see [`CitationMatch`]).
    pub fn lookup_citation(&self, text: &str) -> Result<Option<CitationMatch>, StoreError> {
        apparatus::lookup_citation(&self.conn, text)
    }

    /// A consistent read of several statements: a read transaction of its own, or, inside a
    /// write already open (an ingest batch reading back what it stored), that write's view — a
    /// second transaction cannot start inside it.
    fn read_snapshot(&self) -> Result<ReadSnapshot<'_>, StoreError> {
        if self.conn.is_autocommit() {
            Ok(ReadSnapshot::Own(self.conn.unchecked_transaction()?))
        } else {
            Ok(ReadSnapshot::Borrowed(&self.conn))
        }
    }
}

/// What only the archive's own connection shows: its per-connection settings and a failure
/// injected inside its open batch.
#[cfg(test)]
mod connection_tests {
    use chancery_model::{Document, Origin, ParsedVolume, SourceFormat, Volume};

    use super::Archive;

    fn volume(id: &str, sha: &str, docs: &[&str]) -> ParsedVolume {
        ParsedVolume {
            volume: Volume {
                id: id.into(),
                origin: Origin {
                    path: format!("{id}.xml"),
                    format: SourceFormat::Tei,
                    sha256: sha.into(),
                    bytes: 1,
                },
                ..Volume::default()
            },
            documents: docs
                .iter()
                .map(|d| Document {
                    volume_id: id.into(),
                    id: (*d).into(),
                    heading_text: format!("Document {d}"),
                    ..Document::default()
                })
                .collect(),
            ..ParsedVolume::default()
        }
    }

    /// Every row of every table, for "unchanged" comparisons.
    fn snapshot(a: &Archive) -> Vec<String> {
        let conn = &a.conn;
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .unwrap();
        tables.retain(|t| !t.starts_with("sqlite_"));
        let mut out = Vec::new();
        for table in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let columns = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    (0..columns)
                        .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
                        .collect::<Result<Vec<_>, _>>()
                        .map(|cells| format!("{table}: {}", cells.join(" | ")))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            out.extend(rows);
        }
        out
    }

    #[test]
    fn the_archive_connection_enforces_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open(dir.path()).unwrap();
        let fk: i64 = a
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    /// A commit that fails rolls the whole batch back and leaves no batch open.
    #[test]
    fn a_batch_whose_commit_fails_is_rolled_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Archive::open(dir.path()).unwrap();
        a.store_volume(&volume("frusA", "v1", &["d1"])).unwrap();
        let before = snapshot(&a);

        a.begin_batch().unwrap();
        // With foreign keys deferred, a row that points nowhere is refused only at the commit.
        a.conn
            .pragma_update(None, "defer_foreign_keys", true)
            .unwrap();
        a.store_volume(&volume("frusB", "b1", &["d1"])).unwrap();
        a.conn
            .execute(
                "INSERT INTO warnings (volume_id, format, file, message)
                 VALUES ('no-such-volume', 'tei', 'x.xml', 'orphan')",
                [],
            )
            .unwrap();
        assert!(a.commit_batch().is_err());
        assert!(!a.in_batch());
        assert_eq!(snapshot(&a), before);
        // The archive takes writes again, in or out of a batch.
        a.store_volume(&volume("frusB", "b2", &["d1"])).unwrap();
        assert_eq!(a.documents(Some("frusB")).unwrap().len(), 1);
    }
}
