//! `chancery check` on the real sample volumes, undamaged and with one deliberate problem each.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::unwrap_used)]

use chancery_formats::check::{check_tei, CheckReport, FindingKind};

fn sample(name: &str) -> String {
    let path = format!("{}/../../sample/tei/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn v07() -> String {
    sample("frus1964-68v07-excerpt.xml")
}

/// Replace exactly one occurrence of `from` (the damage must be unambiguous).
fn damage(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} is not unique");
    text.replacen(from, to, 1)
}

/// 1-based line of the unique `marker`.
fn line_of(text: &str, marker: &str) -> u64 {
    assert_eq!(text.matches(marker).count(), 1, "{marker:?} is not unique");
    let at = text.find(marker).unwrap_or(0);
    text[..at].matches('\n').count() as u64 + 1
}

/// Check a damaged copy written to a temporary directory (as `chancery check` would read it).
fn check_copy(text: &str) -> CheckReport {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.xml");
    std::fs::write(&path, text).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    check_tei(&bytes, &path.display().to_string())
}

/// The problems as (kind, line, document).
fn problems(r: &CheckReport) -> Vec<(FindingKind, u64, Option<String>)> {
    r.problems()
        .map(|f| (f.kind, f.line, f.document.clone()))
        .collect()
}

#[test]
fn undamaged_samples_report_only_their_genuine_problems() {
    type Expected<'a> = &'a [(FindingKind, u64, &'a str)];
    let expect: &[(&str, Expected)] = &[
        ("frus1861-excerpt.xml", &[]),
        ("frus1949v07p1-excerpt.xml", &[]),
        ("frus1961-63v15-excerpt.xml", &[]),
        ("frus1964-68v07-excerpt.xml", &[]),
        // d38 is printed "undated" with no machine date anywhere.
        (
            "frus1964-68v29p2.xml",
            &[(FindingKind::MissingDate, 2423, "d38")],
        ),
    ];
    for (name, want) in expect {
        let text = sample(name);
        let r = check_tei(text.as_bytes(), name);
        let want: Vec<(FindingKind, u64, Option<String>)> = want
            .iter()
            .map(|(k, l, d)| (*k, *l, Some(d.to_string())))
            .collect();
        assert_eq!(problems(&r), want, "{name}:\n{}", r.render());
    }
}

#[test]
fn excerpt_references_past_the_file_are_listed_separately() {
    let r = check_tei(sample("frus1861-excerpt.xml").as_bytes(), "1861");
    let beyond = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::RefBeyondFile)
        .count();
    assert!(beyond > 100, "{}", r.render());
    assert_eq!(r.problems().count(), 0);
    let r = check_tei(v07().as_bytes(), "v07");
    let listed: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::RefBeyondFile)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(listed.len(), 6, "{listed:?}");
    assert!(listed.iter().all(|m| m.contains("#pg_")));
}

