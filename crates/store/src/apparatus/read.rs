//! Reading a document's apparatus back: markings and parties, telegram identity, cited cables,
//! cross-references, the documents citing it.

use chancery_apparatus::source_note::Addressee;
use chancery_model::{Correspondence, GlossaryEntry};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// A document pointed at, with what a reader needs to list it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocLink {
    /// The document's volume.
    pub volume_id: String,
    /// The document's id in its volume.
    pub document_id: String,
    /// Its heading as plain text.
    pub heading: Option<String>,
    /// The start of its date interval, if dated.
    pub date_min: Option<String>,
}

/// A document's markings, type and parties (the `markings` table).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Markings {
    /// The specific type: "memorandum of conversation", "telegram", "despatch".
    pub doc_type: Option<String>,
    /// Its family: "memorandum", "telegram", "despatch".
    pub doc_family: Option<String>,
    /// Form marks: circular, paraphrase, extract, translation.
    pub markers: Vec<String>,
    /// The despatch's or instruction's own number ("No. 144.]" → "144").
    pub serial_number: Option<String>,
    /// The time of day of the dateline (`14:10Z`).
    pub sent_time: Option<String>,
    /// When the telegram was received (`1940-10-13T07:00`).
    pub received_at: Option<String>,
    /// A circular: a telegram, airgram or instruction sent to many posts.
    pub circular: bool,
    /// Normalised: "Top Secret", "Secret", …, "No classification marking".
    pub classification: Option<String>,
    /// The classification as the source note prints it.
    pub classification_as_written: Option<String>,
    /// "Flash", "Niact", "Immediate", "Priority", "Routine", "Operational Immediate".
    pub precedence: Option<String>,
    /// Handling caveats ("Nodis", "Eyes Only").
    pub caveats: Vec<String>,
    /// Channel code words ("HARVAN", "Plus").
    pub code_words: Vec<String>,
    /// The repository, normalised ("National Archives and Records Administration").
    pub repository: Option<String>,
    /// The repository as printed.
    pub repository_as_written: Option<String>,
    /// "RG 59".
    pub record_group: Option<String>,
    /// "93 D 82" (without "Lot").
    pub lot: Option<String>,
    /// The rest of the archival citation, outermost first.
    pub archive_path: Vec<String>,
    /// Department of State decimal file numbers ("751G.00/1–1449").
    pub decimal_files: Vec<String>,
    /// Who drafted the document, as printed.
    pub drafted_by: Vec<String>,
    /// Who cleared it, as printed.
    pub cleared_by: Vec<String>,
    /// Who approved it, as printed.
    pub approved_by: Vec<String>,
    /// Addressees of "Sent to" and "Also sent to".
    pub sent_to: Vec<Addressee>,
    /// Addressees of "Repeated to", and of the distribution line at a telegram's foot.
    pub repeated_to: Vec<Addressee>,
    /// The received time as the source note prints it ("2:53 p.m.").
    pub received: Option<String>,
    /// Reading marks as stored: a JSON array of `{kind, reader, quoted, text}`.
    pub reading_marks: serde_json::Value,
    /// "Printed from an unsigned copy" and the like.
    pub printed_from: Option<String>,
    /// Source-note sentences the parser did not consume, kept verbatim.
    pub remainder: Vec<String>,
    /// The sender: from the heading, else what the TEI marks.
    pub from: Option<Party>,
    /// The recipient, found as the sender is.
    pub to: Option<Party>,
}

/// A sender or recipient: office and person as the heading gives them, with the glossary
/// entries (and their authority ids) the person is linked to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// The party as the heading writes it.
    pub text: String,
    /// The office ("President's Special Assistant"), when it names one.
    pub office: Option<String>,
    /// The person ("Rostow"), when it names one.
    pub person: Option<String>,
    /// The glossary entries the person is linked to.
    pub persons: Vec<PersonLink>,
}

/// A glossary entry of a volume and its series-wide authority id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonLink {
    /// The volume whose persons list holds the entry.
    pub volume_id: String,
    /// The entry's id in that list (`p_HWA1`).
    pub person_id: String,
    /// The name as the list prints it.
    pub name: String,
    /// The description after the name.
    pub description: String,
    /// The series-wide person this entry is one of; `None` when the entry's name is damaged and
    /// no person's entries take it in.
    pub authority_id: Option<String>,
    /// Why the printed name is not a proper name ("encoding damage"), when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damage: Option<String>,
}

