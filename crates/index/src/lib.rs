//! The full-text index of an archive: a tantivy index in `ARCHIVE/index/`, kept in step with the
//! SQLite store.
//!
//! **The store is the source of truth.** Every store write transaction bumps the store's
//! *generation* ([`chancery_store::Archive::generation`]); every index commit records, in its
//! commit payload, the generation of the store state it reflects. When the two differ (a process
//! died between the store's commit and the index's, another process wrote to the store, or the
//! index is missing or was built by another mapping version) the index is stale and
//! [`SearchIndex::ensure_current`] rebuilds it from the store. A full rebuild is the repair: it
//! is simple, obviously correct, and fast enough at the scale of the whole FRUS series (it is
//! measured by `chancery-bench search`).
//!
//! Writers: `chancery ingest` updates the index per stored volume or document through an
//! [`IndexUpdater`] and commits once per run (see `chancery_cli::ingest`); `chancery reindex`
//! calls [`SearchIndex::rebuild`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use facets::{SegmentFacetTables, WarmSegment};
use tantivy::index::SegmentId;

use chancery_model::Document;
use chancery_store::{Archive, StoreError};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

pub mod analyzer;
pub mod facets;
pub mod record;
pub mod schema;

pub use record::{IndexRecord, VolumeContext};
pub use schema::{Fields, MAPPING_VERSION};
pub use tantivy;

/// The index directory inside an archive directory.
pub const INDEX_DIR: &str = "index";

/// Indexing memory per writer thread: large enough for few, big segments on a full-series
/// rebuild, small enough for a 2-core machine with a few GB.
pub const WRITER_BYTES_PER_THREAD: usize = 96 * 1024 * 1024;

/// Indexing threads of the index writer: one per core, at most four.
pub fn writer_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// Documents converted per batch during a rebuild (bounds memory while keeping the pool busy).
const REBUILD_BATCH: usize = 512;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Tantivy failed (reading, writing, committing).
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index directory cannot be opened.
    #[error("cannot open the index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored record or commit payload is not the JSON expected.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// A file of the index could not be read or written.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// Another process holds the index writer (an ingest or reindex is running).
    #[error("the index is being written by another process")]
    Locked,
}

/// What an index commit records about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexState {
    /// The store generation the index reflects.
    pub generation: i64,
    /// [`MAPPING_VERSION`] of the code that wrote it.
    pub mapping: u32,
}

/// Whether the index could be brought in step with the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Freshness {
    /// The index reflects the store.
    Current,
    /// It was stale and has been rebuilt from the store.
    Rebuilt {
        /// Documents indexed.
        documents: u64,
        /// How long the rebuild took.
        seconds: f64,
    },
    /// It is stale and another process holds the writer: results may lag the store.
    Stale,
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RebuildReport {
    /// Documents indexed.
    pub documents: u64,
    /// The store generation the rebuilt index reflects.
    pub generation: i64,
    /// How long the rebuild took.
    pub seconds: f64,
}

/// The facet tables of the warmed segments, by segment.
pub type WarmTables = HashMap<SegmentId, Arc<WarmSegment>>;

/// An open index (reader side; writers come from [`SearchIndex::updater`]).
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
    /// Unpacked facet tables of warmed segments (see [`facets`]).
    facet_tables: Mutex<Arc<WarmTables>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

