//! Reading the archive back.

use chancery_model::{
    Catalogue, DateInterval, DatePrecision, Document, GlossaryEntry, Origin, SourceFormat, Volume,
    VolumeTitles,
};
use rusqlite::{Connection, OptionalExtension, Row};

use crate::{DocumentSummary, Stats, StoreError, VolumeSummary};

fn parse_precision(s: &str) -> Result<DatePrecision, StoreError> {
    DatePrecision::from_name(s)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown date precision {s:?}")))
}

pub(crate) fn parse_format(s: &str) -> Result<SourceFormat, StoreError> {
    match s {
        "tei" => Ok(SourceFormat::Tei),
        "text" => Ok(SourceFormat::Text),
        "bibliography" => Ok(SourceFormat::Bibliography),
        other => Err(StoreError::Corrupt(format!(
            "unknown source format {other:?}"
        ))),
    }
}

fn json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// Raw columns of a volume row, converted after the row borrow ends.
struct VolumeRow {
    titles: VolumeTitles,
    editors: String,
    publisher: Option<String>,
    pub_place: Option<String>,
    publication_year: Option<String>,
    idnos: String,
    date_min: Option<String>,
    date_max: Option<String>,
    date_precision: Option<String>,
    toc: String,
    path: String,
    format: String,
    sha256: String,
    bytes: i64,
}

fn volume_row(r: &Row<'_>) -> rusqlite::Result<VolumeRow> {
    Ok(VolumeRow {
        titles: VolumeTitles {
            complete: r.get(0)?,
            series: r.get(1)?,
            sub_series: r.get(2)?,
            volume_number: r.get(3)?,
            volume: r.get(4)?,
        },
        editors: r.get(5)?,
        publisher: r.get(6)?,
        pub_place: r.get(7)?,
        publication_year: r.get(8)?,
        idnos: r.get(9)?,
        date_min: r.get(10)?,
        date_max: r.get(11)?,
        date_precision: r.get(12)?,
        toc: r.get(13)?,
        path: r.get(14)?,
        format: r.get(15)?,
        sha256: r.get(16)?,
        bytes: r.get(17)?,
    })
}

pub(crate) fn volume(conn: &Connection, id: &str) -> Result<Option<Volume>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT title_complete, title_series, title_sub_series, title_volume_number,
                title_volume, editors, publisher, pub_place, publication_year, idnos,
                content_date_min, content_date_max, content_date_precision, toc, source_path,
                source_format, source_sha256, source_bytes
             FROM volumes WHERE id = ?1",
        )?
        .query_row([id], volume_row)
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let content_dates = match (row.date_min, row.date_max, row.date_precision) {
        (Some(min), Some(max), Some(p)) => Some(DateInterval {
            min,
            max,
            precision: parse_precision(&p)?,
        }),
        _ => None,
    };
    Ok(Some(Volume {
        id: id.to_string(),
        titles: row.titles,
        editors: json(&row.editors, "volumes.editors")?,
        publisher: row.publisher,
        pub_place: row.pub_place,
        publication_year: row.publication_year,
        idnos: json(&row.idnos, "volumes.idnos")?,
        content_dates,
        persons: glossary(conn, "persons", id)?,
        terms: glossary(conn, "terms", id)?,
        toc: json(&row.toc, "volumes.toc")?,
        catalogue: catalogue(conn, id)?,
        origin: Origin {
            path: row.path,
            format: parse_format(&row.format)?,
            sha256: row.sha256,
            bytes: u64::try_from(row.bytes)
                .map_err(|_| StoreError::Corrupt(format!("negative size of volume {id}")))?,
        },
    }))
}

/// The catalogue fields of a volume, when a record was stored for it.
fn catalogue(conn: &Connection, id: &str) -> Result<Option<Catalogue>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT administrations, coverage_from, coverage_to, publication_status,
                published_date, media, summary, bibliography_path
             FROM volumes WHERE id = ?1 AND bibliography_path IS NOT NULL",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get::<_, String>(5)?,
                r.get(6)?,
                r.get::<_, String>(7)?,
            ))
        })
        .optional()?;
    let Some((admins, from, to, status, date, media, summary, path)) = row else {
        return Ok(None);
    };
    Ok(Some(Catalogue {
        administrations: json(&admins, "volumes.administrations")?,
        coverage_from: from,
        coverage_to: to,
        publication_status: status,
        published_date: date,
        media: json(&media, "volumes.media")?,
        summary,
        source_path: path,
    }))
}

