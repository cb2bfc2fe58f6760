//! The database schema and its migrations.
//!
//! `PRAGMA user_version` holds the schema version. Migration `i` (0-based) takes a database from
//! version `i` to `i + 1`; each runs in its own IMMEDIATE transaction together with the version
//! bump, so a crash during a migration leaves the previous version intact.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 6;

/// `PRAGMA application_id` of a Chancery archive ("CHNC"), so foreign SQLite files are recognised.
pub const APPLICATION_ID: i64 = 0x4348_4e43;

const V1: &str = r#"
CREATE TABLE volumes (
    id                     TEXT PRIMARY KEY NOT NULL,
    is_stub                INTEGER NOT NULL DEFAULT 0,
    title_complete         TEXT,
    title_series           TEXT,
    title_sub_series       TEXT,
    title_volume_number    TEXT,
    title_volume           TEXT,
    editors                TEXT NOT NULL DEFAULT '[]',
    publisher              TEXT,
    pub_place              TEXT,
    publication_year       TEXT,
    idnos                  TEXT NOT NULL DEFAULT '[]',
    content_date_min       TEXT,
    content_date_max       TEXT,
    content_date_precision TEXT,
    toc                    TEXT NOT NULL DEFAULT '[]',
    source_path            TEXT NOT NULL,
    source_format          TEXT NOT NULL,
    source_sha256          TEXT NOT NULL,
    source_bytes           INTEGER NOT NULL,
    ingested_at            TEXT NOT NULL
);

CREATE TABLE documents (
    key            INTEGER PRIMARY KEY,
    volume_id      TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    number         TEXT,
    kind           TEXT NOT NULL,
    subtype        TEXT,
    heading        TEXT NOT NULL,
    senders        TEXT NOT NULL,
    recipients     TEXT NOT NULL,
    place          TEXT,
    date_text      TEXT,
    date_when      TEXT,
    date_min       TEXT,
    date_max       TEXT,
    date_precision TEXT,
    chapter_path   TEXT NOT NULL,
    text           TEXT NOT NULL,
    json           TEXT NOT NULL,
    format         TEXT NOT NULL,
    source_path    TEXT NOT NULL,
    source_sha256  TEXT NOT NULL,
    UNIQUE (volume_id, id)
);
CREATE INDEX documents_order ON documents(volume_id, seq);
CREATE INDEX documents_date ON documents(date_min);

CREATE TABLE files (
    sha256      TEXT PRIMARY KEY NOT NULL,
    path        TEXT NOT NULL,
    format      TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    volume_id   TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    document_id TEXT,
    census      TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    FOREIGN KEY (volume_id, document_id) REFERENCES documents(volume_id, id) ON DELETE CASCADE
);
CREATE INDEX files_owner ON files(volume_id, document_id);

CREATE TABLE divisions (
    volume_id      TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    id             TEXT NOT NULL,
    parent_id      TEXT,
    depth          INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    subtype        TEXT,
    heading        TEXT NOT NULL,
    document_count INTEGER NOT NULL,
    first_document TEXT,
    PRIMARY KEY (volume_id, seq)
) WITHOUT ROWID;
CREATE INDEX divisions_id ON divisions(volume_id, id);

CREATE TABLE persons (
    volume_id   TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (volume_id, seq)
) WITHOUT ROWID;
CREATE INDEX persons_id ON persons(volume_id, id);

CREATE TABLE terms (
    volume_id   TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (volume_id, seq)
) WITHOUT ROWID;
CREATE INDEX terms_id ON terms(volume_id, id);

CREATE TABLE footnotes (
    document_key INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    volume_id    TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    id           TEXT NOT NULL,
    mark         TEXT NOT NULL,
    is_source    INTEGER NOT NULL,
    text         TEXT NOT NULL,
    PRIMARY KEY (document_key, seq)
) WITHOUT ROWID;
CREATE INDEX footnotes_id ON footnotes(volume_id, id);

CREATE TABLE pages (
    document_key INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    volume_id    TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    n            TEXT NOT NULL,
    id           TEXT,
    footnote_id  TEXT,
    PRIMARY KEY (document_key, seq)
) WITHOUT ROWID;
CREATE INDEX pages_id ON pages(volume_id, id);

CREATE TABLE mentions (
    document_key INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    volume_id    TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    footnote_id  TEXT,
    kind         TEXT NOT NULL CHECK (kind IN ('person', 'term')),
    target       TEXT,
    role         TEXT,
    surface      TEXT NOT NULL,
    PRIMARY KEY (document_key, seq)
) WITHOUT ROWID;
CREATE INDEX mentions_target ON mentions(volume_id, target);

