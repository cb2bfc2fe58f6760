//! Archive store tests on hand-built volumes (independent of the readers).
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use chancery_model::{
    Block, ChapterRef, DateInterval, DatePrecision, Division, Document, DocumentDate, DocumentKind,
    Editor, Footnote, GlossaryEntry, Idno, Inline, ListItem, Origin, ParagraphRole, ParsedVolume,
    Reference, SourceFormat, TableCell, TableRow, TextLayout, Volume, VolumeTitles, Warning,
};
use chancery_store::{Archive, StoreError};

// ---------------------------------------------------------------------------------------------
// Builders

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph {
        role: ParagraphRole::Paragraph,
        rend: None,
        inlines,
        layout: None,
    }
}

fn t(s: &str) -> Inline {
    Inline::text(s)
}

fn person(id: &str, name: &str) -> Inline {
    Inline::Person {
        person_id: Some(id.into()),
        role: None,
        children: vec![t(name)],
    }
}

fn reference(target: &str, text: &str) -> Inline {
    Inline::Ref {
        target: Reference::parse(target),
        children: vec![t(text)],
    }
}

fn pb(n: &str) -> Inline {
    Inline::PageBreak {
        n: n.into(),
        id: Some(format!("pg_{n}")),
    }
}

fn origin(path: &str, format: SourceFormat, sha: &str) -> Origin {
    Origin {
        path: path.into(),
        format,
        sha256: sha.into(),
        bytes: 1234,
    }
}

/// A historical document with a source note, one more footnote, a page break and a mention.
fn doc(vol: &str, id: &str, body: Vec<Block>) -> Document {
    let n = id.trim_start_matches('d').to_string();
    Document {
        volume_id: vol.into(),
        id: id.into(),
        number: Some(n.clone()),
        kind: DocumentKind::HistoricalDocument,
        subtype: Some("historical-document".into()),
        heading: vec![
            t(&format!("{n}. Telegram From the Embassy in France")),
            Inline::NoteRef {
                id: format!("{id}fn1"),
                mark: "1".into(),
            },
        ],
        heading_text: format!("{n}. Telegram From the Embassy in France"),
        from: vec!["Embassy in France".into()],
        to: vec!["Department of State".into()],
        place: Some("Paris".into()),
        date: Some(DocumentDate {
            text: "October 2, 1968".into(),
            when: Some("1968-10-02".into()),
            interval: Some(DateInterval {
                min: "1968-10-02T00:00:00".into(),
                max: "1968-10-02T23:59:59".into(),
                precision: DatePrecision::Day,
            }),
        }),
        chapter_path: vec![ChapterRef {
            id: "ch1".into(),
            heading: "October 1968".into(),
        }],
        body,
        footnotes: vec![
            Footnote {
                id: format!("{id}fn1"),
                mark: "1".into(),
                is_source: true,
                blocks: vec![para(vec![t("Source: Department of State, Nodis/Harvan.")])],
            },
            Footnote {
                id: format!("{id}fn2"),
                mark: "2".into(),
                is_source: false,
                blocks: vec![para(vec![t("Not found.")])],
            },
        ],
        text_layout: None,
        unknown_elements: vec![],
    }
}

fn simple_doc(vol: &str, id: &str, page: &str) -> Document {
    doc(
        vol,
        id,
        vec![
            para(vec![
                t("Harriman met "),
                person("p_HWA1", "Harriman"),
                t("."),
            ]),
            para(vec![pb(page), t("Second page.")]),
        ],
    )
}

fn volume(id: &str, sha: &str) -> Volume {
    Volume {
        id: id.into(),
        titles: VolumeTitles {
            complete: Some(format!("Foreign Relations of the United States, {id}")),
            series: Some("Foreign Relations of the United States".into()),
            sub_series: Some("1964–1968".into()),
            volume_number: Some("Volume VII".into()),
            volume: Some("Vietnam".into()),
        },
        editors: vec![Editor {
            name: "Kent Sieg".into(),
            role: Some("primary".into()),
        }],
        publisher: Some("GPO".into()),
        pub_place: Some("Washington".into()),
        publication_year: Some("2003".into()),
        idnos: vec![Idno {
            kind: "frus".into(),
            value: id.into(),
        }],
        content_dates: Some(DateInterval {
            min: "1968-09-01T00:00:00-05:00".into(),
            max: "1969-01-20T23:59:59-05:00".into(),
            precision: DatePrecision::Day,
        }),
        persons: vec![GlossaryEntry {
            id: "p_HWA1".into(),
            name: "Harriman, W. Averell".into(),
            description: "Ambassador at Large".into(),
        }],
        terms: vec![GlossaryEntry {
            id: "t_DMZ1".into(),
            name: "DMZ".into(),
            description: "Demilitarized Zone".into(),
        }],
        toc: vec![Division {
            id: "ch1".into(),
            kind: "chapter".into(),
            subtype: None,
            heading: "October 1968".into(),
            children: vec![],
            documents: vec![],
            ..Default::default()
        }],
        catalogue: None,
        origin: origin(&format!("{id}.xml"), SourceFormat::Tei, sha),
    }
}

/// A TEI volume holding the given documents; the toc's one chapter lists them all.
fn tei(id: &str, sha: &str, docs: Vec<Document>) -> ParsedVolume {
    let mut v = volume(id, sha);
    v.toc[0].documents = docs.iter().map(|d| d.id.clone()).collect();
    ParsedVolume {
        volume: v,
        documents: docs,
        warnings: vec![Warning {
            file: format!("{id}.xml"),
            line: Some(10),
            column: Some(4),
            document: None,
            message: "unknown element frus:foo".into(),
        }],
        census: Default::default(),
    }
}

