//! A fixed set of store read connections shared by request handlers, and the search index.
//!
//! An open [`Archive`] is `Send` but not `Sync`, so each one sits behind its own mutex. A request takes the first free one (starting from a rotating index so load spreads),
//! and waits for one only when all are busy. Work always runs on tokio's blocking pool.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use chancery_formats::collate::{collate_witness, Collation};
use chancery_model::{Document, GlossaryEntry, Volume};
use chancery_store::{Archive, DocumentSummary, Witness};

use crate::AppError;

/// A volume with what pages need beside it, cached per store generation.
#[derive(Debug)]
pub struct VolumeInfo {
    /// The volume as stored.
    pub volume: Volume,
    /// Stub volumes (text documents only) have no metadata.
    pub stub: bool,
    /// Its documents, in order.
    pub documents: Vec<DocumentSummary>,
    /// Its persons list by glossary id.
    pub persons: HashMap<String, GlossaryEntry>,
    /// Its terms by glossary id.
    pub terms: HashMap<String, GlossaryEntry>,
}

impl VolumeInfo {
    /// Position of a document in reading order.
    pub fn position(&self, doc_id: &str) -> Option<usize> {
        self.documents.iter().position(|d| d.id == doc_id)
    }

    /// A readable title: the complete title, or the id for a stub.
    pub fn title(&self) -> String {
        self.volume
            .titles
            .complete
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| self.volume.id.clone())
    }
}

struct Cache {
    generation: i64,
    volumes: HashMap<String, Arc<VolumeInfo>>,
    /// (volume, document, witness file hash) → where the witness's words differ from the
    /// document's: a diff of two whole texts, worth computing once per store generation.
    collations: HashMap<(String, String, String), Arc<Collation>>,
    /// Volume id → complete title (the search page's volume facet shows them).
    titles: Option<Arc<HashMap<String, String>>>,
}

impl Cache {
    /// Make the cache one of store generation `generation`: everything cached for another
    /// generation is dropped together (volumes, collations and titles alike), so no entry can
    /// outlive the write that changed it.
    fn at_generation(&mut self, generation: i64) {
        if self.generation != generation {
            self.generation = generation;
            self.volumes.clear();
            self.collations.clear();
            self.titles = None;
        }
    }
}

/// Connections to the archive (one request at a time each), the search index, and a cache of
/// volumes.
pub struct Pool {
    dir: PathBuf,
    conns: Vec<Mutex<Archive>>,
    next: AtomicUsize,
    cache: RwLock<Cache>,
    /// The full-text index (tantivy), or why it could not be opened or brought up to date.
    index: Result<chancery_index::SearchIndex, String>,
    /// The store generation the loaded index was last found in step with, and the generation
    /// the loaded index commit reflects: when the store moves on (an ingest in another
    /// process), the index is reloaded as soon as that ingest commits it.
    index_seen: Mutex<(i64, Option<i64>)>,
}

/// Open the search index and rebuild it from the store if it is stale; the reason when that
/// fails (search then answers 503 with it; every other page still works).
fn open_index(dir: &Path, conns: &[Mutex<Archive>]) -> Result<chancery_index::SearchIndex, String> {
    let index = chancery_index::SearchIndex::open(dir)
        .map_err(|e| format!("the search index cannot be opened ({e})"))?;
    let archive = conns
        .first()
        .and_then(|c| c.lock().ok())
        .ok_or_else(|| "no store connection to check the search index against".to_string())?;
    match index.ensure_current(&archive) {
        Ok(chancery_index::Freshness::Rebuilt { documents, seconds }) => tracing::info!(
            "the search index was behind the archive; rebuilt ({documents} documents in {seconds:.1} s)"
        ),
        Ok(chancery_index::Freshness::Stale) => tracing::warn!(
            "the search index is behind the archive and another process is writing it; results may be out of date until it commits"
        ),
        Ok(chancery_index::Freshness::Current) => {}
        Err(e) => return Err(format!("the search index cannot be brought up to date ({e})")),
    }
    // A long-lived searcher: unpack the facet tables once (counting is then array
    // arithmetic); without them facets are counted from the columns, correctly but slower.
    if let Err(e) = index.warm() {
        tracing::warn!("facet tables not unpacked ({e}); counting from columns");
    }
    Ok(index)
}

/// Volumes kept in the cache at most (each holds its glossaries and document list).
const CACHE_VOLUMES: usize = 256;

impl Pool {
    /// Open `size` connections to the archive in `dir` and its search index (an index that cannot
    /// be opened makes search answer 503, it does not stop the server).
    pub fn open(dir: &Path, size: usize) -> Result<Pool, AppError> {
        let mut conns = Vec::with_capacity(size.max(1));
        for _ in 0..size.max(1) {
            conns.push(Mutex::new(Archive::open_existing(dir)?));
        }
        let index = open_index(dir, &conns);
        if let Err(reason) = &index {
            tracing::error!("{reason}; search answers 503 until the server is restarted");
        }
        let loaded = index
            .as_ref()
            .ok()
            .and_then(|i| i.state().ok().flatten())
            .map(|s| s.generation);
        Ok(Pool {
            dir: dir.to_path_buf(),
            index_seen: Mutex::new((loaded.unwrap_or(-1), loaded)),
            index,
            conns,
            next: AtomicUsize::new(0),
            cache: RwLock::new(Cache {
                generation: -1,
                volumes: HashMap::new(),
                collations: HashMap::new(),
                titles: None,
            }),
        })
    }