#[test]
fn dangling_reference_is_found_with_its_line() {
    let text = damage(
        &v07(),
        r##"xml:id="d45fn3">See <ref target="#d40">"##,
        r##"xml:id="d45fn3">See <ref target="#d40fn9">"##,
    );
    let r = check_copy(&text);
    let line = line_of(&text, r##"target="#d40fn9""##);
    assert_eq!(
        problems(&r),
        [(FindingKind::DanglingRef, line, Some("d45".into()))],
        "{}",
        r.render()
    );
}

#[test]
fn footnote_numbering_gap_is_found() {
    let text = damage(
        &v07(),
        r#"<note n="4" xml:id="d45fn4">"#,
        r#"<note n="6" xml:id="d45fn4">"#,
    );
    let r = check_copy(&text);
    let line = line_of(&text, r#"<note n="6" xml:id="d45fn4">"#);
    assert_eq!(
        problems(&r),
        [(FindingKind::FootnoteGap, line, Some("d45".into()))],
        "{}",
        r.render()
    );
}

#[test]
fn missing_source_note_is_found() {
    let text = damage(
        &v07(),
        r#"<note n="1" xml:id="d45fn1" type="source">"#,
        r#"<note n="1" xml:id="d45fn1">"#,
    );
    let r = check_copy(&text);
    let line = line_of(&text, r#"<div type="document" xml:id="d45" n="45">"#);
    assert_eq!(
        problems(&r),
        [(FindingKind::MissingSourceNote, line, Some("d45".into()))],
        "{}",
        r.render()
    );
}

#[test]
fn missing_date_is_found() {
    let text = damage(
        &v07(),
        r#"<date when="1968-10-02T14:10:00Z">October 2, 1968, 1410Z</date>"#,
        "October 2, 1968, 1410Z",
    );
    let r = check_copy(&text);
    let line = line_of(&text, r#"<div type="document" xml:id="d45" n="45">"#);
    assert_eq!(
        problems(&r),
        [(FindingKind::MissingDate, line, Some("d45".into()))],
        "{}",
        r.render()
    );
}

#[test]
fn inconsistent_dates_are_found() {
    // min after max on the document.
    let text = damage(
        &v07(),
        r#"<div type="document" xml:id="d45" n="45">"#,
        r#"<div type="document" xml:id="d45" n="45" frus:doc-dateTime-min="1968-10-03T00:00:00Z" frus:doc-dateTime-max="1968-10-01T23:59:59Z">"#,
    );
    let r = check_copy(&text);
    let div = line_of(&text, r#"xml:id="d45" n="45""#);
    let dateline = line_of(&text, r#"<date when="1968-10-02T14:10:00Z">"#);
    let got = problems(&r);
    assert!(
        got.iter()
            .all(|(k, _, d)| *k == FindingKind::InconsistentDate && d.as_deref() == Some("d45")),
        "{}",
        r.render()
    );
    assert!(got.iter().any(|(_, l, _)| *l == div), "{}", r.render());
    assert!(got.iter().any(|(_, l, _)| *l == dateline), "{}", r.render());
}

#[test]
fn date_outside_the_volume_is_found() {
    // The 1961–63 excerpt declares its content dates; narrow them so that d1 (March 9, 1962)
    // falls before the volume's first day.
    let text = damage(
        &sample("frus1961-63v15-excerpt.xml"),
        r#"<date type="content-date" calendar="gregorian" notBefore="1962-03-09T00:00:00-05:00""#,
        r#"<date type="content-date" calendar="gregorian" notBefore="1962-03-10T00:00:00-05:00""#,
    );
    let r = check_copy(&text);
    let got = problems(&r);
    assert_eq!(got.len(), 1, "{}", r.render());
    let (kind, line, doc) = &got[0];
    assert_eq!(
        (*kind, doc.as_deref()),
        (FindingKind::DateOutOfRange, Some("d1"))
    );
    // The document's own interval is on its div (line 1328 of the sample, spread over lines).
    assert!((1328..1340).contains(line), "{}", r.render());
}

#[test]
fn paragraph_reading_like_a_heading_is_a_boundary_suspect() {
    let text = damage(
        &v07(),
        "<p>5. Thuy replied President",
        "<p>46. Telegram From the Embassy in France to the Department of State</p>\n<p>5. Thuy replied President",
    );
    let r = check_copy(&text);
    let line = line_of(&text, "<p>46. Telegram From the Embassy");
    assert_eq!(
        problems(&r),
        [(FindingKind::BoundarySuspect, line, Some("d45".into()))],
        "{}",
        r.render()
    );
}

#[test]
fn two_documents_run_together_are_a_boundary_suspect() {
    // Drop the end of d45 and the start of d46: d46's heading, dateline and source note land in
    // d45 (d46's closing tag now closes d45, so the file stays well-formed).
    let original = v07();
    let from = r#"<pb n="122" xml:id="pg_122" facs="0156"/>
                    <div type="document" xml:id="d46" n="46">"#;
    let start = original.find(from).unwrap_or(0);
    let close = original[..start].rfind("</div>").unwrap_or(0);
    let mut text = original.clone();
    text.replace_range(
        close..start + from.len(),
        r#"<pb n="122" xml:id="pg_122" facs="0156"/>"#,
    );
    let r = check_copy(&text);
    let head = line_of(&text, "<head>46. Information Memorandum");
    let got = problems(&r);
    assert!(
        got.iter()
            .all(|(k, _, d)| *k == FindingKind::BoundarySuspect && d.as_deref() == Some("d45")),
        "{}",
        r.render()
    );
    assert!(got.iter().any(|(_, l, _)| *l == head), "{}", r.render());
    assert_eq!(
        got.len(),
        3,
        "heading, dateline, source note:\n{}",
        r.render()
    );
}

#[test]
fn every_duplicate_id_is_found() {
    let text = damage(&v07(), r#"xml:id="d46fn2""#, r#"xml:id="d45fn2""#);
    let text = damage(&text, r#"xml:id="pg_121""#, r#"xml:id="pg_120""#);
    let r = check_copy(&text);
    let second_note = text
        .match_indices(r#"xml:id="d45fn2""#)
        .nth(1)
        .map(|(i, _)| i);
    let second_page = text
        .match_indices(r#"xml:id="pg_120""#)
        .nth(1)
        .map(|(i, _)| i);
    let line = |at: Option<usize>| text[..at.unwrap_or(0)].matches('\n').count() as u64 + 1;
    let got = problems(&r);
    assert_eq!(
        got,
        [
            (
                FindingKind::DuplicateId,
                line(second_page),
                Some("d45".into())
            ),
            (
                FindingKind::DuplicateId,
                line(second_note),
                Some("d46".into())
            ),
        ],
        "{}",
        r.render()
    );
}

/// Every TEI file of the samples and the test data.
fn all_tei_files() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("sample/tei"), root.join("testdata")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_checker_and_the_reader_agree_on_what_a_document_is() {
    let files = all_tei_files();
    assert!(files.len() >= 40, "{} files", files.len());
    for path in files {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let read = chancery_formats::tei::read_tei(&bytes, &name)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let stored: Vec<&str> = read.documents.iter().map(|d| d.id.as_str()).collect();
        let report = check_tei(&bytes, &name);
        assert_eq!(report.document_ids, stored, "{name}");
        assert_eq!(report.documents, stored.len(), "{name}");
        // Findings are filed under those documents and no others.
        for f in &report.findings {
            if let Some(d) = &f.document {
                assert!(stored.contains(&d.as_str()), "{name}: {d} is no document");
            }
        }
    }
}