fn tei_simple(id: &str, sha: &str, ids: &[&str]) -> ParsedVolume {
    let docs = ids
        .iter()
        .enumerate()
        .map(|(i, d)| simple_doc(id, d, &(100 + i).to_string()))
        .collect();
    tei(id, sha, docs)
}

/// A text capture: a volume stub and one document.
fn text(vol: &str, id: &str, sha: &str, words: &str) -> ParsedVolume {
    let mut d = doc(vol, id, vec![para(vec![t(words)])]);
    d.text_layout = Some(TextLayout {
        variant: "A".into(),
        ..Default::default()
    });
    ParsedVolume {
        volume: Volume {
            id: vol.into(),
            origin: origin(&format!("{vol}_{id}.txt"), SourceFormat::Text, sha),
            ..Default::default()
        },
        documents: vec![d],
        warnings: vec![],
        census: Default::default(),
    }
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Every row of every table, for "unchanged" comparisons.
fn snapshot(a: &Archive) -> Vec<String> {
    snapshot_of(&db(a))
}

/// A connection of the test's own to the archive's database, as any SQLite client would open.
fn db(a: &Archive) -> rusqlite::Connection {
    rusqlite::Connection::open(a.db_path()).expect("open the database")
}

fn snapshot_of(conn: &rusqlite::Connection) -> Vec<String> {
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let cols = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut s = format!("{table}:");
                for i in 0..cols {
                    match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Text(t) => {
                            s.push_str(&format!("{:?}|", String::from_utf8_lossy(t)))
                        }
                        other => s.push_str(&format!("{other:?}|")),
                    }
                }
                Ok(s)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.extend(rows);
    }
    out
}

