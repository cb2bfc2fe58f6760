//! The bundled sample as a ready archive, for commands that should work on a fresh machine
//! (`chancery serve`, and the serve benchmark): the same files `scripts/sample.sh` ingests.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::english;
use crate::ingest::{self, IngestOptions};

/// The bundled seeds and the volumes they are documents of.
const SEEDS: [(&str, &str); 2] = [
    ("000_b59939755342e843.txt", "frus1964-68v07"),
    ("003_5b44302af4495d90.txt", "frus1964-68v03"),
];

/// When `dir` holds no archive, build one from the bundled sample (catalogue records, TEI
/// volumes, text captures, and the seeds filed in their real volumes) so the first command shows
/// a working reading room. An archive already there is left as it is.
pub fn ensure_archive(dir: &Path) -> Result<()> {
    if dir.join(chancery_store::DB_FILE).is_file() {
        return Ok(());
    }
    let here = PathBuf::from("sample");
    let sample = if here.join("tei").is_dir() {
        here
    } else {
        // Run from elsewhere: the sample beside the sources this binary was built from.
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sample")
    };
    if !sample.join("tei").is_dir() {
        bail!(
            "no archive in {} and no bundled sample found to build one (run `chancery ingest` first)",
            dir.display()
        );
    }
    eprintln!(
        "chancery: no archive in {}; building one from the bundled sample in {}",
        dir.display(),
        sample.display()
    );
    let opts = IngestOptions {
        progress: false,
        ..IngestOptions::default()
    };
    let first = ingest::run(
        dir,
        &[
            sample.join("bibliography"),
            sample.join("tei"),
            sample.join("text"),
        ],
        &opts,
    )?;
    let mut documents = first.documents;
    let mut failed = !first.failed.is_empty();
    for (file, volume) in SEEDS {
        let seed = ingest::run(
            dir,
            &[sample.join("seeds").join(file)],
            &IngestOptions {
                volume: Some(volume.to_string()),
                ..opts.clone()
            },
        )?;
        documents += seed.documents;
        failed |= !seed.failed.is_empty();
    }
    if failed {
        bail!("the bundled sample did not ingest cleanly");
    }
    eprintln!(
        "chancery: archive ready: {}",
        english::count(documents, "document")
    );
    Ok(())
}
