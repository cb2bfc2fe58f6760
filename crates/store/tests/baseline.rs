//! The benchmarks' SQLite baselines (feature `baseline`): they hold and find what the archive
//! holds, so the benchmarks compare like with like.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used)]

use chancery_model::{
    Block, DateInterval, DatePrecision, Document, DocumentDate, Footnote, Inline, Origin,
    ParagraphRole, ParsedVolume, SourceFormat, Volume,
};
use chancery_store::baseline::{FloorRow, FloorStore, Fts5Baseline};
use chancery_store::{Archive, StoreError};

fn para(text: &str) -> Vec<Block> {
    vec![Block::Paragraph {
        role: ParagraphRole::default(),
        rend: None,
        inlines: vec![Inline::text(text)],
        layout: None,
    }]
}

fn document(id: &str, body: &str, note: &str, day: &str) -> Document {
    Document {
        volume_id: "frusA".into(),
        id: id.into(),
        heading: vec![Inline::text(format!("Telegram {id}"))],
        heading_text: format!("Telegram {id}"),
        date: Some(DocumentDate {
            text: day.into(),
            when: Some(day.into()),
            interval: Some(DateInterval {
                min: format!("{day}T00:00:00"),
                max: format!("{day}T23:59:59"),
                precision: DatePrecision::Day,
            }),
        }),
        body: para(body),
        footnotes: vec![Footnote {
            id: format!("{id}fn1"),
            mark: "1".into(),
            is_source: true,
            blocks: para(note),
        }],
        ..Document::default()
    }
}

fn archive(dir: &std::path::Path) -> Archive {
    let mut a = Archive::open(dir).expect("archive");
    a.store_volume(&ParsedVolume {
        volume: Volume {
            id: "frusA".into(),
            origin: Origin {
                path: "frusA.xml".into(),
                format: SourceFormat::Tei,
                sha256: "a".into(),
                bytes: 1,
            },
            ..Volume::default()
        },
        documents: vec![
            document(
                "d1",
                "Harriman met Le Duc Tho.",
                "Source: Harvan.",
                "1968-10-02",
            ),
            document("d2", "The bombing stopped.", "Not found.", "1968-11-01"),
        ],
        ..ParsedVolume::default()
    })
    .expect("store");
    a
}

#[test]
fn the_fts5_baseline_holds_every_document_and_finds_by_words_and_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = archive(&dir.path().join("archive"));
    let path = dir.path().join("fts.sqlite");
    let mut seen = Vec::new();
    let fts = Fts5Baseline::build(&a, &path, |doc| {
        seen.push(format!(
            "{}/{}: {} | {} | {}",
            doc.volume_id, doc.id, doc.heading, doc.body, doc.notes
        ));
        Ok(())
    })
    .expect("build");
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[0].starts_with("frusA/d1: Telegram d1 | "), "{seen:?}");
    assert!(seen[0].contains("Harriman") && seen[0].ends_with("Source: Harvan."));

    assert_eq!(fts.top("\"harriman\"", None, 10).expect("query"), 1);
    assert_eq!(fts.top("notes : \"harvan\"", None, 10).expect("query"), 1);
    assert_eq!(fts.top("\"telegram\"", None, 10).expect("query"), 2);
    assert_eq!(fts.top("\"telegram\"", None, 1).expect("query"), 1);
    let october = Some(("1968-10", "1968-10"));
    assert_eq!(fts.top("\"telegram\"", october, 10).expect("query"), 1);
    assert_eq!(fts.top("\"bombing\"", october, 10).expect("query"), 0);
    assert!(matches!(
        fts.top("\"telegram\"", Some(("soon", "1968")), 10),
        Err(StoreError::Invalid(_))
    ));
    // A query FTS5 cannot parse is an error, not an empty answer.
    assert!(fts.top("AND AND", None, 10).is_err());

    // Built once, opened again by a later run.
    drop(fts);
    let again = Fts5Baseline::open(&path).expect("open");
    assert_eq!(again.top("\"bombing\"", None, 10).expect("query"), 1);
    assert!(Fts5Baseline::open(&dir.path().join("none.sqlite")).is_err());
}

#[test]
fn the_floor_store_takes_rows_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.sqlite");
    let mut floor = FloorStore::create(&path).expect("create");
    let row = |id: &str| FloorRow {
        volume_id: "frusA".into(),
        id: id.into(),
        text: format!("text of {id}"),
    };
    floor.insert(&[row("d1"), row("d2")]).expect("insert");
    // A document twice is refused, as the archive refuses it.
    assert!(floor.insert(&[row("d3"), row("d3")]).is_err());
    floor.finish().expect("finish");
    assert!(matches!(
        FloorStore::create(&path),
        Err(StoreError::Invalid(_))
    ));
    let conn = rusqlite::Connection::open(&path).expect("open");
    let count: i64 = conn
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, 2);
}