fn resolved(a: &Archive, vol: &str, raw: &str) -> Vec<(Option<String>, Option<i64>)> {
    db(a)
        .prepare(
            "SELECT resolved_document, resolved FROM refs WHERE volume_id = ?1 AND raw = ?2
             ORDER BY document_id, seq",
        )
        .unwrap()
        .query_map([vol, raw], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Opening

#[test]
fn open_existing_on_empty_dir_errors_and_creates_nothing() {
    let dir = tmp();
    assert!(matches!(
        Archive::open_existing(dir.path()),
        Err(StoreError::NotFound(_))
    ));
    let missing = dir.path().join("nope");
    assert!(Archive::open_existing(&missing).is_err());
    assert!(!missing.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn open_existing_refuses_foreign_database() {
    let dir = tmp();
    let conn = rusqlite::Connection::open(dir.path().join(chancery_store::DB_FILE)).unwrap();
    conn.execute_batch("CREATE TABLE x (a); INSERT INTO x VALUES (1);")
        .unwrap();
    drop(conn);
    assert!(Archive::open_existing(dir.path()).is_err());
    // `open` will not graft our schema onto someone else's database either.
    assert!(matches!(
        Archive::open(dir.path()),
        Err(StoreError::Corrupt(_))
    ));
}

#[test]
fn open_creates_and_reopen_sees_data() {
    let dir = tmp();
    let root = dir.path().join("archive");
    {
        let mut a = Archive::open(&root).unwrap();
        assert_eq!(a.dir(), root.as_path());
        assert_eq!(a.schema_version().unwrap(), chancery_store::SCHEMA_VERSION);
        a.store_volume(&tei_simple("frusA", "aaa", &["d1", "d2"]))
            .unwrap();
    }
    let a = Archive::open_existing(&root).unwrap();
    assert_eq!(a.documents(None).unwrap().len(), 2);
    assert!(a.has_file("aaa").unwrap());
    let mode: String = db(&a)
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // Open (not only open_existing) also works on an existing archive.
    drop(a);
    let a = Archive::open(&root).unwrap();
    assert_eq!(a.volumes().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Round trip

fn rich_document(vol: &str) -> Document {
    let mut d = doc(
        vol,
        "d45",
        vec![
            Block::Paragraph {
                role: ParagraphRole::Dateline,
                rend: Some("right".into()),
                inlines: vec![
                    Inline::Place {
                        children: vec![t("Paris")],
                    },
                    t(", "),
                    Inline::Date {
                        when: Some("1968-10-02".into()),
                        children: vec![t("October 2, 1968")],
                    },
                ],
                layout: None,
            },
            para(vec![
                t("Vance and "),
                person("p_HWA1", "Harriman"),
                t(" met "),
                Inline::Hi {
                    rend: "italic".into(),
                    children: vec![t("Le Duc Tho")],
                },
                Inline::NoteRef {
                    id: "d45fn2".into(),
                    mark: "2".into(),
                },
                t(" near the "),
                Inline::Term {
                    term_id: Some("t_DMZ1".into()),
                    role: None,
                    children: vec![t("DMZ")],
                },
                Inline::LineBreak,
                reference("#d40", "Document 40"),
                Inline::Unknown {
                    name: "frus:odd".into(),
                    children: vec![t("odd")],
                },
            ]),
            Block::PageBreak {
                n: "120".into(),
                id: Some("pg_120".into()),
                layout: None,
            },
            Block::List {
                kind: Some("participants".into()),
                head: Some(vec![t("PARTICIPANTS")]),
                items: vec![ListItem {
                    label: Some("1.".into()),
                    blocks: vec![para(vec![person("p_HWA1", "Harriman")])],
                }],
                layout: None,
            },
            Block::Table {
                rows: vec![TableRow {
                    cells: vec![
                        TableCell {
                            role: Some("label".into()),
                            inlines: vec![t("a")],
                        },
                        TableCell {
                            role: None,
                            inlines: vec![t("b")],
                        },
                    ],
                    page_break_before: Some("121".into()),
                }],
                layout: None,
            },
            Block::Attachment {
                head: Some(vec![t("Tab A")]),
                blocks: vec![Block::Group {
                    role: ParagraphRole::Closer,
                    blocks: vec![para(vec![t("Harriman")])],
                }],
            },
        ],
    );
    d.unknown_elements = vec![chancery_model::UnknownElement {
        name: "frus:odd".into(),
        count: 1,
    }];
    d
}

#[test]
fn round_trip_document_and_volume() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    let mut front = simple_doc("frusA", "preface", "1");
    front.kind = DocumentKind::FrontMatter;
    front.subtype = Some("preface".into());
    front.number = None;
    front.date = None;
    let parsed = tei(
        "frusA",
        "sha-a",
        vec![front.clone(), rich_document("frusA")],
    );
    let report = a.store_volume(&parsed).unwrap();
    assert_eq!(report.documents, 2);
    assert_eq!(report.footnotes, 4);
    assert_eq!(report.pages, 1 + 2);
    assert_eq!(report.persons, 1);
    assert_eq!(report.terms, 1);
    assert_eq!(report.mentions, 1 + 3);
    assert_eq!(report.refs, 1);
    assert_eq!(report.warnings, 1);
    assert!(!report.replaced);

    let got = a.document("frusA", "d45").unwrap().unwrap();
    assert_eq!(got, parsed.documents[1]);
    assert_eq!(a.document("frusA", "preface").unwrap().unwrap(), front);
    assert_eq!(a.volume("frusA").unwrap().unwrap(), parsed.volume);
    assert!(a.document("frusA", "d46").unwrap().is_none());
    assert!(a.volume("frusB").unwrap().is_none());

    // Derived columns researchers query.
    let (text, heading, senders, date_min): (String, String, String, String) = db(&a)
        .query_row(
            "SELECT text, heading, senders, date_min FROM documents WHERE id = 'd45'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert!(text.starts_with("Paris, October 2, 1968\nVance and Harriman met Le Duc Tho near"));
    assert!(text.contains("\nPARTICIPANTS\n1. Harriman\na | b\nTab A\nHarriman"));
    assert_eq!(heading, "45. Telegram From the Embassy in France");
    assert_eq!(senders, r#"["Embassy in France"]"#);
    assert_eq!(date_min, "1968-10-02T00:00:00");

    let pages: Vec<(String, String)> = db(&a)
        .prepare(
            "SELECT n, document_id FROM pages WHERE volume_id = 'frusA' ORDER BY document_id, seq",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        pages,
        vec![
            ("120".into(), "d45".into()),
            ("121".into(), "d45".into()),
            ("1".into(), "preface".into())
        ]
    );

    let summaries = a.documents(Some("frusA")).unwrap();
    let ids: Vec<_> = summaries.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["preface", "d45"]);
    assert_eq!(summaries[1].kind, "historical-document");
    assert_eq!(summaries[0].kind, "front-matter");
    assert_eq!(
        summaries[1].date_min.as_deref(),
        Some("1968-10-02T00:00:00")
    );

    let stats = a.stats().unwrap();
    assert_eq!(stats.documents, 2);
    assert_eq!(stats.documents_by_kind["front-matter"], 1);
    assert_eq!(stats.source_notes, 2);
    assert_eq!(stats.person_mentions, 3);
    assert_eq!(stats.term_mentions, 1);
    assert_eq!(stats.files, 1);
    assert_eq!(stats, a.counts_for_volume("frusA").unwrap());
    assert_eq!(a.counts_for_volume("nope").unwrap().documents, 0);
    let vs = a.volumes().unwrap();
    assert_eq!(vs.len(), 1);
    assert_eq!(
        (vs[0].documents, vs[0].footnotes, vs[0].stub),
        (2, 4, false)
    );
    serde_json::to_string(&stats).unwrap();
    serde_json::to_string(&vs).unwrap();
    serde_json::to_string(&summaries).unwrap();
}

#[test]
fn blank_document_volume_id_is_filled_in() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    let mut parsed = tei_simple("frusA", "s", &["d1"]);
    parsed.documents[0].volume_id.clear();
    a.store_volume(&parsed).unwrap();
    assert_eq!(
        a.document("frusA", "d1").unwrap().unwrap().volume_id,
        "frusA"
    );

    let mut wrong = tei_simple("frusB", "s2", &["d1"]);
    wrong.documents[0].volume_id = "frusC".into();
    let before = snapshot(&a);
    assert!(matches!(
        a.store_volume(&wrong),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(snapshot(&a), before);
}

// ---------------------------------------------------------------------------------------------
// Replacing, skipping, atomicity

#[test]
fn replace_volume_replaces_everything() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    a.store_volume(&tei_simple("frusA", "v1", &["d1", "d2", "d3"]))
        .unwrap();
    a.store_volume(&tei_simple("frusB", "b1", &["d1"])).unwrap();
    let b_before = a.counts_for_volume("frusB").unwrap();
    let c = a.counts_for_volume("frusA").unwrap();
    assert_eq!(
        (c.documents, c.footnotes, c.pages, c.mentions),
        (3, 6, 3, 3)
    );

    let mut v2 = tei_simple("frusA", "v2", &["d1", "d4"]);
    v2.volume.titles.complete = Some("Second edition".into());
    v2.volume.persons.push(GlossaryEntry {
        id: "p_X1".into(),
        name: "X".into(),
        description: "".into(),
    });
    let report = a.store_volume(&v2).unwrap();
    assert!(report.replaced);
    assert_eq!(report.documents, 2);

    let ids: Vec<_> = a
        .documents(Some("frusA"))
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, ["d1", "d4"]);
    assert!(a.document("frusA", "d2").unwrap().is_none());
    let c = a.counts_for_volume("frusA").unwrap();
    assert_eq!(
        (
            c.documents,
            c.footnotes,
            c.pages,
            c.mentions,
            c.persons,
            c.terms
        ),
        (2, 4, 2, 2, 2, 1)
    );
    assert_eq!((c.warnings, c.files, c.divisions), (1, 1, 1));
    assert_eq!(
        a.volume("frusA")
            .unwrap()
            .unwrap()
            .titles
            .complete
            .as_deref(),
        Some("Second edition")
    );
    // The other volume is untouched.
    assert_eq!(a.counts_for_volume("frusB").unwrap(), b_before);
    // The old file is no longer what the archive holds: it must not be skipped.
    assert!(!a.has_file("v1").unwrap());
    assert!(a.has_file("v2").unwrap());
    let stats = a.stats().unwrap();
    assert_eq!((stats.volumes, stats.documents, stats.files), (2, 3, 2));
}

#[test]
fn skip_by_sha() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    assert!(!a.has_file("abc").unwrap());
    a.store_volume(&tei_simple("frusA", "abc", &["d1"]))
        .unwrap();
    a.store_documents(&text("frusB", "d5", "def", "words"), false)
        .unwrap();
    assert!(a.has_file("abc").unwrap());
    assert!(a.has_file("def").unwrap());
    assert!(!a.has_file("ABC0").unwrap());
    let known = a.known_files().unwrap();
    assert_eq!(known.len(), 2);
    assert!(known.contains_key("abc") && known.contains_key("def"));
    // A text document superseded by TEI no longer counts as stored.
    a.store_volume(&tei_simple("frusB", "ghi", &["d5"]))
        .unwrap();
    assert!(!a.has_file("def").unwrap());
    assert!(a.has_file("ghi").unwrap());
}

#[test]
fn failed_store_leaves_archive_unchanged() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    a.store_volume(&tei_simple("frusA", "v1", &["d1", "d2"]))
        .unwrap();
    a.store_documents(&text("frusA", "d9", "t9", "kept"), false)
        .unwrap();
    let before = snapshot(&a);

    // Two documents with the same id: the second insert violates the primary key after the old
    // volume was already deleted inside the transaction.
    let bad = tei_simple("frusA", "v2", &["d1", "d3", "d3"]);
    match a.store_volume(&bad) {
        Err(StoreError::DuplicateDocument { volume, document }) => {
            assert_eq!((volume.as_str(), document.as_str()), ("frusA", "d3"));
        }
        other => panic!("expected DuplicateDocument, got {other:?}"),
    }
    assert_eq!(snapshot(&a), before);
    assert!(!a.has_file("v2").unwrap());

    // Same for a brand-new volume: nothing of it may remain.
    let bad = tei_simple("frusNew", "n1", &["d1", "d1"]);
    assert!(a.store_volume(&bad).is_err());
    assert_eq!(snapshot(&a), before);
    assert!(a.volume("frusNew").unwrap().is_none());

    // And the archive still takes writes afterwards.
    a.store_volume(&tei_simple("frusA", "v3", &["d7"])).unwrap();
    assert_eq!(a.documents(Some("frusA")).unwrap().len(), 2); // d7 + text d9
}

#[test]
fn text_collision_errors_unless_replace() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    let r = a
        .store_documents(&text("frusV", "d45", "s1", "first"), false)
        .unwrap();
    assert_eq!((r.documents, r.replaced), (1, false));
    let vs = a.volumes().unwrap();
    assert!(vs[0].stub);
    let before = snapshot(&a);

    match a.store_documents(&text("frusV", "d45", "s2", "second"), false) {
        Err(StoreError::DocumentExists { volume, document }) => {
            assert_eq!((volume.as_str(), document.as_str()), ("frusV", "d45"));
        }
        other => panic!("expected DocumentExists, got {other:?}"),
    }
    assert_eq!(snapshot(&a), before);
    assert!(!a.has_file("s2").unwrap());

    // A multi-document input whose second document collides stores nothing.
    let mut two = text("frusV", "d46", "s3", "new");
    two.documents
        .push(text("frusV", "d45", "s3", "again").documents.remove(0));
    assert!(matches!(
        a.store_documents(&two, false),
        Err(StoreError::DocumentExists { .. })
    ));
    assert_eq!(snapshot(&a), before);

    let r = a
        .store_documents(&text("frusV", "d45", "s2", "second"), true)
        .unwrap();
    assert!(r.replaced);
    let d = a.document("frusV", "d45").unwrap().unwrap();
    assert_eq!(d.body, vec![para(vec![t("second")])]);
    assert!(a.has_file("s2").unwrap());
    assert!(!a.has_file("s1").unwrap());
    assert_eq!(a.stats().unwrap().documents, 1);
}

#[test]
fn text_documents_and_tei_volumes_coexist() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    // Text documents arrive first, out of order: they sort by number.
    a.store_documents(&text("frusA", "d300", "t300", "late"), false)
        .unwrap();
    a.store_documents(&text("frusA", "d2", "t2", "text d2"), false)
        .unwrap();
    a.store_documents(&text("frusA", "d45", "t45", "text d45"), false)
        .unwrap();
    let ids: Vec<_> = a
        .documents(Some("frusA"))
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, ["d2", "d45", "d300"]);
    assert!(a
        .volume("frusA")
        .unwrap()
        .unwrap()
        .titles
        .complete
        .is_none());

    // The TEI replaces the stub's metadata and text d2 (same id); d45 and d300 are kept.
    let r = a
        .store_volume(&tei_simple("frusA", "tei1", &["d1", "d2"]))
        .unwrap();
    assert!(!r.replaced, "the volume was only a stub before");
    let docs = a.documents(Some("frusA")).unwrap();
    let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["d1", "d2", "d45", "d300"]);
    assert_eq!(docs[1].format, "tei");
    assert_eq!(docs[2].format, "text");
    assert!(!a.volumes().unwrap()[0].stub);
    assert!(a
        .volume("frusA")
        .unwrap()
        .unwrap()
        .titles
        .complete
        .is_some());

    // A later text document does not overwrite the real volume's metadata.
    a.store_documents(&text("frusA", "d46", "t46", "more"), false)
        .unwrap();
    assert_eq!(
        a.volume("frusA").unwrap().unwrap(),
        tei_simple("frusA", "tei1", &["d1", "d2"]).volume
    );

    // Re-ingesting the TEI keeps the text documents.
    let r = a
        .store_volume(&tei_simple("frusA", "tei2", &["d1", "d2", "d3"]))
        .unwrap();
    assert!(r.replaced);
    let ids: Vec<_> = a
        .documents(Some("frusA"))
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, ["d1", "d2", "d3", "d45", "d46", "d300"]);
    let all = a.documents(None).unwrap();
    assert_eq!(all.len(), 6);
}

