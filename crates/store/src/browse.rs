//! Read queries for browsing the archive: a volume's pages and glossary counts, the persons
//! lists and terms across volumes, the documents a person is mentioned in, the timeline's
//! counts, and a consistent snapshot of every document for the search index. The web, the CLI
//! and the index read through these instead of writing SQL of their own, so the schema can
//! change in one crate.

use std::collections::HashMap;

use chancery_model::{Document, SourceFormat};
use rusqlite::Connection;
use serde::Serialize;

use crate::{Archive, StoreError};

/// A link (`ref/@target`) the TEI encodes in a document, and where it leads in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EncodedRef {
    /// The target as written: `#d40`, `frus1964-68v06#d299`.
    pub raw: String,
    /// The volume it names; `None` for the document's own.
    pub target_volume: Option<String>,
    /// The element it names in that volume (`d40`), if any.
    pub target_element: Option<String>,
    /// The document the target resolves to, when it is in the archive.
    pub resolved_document: Option<String>,
    /// `Some(true)` when the target exists in the archive, `Some(false)` when it is a FRUS
    /// target not (yet) stored, `None` for external links.
    pub resolved: Option<bool>,
}

/// A page break of a volume, in reading order: the page runs from here to the next break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageBreak {
    /// The printed page number ("120", "XIV").
    pub n: String,
    /// The document the break is in.
    pub document: String,
}

/// Glossary entries are persons or terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossaryKind {
    /// A persons list.
    Person,
    /// A list of terms (abbreviations and the like).
    Term,
}

impl GlossaryKind {
    fn as_str(self) -> &'static str {
        match self {
            GlossaryKind::Person => "person",
            GlossaryKind::Term => "term",
        }
    }
}

/// Another witness of a document: a capture of the same document from another file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Witness {
    /// Order of storing, from 0.
    pub seq: u32,
    /// TEI or text capture.
    pub format: SourceFormat,
    /// The file it was read from, as given to `ingest`.
    pub source_path: String,
    /// Lower-case hex SHA-256 of that file.
    pub source_sha256: String,
    /// Its text, block by block (as `chancery_model::plain_text_blocks` renders a body).
    pub text: String,
}

/// A volume that has a persons list, and how many entries it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonsList {
    /// The volume id.
    pub volume: String,
    /// The volume's complete title, if known.
    pub title: Option<String>,
    /// Entries in its persons list.
    pub persons: u64,
}

/// A term of one volume's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermEntry {
    /// The term as printed ("DMZ").
    pub name: String,
    /// What it stands for ("Demilitarized Zone").
    pub description: String,
    /// The volume whose list it is in.
    pub volume: String,
    /// Its id in that list (`t_DMZ1`).
    pub id: String,
}

/// A document a glossary person is mentioned in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MentioningDocument {
    /// The document's volume.
    pub volume: String,
    /// The document's id in its volume.
    pub id: String,
    /// Its heading as plain text.
    pub heading: String,
    /// Its date as printed.
    pub date_text: Option<String>,
    /// `YYYY-MM-DD` of the document's date, when dated.
    pub day: Option<String>,
    /// How often the person is mentioned in it.
    pub mentions: u64,
}

/// A dated document, for lists by date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedDocument {
    /// The document's volume.
    pub volume: String,
    /// The document's id in its volume.
    pub id: String,
    /// Its heading as plain text.
    pub heading: String,
    /// Its date as printed.
    pub date_text: Option<String>,
}

/// The unit the timeline counts documents by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBucket {
    /// Per year (`1968`), over the whole archive.
    Year,
    /// Per month (`1968-10`) of one year.
    Month,
    /// Per day (`1968-10-02`) of one month.
    Day,
}