fn glossary(conn: &Connection, table: &str, id: &str) -> Result<Vec<GlossaryEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, name, description FROM {table} WHERE volume_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt.query_map([id], |r| {
        Ok(GlossaryEntry {
            id: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn volumes(conn: &Connection) -> Result<Vec<VolumeSummary>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.title_complete, v.title_sub_series, v.title_volume_number,
            v.publication_year, v.is_stub,
            (SELECT count(*) FROM documents d WHERE d.volume_id = v.id),
            (SELECT count(*) FROM footnotes f WHERE f.volume_id = v.id)
         FROM volumes v ORDER BY v.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(VolumeSummary {
            id: r.get(0)?,
            title: r.get(1)?,
            sub_series: r.get(2)?,
            volume_number: r.get(3)?,
            publication_year: r.get(4)?,
            stub: r.get(5)?,
            documents: r.get(6)?,
            footnotes: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn document(
    conn: &Connection,
    volume: &str,
    id: &str,
) -> Result<Option<Document>, StoreError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT json FROM documents WHERE volume_id = ?1 AND id = ?2")?
        .query_row([volume, id], |r| r.get(0))
        .optional()?;
    text.map(|t| json(&t, &format!("document {volume}/{id}")))
        .transpose()
}

pub(crate) fn documents(
    conn: &Connection,
    volume: Option<&str>,
) -> Result<Vec<DocumentSummary>, StoreError> {
    const COLS: &str = "SELECT volume_id, id, number, kind, subtype, heading, date_text, date_min,
        format FROM documents";
    let sql = match volume {
        Some(_) => format!("{COLS} WHERE volume_id = ?1 ORDER BY seq, id"),
        None => format!("{COLS} ORDER BY volume_id, seq, id"),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let map = |r: &Row<'_>| {
        Ok(DocumentSummary {
            volume_id: r.get(0)?,
            id: r.get(1)?,
            number: r.get(2)?,
            kind: r.get(3)?,
            subtype: r.get(4)?,
            heading: r.get(5)?,
            date_text: r.get(6)?,
            date_min: r.get(7)?,
            format: r.get(8)?,
        })
    };
    let rows = match volume {
        Some(v) => stmt.query_map([v], map)?.collect::<Result<Vec<_>, _>>()?,
        None => stmt.query_map([], map)?.collect::<Result<Vec<_>, _>>()?,
    };
    Ok(rows)
}

pub(crate) fn stats(conn: &Connection, volume: Option<&str>) -> Result<Stats, StoreError> {
    // Two spellings of each query so the per-volume one can use an index: tables hanging off
    // documents are reached through the documents of the volume.
    const BY_DOC: &str = "document_key IN (SELECT key FROM documents WHERE volume_id = ?1)";
    let count = |table: &str, vol_filter: &str, cond: &str| -> Result<u64, StoreError> {
        let mut clauses: Vec<&str> = Vec::new();
        if volume.is_some() {
            clauses.push(vol_filter);
        }
        if !cond.is_empty() {
            clauses.push(cond);
        }
        let where_ = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        let sql = format!("SELECT count(*) FROM {table}{where_}");
        let mut stmt = conn.prepare_cached(&sql)?;
        let n: u64 = match volume {
            Some(v) => stmt.query_row([v], |r| r.get(0))?,
            None => stmt.query_row([], |r| r.get(0))?,
        };
        Ok(n)
    };
    let by_vol = "volume_id = ?1";
    let mut s = Stats {
        volumes: count("volumes", "id = ?1", "")?,
        stub_volumes: count("volumes", "id = ?1", "is_stub = 1")?,
        documents: count("documents", by_vol, "")?,
        footnotes: count("footnotes", by_vol, "")?,
        source_notes: count("footnotes", BY_DOC, "is_source = 1")?,
        pages: count("pages", BY_DOC, "")?,
        persons: count("persons", by_vol, "")?,
        terms: count("terms", by_vol, "")?,
        divisions: count("divisions", by_vol, "")?,
        mentions: count("mentions", by_vol, "")?,
        person_mentions: count("mentions", BY_DOC, "kind = 'person'")?,
        term_mentions: count("mentions", BY_DOC, "kind = 'term'")?,
        refs: count("refs", BY_DOC, "")?,
        refs_resolved: count("refs", BY_DOC, "resolved = 1")?,
        refs_unresolved: count("refs", BY_DOC, "resolved = 0")?,
        refs_external: count("refs", BY_DOC, "resolved IS NULL")?,
        warnings: count("warnings", by_vol, "")?,
        files: count("files", by_vol, "")?,
        ..Stats::default()
    };
    let sql = match volume {
        Some(_) => "SELECT kind, count(*) FROM documents WHERE volume_id = ?1 GROUP BY kind",
        None => "SELECT kind, count(*) FROM documents GROUP BY kind",
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let map = |r: &Row<'_>| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?));
    let kinds = match volume {
        Some(v) => stmt.query_map([v], map)?.collect::<Result<Vec<_>, _>>()?,
        None => stmt.query_map([], map)?.collect::<Result<Vec<_>, _>>()?,
    };
    s.documents_by_kind = kinds.into_iter().collect();
    Ok(s)
}
