//! The plain-text reader against the real captures in `sample/text` and the two seeds.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use chancery_formats::capture::{read_text, TextOptions, DEFAULT_TEXT_VOLUME};
use chancery_formats::render::render_text;
use chancery_formats::ReadErrorKind;
use chancery_model::{
    walk_blocks, walk_inlines, Block, Document, DocumentKind, Inline, ParagraphRole,
};

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sample")
}

/// (file name, complete?) from INDEX.tsv.
fn index() -> Vec<(String, bool)> {
    let tsv = std::fs::read_to_string(sample().join("text/INDEX.tsv")).unwrap();
    let rows: Vec<(String, bool)> = tsv
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[0].to_string(), cols[3].trim() == "complete")
        })
        .collect();
    // INDEX.tsv must describe every capture in the directory (39 of them) and nothing else.
    let mut on_disk: Vec<String> = std::fs::read_dir(sample().join("text"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = rows.iter().map(|(f, _)| f.clone()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
    assert!(rows.len() >= 39);
    rows
}

fn all_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = index()
        .into_iter()
        .map(|(f, _)| sample().join("text").join(f))
        .collect();
    files.push(sample().join("seeds/000_b59939755342e843.txt"));
    files.push(sample().join("seeds/003_5b44302af4495d90.txt"));
    files
}

fn read(path: &PathBuf) -> Document {
    let bytes = std::fs::read(path).unwrap();
    let p = read_text(&bytes, &path.to_string_lossy(), &TextOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.documents.len(), 1);
    p.documents.into_iter().next().unwrap()
}

fn seed(n: &str) -> Document {
    let name = match n {
        "000" => "seeds/000_b59939755342e843.txt",
        _ => "seeds/003_5b44302af4495d90.txt",
    };
    read(&sample().join(name))
}

fn note_refs(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut f = |i: &Inline| {
        if let Inline::NoteRef { id, mark } = i {
            out.push((id.clone(), mark.clone()));
        }
    };
    walk_inlines(&doc.heading, &mut f);
    walk_blocks(&doc.body, &mut f);
    out
}

fn body_note_refs(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    walk_blocks(&doc.body, &mut |i| {
        if let Inline::NoteRef { mark, .. } = i {
            out.push(mark.clone());
        }
    });
    out
}

/// The footnote lines at the end of a capture, found independently of the reader: format A
/// `  N. text` (with 4-space continuation paragraphs) or format B `- text↩`.
fn footnote_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let is_a = |l: &str| {
        let r = l.strip_prefix("  ").unwrap_or("");
        let d = r.bytes().take_while(u8::is_ascii_digit).count();
        d > 0 && r[d..].starts_with(". ")
    };
    let is_cont = |l: &str| l.starts_with("    ") && !l.trim_start().starts_with('•');
    let is_b = |l: &str| l.starts_with("- ") && l.ends_with('↩');
    let mut i = lines.len();
    while i > 0 && (is_a(lines[i - 1]) || is_cont(lines[i - 1]) || lines[i - 1].trim().is_empty()) {
        i -= 1;
    }
    let mut notes: Vec<String> = Vec::new();
    for l in &lines[i..] {
        if is_a(l) {
            let r = &l[2..];
            let d = r.bytes().take_while(u8::is_ascii_digit).count();
            notes.push(r[d + 2..].to_string());
        } else if is_cont(l) {
            if let Some(last) = notes.last_mut() {
                last.push('\n');
                last.push_str(l.trim());
            }
        }
    }
    if !notes.is_empty() {
        return notes;
    }
    let mut i = lines.len();
    while i > 0 && is_b(lines[i - 1]) {
        i -= 1;
    }
    lines[i..]
        .iter()
        .map(|l| l[2..l.len() - '↩'.len_utf8()].to_string())
        .collect()
}

/// Footnotes printed in the footnote block (not the inline source line above the heading).
fn listed_notes(doc: &Document) -> Vec<&chancery_model::Footnote> {
    doc.footnotes
        .iter()
        .filter(|f| !f.mark.is_empty())
        .collect()
}

