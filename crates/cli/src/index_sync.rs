//! Keeping the search index in step with the store during `chancery ingest`.
//!
//! After each file the store committed, the index gets the same change (a TEI volume: delete the
//! volume, add its documents and the text documents the store kept beside them; text documents:
//! replace each). The index commits once at the end of the run (and every
//! [`COMMIT_EVERY`] documents on huge runs), recording the store generation it reflects.
//!
//! Anything that would make the incremental update wrong switches to a full rebuild from the
//! store at the end of the run: the index was already stale when the run began, another process
//! wrote to the store in between (the generation moved by more than our own one bump), or an
//! index error. If the run dies before the index commit, the committed index names an older
//! generation and the next open (`chancery search`, `chancery ingest`) rebuilds it.

use std::collections::HashMap;
use std::time::Instant;

use chancery_index::{IndexRecord, IndexUpdater, SearchIndex, VolumeContext};
use chancery_model::{ParsedVolume, SourceFormat};
use chancery_store::Archive;
use rayon::prelude::*;

/// Commit the index every so many changes on a long run, so that a crash late in a huge ingest
/// leaves a committed index that is only slightly behind (it is still rebuilt: the payload
/// names an older generation than the store's).
const COMMIT_EVERY: u64 = 200_000;

/// The index side of one ingest run.
pub struct IndexSync {
    index: Option<SearchIndex>,
    updater: Option<IndexUpdater>,
    /// The store generation the index reflects, uncommitted changes included.
    expected: i64,
    /// Give up on incremental updates: rebuild from the store at the end.
    rebuild: bool,
    contexts: HashMap<String, VolumeContext>,
    /// Problems to report as warnings (the store is never affected by them).
    pub warnings: Vec<String>,
    /// Time spent on the index, in seconds.
    pub seconds: f64,
}

impl IndexSync {
    /// Open the archive's index and take its writer. Never fails: without an index (locked by
    /// another process, unreadable) the run goes on and the index is repaired on a later open.
    pub fn begin(archive: &Archive, enabled: bool) -> IndexSync {
        let started = Instant::now();
        let mut sync = IndexSync {
            index: None,
            updater: None,
            expected: 0,
            rebuild: false,
            contexts: HashMap::new(),
            warnings: Vec::new(),
            seconds: 0.0,
        };
        if !enabled {
            return sync;
        }
        let result = (|| -> Result<(), chancery_index::IndexError> {
            let index = SearchIndex::open(archive.dir())?;
            let mut updater = index.updater()?;
            sync.expected = archive.generation()?;
            if !index.is_current(archive)? {
                if archive.document_count()? == 0 {
                    // An empty store: an emptied index reflects it exactly, no rebuild needed.
                    updater.rebuild(archive)?;
                } else {
                    sync.rebuild = true;
                }
            }
            sync.updater = Some(updater);
            sync.index = Some(index);
            Ok(())
        })();
        if let Err(e) = result {
            sync.warnings.push(format!(
                "search index not updated ({e}); it will be rebuilt from the archive on the next search"
            ));
            sync.updater = None;
        }
        sync.seconds += started.elapsed().as_secs_f64();
        sync
    }

    /// The store generation before a store call (pass it to [`IndexSync::stored`]).
    pub fn before(&self, archive: &Archive) -> Option<i64> {
        self.updater.as_ref()?;
        archive.generation().ok()
    }

    /// After a store call: mirror it in the index if it succeeded (`report`).
    pub fn stored(
        &mut self,
        archive: &Archive,
        parsed: &ParsedVolume,
        records: Option<Vec<IndexRecord>>,
        before: Option<i64>,
        report: Option<&chancery_store::StoreReport>,
    ) {
        let Some(report) = report else {
            return;
        };
        if self.updater.is_none() || self.rebuild {
            return;
        }
        let started = Instant::now();
        let after = archive.generation().ok();
        match (before, after) {
            // Exactly our own bump on top of what the index reflects.
            (Some(b), Some(a)) if b == self.expected && a == b + 1 => self.expected = a,
            _ => {
                self.rebuild = true;
                return;
            }
        }
        // A capture stored as a second witness of a document adds nothing to search: the
        // document is indexed already, and one document is one hit.
        if !report.witness_of.is_empty() {
            return;
        }
        if let Err(e) = self.apply(archive, parsed, records) {
            self.warnings
                .push(format!("search index: {e}; rebuilding it from the archive"));
            self.rebuild = true;
        }
        self.seconds += started.elapsed().as_secs_f64();
    }