// ---------------------------------------------------------------------------------------------
// References

#[test]
fn refs_resolve_within_a_volume() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    let citing = doc(
        "frusA",
        "d1",
        vec![para(vec![
            reference("#d40", "Document 40"),
            reference("#d236fn6", "footnote 6 to Document 236"),
            reference("#d237fn9", "a note that is not there"),
            reference("#pg_120", "page 120"),
            reference("#p_HWA1", "Harriman"),
            reference("#ch1", "chapter 1"),
            reference("#d999", "missing"),
            reference("https://history.state.gov/", "web"),
            reference("frusA", "this volume"),
            reference("frus1948v06", "other volume"),
        ])],
    );
    let mut d236 = simple_doc("frusA", "d236", "119");
    d236.footnotes.push(Footnote {
        id: "d236fn6".into(),
        mark: "6".into(),
        is_source: false,
        blocks: vec![para(vec![t("note")])],
    });
    let d237 = simple_doc("frusA", "d237", "120");
    let d40 = simple_doc("frusA", "d40", "118");
    let parsed = tei("frusA", "a", vec![citing, d40, d236, d237]);
    a.store_volume(&parsed).unwrap();

    let one = |a: &Archive, raw: &str| resolved(a, "frusA", raw).remove(0);
    assert_eq!(one(&a, "#d40"), (Some("d40".into()), Some(1)));
    assert_eq!(one(&a, "#d236fn6"), (Some("d236".into()), Some(1)));
    assert_eq!(one(&a, "#d237fn9"), (Some("d237".into()), Some(1)));
    assert_eq!(one(&a, "#pg_120"), (Some("d237".into()), Some(1)));
    assert_eq!(one(&a, "#p_HWA1"), (None, Some(1)));
    assert_eq!(one(&a, "#ch1"), (Some("d1".into()), Some(1)));
    assert_eq!(one(&a, "#d999"), (None, Some(0)));
    assert_eq!(one(&a, "https://history.state.gov/"), (None, None));
    assert_eq!(one(&a, "frusA"), (None, Some(1)));
    assert_eq!(one(&a, "frus1948v06"), (None, Some(0)));

    let s = a.stats().unwrap();
    assert_eq!(
        (s.refs, s.refs_resolved, s.refs_unresolved, s.refs_external),
        (10, 7, 2, 1)
    );

    // A text document arriving later fills in the missing target.
    a.store_documents(&text("frusA", "d999", "t", "late"), false)
        .unwrap();
    assert_eq!(one(&a, "#d999"), (Some("d999".into()), Some(1)));
}