#[test]
fn round_trip_every_capture_byte_for_byte() {
    let mut failures = Vec::new();
    for path in all_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let bytes = text.as_bytes();
        // The structured path itself must reproduce the capture, not the plain fallback.
        let p = read_text(bytes, &path.to_string_lossy(), &TextOptions::default()).unwrap();
        for w in &p.warnings {
            if w.message.contains("reproduc") {
                failures.push(format!("{}: {}", path.display(), w.message));
            }
        }
        let doc = p.documents.into_iter().next().unwrap();
        let back = render_text(&doc);
        if back != text {
            let at = back
                .bytes()
                .zip(text.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(back.len().min(text.len()));
            failures.push(format!(
                "{}: differs at byte {at}: got {:?}… want {:?}…",
                path.display(),
                &back[at.saturating_sub(10).min(back.len())..(at + 40).min(back.len())],
                &text[at.saturating_sub(10).min(text.len())..(at + 40).min(text.len())],
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn round_trip_is_structural_not_a_stash() {
    // The body must not be one opaque paragraph: a structural edit must show in the output.
    let mut doc = seed("003");
    let Block::List { items, .. } = &mut doc.body[0] else {
        panic!("first block is the SUBJECT list")
    };
    let Block::Paragraph { inlines, .. } = &mut items[0].blocks[0] else {
        panic!()
    };
    inlines.insert(0, Inline::text("EDITED "));
    assert!(render_text(&doc).contains("  • EDITED Conversation"));
}

#[test]
fn complete_captures_footnotes_match_their_lines_and_marks_resolve() {
    let mut failures = Vec::new();
    for (file, complete) in index() {
        if !complete {
            continue;
        }
        let path = sample().join("text").join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = read(&path);
        let want = footnote_lines(&text);
        let notes = listed_notes(&doc);
        let got: Vec<String> = notes.iter().map(|f| f.text()).collect();
        let want_norm: Vec<String> = want
            .iter()
            .map(|w| {
                w.split('\n')
                    .map(chancery_model::collapse_ws)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        if got != want_norm {
            failures.push(format!("{file}: footnotes {got:?} != {want_norm:?}"));
            continue;
        }
        // Every listed footnote is anchored exactly once, and every anchor names a footnote.
        let refs = note_refs(&doc);
        if refs.len() != notes.len() {
            failures.push(format!(
                "{file}: {} marks for {} footnotes: {refs:?}",
                refs.len(),
                notes.len()
            ));
        }
        for f in &notes {
            let n = refs.iter().filter(|(id, _)| *id == f.id).count();
            if n != 1 {
                failures.push(format!("{file}: footnote {} anchored {n} times", f.id));
            }
            if !f.id.starts_with(&format!("{}fn", doc.id)) {
                failures.push(format!("{file}: footnote id {}", f.id));
            }
        }
        for (id, mark) in &refs {
            if !doc.footnotes.iter().any(|f| &f.id == id && &f.mark == mark) {
                failures.push(format!("{file}: mark {mark} → {id} names no footnote"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn truncated_captures_keep_body_digits_as_text() {
    for (file, complete) in index() {
        let path = sample().join("text").join(&file);
        let doc = read(&path);
        if !complete && doc.footnotes.is_empty() {
            assert!(body_note_refs(&doc).is_empty(), "{file}");
        }
    }
    // "Diet6" / "1937,7" have no footnote list to resolve against.
    let doc = read(&sample().join("text/frus1937v03_d577.txt"));
    assert!(chancery_model::plain_text_blocks(&doc.body).contains("Diet6 upon"));
}

#[test]
fn seed_000_structure() {
    let doc = seed("000");
    assert_eq!(doc.id, "d45");
    assert_eq!(doc.volume_id, DEFAULT_TEXT_VOLUME);
    assert_eq!(doc.number.as_deref(), Some("45"));
    assert_eq!(
        doc.heading_text,
        "45. Telegram From the Embassy in France to the Department of State"
    );
    assert_eq!(doc.from, vec!["Embassy in France"]);
    assert_eq!(doc.to, vec!["Department of State"]);
    assert_eq!(
        doc.heading.last(),
        Some(&Inline::NoteRef {
            id: "d45fn1".into(),
            mark: "1".into()
        })
    );
    let layout = doc.text_layout.as_ref().unwrap();
    assert_eq!(layout.heading_mark_sep.as_deref(), Some(" "));
    assert_eq!(layout.footnotes_sep.as_deref(), Some("\n"));
    assert_eq!(doc.footnotes.len(), 5);
    assert!(doc.footnotes[0].is_source);
    assert!(doc.footnotes[0]
        .text()
        .starts_with("Source: National Archives"));
    assert!(doc.footnotes[1..].iter().all(|f| !f.is_source));
    let ids: Vec<&str> = doc.footnotes.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["d45fn1", "d45fn2", "d45fn3", "d45fn4", "d45fn5"]);
    assert_eq!(doc.footnotes[2].text(), "See Document 40.");
    assert_eq!(doc.pages(), vec!["120"]);
    assert_eq!(body_note_refs(&doc), ["2", "3", "4", "5"]);
    let body = chancery_model::plain_text_blocks(&doc.body);
    // Numbers that look like marks but are not.
    assert!(body.contains("21737/Delto 788. From Harriman and Vance."));
    assert!(body.contains("lasted 42 minutes"));
    assert!(body.contains("today’s meeting."));
    assert!(!body.contains("meeting.2"));
    // Thirteen paragraphs: the Delto line and the eleven numbered ones, separated by "\n".
    assert_eq!(doc.body.len(), 12);
    assert!(doc
        .body
        .iter()
        .all(|b| matches!(b, Block::Paragraph { .. })));
    // The page break sits inside "We said we [Page 120]had not talked".
    let Block::Paragraph { inlines, .. } = &doc.body[3] else {
        panic!()
    };
    assert!(matches!(&inlines[0], Inline::Text { text } if text.ends_with("We said we ")));
    assert_eq!(
        inlines[1],
        Inline::PageBreak {
            n: "120".into(),
            id: None
        }
    );
    assert!(matches!(&inlines[2], Inline::Text { text } if text.starts_with("had not talked")));
    // "1968" in the source note stays text.
    assert!(doc.footnotes[0].text().contains("October 1968."));
}

#[test]
fn seed_003_structure() {
    let doc = seed("003");
    assert_eq!(doc.id, "d261");
    assert_eq!(doc.number.as_deref(), Some("261"));
    assert_eq!(doc.heading_text, "261. Memorandum for Personal Files");
    assert_eq!(
        doc.text_layout
            .as_ref()
            .unwrap()
            .heading_mark_sep
            .as_deref(),
        Some("")
    );
    let Block::List {
        kind, head, items, ..
    } = &doc.body[0]
    else {
        panic!("SUBJECT list first: {:?}", doc.body[0])
    };
    assert_eq!(kind.as_deref(), Some("subject"));
    assert_eq!(
        chancery_model::plain_text(head.as_ref().unwrap()),
        "SUBJECT"
    );
    assert_eq!(items.len(), 1);
    assert_eq!(
        chancery_model::plain_text_blocks(&items[0].blocks),
        "Conversation with the Secretary following the President’s telephone call to me to travel to certain capitals"
    );
    assert_eq!(doc.pages(), vec!["730"]);
    assert_eq!(doc.footnotes.len(), 4);
    assert!(doc.footnotes[0].is_source);
    assert_eq!(doc.footnotes[3].text(), "Llewellyn E. Thompson.");
    assert_eq!(body_note_refs(&doc), ["2", "3", "4"]);
    // The signature W.A.H.
    let last = doc.body.last().unwrap();
    assert!(
        matches!(last, Block::Paragraph { role: ParagraphRole::Signed, inlines, .. }
            if chancery_model::plain_text(inlines) == "W.A.H."),
        "{last:?}"
    );
}

#[test]
fn file_name_gives_volume_and_id_and_options_override() {
    let path = sample().join("text/frus1862_d5.txt");
    let bytes = std::fs::read(&path).unwrap();
    let p = read_text(&bytes, "x/frus1862_d5.txt", &TextOptions::default()).unwrap();
    assert_eq!(p.volume.id, "frus1862");
    let d = &p.documents[0];
    assert_eq!((d.volume_id.as_str(), d.id.as_str()), ("frus1862", "d5"));
    assert_eq!(d.number.as_deref(), Some("5"));
    assert_eq!(d.heading_text, "Mr. Seward to Mr. Adams.");
    assert_eq!(
        (d.from.clone(), d.to.clone()),
        (
            vec!["Mr. Seward".to_string()],
            vec!["Mr. Adams".to_string()]
        )
    );
    assert_eq!(p.volume.origin.format, chancery_model::SourceFormat::Text);
    assert_eq!(p.volume.origin.bytes, bytes.len() as u64);
    assert_eq!(p.volume.origin.sha256, chancery_formats::sha256_hex(&bytes));

    let opts = TextOptions {
        volume_id: Some("frus1999".into()),
    };
    let p = read_text(&bytes, "frus1862_d5.txt", &opts).unwrap();
    assert_eq!(p.documents[0].volume_id, "frus1999");
    assert_eq!(p.documents[0].id, "d5");

    // No number and no file-name id: the content hash.
    let p = read_text(&bytes, "letter.txt", &TextOptions::default()).unwrap();
    let sha = chancery_formats::sha256_hex(&bytes);
    assert_eq!(p.documents[0].id, format!("t{}", &sha[..12]));
    assert_eq!(p.documents[0].volume_id, DEFAULT_TEXT_VOLUME);
}

#[test]
fn older_documents_source_line_and_heading() {
    // 1940s: the file number above the heading is the (unanchored) source note.
    let d = read(&sample().join("text/frus1940v04_d391.txt"));
    assert_eq!(
        d.heading_text,
        "The Ambassador in Japan (Grew) to the Secretary of State"
    );
    assert_eq!(d.from, vec!["Ambassador in Japan (Grew)"]);
    assert_eq!(d.to, vec!["Secretary of State"]);
    let src = d.source_note().unwrap();
    assert_eq!(src.text(), "711.94/1530: Telegram");
    assert_eq!(src.id, "d391src");
    // Page-scoped marks 65 and 66 for footnotes printed "1." and "2.".
    assert_eq!(body_note_refs(&d), ["65", "66"]);
    assert_eq!(d.text_layout.as_ref().unwrap().footnote_numbers, ["1", "2"]);
    assert_eq!(d.footnotes[1].id, "d391fn65");

    // Malta: a two-paragraph footnote.
    let d = read(&sample().join("text/frus1945Malta_d476.txt"));
    assert_eq!(d.source_note().unwrap().text(), "Defense Files: Telegram");
    let f2 = &d.footnotes[2];
    assert_eq!(f2.blocks.len(), 2);
    assert!(f2.text().contains("\n“4. Hiss is familiar"));

    // 1961-63: heading mark 0, footnote printed "1. Source:".
    let d = read(&sample().join("text/frus1961-63v06_d17.txt"));
    assert_eq!(d.footnotes.len(), 1);
    assert_eq!(
        (d.footnotes[0].mark.as_str(), d.footnotes[0].is_source),
        ("0", true)
    );
    assert_eq!(d.footnotes[0].id, "d17fn0");
    assert!(matches!(
        d.body.last(),
        Some(Block::Paragraph {
            role: ParagraphRole::Signed,
            ..
        })
    ));

    // Editorial note.
    let d = read(&sample().join("text/frus1950v02_d223.txt"));
    assert_eq!(d.kind, DocumentKind::EditorialNote);
    assert_eq!(d.heading_text, "Editorial Note");
    assert_eq!(d.number.as_deref(), Some("223"));
    assert_eq!(d.pages(), vec!["390"]);

    // Spaced mark at the end of a signature: "Zbigniew Brzezinski 4".
    let d = read(&sample().join("text/frus1977-80v28_d54.txt"));
    assert_eq!(body_note_refs(&d), ["2", "3", "4"]);

    // Nested participants list.
    let d = read(&sample().join("text/frus1981-88v06_d46.txt"));
    let Block::List { kind, items, .. } = &d.body[0] else {
        panic!()
    };
    assert_eq!(kind.as_deref(), Some("participants"));
    assert_eq!(items.len(), 2);
    assert!(matches!(&items[0].blocks[1], Block::List { items, .. } if items.len() == 2));

    // 19th century: dateline, closer and postscript.
    let d = read(&sample().join("text/frus1861_d67.txt"));
    assert_eq!(
        d.date.as_ref().and_then(|x| x.when.as_deref()),
        Some("1861-08-12")
    );
    assert_eq!(d.place.as_deref(), Some("Washington"));
}

#[test]
fn format_b_captures_parse_with_footnotes() {
    let d = read(&sample().join("text/frus1955-57v03mSupp_d371.txt"));
    assert_eq!(d.text_layout.as_ref().unwrap().variant, "B");
    assert_eq!(d.footnotes.len(), 1);
    assert!(d.footnotes[0].is_source);
    assert_eq!(d.footnotes[0].mark, "1");
    assert!(!d.footnotes[0].text().ends_with('↩'));
    assert_eq!(d.heading_text, "371. Telegram 1219 to Geneva");

    let d = read(&sample().join("text/frus1940v04_d576.txt"));
    assert_eq!(d.footnotes.len(), 3, "source line + two notes");
    assert_eq!(body_note_refs(&d), ["20", "21"]);
    assert_eq!(
        d.footnotes[1].text(),
        "Edward S. Crocker, 2d, First Secretary of Embassy."
    );

    let d = read(&sample().join("text/frus1866p2_d457.txt"));
    assert_eq!(body_note_refs(&d), ["*"]);
    assert_eq!(d.footnotes[0].id, "d457fn1");

    // Format B labelled list: "- 1." / "- The Department …".
    let d = read(&sample().join("text/frus1936v04_d921.txt"));
    let list = d
        .body
        .iter()
        .find_map(|b| match b {
            Block::List { items, .. } => Some(items),
            _ => None,
        })
        .unwrap();
    assert_eq!(list.len(), 5);
    assert_eq!(list[0].label.as_deref(), Some("1."));

    // Format B nested groups: "-" / "U.S." / "- The Secretary".
    let d = read(&sample().join("text/frus1981-88v06_d7.txt"));
    let Some(Block::List { head, items, .. }) =
        d.body.iter().find(|b| matches!(b, Block::List { .. }))
    else {
        panic!()
    };
    assert_eq!(
        chancery_model::plain_text(head.as_ref().unwrap()),
        "PARTICIPANTS"
    );
    assert_eq!(items.len(), 2);
    assert!(matches!(&items[0].blocks[1], Block::List { items, .. } if items.len() == 9));
}

fn err(bytes: &[u8]) -> chancery_formats::ReadError {
    read_text(bytes, "bad.txt", &TextOptions::default()).unwrap_err()
}

#[test]
fn hostile_inputs_name_file_and_place() {
    let e = err(b"");
    assert_eq!(
        (e.kind, e.line, e.column),
        (ReadErrorKind::Empty, Some(1), Some(1))
    );
    assert!(e.to_string().starts_with("bad.txt:1:1:"), "{e}");
    let e = err(b" \n\n\t \n");
    assert_eq!(e.kind, ReadErrorKind::Empty);

    let e = err(b"45. Telegram From A to B\n\nabc\xff def");
    assert_eq!(
        (e.kind, e.line, e.column),
        (ReadErrorKind::Encoding, Some(3), Some(4))
    );
    assert_eq!(e.file, "bad.txt");

    let e = err(b"45. Telegram From A to B\n\nab\0c");
    assert_eq!(
        (e.kind, e.line, e.column),
        (ReadErrorKind::NotADocument, Some(3), Some(3))
    );

    let cases: [(&[u8], u64); 6] = [
        (b"# Chancery\n\nA Rust archive engine for FRUS.\n", 1),
        (b"file,url,chars,status\nx.txt,https://x,12,complete\n", 1),
        (b"{\n  \"id\": \"d45\"\n}\n", 1),
        (
            b"\n\nThe quick brown fox went to the market.\nIt was sunny.",
            3,
        ),
        (b"Chancery\n\nSome notes about the project.", 1),
        (b"\x7fELF binary-ish", 1),
    ];
    for (bytes, line) in cases {
        let e = err(bytes);
        assert_eq!(e.kind, ReadErrorKind::NotADocument, "{e}");
        assert_eq!(e.line, Some(line), "{e}");
        assert_eq!(e.column, Some(1), "{e}");
    }
    for f in ["text/INDEX.tsv", "CORPUS-README.md"] {
        let bytes = std::fs::read(sample().join(f)).unwrap();
        assert_eq!(err(&bytes).kind, ReadErrorKind::NotADocument, "{f}");
    }
}

#[test]
fn whitespace_around_the_capture_round_trips() {
    let bytes = std::fs::read(sample().join("seeds/003_5b44302af4495d90.txt")).unwrap();
    let mut padded = b"\n\n".to_vec();
    padded.extend_from_slice(&bytes);
    padded.extend_from_slice(b"\n\n");
    let p = read_text(&padded, "x.txt", &TextOptions::default()).unwrap();
    assert_eq!(render_text(&p.documents[0]).as_bytes(), padded.as_slice());
    assert_eq!(p.documents[0].footnotes.len(), 4);
}

#[test]
fn every_prefix_and_crlf_variant_round_trips_or_is_rejected() {
    // Truncated captures are real (INDEX.tsv); cut every capture at many places, and also try
    // CRLF line ends: the reader must never panic, and what it accepts must come back exactly.
    let mut failures = Vec::new();
    for path in all_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut variants: Vec<String> = text
            .char_indices()
            .map(|(i, _)| i)
            .filter(|i| i % 23 == 0)
            .map(|i| text[..i].to_string())
            .collect();
        variants.push(text.replace('\n', "\r\n"));
        variants.push(format!("{text}\n"));
        for v in variants {
            if let Ok(p) = read_text(v.as_bytes(), "cut.txt", &TextOptions::default()) {
                if render_text(&p.documents[0]) != v {
                    let tail: String = v
                        .chars()
                        .rev()
                        .take(60)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    failures.push(format!("{}: …{tail:?}", path.display()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}