CREATE TABLE refs (
    document_key      INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    volume_id         TEXT NOT NULL,
    document_id       TEXT NOT NULL,
    footnote_id       TEXT,
    raw               TEXT NOT NULL,
    target_volume     TEXT,
    target_element    TEXT,
    kind              TEXT NOT NULL,
    surface           TEXT NOT NULL,
    resolved_document TEXT,
    resolved          INTEGER,
    PRIMARY KEY (document_key, seq)
) WITHOUT ROWID;
CREATE INDEX refs_target ON refs(target_volume, target_element);

CREATE TABLE warnings (
    id          INTEGER PRIMARY KEY,
    volume_id   TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    document_id TEXT,
    format      TEXT NOT NULL,
    file        TEXT NOT NULL,
    line        INTEGER,
    col         INTEGER,
    message     TEXT NOT NULL
);
CREATE INDEX warnings_owner ON warnings(volume_id, document_id);
"#;

/// The store's generation: a counter bumped once by every write transaction (see
/// [`bump_generation`]). The search index records the generation it reflects in its commit
/// payload, so a reader can tell an index that missed a write (a crash between the store's commit
/// and the index's) from one that is current.
const V2: &str = r#"
CREATE TABLE store_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO store_state (id, generation) VALUES (1, 0);
"#;