impl Archive {
    /// The links the TEI encodes in one document.
    pub fn encoded_refs(
        &self,
        volume: &str,
        document: &str,
    ) -> Result<Vec<EncodedRef>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT raw, target_volume, target_element, resolved_document, resolved
               FROM refs WHERE volume_id = ?1 AND document_id = ?2 ORDER BY seq",
        )?;
        let rows = stmt.query_map([volume, document], |r| {
            Ok(EncodedRef {
                raw: r.get(0)?,
                target_volume: r.get(1)?,
                target_element: r.get(2)?,
                resolved_document: r.get(3)?,
                resolved: r.get::<_, Option<i64>>(4)?.map(|v| v != 0),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every page break of a volume in reading order.
    pub fn page_breaks(&self, volume: &str) -> Result<Vec<PageBreak>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.n, p.document_id FROM pages p JOIN documents d ON d.key = p.document_key
              WHERE p.volume_id = ?1 ORDER BY d.seq, d.id, p.seq",
        )?;
        let rows = stmt.query_map([volume], |r| {
            Ok(PageBreak {
                n: r.get(0)?,
                document: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many documents of a volume mention each of its glossary entries.
    pub fn mention_counts(
        &self,
        volume: &str,
        kind: GlossaryKind,
    ) -> Result<HashMap<String, u64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT target, count(DISTINCT document_key) FROM mentions
              WHERE volume_id = ?1 AND kind = ?2 AND target IS NOT NULL GROUP BY target",
        )?;
        let rows = stmt.query_map([volume, kind.as_str()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The other witnesses of a stored document (text captures of it), in the order they were
    /// stored. The document's own text is its first witness.
    pub fn witnesses(&self, volume: &str, id: &str) -> Result<Vec<Witness>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, format, source_path, source_sha256, text FROM witnesses
              WHERE volume_id = ?1 AND document_id = ?2 ORDER BY seq",
        )?;
        let rows = stmt.query_map([volume, id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, format, source_path, source_sha256, text) = row?;
            out.push(Witness {
                seq: u32::try_from(seq)
                    .map_err(|_| StoreError::Corrupt(format!("witness seq {seq}")))?,
                format: crate::read::parse_format(&format)?,
                source_path,
                source_sha256,
                text,
            });
        }
        Ok(out)
    }

    /// The volumes that have a persons list, by id.
    pub fn persons_lists(&self) -> Result<Vec<PersonsList>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.id, v.title_complete, count(p.id) FROM volumes v
               JOIN persons p ON p.volume_id = v.id GROUP BY v.id ORDER BY v.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PersonsList {
                volume: r.get(0)?,
                title: r.get(1)?,
                persons: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every term of every volume, by name (case-blind), then volume.
    pub fn all_terms(&self) -> Result<Vec<TermEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, description, volume_id, id FROM terms
              ORDER BY name COLLATE NOCASE, volume_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(TermEntry {
                name: r.get(0)?,
                description: r.get(1)?,
                volume: r.get(2)?,
                id: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The documents that mention glossary person `person` of `volume` (or point at it from
    /// another volume, `volume#person`), by date, undated last.
    pub fn documents_mentioning(
        &self,
        volume: &str,
        person: &str,
    ) -> Result<Vec<MentioningDocument>, StoreError> {
        let cross = format!("{volume}#{person}");
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.volume_id, d.id, d.heading, d.date_text, substr(d.date_min, 1, 10), count(*)
               FROM mentions m JOIN documents d ON d.key = m.document_key
              WHERE m.kind = 'person' AND ((m.volume_id = ?1 AND m.target = ?2) OR m.target = ?3)
              GROUP BY d.key
              ORDER BY d.date_min IS NULL, d.date_min, d.volume_id, d.seq",
        )?;
        let rows = stmt.query_map([volume, person, cross.as_str()], |r| {
            Ok(MentioningDocument {
                volume: r.get(0)?,
                id: r.get(1)?,
                heading: r.get(2)?,
                date_text: r.get(3)?,
                day: r.get(4)?,
                mentions: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Documents per year, per month of `within` (`"1968"`), or per day of `within`
    /// (`"1968-10"`), in order; only buckets with documents.
    pub fn date_counts(
        &self,
        bucket: DateBucket,
        within: Option<&str>,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let (sql, arg) = match bucket {
            DateBucket::Year => (
                "SELECT substr(date_min, 1, 4), count(*) FROM documents
                  WHERE date_min IS NOT NULL GROUP BY 1 ORDER BY 1",
                None,
            ),
            DateBucket::Month => (
                "SELECT substr(date_min, 1, 7), count(*) FROM documents
                  WHERE substr(date_min, 1, 4) = ?1 GROUP BY 1 ORDER BY 1",
                within,
            ),
            DateBucket::Day => (
                "SELECT substr(date_min, 1, 10), count(*) FROM documents
                  WHERE substr(date_min, 1, 7) = ?1 GROUP BY 1 ORDER BY 1",
                within,
            ),
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let map = |r: &rusqlite::Row<'_>| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?));
        let rows = match arg {
            Some(a) => stmt.query_map([a], map)?.collect::<Result<_, _>>()?,
            None => stmt.query_map([], map)?.collect::<Result<_, _>>()?,
        };
        Ok(rows)
    }

    /// How many documents have no date.
    pub fn undated_count(&self) -> Result<u64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM documents WHERE date_min IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Documents whose date starts with `prefix` (`"1968-10"`, `"1968-10-02"`), by date, at
    /// most `limit`.
    pub fn documents_dated(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<DatedDocument>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT volume_id, id, heading, date_text FROM documents
              WHERE substr(date_min, 1, ?2) = ?1 ORDER BY date_min, volume_id, seq LIMIT ?3",
        )?;
        let len = i64::try_from(prefix.len()).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(rusqlite::params![prefix, len, limit], |r| {
            Ok(DatedDocument {
                volume: r.get(0)?,
                id: r.get(1)?,
                heading: r.get(2)?,
                date_text: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether the archive holds the volume (without reading it: [`Archive::volume`] decodes
    /// its glossaries, contents and catalogue).
    pub fn has_volume(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.volume_is_stub(id)?.is_some())
    }

    /// Whether the volume is known only from text captures (`None` if it is not stored).
    pub fn volume_is_stub(&self, id: &str) -> Result<Option<bool>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT is_stub FROM volumes WHERE id = ?1")?;
        let mut rows = stmt.query([id])?;
        Ok(match rows.next()? {
            Some(r) => Some(r.get::<_, i64>(0)? != 0),
            None => None,
        })
    }

    /// How many documents the archive holds.
    pub fn document_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?)
    }

    /// The ids of a volume's documents that came from text captures.
    pub fn text_document_ids(&self, volume: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM documents WHERE volume_id = ?1 AND format = 'text' ORDER BY seq, id",
        )?;
        let rows = stmt.query_map([volume], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The sub-series of every volume and the names of its persons list, for the search index.
    pub fn volume_glossaries(&self) -> Result<HashMap<String, VolumeGlossary>, StoreError> {
        volume_glossaries(&self.conn)
    }

    /// Every document, in storage order, read in one consistent snapshot together with the
    /// store generation it reflects: `f` gets each document's volume id and its stored JSON
    /// (parsing is the caller's, so it can run in parallel) in batches of `batch`. Returns the
    /// generation.
    pub fn snapshot_documents(
        &self,
        batch: usize,
        f: &mut dyn FnMut(Vec<(String, String)>) -> Result<(), StoreError>,
    ) -> Result<i64, StoreError> {
        // One read transaction: the generation and the documents come from the same snapshot
        // (WAL), so a caller can record exactly which state it has seen.
        let tx = self.read_snapshot()?;
        let generation = crate::schema::generation(&tx)?;
        let mut stmt = tx.prepare("SELECT volume_id, json FROM documents ORDER BY key")?;
        let mut rows = stmt.query([])?;
        let mut chunk: Vec<(String, String)> = Vec::with_capacity(batch.max(1));
        while let Some(row) = rows.next()? {
            chunk.push((row.get(0)?, row.get(1)?));
            if chunk.len() >= batch.max(1) {
                f(std::mem::take(&mut chunk))?;
            }
        }
        if !chunk.is_empty() {
            f(chunk)?;
        }
        drop(rows);
        drop(stmt);
        tx.finish()?;
        Ok(generation)
    }
}

/// What the search index takes from a volume: its sub-series and its persons' names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeGlossary {
    /// The volume's sub-series ("1964–1968").
    pub sub_series: Option<String>,
    /// Glossary id → name as printed.
    pub persons: HashMap<String, String>,
}

fn volume_glossaries(conn: &Connection) -> Result<HashMap<String, VolumeGlossary>, StoreError> {
    let mut out: HashMap<String, VolumeGlossary> = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, title_sub_series FROM volumes")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    for row in rows {
        let (id, sub_series) = row?;
        out.entry(id).or_default().sub_series = sub_series;
    }
    let mut stmt = conn.prepare_cached("SELECT volume_id, id, name FROM persons")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (volume, id, name) = row?;
        out.entry(volume).or_default().persons.insert(id, name);
    }
    Ok(out)
}

/// Parse a stored document's JSON (what [`Archive::snapshot_documents`] hands out).
pub fn document_from_json(json: &str) -> Result<Document, StoreError> {
    Ok(serde_json::from_str(json)?)
}
