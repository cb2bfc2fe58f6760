//! What a new user hit (issue #12): commands that did nothing or something other than asked
//! must say so and exit non-zero; a failed command leaves no archive behind; messages name the
//! flags the user typed; and the defects of the audit stay fixed.

mod common;
use common::*;

#[test]
fn ingest_of_a_directory_without_documents_says_so_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("notes.md"), "not a document").unwrap();
    let archive = dir.path().join("archive");
    let run = chancery(&archive, &["ingest", empty.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("nothing to ingest") && run.stderr.contains("empty"),
        "{}",
        run.stderr
    );
    assert!(!archive.exists(), "no archive is created");
}

#[test]
fn a_failed_ingest_leaves_no_archive() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    // A missing file…
    let run = chancery(&archive, &["ingest", "no-such-file.xml"]);
    assert_eq!(run.code, 1);
    assert!(run
        .stderr
        .contains("no-such-file.xml: no such file or directory"));
    assert!(!archive.exists());
    // …and a file that is not a document.
    let bad = dir.path().join("bad.xml");
    std::fs::write(&bad, "<TEI><unclosed></TEI>").unwrap();
    let run = chancery(&archive, &["ingest", bad.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad.xml:1:"), "{}", run.stderr);
    assert!(!archive.exists());
}

#[test]
fn check_of_a_directory_without_tei_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let run = chancery(
        &dir.path().join("unused"),
        &["check", dir.path().to_str().unwrap()],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nothing to check"), "{}", run.stderr);
}

#[test]
fn search_errors_name_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    let archive = v07_archive(dir.path());
    let run = chancery(&archive, &["search", "bombing", "--volume", "frus9999"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--volume frus9999: no such volume in the archive"),
        "{}",
        run.stderr
    );
    let run = chancery(
        &archive,
        &["search", "bombing", "--from", "1969", "--to", "1968"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--to: \"1968\" is before") && run.stderr.contains("\"1969\""),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("date_to"), "{}", run.stderr);
    let run = chancery(&archive, &["search", "bombing", "--from", "1968-13"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--from: \"1968-13\" is not a date"),
        "{}",
        run.stderr
    );
    let run = chancery(&archive, &["search", "bombing", "--filter", "colour=red"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--filter: \"colour\" is not a facet"));
    let run = chancery(&archive, &["search", "bombing", "--kind", "letters"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--kind: \"letters\" is not a kind"));
}

#[test]
fn counts_agree_with_their_nouns() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    let run = ok(
        &archive,
        &["ingest", sample("text/frus1861_d67.txt").to_str().unwrap()],
    );
    assert!(
        run.stderr
            .contains("ingested 1 of 1 file (0 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(": 0 volumes, 1 document, "),
        "{}",
        run.stderr
    );
    let volumes = ok(&archive, &["volumes"]).stdout;
    assert!(volumes.contains("\t1 document\t"), "{volumes}");
}

#[test]
fn ids_that_urls_cannot_carry_are_refused_at_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    for bad in ["../etc", "a/b", ".hidden"] {
        let run = chancery(
            &archive,
            &[
                "ingest",
                "--volume",
                bad,
                sample("seeds/003_5b44302af4495d90.txt").to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, 1, "{bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("volume id") && run.stderr.contains("is not valid"),
            "{bad}: {}",
            run.stderr
        );
    }
    assert!(!archive.exists());
}

#[test]
fn the_same_bytes_under_another_name_are_another_document() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    let original = sample("text/frus1861_d67.txt");
    ok(&archive, &["ingest", original.to_str().unwrap()]);
    // Filed again under the same name: unchanged.
    let again = ok(&archive, &["ingest", original.to_str().unwrap()]);
    assert!(
        again.stderr.contains("(1 unchanged, 0 failed)"),
        "{}",
        again.stderr
    );
    // The same bytes named as another volume's document: stored, not skipped.
    let copy = dir.path().join("frus1862_d67.txt");
    std::fs::copy(&original, &copy).unwrap();
    let run = ok(&archive, &["ingest", copy.to_str().unwrap()]);
    assert!(
        run.stderr.contains("ingested 1 of 1 file"),
        "{}",
        run.stderr
    );
    let shown = ok(&archive, &["show", "frus1862/d67", "--format", "text"]).stdout;
    assert_eq!(shown, std::fs::read_to_string(&original).unwrap());
}

#[test]
fn concurrent_ingests_create_one_archive_safely() {
    let files = [
        "text/frus1861_d67.txt",
        "text/frus1862_d132.txt",
        "text/frus1870_d39.txt",
    ];
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        let runs: Vec<Run> = std::thread::scope(|s| {
            let handles: Vec<_> = files
                .iter()
                .map(|f| {
                    let archive = archive.clone();
                    let f = sample(f);
                    s.spawn(move || chancery(&archive, &["ingest", f.to_str().unwrap()]))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for r in &runs {
            assert_eq!(r.code, 0, "{}", r.stderr);
            assert!(!r.stderr.contains("locked"), "{}", r.stderr);
        }
        let list = ok(&archive, &["list"]).stdout;
        assert_eq!(list.lines().count(), 3, "{list}");
    }
}

/// The audit's first defect: every text ingest rebuilt the whole index (a read inside the
/// ingest's open batch started a nested transaction). A capture now updates the index in place.
#[test]
fn a_text_capture_updates_the_index_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let archive = v07_archive(dir.path());
    let run = ok(
        &archive,
        &["ingest", sample("text/frus1861_d67.txt").to_str().unwrap()],
    );
    assert!(!run.stderr.contains("rebuild"), "{}", run.stderr);
    assert!(!run.stderr.contains("transaction"), "{}", run.stderr);
    let found = ok(&archive, &["search", "frus1861_d67 OR Dayton", "--json"]).stdout;
    let json: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert!(json["hits"]
        .as_array()
        .is_some_and(|h| h.iter().any(|h| h["path"] == "frus1861/d67")));
    // And no search afterwards had to rebuild it.
    let search = ok(&archive, &["search", "Dayton"]);
    assert!(!search.stderr.contains("rebuilt"), "{}", search.stderr);
}

/// Each capture commits a segment of its own; the merges that commit starts must run to their
/// end (a process that exits abandons them), or an archive fed one capture at a time gathers
/// a segment per run and every search pays for all of them.
#[test]
fn captures_one_at_a_time_do_not_pile_up_index_segments() {
    let dir = tempfile::tempdir().unwrap();
    let archive = v07_archive(dir.path());
    let mut captures: Vec<_> = std::fs::read_dir(sample("text"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    captures.sort();
    captures.truncate(20);
    for capture in &captures {
        ok(&archive, &["ingest", capture.to_str().unwrap()]);
    }
    let index = chancery_index::SearchIndex::open(&archive).unwrap();
    let segments = index.searcher().segment_readers().len();
    // Eight small segments at most wait for a merge; twenty captures made twenty.
    assert!(
        segments <= 9,
        "{segments} segments after {} captures",
        captures.len()
    );
}