fn citing_volume(sha: &str) -> ParsedVolume {
    let d = doc(
        "frus1964-68v07",
        "d10",
        vec![para(vec![
            t("See "),
            reference("frus1964-68v06#d299", "Document 299"),
            t(" and "),
            reference("frus1964-68v06#pg_500", "page 500"),
        ])],
    );
    tei("frus1964-68v07", sha, vec![d])
}

fn cited_volume(sha: &str, ids: &[&str]) -> ParsedVolume {
    let docs = ids
        .iter()
        .map(|id| simple_doc("frus1964-68v06", id, "500"))
        .collect();
    tei("frus1964-68v06", sha, docs)
}

#[test]
fn cross_volume_refs_resolve_in_either_order() {
    for cited_first in [false, true] {
        let dir = tmp();
        let mut a = Archive::open(dir.path()).unwrap();
        let check = |a: &Archive, expect: Option<&str>| {
            let got = resolved(a, "frus1964-68v07", "frus1964-68v06#d299");
            assert_eq!(
                got,
                vec![(expect.map(String::from), Some(expect.is_some() as i64))],
                "cited_first={cited_first}"
            );
        };
        if cited_first {
            a.store_volume(&cited_volume("b", &["d299"])).unwrap();
            a.store_volume(&citing_volume("a")).unwrap();
        } else {
            a.store_volume(&citing_volume("a")).unwrap();
            check(&a, None);
            a.store_volume(&cited_volume("b", &["d299"])).unwrap();
        }
        check(&a, Some("d299"));
        assert_eq!(
            resolved(&a, "frus1964-68v07", "frus1964-68v06#pg_500"),
            vec![(Some("d299".into()), Some(1))]
        );

        // Re-ingesting the cited volume without d299 un-resolves the reference…
        a.store_volume(&cited_volume("c", &["d300"])).unwrap();
        check(&a, None);
        // …and re-ingesting the citing volume keeps resolution consistent.
        a.store_volume(&cited_volume("b", &["d299"])).unwrap();
        a.store_volume(&citing_volume("a2")).unwrap();
        check(&a, Some("d299"));
    }
}

