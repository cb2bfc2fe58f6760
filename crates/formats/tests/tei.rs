//! TEI reader tests on the real sample volumes (`sample/tei`) and on hostile inputs.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashSet};

use chancery_formats::tei::read_tei;
use chancery_formats::{ReadError, ReadErrorKind};
use chancery_model::{
    plain_text, walk_blocks, walk_inlines, Block, DatePrecision, Document, DocumentKind, Inline,
    ParagraphRole, ParsedVolume, ReferenceKind,
};
use quick_xml::events::Event;
use quick_xml::Reader;

const SAMPLES: [&str; 5] = [
    "frus1861-excerpt.xml",
    "frus1949v07p1-excerpt.xml",
    "frus1961-63v15-excerpt.xml",
    "frus1964-68v07-excerpt.xml",
    "frus1964-68v29p2.xml",
];

fn sample_path(name: &str) -> String {
    format!("{}/../../sample/tei/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn load(name: &str) -> (Vec<u8>, ParsedVolume) {
    let path = sample_path(name);
    let bytes = std::fs::read(&path).unwrap();
    let parsed = read_tei(&bytes, &path).unwrap_or_else(|e| panic!("{e}"));
    (bytes, parsed)
}

fn doc<'v>(v: &'v ParsedVolume, id: &str) -> &'v Document {
    v.documents
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no document {id}"))
}

/// Element counts taken by a naive, independent pass (no namespaces, local names only).
#[derive(Debug, Default, PartialEq)]
struct Naive {
    document_divs: u64,
    notes: u64,
    page_breaks: u64,
    pers_names: u64,
    refs: u64,
}

fn naive_count(bytes: &[u8]) -> Naive {
    let mut r = Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut n = Naive::default();
    loop {
        let ev = r.read_event_into(&mut buf).unwrap();
        let e = match &ev {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.local_name().as_ref() {
            b"note" => n.notes += 1,
            b"pb" => n.page_breaks += 1,
            b"persName" => n.pers_names += 1,
            b"ref" => n.refs += 1,
            b"div" => {
                let is_doc = e.attributes().any(|a| {
                    let a = a.unwrap();
                    a.key.as_ref() == b"type" && a.value.as_ref() == b"document"
                });
                n.document_divs += u64::from(is_doc);
            }
            _ => {}
        }
        buf.clear();
    }
    n
}

/// What the model holds, counted over every document's heading, body and footnotes.
#[derive(Debug, Default)]
struct Held {
    notes: u64,
    page_breaks: u64,
    pers_names: u64,
    refs: u64,
    note_refs: Vec<String>,
}

fn held(v: &ParsedVolume) -> Held {
    let mut h = Held::default();
    for d in &v.documents {
        h.notes += d.footnotes.len() as u64;
        let mut count = |i: &Inline| match i {
            Inline::PageBreak { .. } => h.page_breaks += 1,
            Inline::Person { .. } => h.pers_names += 1,
            Inline::Ref { .. } => h.refs += 1,
            Inline::NoteRef { id, .. } => h.note_refs.push(format!("{}/{id}", d.id)),
            _ => {}
        };
        walk_inlines(&d.heading, &mut count);
        walk_blocks(&d.body, &mut count);
        for f in &d.footnotes {
            walk_blocks(&f.blocks, &mut count);
        }
    }
    h
}

#[test]
fn every_sample_parses_and_is_accounted_for() {
    for name in SAMPLES {
        let (bytes, v) = load(name);
        let naive = naive_count(&bytes);
        let c = &v.census;
        // The reader's census agrees with an independent count of the whole file.
        assert_eq!(
            naive,
            Naive {
                document_divs: c.document_divs,
                notes: c.notes,
                page_breaks: c.page_breaks,
                pers_names: c.pers_names,
                refs: c.refs,
            },
            "{name}: census"
        );
        // Every document div is a document of kind historical/editorial (no body sections here).
        let docs = v
            .documents
            .iter()
            .filter(|d| {
                matches!(
                    d.kind,
                    DocumentKind::HistoricalDocument | DocumentKind::EditorialNote
                )
            })
            .count() as u64;
        assert_eq!(docs, naive.document_divs, "{name}: documents");
        // Every note, pb, persName and ref is stored in a document or counted as outside one.
        let h = held(&v);
        assert_eq!(
            h.notes + c.notes_outside_documents,
            naive.notes,
            "{name}: notes"
        );
        assert_eq!(
            h.page_breaks + c.page_breaks_outside_documents,
            naive.page_breaks,
            "{name}: page breaks"
        );
        assert_eq!(
            h.pers_names + c.pers_names_outside_documents,
            naive.pers_names,
            "{name}: persName"
        );
        assert_eq!(h.refs + c.refs_outside_documents, naive.refs, "{name}: ref");
        // Each footnote has exactly one anchor in its document, and each anchor a footnote.
        let mut anchors: Vec<String> = h.note_refs.clone();
        anchors.sort();
        let mut notes: Vec<String> = v
            .documents
            .iter()
            .flat_map(|d| {
                d.footnotes
                    .iter()
                    .map(move |f| format!("{}/{}", d.id, f.id))
            })
            .collect();
        notes.sort();
        assert_eq!(anchors, notes, "{name}: note anchors");
        // Ids are unique; volume metadata is filled.
        let ids: HashSet<&str> = v.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids.len(), v.documents.len(), "{name}: unique ids");
        assert!(v.volume.id.starts_with("frus"), "{name}: {}", v.volume.id);
        assert!(v.documents.iter().all(|d| d.volume_id == v.volume.id));
        assert_eq!(v.volume.origin.bytes, bytes.len() as u64);
        assert_eq!(v.volume.origin.sha256.len(), 64);
        assert!(v.volume.titles.complete.is_some(), "{name}: title");
        assert!(v.warnings.is_empty(), "{name}: {:?}", v.warnings);
        assert_eq!(c.unknown_elements, 0, "{name}: unknown elements");
        // Whatever holds no document sits in the title page or a division (kept in the TOC).
        let toc_notes: usize = count_division_notes(&v.volume.toc);
        assert!(toc_notes as u64 <= c.notes_outside_documents, "{name}");
    }
}

