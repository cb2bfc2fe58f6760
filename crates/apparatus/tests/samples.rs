//! Property tests over every heading and source note of the TEI samples.
mod common;

use chancery_apparatus::source_note::SegmentKind;
use chancery_apparatus::{heading, source_note, telegram, xref};

#[test]
fn samples_are_found() {
    let docs = common::all_docs();
    assert_eq!(docs.len(), 226, "12 + 12 + 12 + 50 + 140 documents");
    let notes: usize = docs.iter().map(|d| d.source_notes.len()).sum();
    assert!(notes >= 170, "found {notes} source notes");
}

#[test]
fn numbered_headings_have_number_and_type() {
    let mut bad = Vec::new();
    for d in common::all_docs() {
        if d.volume == "frus1861" || d.volume == "frus1949v07p1" {
            continue;
        }
        let h = heading::parse(&d.heading);
        if h.number.is_none() || h.kind.is_none() {
            bad.push(format!("{} {} {:?}", d.volume, d.id, d.heading));
        }
        // "Telegram/Letter/Memorandum From X to Y" names both parties.
        let lower = d.heading.to_lowercase();
        if lower.contains(" from ")
            && lower.contains(" to ")
            && (h.from.is_none() || h.to.is_none())
        {
            bad.push(format!("{} {} from/to {:?}", d.volume, d.id, d.heading));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn older_headings_name_sender_and_recipient() {
    for d in common::all_docs() {
        if d.volume != "frus1949v07p1" && d.volume != "frus1861" {
            continue;
        }
        if d.heading.contains(" to ") {
            let h = heading::parse(&d.heading);
            assert!(h.from.is_some() && h.to.is_some(), "{} {}", d.volume, d.id);
        }
    }
}

/// A note "has" a classification when it states one anywhere.
fn states_classification(note: &str) -> bool {
    // Whole words: "Secretary" is not "secret".
    let l = note.to_lowercase();
    let words: Vec<&str> = l.split(|c: char| !c.is_alphabetic()).collect();
    [
        "secret",
        "confidential",
        "classification",
        "unclassified",
        "restricted",
    ]
    .iter()
    .any(|w| words.contains(w))
        || l.contains("official use")
}

#[test]
fn modern_source_notes_yield_classification() {
    let mut bad = Vec::new();
    let mut absent = 0;
    for d in common::all_docs() {
        if !(d.volume.starts_with("frus1964-68") || d.volume.starts_with("frus1961-63")) {
            continue;
        }
        for n in &d.source_notes {
            let s = source_note::parse(n);
            if s.classification.is_none() {
                if states_classification(n) {
                    bad.push(format!("{} {}: {n}", d.volume, d.id));
                } else {
                    // Genuinely absent, e.g. v07 d18 "Literally Eyes Only for …".
                    absent += 1;
                }
            }
            assert!(
                s.repository.is_some(),
                "{} {} has no repository",
                d.volume,
                d.id
            );
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(absent <= 3, "{absent} notes without any marking");
}

#[test]
fn segments_cover_the_note_and_remainder_keeps_the_rest() {
    for d in common::all_docs() {
        for n in &d.source_notes {
            let s = source_note::parse(n);
            let text = &s.text;
            let mut covered = vec![false; text.len()];
            let mut last_end = 0;
            for seg in &s.segments {
                assert!(
                    seg.start >= last_end && seg.end <= text.len(),
                    "{} {}",
                    d.volume,
                    d.id
                );
                assert_eq!(&text[seg.start..seg.end], seg.text);
                covered[seg.start..seg.end]
                    .iter_mut()
                    .for_each(|c| *c = true);
                last_end = seg.end;
                if seg.kind == SegmentKind::Other {
                    assert!(
                        s.remainder.contains(&seg.text),
                        "{} {}: {}",
                        d.volume,
                        d.id,
                        seg.text
                    );
                }
            }
            // Whatever no segment covers is whitespace or the brackets of "[Source: …]".
            for (i, c) in text.char_indices() {
                if !covered[i] {
                    assert!(
                        c.is_whitespace() || c == '[' || c == ']',
                        "{} {}: uncovered {c:?} at {i} in {text}",
                        d.volume,
                        d.id
                    );
                }
            }
        }
    }
}

#[test]
fn all_notes_parse_into_references_without_panic() {
    for d in common::all_docs() {
        for n in &d.source_notes {
            for r in telegram::find_references(n) {
                assert_eq!(&n[r.start..r.end], r.raw);
            }
            for r in xref::find_text_references(n) {
                assert_eq!(&n[r.start..r.end], r.raw);
            }
        }
    }
}
