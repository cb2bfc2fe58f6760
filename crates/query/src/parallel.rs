//! Work shared between the calling thread and the worker pool.
//!
//! A search is a handful of short tasks (one per index segment, then the page's hits). Handing
//! them all to a pool and sleeping until they are done costs two thread wake-ups per step,
//! which on a small index is a good part of the whole search. Here the calling thread works
//! too: it takes tasks from the same list as the helpers it wakes, so a step ends as soon as
//! the work does, and on a single core nothing is handed over at all.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use chancery_index::tantivy::collector::Collector;
use chancery_index::tantivy::query::{EnableScoring, Query};
use chancery_index::tantivy::{Searcher, SegmentReader};

/// `f` over every item, on the calling thread and up to one helper per other core; results
/// in the order of `items`. The first error (in item order) is returned.
pub(crate) fn map_shared<A, R, E>(
    items: &[A],
    f: impl Fn(&A) -> Result<R, E> + Sync,
) -> Result<Vec<R>, E>
where
    A: Sync,
    R: Send,
    E: Send,
{
    let pool = helpers();
    let helpers = pool
        .map(|p| p.current_num_threads())
        .unwrap_or(0)
        .min(items.len().saturating_sub(1));
    let Some(pool) = pool.filter(|_| helpers > 0) else {
        return items.iter().map(f).collect();
    };
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<R, E>>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(i) else { break };
        let result = f(item);
        *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    };
    pool.in_place_scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(|_| work());
        }
        work();
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every item is taken by one worker before the scope ends")
        })
        .collect()
}

/// The helper threads: one per core but the caller's (none on one core). A pool of its own,
/// so that no more threads want the cores than there are cores.
fn helpers() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        if cores < 2 {
            return None;
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores - 1)
            .thread_name(|i| format!("chancery-search-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// `searcher.search(query, collector)`, with the segments shared as [`map_shared`] does
/// (largest first, so the small ones even out the end).
pub(crate) fn search<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
) -> chancery_index::tantivy::Result<C::Fruit> {
    let scoring = if collector.requires_scoring() {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring)?;
    collector.check_schema(searcher.schema())?;
    let readers: &[SegmentReader] = searcher.segment_readers();
    let mut order: Vec<usize> = (0..readers.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(readers[i].max_doc()));
    let mut fruits = map_shared(&order, |&i| {
        collector
            .collect_segment(weight.as_ref(), i as u32, &readers[i])
            .map(|fruit| (i, fruit))
    })?;
    // Merged in segment order, as tantivy does, so ties between segments break the same way.
    fruits.sort_by_key(|(i, _)| *i);
    collector.merge_fruits(fruits.into_iter().map(|(_, fruit)| fruit).collect())
}
