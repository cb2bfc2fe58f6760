//! Bad input: every case names the file and the place, stores nothing of the bad file, and
//! leaves what the archive already held exactly as it was.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;

use std::path::{Path, PathBuf};

/// An archive holding one real volume, to prove bad input does not disturb it.
fn seeded_archive(dir: &Path) -> PathBuf {
    v07_archive(dir)
}

fn v07() -> String {
    std::fs::read_to_string(sample("tei/frus1964-68v07-excerpt.xml")).unwrap()
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte].matches('\n').count() + 1
}

/// Ingest `file` into an archive that already holds v07; assert exit 1, the message, and that
/// nothing changed. Returns stderr.
fn rejected(dir: &Path, file: &Path, expect_in_message: &[&str]) -> String {
    let archive = seeded_archive(dir);
    let before = snapshot(&archive);
    let run = chancery(&archive, &["ingest", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "expected failure exit 1:\n{}", run.stderr);
    assert!(
        run.stderr.contains(file.to_str().unwrap()),
        "message must name the file:\n{}",
        run.stderr
    );
    for needle in expect_in_message {
        assert!(
            run.stderr.contains(needle),
            "message lacks {needle:?}:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("1 failed"), "{}", run.stderr);
    assert_eq!(
        before,
        snapshot(&archive),
        "the archive changed after a rejected file"
    );
    run.stderr
}

#[test]
fn malformed_xml_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = v07();
    let d45 = text.find("xml:id=\"d45\"").unwrap();
    let p_end = text[d45..].find("</p>").unwrap() + d45;
    let broken = format!("{}</q>{}", &text[..p_end], &text[p_end + 4..]);
    let file = dir.path().join("frus1964-68v07.xml");
    std::fs::write(&file, broken).unwrap();
    rejected(
        dir.path(),
        &file,
        &[&format!(":{}:", line_of(&text, p_end))],
    );
}

#[test]
fn truncated_xml_is_rejected_with_its_end_position() {
    let dir = tempfile::tempdir().unwrap();
    let text = v07();
    let mut cut = text.len() * 6 / 10;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let file = dir.path().join("truncated.xml");
    std::fs::write(&file, &text[..cut]).unwrap();
    let stderr = rejected(dir.path(), &file, &[]);
    // The place reported is at (or just before) the cut.
    let line = line_of(&text, cut);
    assert!(
        (line.saturating_sub(2)..=line + 1).any(|l| stderr.contains(&format!(":{l}:"))),
        "expected a position near line {line}:\n{stderr}"
    );
}

#[test]
fn non_utf8_bytes_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let text = v07();
    let at = text.find("Thuy and Lau joined us").unwrap();
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = 0xff;
    let file = dir.path().join("latin1.xml");
    std::fs::write(&file, bytes).unwrap();
    rejected(
        dir.path(),
        &file,
        &[&format!(":{}:", line_of(&text, at)), "UTF-8"],
    );

    let txt = dir.path().join("latin1.txt");
    std::fs::write(&txt, b"45. Telegram From Paris\n\nD\xe9bre said so.").unwrap();
    let other = tempfile::tempdir().unwrap();
    rejected(other.path(), &txt, &[":3:", "UTF-8"]);
}

#[test]
fn empty_files_are_rejected() {
    for name in ["empty.xml", "empty.txt"] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(name);
        std::fs::write(&file, "").unwrap();
        rejected(dir.path(), &file, &["empty"]);
    }
}

#[test]
fn text_that_is_not_a_document_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(
        &file,
        "# Shopping list\n\n- eggs\n- milk\n\nCall the plumber about the sink.\n",
    )
    .unwrap();
    rejected(dir.path(), &file, &["not"]);
}

#[test]
fn duplicate_xml_ids_are_rejected_and_the_stored_volume_survives() {
    let dir = tempfile::tempdir().unwrap();
    let text = v07().replacen("xml:id=\"d46\"", "xml:id=\"d45\"", 1);
    let file = dir.path().join("dup.xml");
    std::fs::write(&file, &text).unwrap();
    let at = text
        .find("xml:id=\"d45\" n=\"46\"")
        .unwrap_or_else(|| text.rfind("xml:id=\"d45\"").unwrap());
    rejected(
        dir.path(),
        &file,
        &["d45", &format!(":{}:", line_of(&text, at))],
    );
}

#[test]
fn unknown_layout_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.xml");
    std::fs::write(
        &file,
        "<?xml version=\"1.0\"?>\n<html><body><p>Hello</p></body></html>\n",
    )
    .unwrap();
    rejected(dir.path(), &file, &["TEI"]);
}

#[test]
fn good_files_are_stored_beside_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    let bad = dir.path().join("bad.xml");
    std::fs::write(
        &bad,
        "<TEI><text><body><div type=\"document\" xml:id=\"d1\">",
    )
    .unwrap();
    let good = sample("tei/frus1949v07p1-excerpt.xml");
    let run = chancery(
        &archive,
        &["ingest", bad.to_str().unwrap(), good.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("bad.xml"));
    let vols = json(&archive, &["volumes", "--json"]);
    let ids: Vec<&str> = vols
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["frus1949v07p1"]);
}