/// The index at `dir` if it has this program's mapping; otherwise a new, empty one in its place
/// (the store has everything: the caller rebuilds it). Safe when several processes open a new
/// archive at once: each builds its new index aside and moves it in with one rename; a process
/// that loses the race opens the winner's.
fn open_or_create(
    archive_dir: &Path,
    dir: &Path,
    schema: &tantivy::schema::Schema,
) -> Result<Index, IndexError> {
    let current = |dir: &Path| -> Result<Option<Index>, IndexError> {
        if !dir.is_dir() {
            return Ok(None);
        }
        let directory = MmapDirectory::open(dir)?;
        if !Index::exists(&directory).map_err(tantivy::TantivyError::from)? {
            return Ok(None);
        }
        let index = Index::open(directory)?;
        let same = serde_json::to_string(&index.schema())? == serde_json::to_string(schema)?;
        Ok(same.then_some(index))
    };
    for _ in 0..5 {
        if let Some(index) = current(dir)? {
            return Ok(index);
        }
        let unique = format!(
            "{INDEX_DIR}.new-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let fresh = archive_dir.join(&unique);
        std::fs::create_dir_all(&fresh)?;
        Index::create(
            MmapDirectory::open(&fresh)?,
            schema.clone(),
            tantivy::IndexSettings {
                // A document's stored fields are ~8 KB: with 4 KB blocks (lz4) fetching a hit
                // decompresses about that document only, not its neighbours in a 16 KB block
                // (the default), for 2-3% more disk.
                docstore_blocksize: 4096,
                ..tantivy::IndexSettings::default()
            },
        )?;
        // An index of another mapping (or an empty directory) is moved aside first, unless
        // another process has just put a good one there.
        if let Some(index) = current(dir)? {
            let _ = std::fs::remove_dir_all(&fresh);
            return Ok(index);
        }
        if dir.exists() {
            let aside = archive_dir.join(format!("{unique}.old"));
            if std::fs::rename(dir, &aside).is_ok() {
                let _ = std::fs::remove_dir_all(&aside);
            }
        }
        match std::fs::rename(&fresh, dir) {
            Ok(()) => {}
            // Another process moved its new index in first: use that one.
            Err(_) => {
                let _ = std::fs::remove_dir_all(&fresh);
            }
        }
    }
    current(dir)?.ok_or_else(|| {
        IndexError::Io(std::io::Error::other(format!(
            "cannot create the search index in {}: other processes keep replacing it",
            dir.display()
        )))
    })
}

impl SearchIndex {
    /// Open the index of the archive in `archive_dir`, creating it (empty, stale) if absent. An
    /// index written with another schema is discarded and recreated empty: the next
    /// [`SearchIndex::ensure_current`] rebuilds it.
    pub fn open(archive_dir: &Path) -> Result<SearchIndex, IndexError> {
        let dir = archive_dir.join(INDEX_DIR);
        let (schema, fields) = schema::build();
        let index = open_or_create(archive_dir, &dir, &schema)?;
        index
            .tokenizers()
            .register(analyzer::TOKENIZER, analyzer::analyzer());
        index
            .tokenizers()
            .register(analyzer::GRAMS_TOKENIZER, analyzer::grams_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            dir,
            facet_tables: Mutex::new(Arc::new(HashMap::new())),
        })
    }

    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A searcher on the last loaded commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Unpack the facet tables of every current segment (and forget those of merged-away
    /// segments), so facet counting is array arithmetic. For long-lived searchers: call after
    /// opening and after each [`SearchIndex::reload`]. Returns the segments built.
    pub fn warm(&self) -> Result<usize, IndexError> {
        let searcher = self.searcher();
        let mut built = 0;
        let mut ids = Vec::new();
        let mut tables = Vec::new();
        for reader in searcher.segment_readers() {
            let id = reader.segment_id();
            let t = match self.facet_tables(id) {
                Some(w) => Arc::clone(&w.tables),
                None => {
                    built += 1;
                    Arc::new(SegmentFacetTables::build(reader)?)
                }
            };
            ids.push(id);
            tables.push(t);
        }
        let (global, maps) = facets::globalise(&tables);
        let fresh: HashMap<SegmentId, Arc<WarmSegment>> = ids
            .into_iter()
            .zip(tables)
            .zip(maps)
            .map(|((id, tables), to_global)| {
                (
                    id,
                    Arc::new(WarmSegment {
                        tables,
                        to_global,
                        global: Arc::clone(&global),
                    }),
                )
            })
            .collect();
        if let Ok(mut cache) = self.facet_tables.lock() {
            *cache = Arc::new(fresh);
        }
        Ok(built)
    }

    /// The facet tables of a warmed segment, with its place in the warmed set's dictionaries.
    pub fn facet_tables(&self, segment: SegmentId) -> Option<Arc<WarmSegment>> {
        self.warm_tables().get(&segment).cloned()
    }

    /// Every warmed segment's facet tables, as last warmed (empty if never).
    pub fn warm_tables(&self) -> Arc<WarmTables> {
        self.facet_tables
            .lock()
            .map(|t| Arc::clone(&t))
            .unwrap_or_default()
    }

    /// Load the latest commit (after an update in this process or another).
    pub fn reload(&self) -> Result<(), IndexError> {
        self.reader.reload()?;
        Ok(())
    }

    /// What the last commit recorded; `None` for an index never committed by Chancery.
    pub fn state(&self) -> Result<Option<IndexState>, IndexError> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<IndexState>(p).ok()))
    }

    /// Whether the committed index reflects the store's current generation.
    pub fn is_current(&self, archive: &Archive) -> Result<bool, IndexError> {
        let generation = archive.generation()?;
        Ok(self.state()?
            == Some(IndexState {
                generation,
                mapping: MAPPING_VERSION,
            }))
    }

    /// Rebuild from the store if stale. If another process holds the writer the index is left
    /// as it is and [`Freshness::Stale`] says so.
    pub fn ensure_current(&self, archive: &Archive) -> Result<Freshness, IndexError> {
        if self.is_current(archive)? {
            return Ok(Freshness::Current);
        }
        let mut updater = match self.updater() {
            Ok(u) => u,
            Err(IndexError::Locked) => {
                tracing::warn!(
                    "the index is behind the store and another process is writing it: searching it as it is"
                );
                return Ok(Freshness::Stale);
            }
            Err(e) => return Err(e),
        };
        tracing::info!("the index is behind the store: rebuilding it");
        let report = updater.rebuild(archive)?;
        drop(updater);
        self.reload()?;
        Ok(Freshness::Rebuilt {
            documents: report.documents,
            seconds: report.seconds,
        })
    }

    /// Rebuild the whole index from the store (`chancery reindex`).
    pub fn rebuild(&self, archive: &Archive) -> Result<RebuildReport, IndexError> {
        let mut updater = self.updater()?;
        let report = updater.rebuild(archive)?;
        drop(updater);
        self.reload()?;
        Ok(report)
    }

    /// Take the index writer (one per index across processes).
    pub fn updater(&self) -> Result<IndexUpdater, IndexError> {
        let threads = writer_threads();
        let writer = match self
            .index
            .writer_with_num_threads(threads, threads * WRITER_BYTES_PER_THREAD)
        {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => return Err(IndexError::Locked),
            Err(e) => return Err(e.into()),
        };
        writer.set_merge_policy(Box::new(merge_policy()));
        Ok(IndexUpdater {
            writer,
            fields: self.fields,
            pending: 0,
        })
    }

    /// Bytes the committed index takes on disk: its segments' files and its meta files. Files
    /// of segments merged away but not yet deleted (tantivy removes them at a later commit or
    /// open) are not counted.
    pub fn size_on_disk(&self) -> u64 {
        let live: Vec<String> = self
            .index
            .searchable_segment_ids()
            .unwrap_or_default()
            .iter()
            .map(|id| id.uuid_string())
            .collect();
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        name.ends_with(".json") || live.iter().any(|id| name.starts_with(id))
                    })
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }
}