/// The apparatus as linked data (issue #3): per-document markings, telegram identity, the cable
/// graph, cross-references found in text, and the series-wide person authority. Everything here
/// is derived from `documents.json` and the glossaries when a volume or document is stored.
const V3: &str = r#"
CREATE TABLE markings (
    document_key              INTEGER PRIMARY KEY REFERENCES documents(key) ON DELETE CASCADE,
    volume_id                 TEXT NOT NULL,
    document_id               TEXT NOT NULL,
    doc_type                  TEXT,
    doc_subtype               TEXT,
    circular                  INTEGER NOT NULL DEFAULT 0,
    classification            TEXT,
    classification_as_written TEXT,
    precedence                TEXT,
    caveats                   TEXT NOT NULL DEFAULT '[]',
    code_words                TEXT NOT NULL DEFAULT '[]',
    repository                TEXT,
    repository_as_written     TEXT,
    record_group              TEXT,
    lot                       TEXT,
    archive_path              TEXT NOT NULL DEFAULT '[]',
    decimal_files             TEXT NOT NULL DEFAULT '[]',
    drafted_by                TEXT NOT NULL DEFAULT '[]',
    cleared_by                TEXT NOT NULL DEFAULT '[]',
    approved_by               TEXT NOT NULL DEFAULT '[]',
    sent_to                   TEXT NOT NULL DEFAULT '[]',
    repeated_to               TEXT NOT NULL DEFAULT '[]',
    received                  TEXT,
    reading_marks             TEXT NOT NULL DEFAULT '[]',
    printed_from              TEXT,
    remainder                 TEXT NOT NULL DEFAULT '[]',
    from_party                TEXT,
    to_party                  TEXT,
    from_persons              TEXT NOT NULL DEFAULT '[]',
    to_persons                TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX markings_doc ON markings(volume_id, document_id);
CREATE INDEX markings_classification ON markings(classification);
CREATE INDEX markings_doc_type ON markings(doc_type);

CREATE TABLE telegrams (
    document_key INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    volume_id    TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    raw          TEXT NOT NULL,
    number       TEXT,
    series       TEXT,
    origin       TEXT,
    sender       TEXT,
    destination  TEXT,
    PRIMARY KEY (document_key, seq)
) WITHOUT ROWID;
CREATE INDEX telegrams_number ON telegrams(number);
CREATE INDEX telegrams_volume_number ON telegrams(volume_id, number);
CREATE INDEX telegrams_number_origin ON telegrams(number, origin COLLATE NOCASE);
CREATE INDEX telegrams_number_sender ON telegrams(number, sender COLLATE NOCASE);
CREATE INDEX telegrams_series ON telegrams(series);
CREATE INDEX telegrams_doc ON telegrams(volume_id, document_id);

CREATE TABLE cable_refs (
    document_key      INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    volume_id         TEXT NOT NULL,
    document_id       TEXT NOT NULL,
    footnote_id       TEXT,
    place             TEXT NOT NULL,
    raw               TEXT NOT NULL,
    number            TEXT,
    series            TEXT,
    keyword           TEXT NOT NULL,
    origin_as_written TEXT,
    origin            TEXT,
    sender            TEXT,
    destination       TEXT,
    circular          INTEGER NOT NULL DEFAULT 0,
    resolved_volume   TEXT,
    resolved_document TEXT,
    PRIMARY KEY (document_key, seq)
) WITHOUT ROWID;
CREATE INDEX cable_refs_number ON cable_refs(number);
CREATE INDEX cable_refs_series ON cable_refs(series);
CREATE INDEX cable_refs_resolved ON cable_refs(resolved_volume, resolved_document);

CREATE TABLE text_refs (
    document_key      INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    volume_id         TEXT NOT NULL,
    document_id       TEXT NOT NULL,
    footnote_id       TEXT,
    place             TEXT NOT NULL,
    raw               TEXT NOT NULL,
    target_volume     TEXT,
    target_element    TEXT,
    kind              TEXT NOT NULL,
    surface           TEXT NOT NULL,
    resolved_document TEXT,
    resolved          INTEGER,
    PRIMARY KEY (document_key, seq)
) WITHOUT ROWID;
CREATE INDEX text_refs_target ON text_refs(target_volume, target_element);
CREATE INDEX text_refs_resolved ON text_refs(target_volume, resolved_document);
CREATE INDEX refs_resolved ON refs(target_volume, resolved_document);

CREATE TABLE authority_members (
    volume_id    TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    person_id    TEXT NOT NULL,
    authority_id TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (volume_id, person_id)
) WITHOUT ROWID;
CREATE INDEX authority_members_authority ON authority_members(authority_id);

-- Derived from the members on read rather than kept up to date on every store: recounting a
-- person's volumes after each stored volume grew with the archive.
CREATE VIEW authority_persons AS
    SELECT authority_id AS id, min(name) AS name, count(DISTINCT volume_id) AS volumes
      FROM authority_members
     GROUP BY authority_id;
"#;

/// Volumes whose links to and from the rest of the archive wait for one resolution pass (see
/// `Archive::begin_bulk`). Empty between ingest runs; rows left by a killed run are resolved by
/// the next write. And case-blind series indexes for cable resolution.
const V4: &str = r#"
CREATE TABLE pending_links (
    volume_id TEXT PRIMARY KEY
) WITHOUT ROWID;

-- Series are compared case-blind ("SECTO 10" = "Secto 10"); these serve those comparisons.
CREATE INDEX telegrams_series_nocase ON telegrams(series COLLATE NOCASE);
CREATE INDEX cable_refs_series_nocase ON cable_refs(series COLLATE NOCASE);
"#;

/// The apparatus generalised to every era (issue #13): the specific type beside its family,
/// form marks, despatch numbers, dateline times and received times; mentions linked to a
/// glossary by Chancery (not by the source); volume metadata from the Office of the Historian's
/// bibliography records; second witnesses of a document (a text capture of a TEI document);
/// glossary entries too damaged to be persons. The apparatus tables are recomputed.
const V5: &str = r#"
ALTER TABLE markings ADD COLUMN doc_family TEXT;
ALTER TABLE markings ADD COLUMN markers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE markings ADD COLUMN serial_number TEXT;
ALTER TABLE markings ADD COLUMN sent_time TEXT;
ALTER TABLE markings ADD COLUMN received_at TEXT;
ALTER TABLE markings DROP COLUMN doc_subtype;
CREATE INDEX markings_doc_family ON markings(doc_family);

ALTER TABLE mentions ADD COLUMN linked INTEGER NOT NULL DEFAULT 0;

ALTER TABLE volumes ADD COLUMN administrations TEXT NOT NULL DEFAULT '[]';
ALTER TABLE volumes ADD COLUMN coverage_from TEXT;
ALTER TABLE volumes ADD COLUMN coverage_to TEXT;
ALTER TABLE volumes ADD COLUMN publication_status TEXT;
ALTER TABLE volumes ADD COLUMN summary TEXT;
ALTER TABLE volumes ADD COLUMN bibliography_path TEXT;

CREATE TABLE witnesses (
    document_key  INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    volume_id     TEXT NOT NULL,
    document_id   TEXT NOT NULL,
    format        TEXT NOT NULL,
    source_path   TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    text          TEXT NOT NULL,
    json          TEXT NOT NULL,
    PRIMARY KEY (document_key, seq)
) WITHOUT ROWID;
CREATE INDEX witnesses_doc ON witnesses(volume_id, document_id);
CREATE INDEX witnesses_sha ON witnesses(source_sha256);

ALTER TABLE authority_members ADD COLUMN damaged INTEGER NOT NULL DEFAULT 0;
DROP VIEW authority_persons;
CREATE VIEW authority_persons AS
    SELECT authority_id AS id, min(name) AS name, count(DISTINCT volume_id) AS volumes
      FROM authority_members
     WHERE damaged = 0
     GROUP BY authority_id;

DELETE FROM markings;
DELETE FROM telegrams;
DELETE FROM cable_refs;
DELETE FROM text_refs;
"#;

/// The person authority groups variant names (issue #13): each member's block keys (entries
/// are compared only within a block), the blocks waiting to be regrouped, and why a damaged
/// entry's name is not a name (instead of a bare flag). Catalogue records add a volume's
/// publication date and media. A stored file is known by its content *and* where it was filed.
const V6: &str = r#"
CREATE TABLE authority_keys (
    key       TEXT NOT NULL,
    volume_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    PRIMARY KEY (key, volume_id, person_id),
    FOREIGN KEY (volume_id, person_id)
        REFERENCES authority_members(volume_id, person_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX authority_keys_member ON authority_keys(volume_id, person_id);

CREATE TABLE authority_dirty (
    key TEXT PRIMARY KEY
) WITHOUT ROWID;

-- One file may be stored under several volumes or documents (the same capture filed twice):
-- its identity is the content and where it went, not the content alone.
CREATE TABLE files_v6 (
    sha256      TEXT NOT NULL,
    path        TEXT NOT NULL,
    format      TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    volume_id   TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    document_id TEXT,
    census      TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    FOREIGN KEY (volume_id, document_id) REFERENCES documents(volume_id, id) ON DELETE CASCADE
);
INSERT INTO files_v6 SELECT sha256, path, format, bytes, volume_id, document_id, census,
    ingested_at FROM files;
DROP TABLE files;
ALTER TABLE files_v6 RENAME TO files;
CREATE UNIQUE INDEX files_identity ON files(sha256, volume_id, ifnull(document_id, ''));
CREATE INDEX files_owner ON files(volume_id, document_id);

ALTER TABLE volumes ADD COLUMN published_date TEXT;
ALTER TABLE volumes ADD COLUMN media TEXT NOT NULL DEFAULT '[]';

DROP VIEW authority_persons;
ALTER TABLE authority_members ADD COLUMN damage TEXT;
ALTER TABLE authority_members DROP COLUMN damaged;
-- A person is named by its fullest undamaged member name; damaged entries found no person.
CREATE VIEW authority_persons AS
    SELECT m.authority_id AS id,
           (SELECT n.name FROM authority_members n
             WHERE n.authority_id = m.authority_id AND n.damage IS NULL
             ORDER BY length(n.name) DESC, n.name LIMIT 1) AS name,
           count(DISTINCT m.volume_id) AS volumes
      FROM authority_members m
     WHERE m.damage IS NULL
     GROUP BY m.authority_id;

DELETE FROM markings;
DELETE FROM telegrams;
DELETE FROM cable_refs;
DELETE FROM text_refs;
"#;

const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6];

/// Bump the store generation inside the caller's write transaction. Exactly one bump per
/// transaction: a writer that reads the generation before and after its own transaction and sees
/// a difference of one knows nobody else wrote in between.
pub(crate) fn bump_generation(conn: &Connection) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE store_state SET generation = generation + 1 WHERE id = 1",
        [],
    )?;
    Ok(())
}

