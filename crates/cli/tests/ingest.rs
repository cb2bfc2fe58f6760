//! End-to-end acceptance of the foundation: ingest the bundled sample, read it back.

mod common;
use common::*;

use std::collections::BTreeMap;

#[test]
fn sample_tei_volumes_ingest_with_exact_document_counts() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    let run = ok(&archive, &["ingest", sample("tei").to_str().unwrap()]);
    assert!(run.stderr.contains("0 failed"), "{}", run.stderr);

    let volumes = json(&archive, &["volumes", "--json"]);
    let by_id: BTreeMap<String, serde_json::Value> = volumes
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["id"].as_str().unwrap().to_string(), v.clone()))
        .collect();
    let expected = [
        ("frus1861", "frus1861-excerpt.xml"),
        ("frus1949v07p1", "frus1949v07p1-excerpt.xml"),
        ("frus1961-63v15", "frus1961-63v15-excerpt.xml"),
        ("frus1964-68v07", "frus1964-68v07-excerpt.xml"),
        ("frus1964-68v29p2", "frus1964-68v29p2.xml"),
    ];
    assert_eq!(by_id.len(), expected.len(), "{by_id:?}");
    for (id, file) in expected {
        let divs = count_document_divs(&sample(&format!("tei/{file}")));
        let listed = json(&archive, &["list", id, "--json"]);
        let stored = listed
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                matches!(
                    d["kind"].as_str(),
                    Some("historical-document" | "editorial-note")
                )
            })
            .count();
        assert_eq!(
            stored, divs,
            "{id}: stored documents vs div[@type='document']"
        );
        assert!(divs >= 12, "{id}: suspiciously few documents ({divs})");
    }
}

#[test]
fn show_d45_json_has_the_apparatus() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    ok(
        &archive,
        &[
            "ingest",
            sample("tei/frus1964-68v07-excerpt.xml").to_str().unwrap(),
        ],
    );
    let doc = json(
        &archive,
        &["show", "frus1964-68v07/d45", "--format", "json"],
    );

    assert_eq!(doc["number"], "45");
    assert_eq!(
        doc["heading_text"],
        "45. Telegram From the Embassy in France to the Department of State"
    );
    assert_eq!(doc["from"], serde_json::json!(["Embassy in France"]));
    assert_eq!(doc["to"], serde_json::json!(["Department of State"]));
    assert_eq!(doc["place"], "Paris");
    assert_eq!(doc["date"]["when"], "1968-10-02T14:10:00Z");
    let footnotes = doc["footnotes"].as_array().unwrap();
    assert_eq!(footnotes.len(), 5);
    assert_eq!(footnotes[0]["is_source"], true);
    assert!(footnotes[1..].iter().all(|f| f["is_source"] == false));
    assert_eq!(doc["pages"], serde_json::json!(["120", "121"]));

    let text = doc.to_string();
    for target in ["#d40", "#d32"] {
        assert!(
            text.contains(&format!("\"raw\":\"{target}\"")),
            "missing reference {target}"
        );
    }
    // Persons are linked to the volume's glossary: id and glossary name.
    let persons = doc["persons"].as_array().expect("persons list");
    for (id, surname) in [
        ("p_HWA1", "Harriman"),
        ("p_VCR1", "Vance"),
        ("p_HHH1", "Humphrey"),
        ("p_RWW1", "Rostow"),
        ("p_JLB1", "Johnson"),
        ("p_RD1", "Rusk"),
    ] {
        let p = persons
            .iter()
            .find(|p| p["id"] == id)
            .unwrap_or_else(|| panic!("{id} not among {persons:?}"));
        assert!(p["name"].as_str().unwrap_or("").starts_with(surname), "{p}");
    }
}

/// The seeds and the volumes they are documents of.
const SEEDS: [(&str, &str); 2] = [
    ("000_b59939755342e843.txt", "frus1964-68v07"),
    ("003_5b44302af4495d90.txt", "frus1964-68v03"),
];

#[test]
fn every_text_capture_and_seed_round_trips_byte_identically() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    ok(&archive, &["ingest", sample("text").to_str().unwrap()]);
    for (seed, volume) in SEEDS {
        ok(
            &archive,
            &[
                "ingest",
                "--volume",
                volume,
                sample(&format!("seeds/{seed}")).to_str().unwrap(),
            ],
        );
    }

    let mut checked = 0;
    for entry in std::fs::read_dir(sample("text")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let (volume, doc) = stem.rsplit_once('_').unwrap();
        let shown = ok(
            &archive,
            &["show", &format!("{volume}/{doc}"), "--format", "text"],
        )
        .stdout;
        assert_eq!(
            shown,
            std::fs::read_to_string(&path).unwrap(),
            "{stem} does not round-trip"
        );
        checked += 1;
    }
    assert_eq!(checked, 39);
    for ((seed, volume), id) in SEEDS.into_iter().zip(["d45", "d261"]) {
        let shown = ok(
            &archive,
            &["show", &format!("{volume}/{id}"), "--format", "text"],
        )
        .stdout;
        assert_eq!(
            shown,
            std::fs::read_to_string(sample(&format!("seeds/{seed}"))).unwrap(),
            "{seed}"
        );
    }
}

