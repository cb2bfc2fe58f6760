//! The series-wide person authority: each volume's persons list filed by block keys, the dirty
//! blocks regrouped by [`chancery_apparatus::authority::cluster`], and persons read back by id
//! or name.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chancery_apparatus::authority;
use chancery_model::GlossaryEntry;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::read::{DocLink, PersonLink};
use crate::StoreError;

/// A series-wide person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityPerson {
    /// The authority id: the slug of the name shown.
    pub id: String,
    /// The fullest undamaged name among the members.
    pub name: String,
    /// The persons-list entries, across volumes, that are this person.
    pub members: Vec<PersonLink>,
    /// Documents mentioning any member, by date (undated last), then volume and reading order.
    pub documents: Vec<DocLink>,
}

/// Replace the authority members of volume `vid` by its persons list. The members get a
/// provisional id (the slug of their own name) and their block keys; the blocks they leave and
/// join are marked dirty and regrouped by [`recluster_authority`] when the run's links are
/// resolved, because who is one person depends on every volume that shares a surname.
pub(crate) fn rebuild_authority(
    conn: &Connection,
    vid: &str,
    persons: &[GlossaryEntry],
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO authority_dirty (key)
         SELECT key FROM authority_keys WHERE volume_id = ?1",
        [vid],
    )?;
    conn.execute("DELETE FROM authority_members WHERE volume_id = ?1", [vid])?;
    let mut member = conn.prepare_cached(
        "INSERT OR IGNORE INTO authority_members (volume_id, person_id, authority_id, name,
            description)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut key = conn.prepare_cached(
        "INSERT OR IGNORE INTO authority_keys (key, volume_id, person_id) VALUES (?1, ?2, ?3)",
    )?;
    let mut dirty =
        conn.prepare_cached("INSERT OR IGNORE INTO authority_dirty (key) VALUES (?1)")?;
    for p in persons {
        let provisional = authority::slug(&p.name).unwrap_or_else(|| p.id.clone());
        if member.execute(params![vid, p.id, provisional, p.name, p.description])? == 0 {
            continue;
        }
        for k in authority::keys(&p.name, &p.description) {
            key.execute(params![k, vid, p.id])?;
            dirty.execute([&k])?;
        }
    }
    Ok(())
}

/// Regroup the persons of every dirty block (see [`rebuild_authority`]): the entries sharing a
/// key with a dirty block, and transitively every entry sharing a key with those, are grouped
/// by [`authority::cluster`] and their ids and damage written back. Returns how many entries
/// were regrouped.
pub(crate) fn recluster_authority(conn: &Connection) -> Result<usize, StoreError> {
    let mut frontier: Vec<String> = conn
        .prepare_cached("SELECT key FROM authority_dirty")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if frontier.is_empty() {
        return Ok(0);
    }
    let mut keys: HashSet<String> = frontier.iter().cloned().collect();
    let mut members: BTreeSet<(String, String)> = BTreeSet::new();
    let mut of_key =
        conn.prepare_cached("SELECT volume_id, person_id FROM authority_keys WHERE key = ?1")?;
    let mut keys_of = conn
        .prepare_cached("SELECT key FROM authority_keys WHERE volume_id = ?1 AND person_id = ?2")?;
    while let Some(k) = frontier.pop() {
        let found: Vec<(String, String)> = of_key
            .query_map([&k], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for m in found {
            if !members.insert(m.clone()) {
                continue;
            }
            let more: Vec<String> = keys_of
                .query_map(params![m.0, m.1], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for k in more {
                if keys.insert(k.clone()) {
                    frontier.push(k);
                }
            }
        }
    }
    let mut read = conn.prepare_cached(
        "SELECT name, description FROM authority_members WHERE volume_id = ?1 AND person_id = ?2",
    )?;
    let mut rows: Vec<(String, String, String, String)> = Vec::with_capacity(members.len());
    for (v, id) in &members {
        if let Some((name, description)) = read
            .query_row(params![v, id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
        {
            rows.push((v.clone(), id.clone(), name, description));
        }
    }
    let entries: Vec<authority::Entry> = rows
        .iter()
        .map(|(v, id, name, description)| authority::Entry {
            volume: v,
            id,
            name,
            description,
        })
        .collect();
    let grouped = authority::cluster(&entries);
    let mut write = conn.prepare_cached(
        "UPDATE authority_members SET authority_id = ?3, damage = ?4
          WHERE volume_id = ?1 AND person_id = ?2",
    )?;
    for (e, m) in entries.iter().zip(&grouped) {
        let damage = m.damage.map(|d| d.to_string());
        write.execute(params![e.volume, e.id, m.authority_id, damage])?;
    }
    conn.execute("DELETE FROM authority_dirty", [])?;
    Ok(entries.len())
}

/// One series-wide person with members and documents.
pub(crate) fn person(conn: &Connection, id: &str) -> Result<Option<AuthorityPerson>, StoreError> {
    let name: Option<String> = conn
        // What the `authority_persons` view names the person, read through the index on
        // `authority_id`: the view itself groups every member of the archive before it filters.
        .prepare_cached(
            "SELECT name FROM authority_members WHERE authority_id = ?1 AND damage IS NULL
              ORDER BY length(name) DESC, name LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let Some(name) = name else {
        return Ok(None);
    };
    let members = conn
        .prepare_cached(
            "SELECT volume_id, person_id, name, description, damage FROM authority_members
              WHERE authority_id = ?1 ORDER BY volume_id, person_id",
        )?
        .query_map([id], |r| {
            Ok(PersonLink {
                volume_id: r.get(0)?,
                person_id: r.get(1)?,
                name: r.get(2)?,
                description: r.get(3)?,
                authority_id: Some(id.to_string()),
                damage: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let documents = conn
        .prepare_cached(
            "SELECT d.volume_id, d.id, d.heading, d.date_min FROM documents d
              WHERE d.key IN (SELECT m.document_key FROM mentions m
                                JOIN authority_members a
                                  ON a.volume_id = m.volume_id AND a.person_id = m.target
                               WHERE a.authority_id = ?1 AND m.kind = 'person')
              ORDER BY d.date_min IS NULL, d.date_min, d.volume_id, d.seq",
        )?
        .query_map([id], |r| {
            Ok(DocLink {
                volume_id: r.get(0)?,
                document_id: r.get(1)?,
                heading: r.get(2)?,
                date_min: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(AuthorityPerson {
        id: id.to_string(),
        name,
        members,
        documents,
    }))
}

/// Authority persons whose id or member names match `query` (case-insensitive substring), with
/// the name the person is shown by: for finding an id.
pub(crate) fn find_persons(
    conn: &Connection,
    query: &str,
) -> Result<BTreeMap<String, String>, StoreError> {
    let rows = conn
        .prepare_cached(
            // The `authority_persons` view's id and name, asked of the matching members only
            // (the view groups every member of the archive before any filter applies).
            "SELECT id, name FROM (
                 SELECT DISTINCT m.authority_id AS id,
                        (SELECT n.name FROM authority_members n
                          WHERE n.authority_id = m.authority_id AND n.damage IS NULL
                          ORDER BY length(n.name) DESC, n.name LIMIT 1) AS name
                   FROM authority_members m
                  WHERE m.name LIKE '%' || ?1 || '%' OR m.authority_id LIKE '%' || ?1 || '%')
              WHERE name IS NOT NULL
              ORDER BY id LIMIT 200",
        )?
        .query_map([query], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    Ok(rows)
}