fn count_division_notes(divs: &[chancery_model::Division]) -> usize {
    divs.iter()
        .map(|d| d.footnotes.len() + count_division_notes(&d.children))
        .sum()
}

fn person_ids(d: &Document) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut f = |i: &Inline| {
        if let Inline::Person {
            person_id: Some(id),
            ..
        } = i
        {
            out.insert(id.clone());
        }
    };
    walk_inlines(&d.heading, &mut f);
    walk_blocks(&d.body, &mut f);
    for n in &d.footnotes {
        walk_blocks(&n.blocks, &mut f);
    }
    out
}

fn ref_targets(d: &Document) -> Vec<String> {
    let mut out = Vec::new();
    let mut f = |i: &Inline| {
        if let Inline::Ref { target, .. } = i {
            out.push(target.raw.clone());
        }
    };
    walk_blocks(&d.body, &mut f);
    for n in &d.footnotes {
        walk_blocks(&n.blocks, &mut f);
    }
    out
}

fn all_blocks<'d>(blocks: &'d [Block], out: &mut Vec<&'d Block>) {
    for b in blocks {
        out.push(b);
        match b {
            Block::List { items, .. } => {
                for it in items {
                    all_blocks(&it.blocks, out);
                }
            }
            Block::Attachment { blocks, .. } | Block::Group { blocks, .. } => {
                all_blocks(blocks, out)
            }
            _ => {}
        }
    }
}