/// One of a document's own telegram numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelegramIdentity {
    /// As printed: "21737/Delto 788", "CAP 82396".
    pub raw: String,
    /// Serial number ("21737"), if there is one.
    pub number: Option<String>,
    /// Channel series with its number ("Delto 788"), if there is one.
    pub series: Option<String>,
    /// Where it was sent from ("Paris").
    pub origin: Option<String>,
    /// Sending office ("Embassy in France").
    pub sender: Option<String>,
    /// Receiving office ("Department of State").
    pub destination: Option<String>,
}

/// A telegram cited by a document: resolved to the archive document carrying it, or external.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CableRef {
    /// The note it is in (the source note included); `None` in the body.
    pub footnote_id: Option<String>,
    /// `source-note`, `body` or `note`.
    pub place: String,
    /// As written: "Embtel 256", "Paris 22390".
    pub raw: String,
    /// Serial number, if cited.
    pub number: Option<String>,
    /// Channel series with its number, if cited.
    pub series: Option<String>,
    /// How it is introduced: `telegram`, `embtel`, `deptel`, `place`, `series`, …
    pub keyword: String,
    /// The origin the text names ("Paris", "State").
    pub origin_as_written: Option<String>,
    /// The origin it stands for: as written, else inferred.
    pub origin: Option<String>,
    /// The sending office it stands for: as written, else inferred.
    pub sender: Option<String>,
    /// "to X" when the text says so.
    pub destination: Option<String>,
    /// The archive document carrying the telegram; `None`: an external telegram.
    pub resolved: Option<DocLink>,
}

/// A cross-reference (TEI `ref` or a text pattern).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossRef {
    /// `tei` or `text`.
    pub source: String,
    /// The note it is in; `None` in the heading or body.
    pub footnote_id: Option<String>,
    /// The target in `ref/@target` form: `#d40`, `frus1964-68v06#d299`.
    pub raw: String,
    /// The words of the link ("Document 40").
    pub surface: String,
    /// `document`, `footnote`, `page`, `volume`, `other` or `external`.
    pub kind: String,
    /// The volume named; `None` when a printed volume could not be identified.
    pub target_volume: Option<String>,
    /// The element named in that volume (`d40`, `pg_67`).
    pub target_element: Option<String>,
    /// Whether the target is in the archive; `None` for web links.
    pub resolved: Option<bool>,
    /// The archive document the target is or lies in, when resolved.
    pub resolved_document: Option<String>,
}

/// A document's place among telegrams: the cables it cites that are in the archive, and the
/// archive documents citing it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    /// Documents carrying the telegrams this one cites.
    pub answers: Vec<DocLink>,
    /// Documents citing this one's telegrams.
    pub answered_by: Vec<DocLink>,
}

/// Everything the apparatus knows about one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Apparatus {
    /// Type, markings and parties, if the document was analysed.
    pub markings: Option<Markings>,
    /// The document's own telegram numbers.
    pub telegrams: Vec<TelegramIdentity>,
    /// Telegrams it cites, resolved where the archive has them.
    pub cable_refs: Vec<CableRef>,
    /// What it answers and what answers it.
    pub thread: Thread,
    /// Its cross-references, TEI and text.
    pub cross_refs: Vec<CrossRef>,
    /// Those of its cross-references whose target is not in the archive.
    pub unresolved_refs: Vec<CrossRef>,
    /// Documents whose cross-references point at it.
    pub cited_by: Vec<DocLink>,
    /// The persons-list entries it mentions.
    pub persons: Vec<PersonLink>,
}

impl Apparatus {
    /// The parties and kind a citation names ([`Markings::correspondents`]); none for a document
    /// without markings.
    pub fn correspondents(&self) -> Correspondence {
        self.markings
            .as_ref()
            .map(Markings::correspondents)
            .unwrap_or_default()
    }
}