/// The current store generation.
pub(crate) fn generation(conn: &Connection) -> Result<i64, StoreError> {
    Ok(
        conn.query_row("SELECT generation FROM store_state WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

/// Bring the database up to [`SCHEMA_VERSION`].
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    debug_assert_eq!(MIGRATIONS.len() as i64, SCHEMA_VERSION);
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Read the version inside the write lock so two processes opening a fresh archive at
        // once do not both run the same migration.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::UnsupportedVersion {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        if version == 0 {
            check_empty(&tx)?;
            tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID};"))?;
        } else {
            tracing::info!(
                "migrating the archive schema from version {version} to {}",
                version + 1
            );
        }
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            return Err(StoreError::Corrupt(format!(
                "negative schema version {version}"
            )));
        };
        tx.execute_batch(sql)?;
        if version + 1 == SCHEMA_VERSION {
            // The apparatus tables are derived from the stored documents: fill them now, in the
            // same transaction, so a migrated archive answers like a freshly ingested one.
            crate::apparatus::backfill(&tx)?;
        }
        tx.execute_batch(&format!("PRAGMA user_version = {};", version + 1))?;
        tx.commit()?;
    }
}

/// A version-0 database must be empty: refuse to scribble our tables into somebody else's file.
fn check_empty(conn: &Connection) -> Result<(), StoreError> {
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    if tables > 0 {
        return Err(StoreError::Corrupt(
            "chancery.sqlite holds tables but no Chancery schema version".into(),
        ));
    }
    Ok(())
}
