//! Rules about the web crate's own source, checked on the files: it recomputes no apparatus
//! (ingest stored it) and has no search engine of its own. That it speaks no SQL is held for
//! every crate by crates/store/tests/sql_home.rs, that it prints nothing (it logs through
//! `tracing`) by the workspace's clippy lints.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn sources(sub: &str) -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(sub), &mut paths);
    assert!(!paths.is_empty());
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read source");
            (p, text)
        })
        .collect()
}

#[test]
fn the_web_crate_recomputes_no_apparatus() {
    for (path, text) in sources("src") {
        // Stored apparatus is read, never recomputed; search has one engine.
        for word in ["analyze_document", "chancery_apparatus", "interim"] {
            assert!(!text.contains(word), "{}: {word}", path.display());
        }
    }
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("manifest");
    assert!(
        !manifest.contains("chancery-apparatus"),
        "Cargo.toml depends on chancery-apparatus"
    );
}
