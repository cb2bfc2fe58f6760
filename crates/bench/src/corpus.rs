//! The replicated corpus both the ingest and the search benchmarks run on: the sample's TEI
//! volumes copied under new volume ids until the corpus is as large as asked.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Write copies of the sample volumes, each with a fresh volume id, until `target` bytes.
/// A corpus completed before in `dir` (a marker file records it; the callers name `dir` by
/// size) is reused as it is.
pub fn build_corpus(sample: &Path, dir: &Path, target: u64) -> Result<Vec<PathBuf>> {
    let marker = dir.join(".complete");
    let mut originals = Vec::new();
    for entry in
        std::fs::read_dir(sample).with_context(|| format!("cannot list {}", sample.display()))?
    {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "xml") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let id = volume_id_of(&text)
                .with_context(|| format!("no volume id in {}", path.display()))?;
            originals.push((id, text));
        }
    }
    if originals.is_empty() {
        bail!("no .xml volumes in {}", sample.display());
    }
    originals.sort();
    if !marker.exists() {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let mut written = 0u64;
        let mut copy = 0u32;
        'outer: loop {
            for (id, text) in &originals {
                let new_id = format!("{id}r{copy}");
                // The volume id appears in TEI/@xml:id and idno[@type='frus']; cross-volume
                // refs name other volumes and are left alone.
                let replica = text
                    .replace(&format!("\"{id}\""), &format!("\"{new_id}\""))
                    .replace(
                        &format!("<idno type=\"frus\">{id}</idno>"),
                        &format!("<idno type=\"frus\">{new_id}</idno>"),
                    );
                std::fs::write(dir.join(format!("{new_id}.xml")), &replica)?;
                written += replica.len() as u64;
                if written >= target {
                    break 'outer;
                }
            }
            copy += 1;
        }
        std::fs::write(&marker, written.to_string())?;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    Ok(files)
}

fn volume_id_of(text: &str) -> Option<String> {
    let start = text.find("<idno type=\"frus\">")? + "<idno type=\"frus\">".len();
    let end = text[start..].find('<')? + start;
    Some(text[start..end].trim().to_string()).filter(|s| !s.is_empty())
}

/// How many bytes of replicated corpus hold about `documents` documents, at the sample
/// volumes' own bytes per document (the benchmarks size their corpus by documents).
pub fn corpus_bytes_for(sample: &Path, documents: u64) -> Result<u64> {
    let (mut bytes, mut docs) = (0u64, 0u64);
    for entry in
        std::fs::read_dir(sample).with_context(|| format!("cannot list {}", sample.display()))?
    {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "xml") {
            let data =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let volume = chancery_formats::tei::read_tei(&data, &path.display().to_string())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            bytes += data.len() as u64;
            docs += volume.documents.len() as u64;
        }
    }
    if docs == 0 {
        bail!("no documents in the volumes of {}", sample.display());
    }
    Ok(documents * bytes / docs)
}

/// Bytes of the files directly in `dir` (archives and indexes are flat directories).
pub fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