impl Markings {
    /// Who wrote the document to whom, and what kind it is, named as a citation names them: a
    /// person by the full name of the persons-list entry the heading links to ("Walt W.
    /// Rostow"), else as the heading writes the person ("Rostow"), else the office ("Embassy in
    /// France").
    pub fn correspondents(&self) -> Correspondence {
        let name = |p: &Option<Party>| -> Option<String> {
            let p = p.as_ref()?;
            if let [one] = p.persons.as_slice() {
                return Some(natural_name(&one.name));
            }
            p.person
                .clone()
                .or_else(|| p.office.clone())
                .or_else(|| Some(p.text.clone()))
                .filter(|s| !s.trim().is_empty())
        };
        Correspondence {
            sender: name(&self.from),
            recipient: name(&self.to),
            kind: self.doc_type.as_ref().map(|k| k.to_lowercase()),
        }
    }
}

/// "Rostow, Walt W." → "Walt W. Rostow"; "Abrams, General Creighton" → "General Creighton
/// Abrams"; a name without a comma as printed.
pub fn natural_name(glossary_name: &str) -> String {
    match glossary_name.split_once(',') {
        Some((surname, rest)) => {
            let given = rest.split(',').next().unwrap_or("").trim();
            if given.is_empty() {
                surname.trim().to_string()
            } else {
                format!("{given} {}", surname.trim())
            }
        }
        None => glossary_name.trim().to_string(),
    }
}

fn strings(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn doc_key(conn: &Connection, volume: &str, id: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT key FROM documents WHERE volume_id = ?1 AND id = ?2")?
        .query_row([volume, id], |r| r.get(0))
        .optional()?)
}