#[test]
fn seed_003_structure() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    ok(
        &archive,
        &[
            "ingest",
            "--volume",
            "frus1964-68v03",
            sample("seeds/003_5b44302af4495d90.txt").to_str().unwrap(),
        ],
    );
    let doc = json(
        &archive,
        &["show", "frus1964-68v03/d261", "--format", "json"],
    );
    assert_eq!(doc["number"], "261");
    assert_eq!(doc["heading_text"], "261. Memorandum for Personal Files");
    assert_eq!(doc["pages"], serde_json::json!(["730"]));
    assert_eq!(doc["footnotes"].as_array().unwrap().len(), 4);
    let body = doc["body"].to_string();
    assert!(body.contains(
        "Conversation with the Secretary following the President’s telephone call to me"
    ));
    assert!(
        body.contains("\"W.A.H.\""),
        "signature W.A.H. missing: {body}"
    );
    let md = ok(
        &archive,
        &["show", "frus1964-68v03/d261", "--format", "markdown"],
    )
    .stdout;
    assert!(
        md.starts_with("# 261\\. Memorandum for Personal Files[^1]"),
        "{md}"
    );
}

#[test]
fn unchanged_files_are_skipped_and_text_collisions_need_replace() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    let seed = sample("seeds/000_b59939755342e843.txt");
    ok(
        &archive,
        &["ingest", "--volume", "v", seed.to_str().unwrap()],
    );
    let again = ok(
        &archive,
        &["ingest", "--volume", "v", seed.to_str().unwrap()],
    );
    assert!(again.stderr.contains("1 unchanged"), "{}", again.stderr);

    // The same document id from a different file is a collision.
    let copy = dir.path().join("copy.txt");
    let mut text = std::fs::read_to_string(&seed).unwrap();
    text.push_str(" (copy)");
    std::fs::write(&copy, &text).unwrap();
    let before = snapshot(&archive);
    let clash = chancery(
        &archive,
        &["ingest", "--volume", "v", copy.to_str().unwrap()],
    );
    assert_eq!(clash.code, 1, "{}", clash.stderr);
    assert!(
        clash.stderr.contains("v/d45") && clash.stderr.contains("--replace"),
        "{}",
        clash.stderr
    );
    assert_eq!(before, snapshot(&archive));
    ok(
        &archive,
        &[
            "ingest",
            "--volume",
            "v",
            "--replace",
            copy.to_str().unwrap(),
        ],
    );
    let shown = ok(&archive, &["show", "v/d45"]).stdout;
    assert!(shown.ends_with("(copy)"));
}

#[test]
fn reingesting_a_changed_volume_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    let file = dir.path().join("frus1961-63v15.xml");
    let original = std::fs::read_to_string(sample("tei/frus1961-63v15-excerpt.xml")).unwrap();
    std::fs::write(&file, &original).unwrap();
    ok(&archive, &["ingest", file.to_str().unwrap()]);
    let before = json(&archive, &["list", "frus1961-63v15", "--json"])
        .as_array()
        .unwrap()
        .len();

    // Drop the last document: the stored volume must lose it too.
    let cut = original.rfind("<div type=\"document\"").unwrap();
    let end = original[cut..].find("</div>").unwrap() + cut + "</div>".len();
    let shorter = format!("{}{}", &original[..cut], &original[end..]);
    std::fs::write(&file, shorter).unwrap();
    ok(&archive, &["ingest", file.to_str().unwrap()]);
    let after = json(&archive, &["list", "frus1961-63v15", "--json"])
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after + 1, before);
}

#[test]
fn stats_and_show_errors() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    ok(
        &archive,
        &[
            "ingest",
            sample("tei/frus1949v07p1-excerpt.xml").to_str().unwrap(),
        ],
    );
    let stats = json(&archive, &["stats", "--json"]);
    assert_eq!(stats["volumes"], 1);
    let missing = chancery(&archive, &["show", "frus1949v07p1/d9999"]);
    assert_ne!(missing.code, 0);
    assert!(
        missing.stderr.contains("frus1949v07p1/d9999"),
        "{}",
        missing.stderr
    );
    let bad = chancery(&archive, &["show", "nonsense"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("VOLUME/DOCUMENT"));
    let none = chancery(&dir.path().join("nowhere"), &["list"]);
    assert_ne!(none.code, 0);
}

#[test]
fn tei_documents_of_every_era_render_as_site_text() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    ok(&archive, &["ingest", sample("tei").to_str().unwrap()]);

    // 1940s–50s: the inline file-number source note is printed above the heading, not listed.
    let d1 = ok(&archive, &["show", "frus1949v07p1/d1"]).stdout;
    assert!(
        d1.starts_with("851G.00/1–1449: Telegram\n\nThe Ambassador in France (Caffery) to the Acting Secretary of State\n\n"),
        "{d1}"
    );
    assert!(
        d1.contains("\n  2. Léon Pignon, French High Commissioner in Indochina."),
        "{d1}"
    );
    assert!(!d1.contains("  1. 851G"), "{d1}");

    // 1958–63: the source note's mark is 0, spaced from the heading, and listed first.
    let v15 = ok(&archive, &["show", "frus1961-63v15/d1"]).stdout;
    assert!(
        v15.starts_with("1. Memorandum From President Kennedy to Secretary of State Rusk0\n"),
        "{v15}"
    );
    assert!(v15.contains("\n  0. Source: Kennedy Library"), "{v15}");

    // 19th century: unnumbered head, dateline, no footnotes.
    let d3 = ok(&archive, &["show", "frus1861/d3"]).stdout;
    assert!(
        d3.starts_with(
            "Mr. Seward (Secretary of State) to all the ministers of the United States.\n\n"
        ),
        "{d3}"
    );
}