/// The store resolves a volume's references to itself in memory and the rest in SQL; the SQL
/// from scratch must agree with whatever state incremental stores produced.
#[test]
fn incremental_resolution_matches_full_recompute() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    let refs_of = |a: &Archive| -> Vec<String> {
        snapshot(a)
            .into_iter()
            .filter(|r| r.starts_with("refs:"))
            .collect()
    };
    let mut body = vec![para(vec![
        reference("#d40", "a"),
        reference("#d2fn2", "b"),
        reference("#d2fn9", "c"),
        reference("#pg_101", "d"),
        reference("#pg_77", "e"),
        reference("#p_HWA1", "f"),
        reference("#t_DMZ1", "g"),
        reference("#ch1", "h"),
        reference("#in5", "i"),
        reference("#d500", "j"),
        reference("frus1964-68v06#d299", "k"),
        reference("frus1964-68v06", "l"),
        reference("mailto:x@y", "m"),
    ])];
    body.push(Block::PageBreak {
        n: "77".into(),
        id: None,
        layout: None,
    });
    let mut docs = vec![doc("frusA", "d1", body)];
    docs.push(simple_doc("frusA", "d2", "101"));
    let volume_a = tei("frusA", "a1", docs);
    let mut text_doc = text("frusA", "d500", "t500", "late");
    text_doc.documents[0].body = vec![para(vec![reference("#d2", "back"), reference("#d40", "x")])];

    a.store_volume(&volume_a).unwrap();
    a.store_documents(&text_doc, false).unwrap();
    a.store_volume(&cited_volume("b", &["d299"])).unwrap();
    a.store_volume(&citing_volume("c")).unwrap();
    a.store_documents(&text("frusA", "d40", "t40", "forty"), false)
        .unwrap();
    a.store_volume(&volume_a).unwrap();
    let incremental = refs_of(&a);
    assert!(incremental.iter().any(|r| r.contains("d500")));
    a.resolve_all_refs().unwrap();
    assert_eq!(refs_of(&a), incremental);
    assert_eq!(
        resolved(&a, "frusA", "#pg_77"),
        vec![(Some("d1".into()), Some(1))]
    );
    assert_eq!(
        resolved(&a, "frusA", "#d40"),
        vec![(Some("d40".into()), Some(1)), (Some("d40".into()), Some(1))]
    );
}

/// A bulk run defers the links between volumes to one pass at its end; the result must equal
/// resolving after every store, and a run that dies before its end leaves the links waiting
/// (missing, not wrong) until the next write resolves them.
#[test]
fn bulk_run_resolves_links_like_single_stores() {
    let links_of = |a: &Archive| -> Vec<String> {
        snapshot(a)
            .into_iter()
            .filter(|r| {
                r.starts_with("refs:")
                    || r.starts_with("text_refs:")
                    || r.starts_with("cable_refs:")
            })
            .collect()
    };
    let volume_a = tei(
        "frusA",
        "a1",
        vec![doc(
            "frusA",
            "d1",
            vec![para(vec![
                reference("frus1964-68v06#d299", "k"),
                reference("frus1964-68v07#d10", "n"),
                reference("#d500", "j"),
            ])],
        )],
    );
    let run = |a: &mut Archive| {
        a.store_volume(&citing_volume("c")).unwrap();
        a.store_volume(&volume_a).unwrap();
        a.store_documents(&text("frusA", "d500", "t500", "late"), false)
            .unwrap();
        a.store_volume(&cited_volume("b", &["d299"])).unwrap();
    };

    let one_by_one = tmp();
    let mut single = Archive::open(one_by_one.path()).unwrap();
    run(&mut single);
    let expected = links_of(&single);
    assert_eq!(
        resolved(&single, "frusA", "frus1964-68v06#d299"),
        vec![(Some("d299".into()), Some(1))]
    );

    let bulk_dir = tmp();
    let mut bulk = Archive::open(bulk_dir.path()).unwrap();
    let guard = bulk.begin_bulk().unwrap();
    run(&mut bulk);
    // Mid-run, the later volume's references into the earlier one are still waiting.
    assert_eq!(
        resolved(&bulk, "frus1964-68v07", "frus1964-68v06#d299"),
        vec![(None, None)]
    );
    bulk.end_bulk(guard).unwrap();
    assert_eq!(links_of(&bulk), expected);

    // A run killed before its end: the volumes are stored, their links wait, and the next
    // write (here a text document) resolves them.
    let killed_dir = tmp();
    {
        let mut killed = Archive::open(killed_dir.path()).unwrap();
        let guard = killed.begin_bulk().unwrap();
        run(&mut killed);
        drop(guard);
    }
    let mut reopened = Archive::open(killed_dir.path()).unwrap();
    let waiting: i64 = db(&reopened)
        .query_row("SELECT count(*) FROM pending_links", [], |r| r.get(0))
        .unwrap();
    assert_eq!(waiting, 3);
    assert_ne!(links_of(&reopened), expected);
    reopened
        .store_documents(&text("frusB", "d1", "t1", "later"), false)
        .unwrap();
    assert_eq!(links_of(&reopened), expected);
    assert_eq!(reopened.resolve_pending().unwrap(), 0);
}