    /// The archive directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Run `f` with a connection, on the blocking pool.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Pool, &Archive) -> Result<T, AppError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        match tokio::task::spawn_blocking(move || pool.with_conn(f)).await {
            Ok(r) => r,
            Err(e) => Err(AppError::Internal(format!("request task failed: {e}"))),
        }
    }

    fn with_conn<T>(
        &self,
        f: impl FnOnce(&Pool, &Archive) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let n = self.conns.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        for i in 0..n {
            if let Ok(guard) = self.conns[(start + i) % n].try_lock() {
                return f(self, &guard);
            }
        }
        // A poisoned lock only means an earlier request panicked while holding it; the
        // connection itself is still usable (every read is a single statement or transaction).
        let guard = match self.conns[start].lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(self, &guard)
    }

    /// The search index, reloaded first if another process committed a newer one since the
    /// last search; 503 with the reason when there is none. The check is one indexed read of
    /// the store generation; the index's own commit is only read when that changed.
    pub(crate) fn current_index(
        &self,
        archive: &Archive,
    ) -> Result<&chancery_index::SearchIndex, AppError> {
        let index = self
            .index
            .as_ref()
            .map_err(|reason| AppError::Unavailable(reason.clone()))?;
        let generation = archive.generation()?;
        if let Ok(mut seen) = self.index_seen.lock() {
            if seen.0 != generation {
                let committed = index.state().ok().flatten().map(|s| s.generation);
                if committed != seen.1 {
                    match index.reload().and_then(|()| index.warm().map(|_| ())) {
                        Ok(()) => seen.1 = committed,
                        Err(e) => tracing::warn!("cannot reload the search index ({e})"),
                    }
                }
                // Until the index has caught up with the store (an ingest commits its index
                // after its last store write), keep looking at each search.
                if seen.1 == Some(generation) {
                    seen.0 = generation;
                }
            }
        }
        Ok(index)
    }

    /// Complete volume titles by id, cached until the store is written.
    pub fn volume_titles(
        &self,
        archive: &Archive,
    ) -> Result<Arc<HashMap<String, String>>, AppError> {
        let generation = archive.generation()?;
        if let Ok(cache) = self.cache.read() {
            if cache.generation == generation {
                if let Some(t) = &cache.titles {
                    return Ok(Arc::clone(t));
                }
            }
        }
        let titles: Arc<HashMap<String, String>> = Arc::new(
            archive
                .volumes()?
                .into_iter()
                .filter_map(|v| Some((v.id, v.title.filter(|t| !t.trim().is_empty())?)))
                .collect(),
        );
        if let Ok(mut cache) = self.cache.write() {
            cache.at_generation(generation);
            cache.titles = Some(Arc::clone(&titles));
        }
        Ok(titles)
    }

    /// A document's other witnesses, each with where its words differ from the document's (from
    /// the cache when the store has not been written since).
    pub fn witnesses(
        &self,
        archive: &Archive,
        doc: &Document,
    ) -> Result<Vec<(Witness, Arc<Collation>)>, AppError> {
        let generation = archive.generation()?;
        let mut out = Vec::new();
        for w in archive.witnesses(&doc.volume_id, &doc.id)? {
            let key = (
                doc.volume_id.clone(),
                doc.id.clone(),
                w.source_sha256.clone(),
            );
            let cached = self
                .cache
                .read()
                .ok()
                .filter(|c| c.generation == generation)
                .and_then(|c| c.collations.get(&key).cloned());
            let collation = match cached {
                Some(c) => c,
                None => {
                    let c = Arc::new(collate_witness(doc, &w.text));
                    if let Ok(mut cache) = self.cache.write() {
                        cache.at_generation(generation);
                        if cache.collations.len() >= CACHE_VOLUMES * 16 {
                            cache.collations.clear();
                        }
                        cache.collations.insert(key, Arc::clone(&c));
                    }
                    c
                }
            };
            out.push((w, collation));
        }
        Ok(out)
    }

    /// The volume with its documents and glossaries, from the cache when the store has not been
    /// written since.
    pub fn volume_info(
        &self,
        archive: &Archive,
        id: &str,
    ) -> Result<Option<Arc<VolumeInfo>>, AppError> {
        let generation = archive.generation()?;
        if let Ok(cache) = self.cache.read() {
            if cache.generation == generation {
                if let Some(v) = cache.volumes.get(id) {
                    return Ok(Some(Arc::clone(v)));
                }
            }
        }
        let Some(volume) = archive.volume(id)? else {
            return Ok(None);
        };
        let stub = archive.volume_is_stub(id)?.unwrap_or(false);
        let documents = archive.documents(Some(id))?;
        let persons = volume
            .persons
            .iter()
            .map(|p| (p.id.clone(), p.clone()))
            .collect();
        let terms = volume
            .terms
            .iter()
            .map(|p| (p.id.clone(), p.clone()))
            .collect();
        let info = Arc::new(VolumeInfo {
            volume,
            stub,
            documents,
            persons,
            terms,
        });
        if let Ok(mut cache) = self.cache.write() {
            cache.at_generation(generation);
            if cache.volumes.len() >= CACHE_VOLUMES {
                cache.volumes.clear();
            }
            cache.volumes.insert(id.to_string(), Arc::clone(&info));
        }
        Ok(Some(info))
    }
}