/// Segments below this many documents are merged among themselves (8 at a time); larger ones
/// only with segments of their own size. Tantivy's default floor (10,000) put the few
/// segments of a bulk ingest in the same layer as the one-document segment of each capture,
/// so the eighth capture after a bulk ingest merged the whole index (4 s at 30,000 documents,
/// `chancery-bench capture`); with this floor a capture merges only small segments.
const MERGE_FLOOR_DOCS: u32 = 1_000;

fn merge_policy() -> tantivy::merge_policy::LogMergePolicy {
    let mut policy = tantivy::merge_policy::LogMergePolicy::default();
    policy.set_min_layer_size(MERGE_FLOOR_DOCS);
    policy
}

/// The index writer. Changes become visible (and durable) only at [`IndexUpdater::commit`];
/// dropping an updater without committing discards them, which is safe: the committed state
/// still names the generation it reflects.
pub struct IndexUpdater {
    writer: IndexWriter<TantivyDocument>,
    fields: Fields,
    pending: u64,
}

impl IndexUpdater {
    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Remove every document of a volume.
    pub fn delete_volume(&mut self, volume_id: &str) {
        self.writer.delete_term(Term::from_field_text(
            self.fields.volume,
            &analyzer::keyword(volume_id),
        ));
        self.pending += 1;
    }