#[test]
fn text_document_of_another_volume_resolves_refs() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    a.store_volume(&citing_volume("a")).unwrap();
    a.store_documents(&text("frus1964-68v06", "d299", "t", "words"), false)
        .unwrap();
    assert_eq!(
        resolved(&a, "frus1964-68v07", "frus1964-68v06#d299"),
        vec![(Some("d299".into()), Some(1))]
    );
}

// ---------------------------------------------------------------------------------------------
// Size and crash safety

fn big_volume(id: &str, sha: &str, docs: usize, paras: usize) -> ParsedVolume {
    let filler = "The Ambassador said that the talks in Paris had reached a point where both \
                  sides would have to decide whether to continue. ";
    let documents = (1..=docs)
        .map(|i| {
            let body = (0..paras)
                .map(|p| {
                    let mut inl = vec![t(filler), person("p_HWA1", "Harriman"), t(filler)];
                    if p % 5 == 0 {
                        inl.push(reference(&format!("#d{}", (i % docs) + 1), "Document"));
                    }
                    if p == paras / 2 {
                        inl.push(pb(&(i * 3).to_string()));
                    }
                    para(inl)
                })
                .collect();
            doc(id, &format!("d{i}"), body)
        })
        .collect();
    tei(id, sha, documents)
}

#[test]
fn large_volume_stores_and_replaces() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    let v = big_volume("frusBig", "big1", 300, 20);
    let bytes = serde_json::to_string(&v).unwrap().len();
    let started = Instant::now();
    let r = a.store_volume(&v).unwrap();
    let first = started.elapsed();
    let started = Instant::now();
    let v2 = big_volume("frusBig", "big2", 300, 20);
    a.store_volume(&v2).unwrap();
    let second = started.elapsed();
    // Informational only; benchmarks live elsewhere.
    eprintln!(
        "300 docs x 20 paragraphs ({:.1} MB of JSON): store {first:?}, replace {second:?}",
        bytes as f64 / 1e6
    );
    assert_eq!(r.documents, 300);
    assert_eq!(r.refs, 300 * 4);
    let s = a.counts_for_volume("frusBig").unwrap();
    assert_eq!((s.documents, s.refs, s.refs_resolved), (300, 1200, 1200));
    assert_eq!(
        a.document("frusBig", "d150").unwrap().unwrap(),
        v2.documents[149]
    );
}

/// Helper process for `killed_writer_leaves_archive_consistent`: writes forever when asked to.
#[test]
fn crash_helper() {
    let Ok(dir) = std::env::var("CHANCERY_STORE_CRASH_DIR") else {
        return;
    };
    let progress = std::env::var("CHANCERY_STORE_CRASH_PROGRESS").unwrap();
    let mut a = Archive::open(Path::new(&dir)).unwrap();
    let mut i = 0usize;
    loop {
        // Alternate sizes so a torn write would show as a count mismatch.
        let docs = [120, 80][i % 2];
        a.store_volume(&big_volume("frusCrash", &format!("c{i}"), docs, 10))
            .unwrap();
        i += 1;
        // Outside the archive: tells the parent that writes are under way.
        std::fs::write(&progress, i.to_string()).unwrap();
    }
}