#[test]
fn v07_d45_seed() {
    let (_, v) = load("frus1964-68v07-excerpt.xml");
    assert_eq!(v.volume.id, "frus1964-68v07");
    assert_eq!(v.volume.titles.volume_number.as_deref(), Some("Volume VII"));
    assert_eq!(v.volume.titles.sub_series.as_deref(), Some("1964–1968"));
    assert_eq!(v.volume.editors.len(), 2);
    assert_eq!(v.volume.publication_year.as_deref(), Some("2003"));
    assert_eq!(v.volume.idnos.len(), 4);

    let d = doc(&v, "d45");
    assert_eq!(d.number.as_deref(), Some("45"));
    assert_eq!(d.kind, DocumentKind::HistoricalDocument);
    assert_eq!(
        d.heading_text,
        "45. Telegram From the Embassy in France to the Department of State"
    );
    assert_eq!(d.from, ["Embassy in France"]);
    assert_eq!(d.to, ["Department of State"]);
    assert_eq!(d.place.as_deref(), Some("Paris"));
    let date = d.date.as_ref().unwrap();
    assert_eq!(date.when.as_deref(), Some("1968-10-02T14:10:00Z"));
    assert_eq!(date.text, "October 2, 1968, 1410Z");
    let iv = date.interval.as_ref().unwrap();
    assert_eq!(iv.min, "1968-10-02T14:10:00Z");
    assert_eq!(iv.max, "1968-10-02T14:10:00Z");
    assert_eq!(iv.precision, DatePrecision::Minute);
    assert_eq!(
        d.chapter_path
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["copm1", "ch2"]
    );

    // Five footnotes, the source note first; the heading holds only its anchor.
    let ids: Vec<&str> = d.footnotes.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["d45fn1", "d45fn2", "d45fn3", "d45fn4", "d45fn5"]);
    assert!(d.footnotes[0].is_source);
    assert!(d.footnotes[1..].iter().all(|f| !f.is_source));
    assert_eq!(d.source_note().unwrap().id, "d45fn1");
    assert!(d.footnotes[0]
        .text()
        .starts_with("Source: National Archives"));
    assert!(d
        .heading
        .iter()
        .any(|i| matches!(i, Inline::NoteRef { id, mark } if id == "d45fn1" && mark == "1")));
    assert!(!d.heading_text.contains("Source"));

    assert_eq!(d.pages(), ["120", "121"]);
    // "We said we <pb/>had not talked": the page break sits inside the paragraph.
    let inline_pb = d.body.iter().any(|b| match b {
        Block::Paragraph { inlines, .. } => inlines
            .iter()
            .any(|i| matches!(i, Inline::PageBreak { n, .. } if n == "120")),
        _ => false,
    });
    assert!(inline_pb);

    let refs = ref_targets(d);
    assert!(refs.contains(&"#d40".to_string()), "{refs:?}");
    assert!(refs.contains(&"#d32".to_string()), "{refs:?}");

    let mentioned = person_ids(d);
    let glossary: HashSet<&str> = v.volume.persons.iter().map(|p| p.id.as_str()).collect();
    for p in ["p_HWA1", "p_VCR1", "p_HHH1", "p_RWW1", "p_JLB1", "p_RD1"] {
        assert!(mentioned.contains(p), "{p} not mentioned");
        assert!(glossary.contains(p), "{p} not in the persons list");
    }
    let harriman = v.volume.persons.iter().find(|p| p.id == "p_HWA1").unwrap();
    assert!(harriman.name.starts_with("Harriman"), "{}", harriman.name);
    // The mis-tagged "Johnson saw" mention has no id.
    let mut untagged = 0;
    walk_blocks(&d.footnotes[4].blocks, &mut |i| {
        if let Inline::Person {
            person_id: None, ..
        } = i
        {
            untagged += 1;
        }
    });
    assert_eq!(untagged, 1);

    // The closer holds the signature.
    let closer = d
        .body
        .iter()
        .find_map(|b| match b {
            Block::Group {
                role: ParagraphRole::Closer,
                blocks,
            } => Some(blocks),
            _ => None,
        })
        .unwrap();
    assert!(matches!(
        &closer[0],
        Block::Paragraph { role: ParagraphRole::Signed, inlines, .. } if plain_text(inlines) == "Harriman"
    ));

    // Glossaries: the trailing comma is inside the bold hi, the description follows it.
    let abrams = &v.volume.persons[0];
    assert_eq!(abrams.id, "p_AGC1");
    assert_eq!(abrams.name, "Abrams, General Creighton");
    assert_eq!(
        abrams.description,
        "Commander, Military Assistance Command, Vietnam"
    );
    let aaa = v.volume.terms.iter().find(|t| t.id == "t_AAA1").unwrap();
    assert_eq!(
        (aaa.name.as_str(), aaa.description.as_str()),
        ("AAA", "antiaircraft artillery")
    );

    // Cross-volume ref in d46; editorial notes by heading in a revision without @subtype.
    let d46 = doc(&v, "d46");
    let r = ref_targets(d46);
    assert!(r.iter().any(|t| t == "frus1964-68v06#d299"), "{r:?}");
    assert_eq!(d46.from, ["Rostow"]);
    assert_eq!(doc(&v, "d40").kind, DocumentKind::EditorialNote);
    assert_eq!(doc(&v, "d40").subtype, None);

    // Front-matter sections are documents; the pb before each starts it.
    let preface = doc(&v, "preface");
    assert_eq!(preface.kind, DocumentKind::FrontMatter);
    assert_eq!(preface.number, None);
    assert_eq!(preface.pages().first().map(String::as_str), Some("III"));
    assert_eq!(doc(&v, "toc").kind, DocumentKind::FrontMatter);
    // The title page's two page breaks and two byline persNames are outside documents.
    assert_eq!(v.census.page_breaks_outside_documents, 2);
    assert_eq!(v.census.pers_names_outside_documents, 2);

    // TOC tree.
    assert_eq!(v.volume.toc.len(), 1);
    let comp = &v.volume.toc[0];
    assert_eq!(comp.kind, "compilation");
    assert_eq!(comp.children.len(), 2);
    assert_eq!(comp.document_count(), 50);
    assert!(comp.children[1].documents.contains(&"d45".to_string()));
    // No header content date: the span of the documents.
    let span = v.volume.content_dates.as_ref().unwrap();
    assert!(span.min.starts_with("1968-09"), "{span:?}");
}