    /// Remove one document.
    pub fn delete_document(&mut self, volume_id: &str, doc_id: &str) {
        self.writer.delete_term(Term::from_field_text(
            self.fields.key,
            &format!("{volume_id}/{doc_id}"),
        ));
        self.pending += 1;
    }

    /// Add one document (delete its previous version first when replacing).
    pub fn add(&mut self, record: &IndexRecord, ctx: &VolumeContext) -> Result<(), IndexError> {
        self.writer
            .add_document(record.to_tantivy(&self.fields, ctx))?;
        self.pending += 1;
        Ok(())
    }

    /// Changes made since the last commit.
    pub fn pending(&self) -> u64 {
        self.pending
    }

    /// Make the changes durable and visible, recording the store generation they reflect.
    pub fn commit(&mut self, generation: i64) -> Result<(), IndexError> {
        let payload = serde_json::to_string(&IndexState {
            generation,
            mapping: MAPPING_VERSION,
        })?;
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.pending = 0;
        Ok(())
    }

    /// Let the merges the last commit started run to their end, then close the writer. Each
    /// ingest commits at least one new segment; merges are what keep their number low, and a
    /// writer merely dropped (or a process that exits) abandons them, so an archive fed one
    /// capture at a time would gather one segment per run and search would slow with each.
    pub fn finish(self) -> Result<(), IndexError> {
        self.writer.wait_merging_threads()?;
        Ok(())
    }

    /// Replace the whole index with the store's documents, read in one consistent snapshot.
    pub fn rebuild(&mut self, archive: &Archive) -> Result<RebuildReport, IndexError> {
        let started = Instant::now();
        // Drop uncommitted changes first (an ingest that gave up on incremental updates), so
        // nothing still being indexed survives into the rebuilt index.
        self.writer.rollback()?;
        self.writer.delete_all_documents()?;
        let contexts = volume_contexts(archive)?;
        let empty = VolumeContext::default();
        let mut documents = 0u64;
        let mut failure: Option<IndexError> = None;
        // The generation and the documents come from one snapshot, so the payload names exactly
        // the state indexed.
        let generation = archive.snapshot_documents(REBUILD_BATCH, &mut |mut batch| {
            match self.add_batch(&mut batch, &contexts, &empty) {
                Ok(n) => documents += n,
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
            Ok(())
        })?;
        if let Some(e) = failure {
            return Err(e);
        }
        self.commit(generation)?;
        let seconds = started.elapsed().as_secs_f64();
        tracing::info!("index rebuilt: {documents} documents in {seconds:.1} s");
        Ok(RebuildReport {
            documents,
            generation,
            seconds,
        })
    }

    fn add_batch(
        &mut self,
        batch: &mut Vec<(String, String)>,
        contexts: &std::collections::HashMap<String, VolumeContext>,
        empty: &VolumeContext,
    ) -> Result<u64, IndexError> {
        let fields = self.fields;
        let docs: Vec<TantivyDocument> = batch
            .par_iter()
            .map(|(volume, json)| {
                let doc: Document = serde_json::from_str(json)?;
                let ctx = contexts.get(volume).unwrap_or(empty);
                Ok(IndexRecord::from_document(&doc).to_tantivy(&fields, ctx))
            })
            .collect::<Result<_, IndexError>>()?;
        let n = docs.len() as u64;
        for d in docs {
            self.writer.add_document(d)?;
        }
        batch.clear();
        self.pending += n;
        Ok(n)
    }
}

/// Sub-series and glossary names of every volume in the store.
pub fn volume_contexts(
    archive: &Archive,
) -> Result<std::collections::HashMap<String, VolumeContext>, IndexError> {
    Ok(archive
        .volume_glossaries()?
        .into_iter()
        .map(|(id, g)| (id, VolumeContext::new(g.sub_series, g.persons)))
        .collect())
}

/// The volume context of one volume, read from the store.
pub fn volume_context(archive: &Archive, volume_id: &str) -> Result<VolumeContext, IndexError> {
    Ok(archive
        .volume(volume_id)?
        .map(|v| VolumeContext::of(&v))
        .unwrap_or_default())
}