#[test]
fn killed_writer_leaves_archive_consistent() {
    let exe = std::env::current_exe().unwrap();
    for delay_ms in [0u64, 7, 23, 61] {
        let dir = tmp();
        {
            let mut a = Archive::open(dir.path()).unwrap();
            a.store_volume(&big_volume("frusCrash", "seed", 100, 10))
                .unwrap();
        }
        let progress = tmp();
        let progress = progress.path().join("progress");
        let mut child = std::process::Command::new(&exe)
            .args(["crash_helper", "--exact", "--nocapture", "--test-threads=1"])
            .env("CHANCERY_STORE_CRASH_DIR", dir.path())
            .env("CHANCERY_STORE_CRASH_PROGRESS", &progress)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill only once the child has committed at least once, so the kill lands mid-stream.
        let started = Instant::now();
        while !progress.exists() && started.elapsed() < Duration::from_secs(60) {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("crash helper exited early: {status}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL: no destructors, no rollback by us.
        child.wait().unwrap();
        assert!(progress.exists(), "the crash helper never committed");

        let a = Archive::open_existing(dir.path()).unwrap();
        let ok: String = db(&a)
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let s = a.counts_for_volume("frusCrash").unwrap();
        assert!(
            [80, 120].contains(&s.documents),
            "torn volume: {} documents",
            s.documents
        );
        // Everything hanging off the documents belongs to the same version.
        assert_eq!(s.footnotes, s.documents * 2);
        assert_eq!(s.mentions, s.documents * 10);
        assert_eq!(s.pages, s.documents);
        assert_eq!(s.files, 1);
        let fk: i64 = db(&a)
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk, 0);
    }
}

/// Inside a batch each store call is still whole or absent: a failing call is rolled back to
/// its savepoint and the batch goes on; another connection sees nothing of the batch until it
/// is committed, then all of it.
#[test]
fn a_batch_commits_its_good_calls_and_drops_a_failing_one() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    a.store_volume(&tei_simple("frusA", "v1", &["d1"])).unwrap();
    a.store_documents(&text("frusA", "d9", "t9", "kept"), false)
        .unwrap();
    let before = snapshot(&a);
    let generation = a.generation().unwrap();

    a.begin_batch().unwrap();
    assert!(a.in_batch());
    a.store_volume(&tei_simple("frusB", "b1", &["d1", "d2"]))
        .unwrap();
    match a.store_volume(&tei_simple("frusC", "c1", &["d1", "d1"])) {
        Err(StoreError::DuplicateDocument { volume, .. }) => assert_eq!(volume, "frusC"),
        other => panic!("expected DuplicateDocument, got {other:?}"),
    }
    match a.store_documents(&text("frusA", "d9", "t10", "other"), false) {
        Err(StoreError::DocumentExists { document, .. }) => assert_eq!(document, "d9"),
        other => panic!("expected DocumentExists, got {other:?}"),
    }
    a.store_documents(&text("frusA", "d10", "t11", "new"), false)
        .unwrap();

    // A reader on another connection (as `chancery serve` has).
    let reader = rusqlite::Connection::open_with_flags(
        a.db_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    assert_eq!(
        snapshot_of(&reader),
        before,
        "the batch is visible before its commit"
    );

    a.commit_batch().unwrap();
    assert!(!a.in_batch());
    // One generation bump per stored call, none for the failed ones.
    assert_eq!(a.generation().unwrap(), generation + 2);
    assert_eq!(a.documents(Some("frusB")).unwrap().len(), 2);
    assert!(a.volume("frusC").unwrap().is_none());
    assert!(!a.has_file("c1").unwrap() && !a.has_file("t10").unwrap());
    assert!(a.has_file("t9").unwrap() && a.has_file("t11").unwrap());
    assert_eq!(a.documents(Some("frusA")).unwrap().len(), 3);
    assert_eq!(snapshot_of(&reader), snapshot(&a));
    // Committing again, or with no batch open, is a no-op.
    a.commit_batch().unwrap();
}

/// What a crash mid-batch leaves: the connection goes away with the batch uncommitted, and
/// the archive is exactly as it was before the batch, replaced volume included.
#[test]
fn an_uncommitted_batch_leaves_the_archive_as_it_was() {
    let dir = tmp();
    let before = {
        let mut a = Archive::open(dir.path()).unwrap();
        a.store_volume(&tei_simple("frusA", "v1", &["d1", "d2"]))
            .unwrap();
        snapshot(&a)
    };
    {
        let mut a = Archive::open(dir.path()).unwrap();
        a.begin_batch().unwrap();
        a.store_volume(&tei_simple("frusB", "b1", &["d1"])).unwrap();
        a.store_volume(&tei_simple("frusA", "v2", &["d7"])).unwrap();
        assert_eq!(a.documents(Some("frusA")).unwrap().len(), 1);
    }
    let a = Archive::open(dir.path()).unwrap();
    assert_eq!(snapshot(&a), before);
}

#[test]
fn a_document_over_the_size_limit_is_refused_whole() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    a.store_volume(&tei_simple("frusA", "s1", &["d1"])).unwrap();
    let before = snapshot(&a);
    let big = "word ".repeat(chancery_model::MAX_DOCUMENT_BYTES / 5 + 1);
    let huge = doc("frusA", "d2", vec![para(vec![t(&big)])]);
    let err = a
        .store_volume(&tei(
            "frusA",
            "s2",
            vec![simple_doc("frusA", "d1", "1"), huge],
        ))
        .unwrap_err();
    match &err {
        StoreError::DocumentTooLarge {
            volume,
            document,
            bytes,
        } => {
            assert_eq!((volume.as_str(), document.as_str()), ("frusA", "d2"));
            assert!(*bytes > chancery_model::MAX_DOCUMENT_BYTES);
        }
        other => panic!("{other}"),
    }
    assert!(
        err.to_string().contains("over the limit of 16777216 bytes"),
        "{err}"
    );
    // The volume as it was: nothing of the refused file is stored.
    assert_eq!(snapshot(&a), before);
}

#[test]
fn ids_that_urls_cannot_carry_are_refused() {
    let dir = tmp();
    let mut a = Archive::open(dir.path()).unwrap();
    for (vol, id) in [
        ("frus/1", "d1"),
        ("..", "d1"),
        ("frusA", "d/1"),
        ("frusA", ".d1"),
    ] {
        let err = a
            .store_documents(&text(vol, id, "x", "words"), false)
            .unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidId { .. }),
            "{vol}/{id}: {err}"
        );
    }
    assert!(a.volumes().unwrap().is_empty());
}