    fn apply(
        &mut self,
        archive: &Archive,
        parsed: &ParsedVolume,
        records: Option<Vec<IndexRecord>>,
    ) -> Result<(), chancery_index::IndexError> {
        let Some(updater) = self.updater.as_mut() else {
            return Ok(());
        };
        let volume_id = parsed.volume.id.as_str();
        // The expensive part (text flattening, apparatus parsers) is normally done on the parser
        // threads already; build the records here only when the caller has none.
        let records: Vec<IndexRecord> = match records {
            Some(r) if r.len() == parsed.documents.len() => r,
            _ => parsed
                .documents
                .par_iter()
                .map(IndexRecord::from_document)
                .collect(),
        };
        match parsed.volume.origin.format {
            SourceFormat::Tei => {
                let ctx = VolumeContext::of(&parsed.volume);
                updater.delete_volume(volume_id);
                for r in &records {
                    updater.add(r, &ctx)?;
                }
                // Text documents the store kept beside the TEI went with the volume delete.
                for id in archive.text_document_ids(volume_id)? {
                    if let Some(doc) = archive.document(volume_id, &id)? {
                        updater.add(&IndexRecord::from_document(&doc), &ctx)?;
                    }
                }
                self.contexts.insert(volume_id.to_string(), ctx);
            }
            SourceFormat::Bibliography => {
                // A record can name the sub-series of a volume whose documents are indexed
                // already (text captures filed under it): index them again in its context.
                let summaries = archive.documents(Some(volume_id))?;
                if summaries.is_empty() {
                    return Ok(());
                }
                let ctx = chancery_index::volume_context(archive, volume_id)?;
                updater.delete_volume(volume_id);
                for s in &summaries {
                    if let Some(doc) = archive.document(volume_id, &s.id)? {
                        updater.add(&IndexRecord::from_document(&doc), &ctx)?;
                    }
                }
                self.contexts.insert(volume_id.to_string(), ctx);
            }
            SourceFormat::Text => {
                if !self.contexts.contains_key(volume_id) {
                    let ctx = chancery_index::volume_context(archive, volume_id)?;
                    self.contexts.insert(volume_id.to_string(), ctx);
                }
                let ctx = self.contexts.get(volume_id).cloned().unwrap_or_default();
                for (doc, r) in parsed.documents.iter().zip(&records) {
                    updater.delete_document(&doc.volume_id, &doc.id);
                    updater.add(r, &ctx)?;
                }
            }
        }
        if updater.pending() >= COMMIT_EVERY {
            updater.commit(self.expected)?;
        }
        Ok(())
    }

    /// The store lost changes the index was given (a batch that failed to commit): give up on
    /// incremental updates and rebuild from the store at the end.
    pub fn abandon(&mut self) {
        self.rebuild = true;
    }

    /// Commit the incremental changes, unless they were abandoned for a rebuild (left to
    /// [`IndexSync::finish`]). Reads nothing from the store, so it can run beside the store's
    /// own end of run. Problems become warnings.
    pub fn commit(&mut self) {
        if self.rebuild {
            return;
        }
        let started = Instant::now();
        if let Some(mut updater) = self.updater.take() {
            match updater.commit(self.expected) {
                Ok(()) => {
                    if let Err(e) = updater.finish() {
                        self.warnings
                            .push(format!("search index segments not merged ({e})"));
                    }
                }
                Err(e) => self.warnings.push(format!(
                    "search index not committed ({e}); it will be rebuilt from the archive on the next search"
                )),
            }
        }
        self.seconds += started.elapsed().as_secs_f64();
    }

    /// Commit (see [`IndexSync::commit`]), or rebuild from the store if incremental updates
    /// were abandoned. Problems become warnings.
    pub fn finish(mut self, archive: &Archive) -> IndexSync {
        self.commit();
        let started = Instant::now();
        if let Some(updater) = self.updater.as_mut() {
            if let Err(e) = updater.rebuild(archive) {
                self.warnings.push(format!(
                    "search index not rebuilt ({e}); it will be rebuilt from the archive on the next search"
                ));
            }
        }
        self.updater = None;
        self.seconds += started.elapsed().as_secs_f64();
        self
    }
}
