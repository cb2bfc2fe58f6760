//! The database schema and its migrations.
//!
//! `PRAGMA user_version` holds the schema version. Migration `i` (0-based) takes a database from
//! version `i` to `i + 1`; each runs in its own IMMEDIATE transaction together with the version
//! bump, so a crash during a migration leaves the previous version intact.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

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

const MIGRATIONS: &[&str] = &[V1];

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