#[test]
fn era_1949_mid_century() {
    let (_, v) = load("frus1949v07p1-excerpt.xml");
    assert_eq!(v.volume.id, "frus1949v07p1");
    assert_eq!(v.volume.publication_year.as_deref(), Some("1975"));
    // Empty idnos are skipped.
    assert!(v.volume.idnos.iter().all(|i| !i.value.is_empty()));
    assert_eq!(v.volume.idnos.len(), 1);
    let cd = v.volume.content_dates.as_ref().unwrap();
    assert_eq!(cd.min, "1949-01-03T00:00:00-05:00");
    assert_eq!(cd.max, "1949-12-31T18:00:00-05:00");
    assert!(v.volume.persons.is_empty());
    assert!(v.volume.terms.iter().any(|t| t.id == "t_G1"));
    let ky = v.volume.terms.iter().find(|t| t.id == "t_ky1").unwrap();
    assert_eq!(ky.name, "ky");

    let d1 = doc(&v, "d1");
    // The file-number source line before the head is the source note, printed in the body.
    let src = d1.source_note().unwrap();
    assert_eq!(src.id, "d1fn_auto1");
    assert_eq!(src.mark, "");
    assert_eq!(src.text(), "851G.00/1–1449: Telegram");
    assert_eq!(d1.footnotes[0].id, src.id);
    // The chapter-level pb before d1 opens it, then comes the source line.
    assert!(matches!(&d1.body[0], Block::PageBreak { n, .. } if n == "4"));
    match &d1.body[1] {
        Block::Paragraph {
            role: ParagraphRole::SourceLine,
            inlines,
            ..
        } => assert!(
            matches!(inlines.as_slice(), [Inline::NoteRef { id, .. }] if id == "d1fn_auto1")
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        d1.heading_text,
        "The Ambassador in France (Caffery) to the Acting Secretary of State"
    );
    assert_eq!(d1.number.as_deref(), Some("1"));
    assert_eq!(d1.from, ["Caffery"]);
    assert_eq!(d1.to, ["Acting Secretary of State"]);
    assert_eq!(d1.place.as_deref(), Some("Paris"));
    let date = d1.date.as_ref().unwrap();
    assert_eq!(date.when.as_deref(), Some("1949-01-14T14:00:00+01:00"));
    assert_eq!(date.text, "January 14, 1949—2 p. m.");
    // frus:doc-dateTime-min/max win over the dateline.
    assert_eq!(
        date.interval.as_ref().unwrap().min,
        "1949-01-14T08:00:00-05:00"
    );
    // Footnote marks differ from the id counter.
    let notes: Vec<(&str, &str)> = d1.footnotes[1..]
        .iter()
        .map(|f| (f.mark.as_str(), f.id.as_str()))
        .collect();
    assert_eq!(notes, [("2", "d1fn1"), ("3", "d1fn2"), ("4", "d1fn3")]);
    // The opener groups the classification and the dateline.
    let opener = d1
        .body
        .iter()
        .find_map(|b| match b {
            Block::Group {
                role: ParagraphRole::Opener,
                blocks,
            } => Some(blocks),
            _ => None,
        })
        .unwrap();
    assert!(opener.iter().any(|b| matches!(
        b,
        Block::Paragraph { role: ParagraphRole::Dateline, rend: Some(r), .. } if r == "right"
    )));
    assert!(opener.iter().any(|b| matches!(
        b,
        Block::Paragraph { role: ParagraphRole::Opener, inlines, .. }
            if plain_text(inlines) == "confidential"
    )));

    let d2 = doc(&v, "d2");
    let twos = d2.footnotes.iter().filter(|f| f.mark == "2").count();
    assert_eq!(twos, 2);

    // The chapter head note lives in the TOC, not in a document.
    let ch4 = v.volume.toc[1]
        .children
        .iter()
        .find(|c| c.id == "ch4")
        .unwrap();
    let sub = &ch4.children[0];
    assert_eq!(sub.id, "ch4subch1");
    assert_eq!(sub.footnotes.len(), 1);
    assert_eq!(sub.footnotes[0].id, "ch4subch1fn1");
    assert!(sub.heading.starts_with("The interest of the United States"));
    assert!(!sub.heading.contains("Continued"));
    assert_eq!(v.census.notes_outside_documents, 1);
    assert_eq!(d1.chapter_path.len(), 3);
    assert_eq!(d1.chapter_path[2].id, "ch4subch1");
    // Referral chapters keep their text.
    let ch1sub = &v.volume.toc[0].children[0].children[0];
    assert_eq!(ch1sub.subtype.as_deref(), Some("referral"));
    assert!(chancery_model::plain_text_blocks(&ch1sub.body).starts_with("[For text of Agreement"));
    assert!(ch1sub.documents.is_empty());
    // The chapter-level pb between ch4's head and its subchapter opens d1.
    assert_eq!(d1.pages().first().map(String::as_str), Some("4"));
}

#[test]
fn era_1961_63() {
    let (_, v) = load("frus1961-63v15-excerpt.xml");
    let d1 = doc(&v, "d1");
    let src = d1.source_note().unwrap();
    assert_eq!((src.id.as_str(), src.mark.as_str()), ("d1fn0", "0"));
    assert_eq!(d1.footnotes[0].id, "d1fn0");
    assert_eq!(d1.from, ["Kennedy"]);
    assert_eq!(d1.to, ["Rusk"]);
    assert_eq!(d1.subtype.as_deref(), Some("historical-document"));
    let iv = d1.date.as_ref().unwrap().interval.as_ref().unwrap();
    assert_eq!(
        (iv.min.as_str(), iv.max.as_str(), iv.precision),
        (
            "1962-03-09T00:00:00-05:00",
            "1962-03-09T23:59:59-05:00",
            DatePrecision::Day
        )
    );
    let persons = doc(&v, "persons");
    assert_eq!(persons.kind, DocumentKind::FrontMatter);
    assert_eq!(persons.subtype.as_deref(), Some("index"));
    assert!(!v.volume.persons.is_empty());
    assert!(v.volume.persons.iter().any(|p| p.id == "p_KJF2"));
    // A term whose description holds a persName.
    let k = v.volume.terms.iter().find(|t| t.id == "t_K1");
    if let Some(k) = k {
        assert!(k.description.contains("Khrushchev"), "{k:?}");
    }

    // Labelled lists and nested participants lists.
    let mut labelled = 0;
    let mut nested_participants = 0;
    for d in &v.documents {
        let mut blocks = Vec::new();
        all_blocks(&d.body, &mut blocks);
        for b in blocks {
            if let Block::List { kind, items, .. } = b {
                if items.iter().any(|i| i.label.is_some()) {
                    labelled += 1;
                }
                if kind.as_deref() == Some("participants")
                    && items
                        .iter()
                        .any(|i| i.blocks.iter().any(|b| matches!(b, Block::List { .. })))
                {
                    nested_participants += 1;
                }
            }
        }
    }
    assert!(labelled > 0);
    assert!(nested_participants > 0);
    let first_label = v
        .documents
        .iter()
        .flat_map(|d| {
            let mut blocks = Vec::new();
            all_blocks(&d.body, &mut blocks);
            blocks
                .into_iter()
                .filter_map(|b| match b {
                    Block::List { items, .. } => items.first().and_then(|i| i.label.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .next()
        .unwrap();
    assert!(!first_label.is_empty());
}

#[test]
fn era_1861() {
    let (_, v) = load("frus1861-excerpt.xml");
    assert_eq!(v.volume.id, "frus1861");
    // Empty titles and editors are skipped.
    assert!(v.volume.editors.is_empty());
    assert_eq!(v.volume.titles.series, None);
    assert!(v
        .volume
        .titles
        .complete
        .as_deref()
        .unwrap()
        .starts_with("Message of the President"));

    let message = doc(&v, "message-of-the-president");
    assert_eq!(message.kind, DocumentKind::FrontMatter);
    assert_eq!(message.subtype.as_deref(), Some("historical-document"));
    assert_eq!(message.heading_text, "Message");

    // d1 sits in <front> and is still a historical document.
    let d1 = doc(&v, "d1");
    assert_eq!(d1.kind, DocumentKind::HistoricalDocument);
    assert!(d1.chapter_path.is_empty());
    assert_eq!(doc(&v, "toc").kind, DocumentKind::FrontMatter);

    let d3 = doc(&v, "d3");
    assert!(
        d3.heading_text.starts_with("Mr. Seward"),
        "{}",
        d3.heading_text
    );
    assert_eq!(d3.from, ["Seward"]);
    assert_eq!(d3.to.len(), 1);
    assert_eq!(d3.number.as_deref(), Some("3"));
    assert!(d3.place.is_some());
    assert_eq!(
        d3.date.as_ref().unwrap().when.as_deref(),
        Some("1861-03-09")
    );

    // d10: [Extract.] source line, closer, postscript, an attachment nested in an attachment.
    let d10 = doc(&v, "d10");
    assert_eq!(d10.from, ["Wright"]);
    assert_eq!(d10.to, ["Seward"]);
    assert_eq!(d10.source_note().unwrap().text(), "[Extract.]");
    assert!(d10.body.iter().any(|b| matches!(
        b,
        Block::Paragraph {
            role: ParagraphRole::SourceLine,
            ..
        }
    )));
    assert!(d10.body.iter().any(|b| matches!(
        b,
        Block::Group {
            role: ParagraphRole::Closer,
            ..
        }
    )));
    assert!(d10.body.iter().any(|b| matches!(
        b,
        Block::Group {
            role: ParagraphRole::Postscript,
            ..
        }
    )));
    let outer = d10
        .body
        .iter()
        .find_map(|b| match b {
            Block::Attachment { head, blocks } => Some((head, blocks)),
            _ => None,
        })
        .unwrap();
    assert!(plain_text(outer.0.as_ref().unwrap()).contains("Baron Schleinitz"));
    let inner = outer
        .1
        .iter()
        .find_map(|b| match b {
            Block::Attachment { head, .. } => Some(head),
            _ => None,
        })
        .unwrap();
    assert_eq!(plain_text(inner.as_ref().unwrap()), "[Translation.]");
    // The attachment's own dateline does not replace the document's.
    assert_eq!(
        d10.date.as_ref().unwrap().when.as_deref(),
        Some("1861-06-25")
    );
    assert_eq!(d10.place.as_deref(), Some("Berlin"));
    // "* * * * * *" is kept as a centred paragraph.
    assert!(d10.body.iter().any(|b| matches!(
        b,
        Block::Paragraph { rend: Some(r), .. } if r == "center"
    )));
    // Tables with page breaks between rows.
    let toc = doc(&v, "toc");
    let mut row_breaks = 0;
    let mut blocks = Vec::new();
    all_blocks(&toc.body, &mut blocks);
    for b in blocks {
        if let Block::Table { rows, .. } = b {
            row_breaks += rows
                .iter()
                .filter(|r| r.page_break_before.is_some())
                .count();
        }
    }
    assert!(row_breaks > 0);
}

#[test]
fn complete_volume_v29p2() {
    let (_, v) = load("frus1964-68v29p2.xml");
    let historical: Vec<&Document> = v
        .documents
        .iter()
        .filter(|d| {
            matches!(
                d.kind,
                DocumentKind::HistoricalDocument | DocumentKind::EditorialNote
            )
        })
        .collect();
    assert_eq!(historical.len(), 140);
    assert_eq!(v.volume.persons.len(), 124);
    assert!(!v.volume.terms.is_empty());
    assert!(v
        .volume
        .persons
        .iter()
        .all(|p| !p.name.is_empty() && p.id.starts_with("p_")));
    let editorial = historical
        .iter()
        .filter(|d| d.kind == DocumentKind::EditorialNote)
        .count();
    assert!(editorial > 0);
    for d in &historical {
        assert!(d.number.is_some(), "{}", d.id);
        if d.kind == DocumentKind::EditorialNote {
            assert!(
                d.heading_text.contains("Editorial Note"),
                "{}",
                d.heading_text
            );
            assert!(d.source_note().is_none(), "{}", d.id);
        }
    }
    // The index is back matter.
    let index = doc(&v, "index");
    assert_eq!(index.kind, DocumentKind::BackMatter);
    assert_eq!(index.number, None);
    // Untyped in-body "[Source: …]" notes are editorial insertions pointing at their footnote.
    let d2 = doc(&v, "d2");
    assert!(d2.body.iter().any(|b| matches!(
        b,
        Block::Paragraph { role: ParagraphRole::EditorialInsertion, inlines, .. }
            if matches!(inlines.as_slice(), [Inline::NoteRef { .. }])
    )));
    // Every document date interval is ordered.
    let mut precision: BTreeMap<String, usize> = BTreeMap::new();
    for d in &historical {
        if let Some(iv) = d.date.as_ref().and_then(|x| x.interval.as_ref()) {
            assert!(iv.min <= iv.max || iv.min.len() != iv.max.len(), "{}", d.id);
            *precision.entry(format!("{:?}", iv.precision)).or_default() += 1;
        }
    }
    assert!(!precision.is_empty());
    // Page-number refs from the index and document refs are classified.
    let kinds: Vec<ReferenceKind> = v
        .documents
        .iter()
        .flat_map(|d| {
            let mut out = Vec::new();
            let mut f = |i: &Inline| {
                if let Inline::Ref { target, .. } = i {
                    out.push(target.kind);
                }
            };
            walk_blocks(&d.body, &mut f);
            for n in &d.footnotes {
                walk_blocks(&n.blocks, &mut f);
            }
            out
        })
        .collect();
    assert!(kinds.contains(&ReferenceKind::Document));
    assert!(kinds.contains(&ReferenceKind::Page));
}

// ----- hostile input ---------------------------------------------------------------------------

const HEAD: &str = "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xmlns:frus=\"http://history.state.gov/frus/ns/1.0\" xml:id=\"frusX\">\n";

fn err(input: &[u8]) -> ReadError {
    match read_tei(input, "x.xml") {
        Ok(_) => panic!("accepted: {}", String::from_utf8_lossy(input)),
        Err(e) => e,
    }
}

fn place(e: &ReadError) -> (ReadErrorKind, Option<u64>, Option<u64>) {
    (e.kind, e.line, e.column)
}

#[test]
fn empty_files() {
    assert_eq!(err(b"").kind, ReadErrorKind::Empty);
    assert_eq!(err(b" \n\t ").kind, ReadErrorKind::Empty);
    assert!(err(b"").to_string().starts_with("x.xml"));
}

#[test]
fn non_utf8_reports_first_bad_byte() {
    let mut input = HEAD.as_bytes().to_vec();
    input.extend_from_slice(b"<text><body><p>caf\xE9</p></body></text></TEI>");
    let e = err(&input);
    // Line 3, after "<text><body><p>caf" (18 characters).
    assert_eq!(place(&e), (ReadErrorKind::Encoding, Some(3), Some(19)));
    assert!(e.message.contains("0xE9"), "{}", e.message);
    let e = err(b"\xFF\xFE<\x00T\x00");
    assert_eq!(e.kind, ReadErrorKind::Encoding);
}

#[test]
fn mismatched_end_tag() {
    let input = format!("{HEAD}<text><body>\n  <div type=\"document\" xml:id=\"d1\"><p>x</div>\n</body></text></TEI>");
    let e = err(input.as_bytes());
    assert_eq!(e.kind, ReadErrorKind::Malformed);
    assert_eq!(e.line, Some(4));
    assert!(e.column.is_some());
    assert_eq!(e.document.as_deref(), Some("d1"));
    assert!(e.message.contains("div"), "{}", e.message);
}

#[test]
fn unclosed_tag_syntax() {
    let input = format!("{HEAD}<text><body><p>x</p><pb n=\"1\"");
    let e = err(input.as_bytes());
    // The unclosed tag's `<`.
    assert_eq!(place(&e), (ReadErrorKind::Malformed, Some(3), Some(21)));
}

#[test]
fn truncated_real_file() {
    let path = sample_path("frus1964-68v07-excerpt.xml");
    let bytes = std::fs::read(&path).unwrap();
    // Cut inside d45, at a line boundary so the cut is well-formed up to there.
    let text = std::str::from_utf8(&bytes).unwrap();
    let d45 = text.find("xml:id=\"d45\"").unwrap();
    let cut = d45 + text[d45..].find("\n").unwrap() + 1;
    let truncated = &bytes[..cut];
    let e = read_tei(truncated, &path).unwrap_err();
    assert_eq!(e.kind, ReadErrorKind::Malformed);
    let lines = truncated.iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!((e.line, e.column), (Some(lines + 1), Some(1)));
    assert!(e.message.contains("<div> opened at"), "{}", e.message);
    assert_eq!(e.document.as_deref(), Some("d45"));

    // Cut in the middle of a tag.
    let mid = d45 + 3;
    let e = read_tei(&bytes[..mid], &path).unwrap_err();
    assert_eq!(e.kind, ReadErrorKind::Malformed);
    assert!(e.line.is_some());
}

#[test]
fn duplicate_ids() {
    let input = format!(
        "{HEAD}<text><body>\n<div type=\"document\" xml:id=\"d1\"><head>1. A</head>\n<p>x<note n=\"1\" xml:id=\"d1fn1\">a</note></p>\n<p>y<note n=\"2\" xml:id=\"d1fn1\">b</note></p></div></body></text></TEI>"
    );
    let e = err(input.as_bytes());
    assert_eq!(place(&e), (ReadErrorKind::DuplicateId, Some(6), Some(5)));
    assert!(e.message.contains("\"d1fn1\""), "{}", e.message);
    assert!(e.message.contains("first used at 5:5"), "{}", e.message);
    assert_eq!(e.document.as_deref(), Some("d1"));
}

#[test]
fn not_tei() {
    let e = err(b"<?xml version=\"1.0\"?>\n<html><body/></html>");
    assert_eq!(place(&e), (ReadErrorKind::UnknownLayout, Some(2), Some(1)));
    let e = err(format!("{HEAD}<teiHeader/></TEI>").as_bytes());
    assert_eq!(e.kind, ReadErrorKind::UnknownLayout);
    assert!(e.message.contains("<text>"), "{}", e.message);
}

#[test]
fn other_malformations() {
    // Bad attribute syntax.
    let e =
        err(format!("{HEAD}<text><body><div type=document></div></body></text></TEI>").as_bytes());
    assert_eq!(place(&e), (ReadErrorKind::Malformed, Some(3), Some(13)));
    // A second root element.
    let e = err(format!("{HEAD}<text/></TEI>\n<TEI/>").as_bytes());
    assert_eq!(place(&e), (ReadErrorKind::Malformed, Some(4), Some(1)));
    // Text after the root.
    assert_eq!(
        err(format!("{HEAD}<text/></TEI>\nstray").as_bytes()).kind,
        ReadErrorKind::Malformed
    );
    // Unmatched end tag.
    assert_eq!(
        err(format!("{HEAD}<text/></TEI></x>").as_bytes()).kind,
        ReadErrorKind::Malformed
    );
    // Pathological nesting is refused, not a stack overflow.
    let deep = format!(
        "{HEAD}<text><body><div type=\"document\" xml:id=\"d1\"><p>{}x{}</p></div></body></text></TEI>",
        "<hi>".repeat(5000),
        "</hi>".repeat(5000)
    );
    assert_eq!(err(deep.as_bytes()).kind, ReadErrorKind::Malformed);
}

#[test]
fn small_volume_shapes() {
    // Oldest namespace, attributes in any order, start tags over lines, entities, no TEI id.
    let input = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xmlns:f=\"http://history.state.gov/ns/1.0\">
<teiHeader><fileDesc><titleStmt><title type=\"subseries\">1964–1968</title><title type=\"volumenumber\">Volume VII</title><editor/></titleStmt>
<publicationStmt><idno type=\"frus\">frus1964-68v07</idno><idno type=\"isbn-10\"/></publicationStmt></fileDesc></teiHeader>
<text><front><pb n=\"I\" xml:id=\"pg_I\"/></front><body>
<pb n=\"1\" xml:id=\"pg_1\"/>
<div xml:id=\"ch1\"
     type=\"chapter\"><head>Chapter &amp; verse<note xml:id=\"ch1fn1\" n=\"1\">See <ref target=\"#d2\">x</ref>.</note></head>
<div n=\"7\"
     xml:id=\"d7\" f:doc-dateTime-max=\"1968-10\" type=\"document\" f:doc-dateTime-min=\"1968-10\">
<head>Editor’s Note</head><p>A &amp; B<note>loose</note> <unclear>word</unclear> <lb/>end</p>
<list><label>1.</label><item>one</item><pb n=\"2\"/><label>2.</label><item>two</item></list>
<table><row><cell>a</cell></row><pb n=\"3\"/><row><cell>b</cell></row><pb n=\"4\"/></table>
<p>[Omitted here is stuff.]</p>
</div>
<div type=\"document\" xml:id=\"d8\"><head>8. Letter From <persName corresp=\"frus1964-68v06#p_X1\" type=\"from\">X</persName> to <gloss type=\"to\"><gloss target=\"#t_CIA1\">CIA</gloss> Station</gloss></head>
<dateline><date when=\"1968-10\">October 1968</date></dateline></div>
</div>
<pb n=\"5\"/>
</body></text></TEI>";
    let v = read_tei(input.as_bytes(), "dir/frus1964-68v07.xml").unwrap();
    assert_eq!(v.volume.id, "frus1964-68v07");
    assert_eq!(v.volume.titles.sub_series.as_deref(), Some("1964–1968"));
    assert_eq!(v.volume.titles.volume_number.as_deref(), Some("Volume VII"));
    assert!(v.volume.editors.is_empty());
    assert_eq!(v.volume.idnos.len(), 1);
    assert_eq!(v.documents.len(), 2);

    let ch1 = &v.volume.toc[0];
    assert_eq!(ch1.heading, "Chapter & verse");
    assert_eq!(ch1.footnotes[0].id, "ch1fn1");
    assert_eq!(ch1.documents, ["d7", "d8"]);

    let d7 = &v.documents[0];
    assert_eq!(d7.kind, DocumentKind::EditorialNote);
    assert_eq!(d7.number.as_deref(), Some("7"));
    let iv = d7.date.as_ref().unwrap().interval.as_ref().unwrap();
    assert_eq!(
        (iv.min.as_str(), iv.max.as_str(), iv.precision),
        (
            "1968-10-01T00:00:00",
            "1968-10-31T23:59:59",
            DatePrecision::Month
        )
    );
    // pg_1 stood between divisions: it opens d7. pg_I, in front before any document, too.
    assert_eq!(d7.pages(), ["I", "1", "2", "3", "4"]);
    assert_eq!(v.census.page_breaks_outside_documents, 0);
    assert_eq!(v.census.notes_outside_documents, 1);
    assert_eq!(v.census.refs_outside_documents, 1);
    // The note without an id gets a generated one.
    assert_eq!(d7.footnotes[0].id, "d7fn_auto1");
    assert_eq!(d7.footnotes[0].mark, "");
    assert_eq!(d7.unknown_elements[0].name, "unclear");
    assert_eq!(v.census.unknown_elements, 1);
    assert!(matches!(&d7.body[0], Block::PageBreak { n, .. } if n == "I"));
    assert!(matches!(&d7.body[1], Block::PageBreak { n, .. } if n == "1"));
    let body = &d7.body[2..];
    match &body[0] {
        Block::Paragraph { inlines, .. } => {
            assert!(matches!(&inlines[0], Inline::Text { text } if text == "A & B"));
            assert!(inlines
                .iter()
                .any(|i| matches!(i, Inline::Unknown { name, .. } if name == "unclear")));
            assert!(inlines.iter().any(|i| matches!(i, Inline::LineBreak)));
        }
        other => panic!("{other:?}"),
    }
    match &body[1] {
        Block::List { items, .. } => {
            assert_eq!(items.len(), 2);
            assert_eq!(items[1].label.as_deref(), Some("2."));
            assert!(matches!(&items[1].blocks[0], Block::PageBreak { n, .. } if n == "2"));
        }
        other => panic!("{other:?}"),
    }
    match &body[2] {
        Block::Table { rows, .. } => {
            assert_eq!(rows[1].page_break_before.as_deref(), Some("3"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&body[3], Block::PageBreak { n, .. } if n == "4"));
    assert!(matches!(
        &body[4],
        Block::Paragraph {
            role: ParagraphRole::EditorialInsertion,
            ..
        }
    ));

    let d8 = &v.documents[1];
    assert_eq!(d8.number.as_deref(), Some("8"));
    assert_eq!(d8.from, ["X"]);
    assert_eq!(d8.to, ["CIA Station"]);
    assert!(d8.heading.iter().any(|i| matches!(
        i,
        Inline::Person { person_id: Some(p), .. } if p == "frus1964-68v06#p_X1"
    )));
    // A pb after the last document ends it.
    assert_eq!(d8.pages(), ["5"]);
    let d = d8.date.as_ref().unwrap();
    assert_eq!(d.interval.as_ref().unwrap().precision, DatePrecision::Month);
}

#[test]
fn warnings_for_local_damage() {
    let input = format!(
        "{HEAD}<text><body><div type=\"document\"><p>no head, no id</p></div>\n<div type=\"document\" xml:id=\"d2\"><head>2. X</head><dateline><date when=\"1968-13-45\">?</date></dateline><p>&nbsp;<ref target=\"#d99\">dangling is fine</ref></p></div></body></text></TEI>"
    );
    let v = read_tei(input.as_bytes(), "x.xml").unwrap();
    let msgs: Vec<String> = v.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("without xml:id")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("has no head")), "{msgs:?}");
    assert!(
        msgs.iter()
            .any(|m| m.contains("unreadable date") && m.contains("x.xml:4:")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("unescaped")), "{msgs:?}");
    assert!(!msgs.iter().any(|m| m.contains("d99")), "{msgs:?}");
    assert_eq!(v.warnings.len(), 4, "{msgs:?}");
}
