//! Helpers shared by the CLI integration tests: run the real binary on the bundled sample.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file of the bundled sample, by its path under `sample/`.
pub fn sample(rel: &str) -> PathBuf {
    repo().join("sample").join(rel)
}

/// What a run of the binary ended with.
pub struct Run {
    /// Exit status (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Run `chancery --archive ARCHIVE ARGS…` (with CHANCERY_ARCHIVE unset).
pub fn chancery(archive: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_chancery"))
        .arg("--archive")
        .arg(archive)
        .args(args)
        .env_remove("CHANCERY_ARCHIVE")
        .output()
        .expect("run chancery");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// An archive in `dir/archive` holding one real volume (the 1964–68 VII excerpt).
pub fn v07_archive(dir: &Path) -> PathBuf {
    let archive = dir.join("archive");
    ok(
        &archive,
        &[
            "ingest",
            sample("tei/frus1964-68v07-excerpt.xml")
                .to_str()
                .expect("utf-8"),
        ],
    );
    archive
}

/// Run it and require exit status 0.
pub fn ok(archive: &Path, args: &[&str]) -> Run {
    let run = chancery(archive, args);
    assert_eq!(
        run.code, 0,
        "chancery {args:?} failed:\n{}\n{}",
        run.stdout, run.stderr
    );
    run
}

/// Run it, require success, and parse standard output as JSON.
pub fn json(archive: &Path, args: &[&str]) -> serde_json::Value {
    let run = ok(archive, args);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("bad JSON from {args:?}: {e}\n{}", run.stdout))
}

/// Everything observable about an archive, for "nothing changed" assertions: stats, every
/// volume, and every document's JSON.
pub fn snapshot(archive: &Path) -> String {
    let mut out = String::new();
    out.push_str(&ok(archive, &["stats", "--json"]).stdout);
    out.push_str(&ok(archive, &["volumes", "--json"]).stdout);
    let docs = json(archive, &["list", "--json"]);
    for d in docs.as_array().expect("list is an array") {
        let path = format!(
            "{}/{}",
            d["volume_id"].as_str().unwrap(),
            d["id"].as_str().unwrap()
        );
        out.push_str(&ok(archive, &["show", &path, "--format", "json"]).stdout);
    }
    out
}

/// The listing and every document's JSON of one volume.
pub fn snapshot_volume(archive: &Path, volume: &str) -> String {
    let mut out = ok(archive, &["list", volume, "--json"]).stdout;
    for d in json(archive, &["list", volume, "--json"])
        .as_array()
        .expect("list is an array")
    {
        let path = format!("{volume}/{}", d["id"].as_str().unwrap());
        out.push_str(&ok(archive, &["show", &path, "--format", "json"]).stdout);
    }
    out
}

/// Count `div[@type='document']` in a TEI file independently of the reader under test.
pub fn count_document_divs(path: &Path) -> usize {
    use quick_xml::events::Event;
    let bytes = std::fs::read(path).unwrap();
    let mut reader = quick_xml::Reader::from_reader(&bytes[..]);
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Eof => return n,
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"div"
                    && e.attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == b"type" && a.value.as_ref() == b"document") =>
            {
                n += 1;
            }
            _ => {}
        }
        buf.clear();
    }
}
