//! Writers: plain text from TEI against the site's text, Markdown, JSON.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use chancery_formats::capture::{read_text, TextOptions};
use chancery_formats::render::{render_json, render_markdown, render_text};
use chancery_formats::tei::read_tei;
use chancery_model::{
    Block, Document, Footnote, GlossaryEntry, Inline, ListItem, ParagraphRole, TableCell, TableRow,
    Volume,
};

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sample")
}

fn seed_000() -> (String, Document) {
    let path = sample().join("seeds/000_b59939755342e843.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let p = read_text(text.as_bytes(), "000.txt", &TextOptions::default()).unwrap();
    (text, p.documents.into_iter().next().unwrap())
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// Remove the lines of `text` for which `pred` holds; returns how many were removed.
fn drop_lines(text: &mut String, pred: impl Fn(&str) -> bool) -> usize {
    let mut n = 0;
    let kept: Vec<&str> = text
        .split('\n')
        .filter(|l| {
            let drop = pred(l);
            n += drop as usize;
            !drop
        })
        .collect();
    *text = kept.join("\n");
    n
}

#[test]
fn tei_d45_matches_seed_000() {
    let bytes = std::fs::read(sample().join("tei/frus1964-68v07-excerpt.xml")).unwrap();
    let vol = read_tei(&bytes, "frus1964-68v07-excerpt.xml").unwrap();
    let d45 = vol.documents.iter().find(|d| d.id == "d45").expect("d45");
    assert!(d45.text_layout.is_none());
    let mut tei = render_text(d45);
    let (mut seed, _) = seed_000();

    // The TEI render's layout is the site's: heading + spaced source mark, a blank line.
    assert!(
        tei.starts_with("45. Telegram From the Embassy in France to the Department of State 1\n\n")
    );

    // Documented differences between the repository revision and the live site (FORMATS.md
    // §4.4), each removed narrowly and counted so that nothing else can hide behind it:
    //
    // 1. Apostrophes: the published text (a later revision) has curly ’ where the XML has '.
    seed = seed.replace('’', "'");
    tei = tei.replace('’', "'");
    // 2. The dateline "Paris, October 2, 1968, 1410Z." is dropped by the site capture.
    assert_eq!(
        drop_lines(&mut tei, |l| l == "Paris, October 2, 1968, 1410Z."),
        1
    );
    // 3. The closing signature "Harriman" (TEI closer) is absent from the seed.
    assert_eq!(drop_lines(&mut tei, |l| l == "Harriman"), 1);
    // 4. The page break 121 stands between paragraphs 9 and 10 in the TEI; the capture has no
    //    "[Page 121]" there.
    assert_eq!(drop_lines(&mut tei, |l| l == "[Page 121]"), 1);
    // 5. Paragraph labels "1."–"11." are literal text in the TEI and absent from the seed.
    let mut labels = Vec::new();
    let body_lines: Vec<String> = tei
        .split('\n')
        .map(|l| {
            if let Some((n, rest)) = l.split_once(". ") {
                if !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()) {
                    let v: u32 = n.parse().unwrap();
                    // The heading ("45.") and the footnote lines ("  1.") are not labels.
                    if (1..=11).contains(&v) && !l.starts_with(' ') {
                        labels.push(v);
                        return rest.to_string();
                    }
                }
            }
            l.to_string()
        })
        .collect();
    assert_eq!(labels, (1..=11).collect::<Vec<_>>());
    tei = body_lines.join("\n");

    // 6. "HARVAN" (seed) vs "Harvan" (TEI) in the source note ("Nodis/HARVAN/Plus") and in
    //    footnote 5 ("HARVAN Misc."): compare those two words case-insensitively.
    let (tw, sw) = (words(&tei), words(&seed));
    let mut case_only = 0;
    let mut diffs = Vec::new();
    for (i, (a, b)) in tw.iter().zip(&sw).enumerate() {
        if a == b {
            continue;
        }
        if a.to_lowercase() == b.to_lowercase() && a.to_lowercase().contains("harvan") {
            case_only += 1;
            continue;
        }
        diffs.push(format!("word {i}: TEI {a:?} vs seed {b:?}"));
        if diffs.len() > 5 {
            break;
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    assert_eq!(tw.len(), sw.len(), "word counts differ");
    assert_eq!(
        case_only, 2,
        "HARVAN/Harvan in the source note and in footnote 5"
    );
}

#[test]
fn text_from_tei_like_document_uses_default_layout() {
    // A document as the TEI reader builds it: newlines and indentation inside paragraphs, a
    // space before a note, a nested list, a table, a closer group, a block page break.
    let doc = Document {
        id: "d9".into(),
        volume_id: "frusX".into(),
        heading: vec![
            Inline::text("9. Memorandum\n      "),
            Inline::NoteRef {
                id: "d9fn1".into(),
                mark: "1".into(),
            },
        ],
        heading_text: "9. Memorandum".into(),
        body: vec![
            Block::List {
                kind: Some("participants".into()),
                head: Some(vec![Inline::text("PARTICIPANTS")]),
                items: vec![ListItem {
                    label: None,
                    blocks: vec![
                        Block::Paragraph {
                            role: ParagraphRole::Paragraph,
                            rend: None,
                            inlines: vec![Inline::text("U.S.")],
                            layout: None,
                        },
                        Block::List {
                            kind: None,
                            head: None,
                            items: vec![ListItem {
                                label: None,
                                blocks: vec![Block::Paragraph {
                                    role: ParagraphRole::Paragraph,
                                    rend: None,
                                    inlines: vec![Inline::text("The Secretary")],
                                    layout: None,
                                }],
                            }],
                            layout: None,
                        },
                    ],
                }],
                layout: None,
            },
            Block::Paragraph {
                role: ParagraphRole::Paragraph,
                rend: None,
                inlines: vec![
                    Inline::text("He said “You and\n   Tommy "),
                    Inline::NoteRef {
                        id: "d9fn2".into(),
                        mark: "2".into(),
                    },
                    Inline::text(" talk it over.” We said we "),
                    Inline::PageBreak {
                        n: "120".into(),
                        id: Some("pg_120".into()),
                    },
                    Inline::text("had not."),
                ],
                layout: None,
            },
            Block::PageBreak {
                n: "121".into(),
                id: None,
                layout: None,
            },
            Block::Table {
                rows: vec![TableRow {
                    cells: vec![
                        TableCell {
                            role: None,
                            inlines: vec![Inline::text("No.")],
                        },
                        TableCell {
                            role: None,
                            inlines: vec![Inline::text("Subject.")],
                        },
                    ],
                    page_break_before: None,
                }],
                layout: None,
            },
            Block::Group {
                role: ParagraphRole::Closer,
                blocks: vec![Block::Paragraph {
                    role: ParagraphRole::Signed,
                    rend: None,
                    inlines: vec![Inline::text("\n  Rusk\n")],
                    layout: None,
                }],
            },
        ],
        footnotes: vec![
            Footnote {
                id: "d9fn1".into(),
                mark: "1".into(),
                is_source: true,
                blocks: vec![Block::Paragraph {
                    role: ParagraphRole::Paragraph,
                    rend: None,
                    inlines: vec![Inline::text("Source:\n   Files.")],
                    layout: None,
                }],
            },
            Footnote {
                id: "d9fn2".into(),
                mark: "2".into(),
                is_source: false,
                blocks: vec![Block::Paragraph {
                    role: ParagraphRole::Paragraph,
                    rend: None,
                    inlines: vec![Inline::text("Llewellyn E. Thompson.")],
                    layout: None,
                }],
            },
        ],
        ..Document::default()
    };
    assert_eq!(
        render_text(&doc),
        "9. Memorandum 1\n\nPARTICIPANTS\n\n  • U.S.\n\n    • The Secretary\n\n\
         He said “You and Tommy2 talk it over.” We said we [Page 120]had not.\n\n[Page 121]\n\n\
         No. | Subject. |\n\nRusk\n  1. Source: Files.\n  2. Llewellyn E. Thompson."
    );

    // An unanchored source note (1940s inline file number) goes above the heading.
    let mut old = doc.clone();
    old.heading = vec![Inline::text("The Secretary of State to the Embassy")];
    old.footnotes[0].blocks = vec![Block::Paragraph {
        role: ParagraphRole::SourceLine,
        rend: None,
        inlines: vec![Inline::text("851G.01/6–1349: Telegram")],
        layout: None,
    }];
    let t = render_text(&old);
    assert!(
        t.starts_with("851G.01/6–1349: Telegram\n\nThe Secretary of State to the Embassy\n\n"),
        "{t}"
    );
    assert!(t.ends_with("\n  2. Llewellyn E. Thompson."));
    assert!(!t.contains("  1. "));

    // Markdown of the same document.
    let md = render_markdown(&doc, None);
    assert!(md.starts_with("# 9\\. Memorandum[^1]\n"), "{md}");
    assert!(
        md.contains("**PARTICIPANTS**\n\n- U.S.\n  - The Secretary\n"),
        "{md}"
    );
    assert!(
        md.contains("You and Tommy[^2] talk it over.” We said we *\\[Page 120\\]* had not."),
        "{md}"
    );
    assert!(md.contains("| No. | Subject. |\n| --- | --- |\n"), "{md}");
    assert!(
        md.contains("\n[^1]: Source: Files.\n[^2]: Llewellyn E. Thompson.\n"),
        "{md}"
    );
}

#[test]
fn markdown_and_json_of_a_seed() {
    let (_, doc) = seed_000();
    let md = render_markdown(&doc, None);
    assert!(md.starts_with(
        "# 45\\. Telegram From the Embassy in France to the Department of State[^1]\n"
    ));
    assert!(md.contains("meeting.[^2]"));
    assert!(md.contains("We said we *\\[Page 120\\]* had not talked"));
    assert!(md.contains("\n[^3]: See Document 40.\n"));
    assert_eq!(md.matches("\n[^").count(), 5);

    let mut vol = Volume::default();
    vol.persons.push(GlossaryEntry {
        id: "p_HWA1".into(),
        name: "Harriman, W. Averell".into(),
        description: String::new(),
    });
    let mut with_person = doc.clone();
    if let Block::Paragraph { inlines, .. } = &mut with_person.body[0] {
        inlines.push(Inline::Person {
            person_id: Some("#p_HWA1".into()),
            role: None,
            children: vec![Inline::text("Harriman")],
        });
    }
    let j = render_json(&with_person, Some(&vol));
    assert_eq!(j["path"], "unfiled/d45");
    assert_eq!(j["id"], "d45");
    assert_eq!(j["pages"], serde_json::json!(["120"]));
    assert_eq!(j["persons"][0]["id"], "p_HWA1");
    assert_eq!(j["persons"][0]["name"], "Harriman, W. Averell");
    assert_eq!(j["footnotes"].as_array().unwrap().len(), 5);
    // The JSON is the Document's serde form: it deserialises back.
    let back: Document = serde_json::from_value(render_json(&doc, None)).unwrap();
    assert_eq!(back, doc);
}