pub(super) fn doc_link(conn: &Connection, volume: &str, id: &str) -> Result<DocLink, StoreError> {
    let row = conn
        .prepare_cached("SELECT heading, date_min FROM documents WHERE volume_id = ?1 AND id = ?2")?
        .query_row([volume, id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .optional()?;
    Ok(DocLink {
        volume_id: volume.to_string(),
        document_id: id.to_string(),
        heading: row.as_ref().map(|r| r.0.clone()),
        date_min: row.and_then(|r| r.1),
    })
}

pub(crate) fn person_link(
    conn: &Connection,
    volume: &str,
    id: &str,
) -> Result<Option<PersonLink>, StoreError> {
    // A person of the authority exists when an undamaged member carries its id (what the
    // `authority_persons` view lists), asked through the index on `authority_id`: asking the
    // view grouped every member of the archive for each mention on the page.
    Ok(conn
        .prepare_cached(
            "SELECT p.name, p.description,
                    CASE WHEN EXISTS (SELECT 1 FROM authority_members a
                                       WHERE a.authority_id = m.authority_id
                                         AND a.damage IS NULL)
                         THEN m.authority_id END,
                    m.damage
               FROM persons p
               LEFT JOIN authority_members m ON m.volume_id = p.volume_id AND m.person_id = p.id
              WHERE p.volume_id = ?1 AND p.id = ?2 ORDER BY p.seq LIMIT 1",
        )?
        .query_row([volume, id], |r| {
            Ok(PersonLink {
                volume_id: volume.to_string(),
                person_id: id.to_string(),
                name: r.get(0)?,
                description: r.get(1)?,
                authority_id: r.get(2)?,
                damage: r.get(3)?,
            })
        })
        .optional()?)
}

/// The glossary entry a heading's person names, when the heading did not tag one: the volume's
/// only entry whose surname is that name ("Rostow" → "Rostow, Walt W."). Ambiguous or absent:
/// none (under-link rather than mislink).
fn person_by_surname(
    conn: &Connection,
    volume: &str,
    person: &str,
) -> Result<Option<PersonLink>, StoreError> {
    let glossary: Vec<GlossaryEntry> = conn
        .prepare_cached("SELECT id, name FROM persons WHERE volume_id = ?1 ORDER BY seq")?
        .query_map([volume], |r| {
            Ok(GlossaryEntry {
                id: r.get(0)?,
                name: r.get(1)?,
                description: String::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    match chancery_apparatus::persons::link(person, &glossary) {
        Some(id) => person_link(conn, volume, id),
        None => Ok(None),
    }
}

fn party(
    conn: &Connection,
    volume: &str,
    json_text: Option<String>,
    tagged: &[String],
) -> Result<Option<Party>, StoreError> {
    let Some(text) = json_text else {
        return Ok(None);
    };
    let p: chancery_apparatus::heading::Party = serde_json::from_str(&text)
        .map_err(|e| StoreError::Corrupt(format!("markings party: {e}")))?;
    let mut persons = Vec::new();
    for id in tagged {
        // A cross-volume id ("frus…#p_…") names its own volume.
        let (v, i) = match id.split_once('#') {
            Some((v, i)) if !v.is_empty() => (v, i),
            _ => (volume, id.as_str()),
        };
        if let Some(l) = person_link(conn, v, i)? {
            persons.push(l);
        }
    }
    if persons.is_empty() {
        if let Some(name) = &p.person {
            if let Some(l) = person_by_surname(conn, volume, name)? {
                persons.push(l);
            }
        }
    }
    Ok(Some(Party {
        text: p.text,
        office: p.office,
        person: p.person,
        persons,
    }))
}

fn markings(conn: &Connection, key: i64, volume: &str) -> Result<Option<Markings>, StoreError> {
    const TEXT_COLUMNS: usize = 30;
    let raw = conn
        .prepare_cached(
            "SELECT doc_type, doc_family, classification, classification_as_written,
                precedence, caveats, code_words, repository, repository_as_written,
                record_group, lot, archive_path, decimal_files, drafted_by, cleared_by,
                approved_by, sent_to, repeated_to, received, reading_marks, printed_from,
                remainder, from_party, to_party, from_persons, to_persons, markers,
                serial_number, sent_time, received_at, circular
             FROM markings WHERE document_key = ?1",
        )?
        .query_row([key], |r| {
            let mut cols: [Option<String>; TEXT_COLUMNS] = Default::default();
            for (i, c) in cols.iter_mut().enumerate() {
                *c = r.get(i)?;
            }
            Ok((cols, r.get::<_, bool>(TEXT_COLUMNS)?))
        })
        .optional()?;
    let Some((c, circular)) = raw else {
        return Ok(None);
    };
    let s = |i: usize| c[i].clone();
    let v = |i: usize| c[i].as_deref().map(strings).unwrap_or_default();
    let addr = |i: usize| -> Vec<Addressee> {
        c[i].as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    };
    Ok(Some(Markings {
        doc_type: s(0),
        doc_family: s(1),
        markers: v(26),
        serial_number: s(27),
        sent_time: s(28),
        received_at: s(29),
        circular,
        classification: s(2),
        classification_as_written: s(3),
        precedence: s(4),
        caveats: v(5),
        code_words: v(6),
        repository: s(7),
        repository_as_written: s(8),
        record_group: s(9),
        lot: s(10),
        archive_path: v(11),
        decimal_files: v(12),
        drafted_by: v(13),
        cleared_by: v(14),
        approved_by: v(15),
        sent_to: addr(16),
        repeated_to: addr(17),
        received: s(18),
        reading_marks: c[19]
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(serde_json::Value::Array(Vec::new())),
        printed_from: s(20),
        remainder: v(21),
        from: party(conn, volume, s(22), &v(24))?,
        to: party(conn, volume, s(23), &v(25))?,
    }))
}

/// The apparatus of one document, or `None` when the document is not in the archive.
pub(crate) fn apparatus(
    conn: &Connection,
    volume: &str,
    id: &str,
) -> Result<Option<Apparatus>, StoreError> {
    let Some(key) = doc_key(conn, volume, id)? else {
        return Ok(None);
    };
    let markings = markings(conn, key, volume)?;
    let telegrams = conn
        .prepare_cached(
            "SELECT raw, number, series, origin, sender, destination FROM telegrams
              WHERE document_key = ?1 ORDER BY seq",
        )?
        .query_map([key], |r| {
            Ok(TelegramIdentity {
                raw: r.get(0)?,
                number: r.get(1)?,
                series: r.get(2)?,
                origin: r.get(3)?,
                sender: r.get(4)?,
                destination: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let raw_cables = conn
        .prepare_cached(
            "SELECT footnote_id, place, raw, number, series, keyword, origin_as_written, origin,
                sender, destination, resolved_volume, resolved_document
             FROM cable_refs WHERE document_key = ?1 ORDER BY seq",
        )?
        .query_map([key], |r| {
            Ok((
                CableRef {
                    footnote_id: r.get(0)?,
                    place: r.get(1)?,
                    raw: r.get(2)?,
                    number: r.get(3)?,
                    series: r.get(4)?,
                    keyword: r.get(5)?,
                    origin_as_written: r.get(6)?,
                    origin: r.get(7)?,
                    sender: r.get(8)?,
                    destination: r.get(9)?,
                    resolved: None,
                },
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<String>>(11)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut cable_refs = Vec::with_capacity(raw_cables.len());
    let mut answers: Vec<DocLink> = Vec::new();
    for (mut c, v, d) in raw_cables {
        if let (Some(v), Some(d)) = (v, d) {
            let link = doc_link(conn, &v, &d)?;
            if !answers.contains(&link) {
                answers.push(link.clone());
            }
            c.resolved = Some(link);
        }
        cable_refs.push(c);
    }
    let answered_by = links(
        conn,
        "SELECT DISTINCT c.volume_id, c.document_id FROM cable_refs c
           JOIN documents d ON d.key = c.document_key
          WHERE c.resolved_volume = ?1 AND c.resolved_document = ?2
          ORDER BY d.date_min IS NULL, d.date_min, d.volume_id, d.seq",
        volume,
        id,
    )?;
    let mut cross_refs = Vec::new();
    for (table, source) in [("refs", "tei"), ("text_refs", "text")] {
        let sql = format!(
            "SELECT footnote_id, raw, surface, kind, target_volume, target_element, resolved,
                resolved_document
             FROM {table} WHERE document_key = ?1 ORDER BY seq"
        );
        let rows = conn
            .prepare_cached(&sql)?
            .query_map([key], |r| {
                Ok(CrossRef {
                    source: source.to_string(),
                    footnote_id: r.get(0)?,
                    raw: r.get(1)?,
                    surface: r.get(2)?,
                    kind: r.get(3)?,
                    target_volume: r.get(4)?,
                    target_element: r.get(5)?,
                    resolved: r.get::<_, Option<i64>>(6)?.map(|v| v != 0),
                    resolved_document: r.get(7)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        cross_refs.extend(rows);
    }
    let unresolved_refs = cross_refs
        .iter()
        .filter(|r| r.resolved == Some(false))
        .cloned()
        .collect();
    let cited_by = cited_by(conn, volume, id)?;
    let person_ids: Vec<String> = conn
        .prepare_cached(
            "SELECT target FROM mentions
              WHERE document_key = ?1 AND kind = 'person' AND target IS NOT NULL
              GROUP BY target ORDER BY min(seq)",
        )?
        .query_map([key], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut persons = Vec::new();
    for target in person_ids {
        let t = target.trim_start_matches('#');
        let (v, i) = match t.split_once('#') {
            Some((v, i)) if !v.is_empty() => (v, i),
            _ => (volume, t),
        };
        if let Some(l) = person_link(conn, v, i)? {
            persons.push(l);
        }
    }
    Ok(Some(Apparatus {
        markings,
        telegrams,
        cable_refs,
        thread: Thread {
            answers,
            answered_by,
        },
        cross_refs,
        unresolved_refs,
        cited_by,
        persons,
    }))
}

fn links(conn: &Connection, sql: &str, volume: &str, id: &str) -> Result<Vec<DocLink>, StoreError> {
    let pairs: Vec<(String, String)> = conn
        .prepare_cached(sql)?
        .query_map([volume, id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    pairs.iter().map(|(v, d)| doc_link(conn, v, d)).collect()
}

/// Documents whose cross-references (TEI or text) land in `volume/id`, other than itself.
pub(crate) fn cited_by(
    conn: &Connection,
    volume: &str,
    id: &str,
) -> Result<Vec<DocLink>, StoreError> {
    links(
        conn,
        "SELECT x.volume_id, x.document_id FROM (
             SELECT volume_id, document_id FROM refs
              WHERE target_volume = ?1 AND resolved_document = ?2
             UNION
             SELECT volume_id, document_id FROM text_refs
              WHERE target_volume = ?1 AND resolved_document = ?2) x
           JOIN documents d ON d.volume_id = x.volume_id AND d.id = x.document_id
          WHERE NOT (x.volume_id = ?1 AND x.document_id = ?2)
          ORDER BY d.volume_id, d.seq",
        volume,
        id,
    )
}

/// The thread of `volume/id` alone.
pub(crate) fn thread(
    conn: &Connection,
    volume: &str,
    id: &str,
) -> Result<Option<Thread>, StoreError> {
    Ok(apparatus(conn, volume, id)?.map(|a| a.thread))
}
