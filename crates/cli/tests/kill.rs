//! A kill in the middle of ingest leaves the previous archive readable and unchanged; volumes
//! committed before the kill are whole, never half-written.

mod common;
use common::*;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn killed_ingest_leaves_a_consistent_archive() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    ok(
        &archive,
        &[
            "ingest",
            sample("tei/frus1949v07p1-excerpt.xml").to_str().unwrap(),
        ],
    );
    let before = snapshot_volume(&archive, "frus1949v07p1");

    // A corpus big enough that ingest is still running when we kill it.
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let original = std::fs::read_to_string(sample("tei/frus1964-68v29p2.xml")).unwrap();
    let copies = 40;
    for k in 0..copies {
        let id = format!("frus1964-68v29p2k{k:02}");
        std::fs::write(
            corpus.join(format!("{id}.xml")),
            original
                .replace("\"frus1964-68v29p2\"", &format!("\"{id}\""))
                .replace(">frus1964-68v29p2<", &format!(">{id}<")),
        )
        .unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_chancery"))
        .arg("--archive")
        .arg(&archive)
        .args(["ingest", "--jobs", "1"])
        .arg(&corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    // Wait until at least one replica is committed, then kill without warning.
    let started = Instant::now();
    loop {
        let vols = json(&archive, &["volumes", "--json"]);
        if vols.as_array().unwrap().len() >= 2 || started.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "ingest finished before the kill; make the corpus bigger"
    );

    // The archive opens, the old volume is untouched, and each replica is all or nothing.
    let vols = json(&archive, &["volumes", "--json"]);
    let vols = vols.as_array().unwrap();
    assert!(
        vols.len() >= 2 && vols.len() < copies + 1,
        "{} volumes after kill",
        vols.len()
    );
    for v in vols {
        let id = v["id"].as_str().unwrap();
        if id == "frus1949v07p1" {
            continue;
        }
        let docs = json(&archive, &["list", id, "--json"]);
        let historical = docs
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"] == "historical-document" || d["kind"] == "editorial-note")
            .count();
        assert_eq!(historical, 140, "{id} is half-written");
    }
    let conn = rusqlite::Connection::open(archive.join("chancery.sqlite")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);

    // Everything that was there before is exactly the same.
    assert_eq!(
        before,
        snapshot_volume(&archive, "frus1949v07p1"),
        "the old volume changed"
    );
}
