//! Work shared between the calling thread and the worker pool.
//!
//! A search is a handful of short tasks (one per index segment, then the page's hits). Handing
//! them all to a pool and sleeping until they are done costs two thread wake-ups per step,
//! which on a small index is a good part of the whole search. Here the calling thread works
//! too: it takes tasks from the same list as the helpers it wakes, so a step ends as soon as
//! the work does, and on a single core nothing is handed over at all.
//!
//! A helper that wakes late (its core busy with another search, or taken away by the host)
//! finds the list empty and leaves: the caller waits only for tasks a helper has actually
//! taken. That is why the tasks own what they use (`'static`): nothing a late helper could
//! touch lives on the caller's stack.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use chancery_index::tantivy::collector::Collector;
use chancery_index::tantivy::query::{EnableScoring, Query, Weight};
use chancery_index::tantivy::Searcher;

/// How long the caller spins for helpers to finish before it sleeps.
const SPIN: Duration = Duration::from_micros(200);

/// One step's tasks and results, shared with the helpers.
struct Step<A, R> {
    items: Vec<A>,
    /// The next item to take.
    next: AtomicUsize,
    /// Items a helper has taken (or is about to try to take) and not finished.
    running: AtomicUsize,
    /// Each item's result, or the panic it raised (raised again on the caller).
    results: Vec<Mutex<Option<std::thread::Result<R>>>>,
    work: Box<dyn Fn(&A) -> R + Send + Sync>,
    /// Where the caller sleeps when a helper's item takes long (a large segment).
    idle: Mutex<()>,
    helpers_done: Condvar,
}

impl<A, R> Step<A, R> {
    /// Take and do the next item; false when none is left.
    fn take_one(&self) -> bool {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        let Some(item) = self.items.get(i) else {
            return false;
        };
        // A panic is caught here so that a helper always says it is done, and is raised again
        // on the calling thread, as it would be without helpers.
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| (self.work)(item)));
        if let Some(slot) = self.results.get(i) {
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
        }
        true
    }

    /// A helper's share: announce itself before each take, so the caller, once it sees the
    /// list empty, knows whether anyone still holds an item.
    fn help(&self) {
        loop {
            self.running.fetch_add(1, Ordering::SeqCst);
            let took = self.take_one();
            if self.running.fetch_sub(1, Ordering::SeqCst) == 1 {
                // Taken under the lock, so a caller between its check and its sleep hears it.
                let _idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                self.helpers_done.notify_all();
            }
            if !took {
                break;
            }
        }
    }
}

/// `work` over every item, on the calling thread and up to one helper per other core; results
/// in the order of `items`.
pub(crate) fn map_shared<A, R>(
    items: Vec<A>,
    work: impl Fn(&A) -> R + Send + Sync + 'static,
) -> Vec<R>
where
    A: Send + Sync + 'static,
    R: Send + 'static,
{
    let pool = helpers();
    let helpers = pool
        .map(|p| p.current_num_threads())
        .unwrap_or(0)
        .min(items.len().saturating_sub(1));
    let Some(pool) = pool.filter(|_| helpers > 0) else {
        return items.iter().map(work).collect();
    };
    let step = Arc::new(Step {
        results: items.iter().map(|_| Mutex::new(None)).collect(),
        items,
        next: AtomicUsize::new(0),
        running: AtomicUsize::new(0),
        work: Box::new(work),
        idle: Mutex::new(()),
        helpers_done: Condvar::new(),
    });
    for _ in 0..helpers {
        let step = Arc::clone(&step);
        pool.spawn(move || step.help());
    }
    while step.take_one() {}
    // Every item is taken; wait for the ones helpers are still doing (a helper announces
    // itself before it takes, so none can be missed here). Most end within a fraction of a
    // millisecond, sooner than a sleeping thread is woken: spin that long before sleeping.
    let spinning = Instant::now();
    while step.running.load(Ordering::SeqCst) != 0 && spinning.elapsed() < SPIN {
        std::hint::spin_loop();
    }
    let mut idle = step.idle.lock().unwrap_or_else(|e| e.into_inner());
    while step.running.load(Ordering::SeqCst) != 0 {
        idle = step
            .helpers_done
            .wait(idle)
            .unwrap_or_else(|e| e.into_inner());
    }
    drop(idle);
    step.results
        .iter()
        .zip(&step.items)
        .map(|(slot, item)| {
            let done = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
            match done {
                Some(Ok(result)) => result,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                // Every item is done before the list is found empty and no helper runs, so
                // this does not happen; were it to, the item is done here rather than lost.
                None => (step.work)(item),
            }
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

/// `searcher.search(query, &collector)`, with the segments shared as [`map_shared`] does
/// (largest first, so the small ones even out the end).
pub(crate) fn search<C: Collector + 'static>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: C,
) -> chancery_index::tantivy::Result<C::Fruit> {
    let scoring = if collector.requires_scoring() {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight: Arc<dyn Weight> = Arc::from(query.weight(scoring)?);
    collector.check_schema(searcher.schema())?;
    let collector = Arc::new(collector);
    let readers = searcher.segment_readers();
    let mut order: Vec<usize> = (0..readers.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(readers[i].max_doc()));
    let (shared, owned) = (Arc::clone(&collector), searcher.clone());
    let fruits = map_shared(order, move |&i| {
        let reader = &owned.segment_readers()[i];
        shared
            .collect_segment(weight.as_ref(), i as u32, reader)
            .map(|fruit| (i, fruit))
    });
    let mut fruits = fruits
        .into_iter()
        .collect::<chancery_index::tantivy::Result<Vec<_>>>()?;
    // Merged in segment order, as tantivy does, so ties between segments break the same way.
    fruits.sort_by_key(|(i, _)| *i);
    collector.merge_fruits(fruits.into_iter().map(|(_, fruit)| fruit).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task that panics, on a helper or on the caller, panics the caller (as it would with
    /// no helpers) and never leaves it waiting.
    #[test]
    fn a_panicking_task_panics_the_caller() {
        for _ in 0..20 {
            let outcome = std::panic::catch_unwind(|| {
                // Every task fails after a little work, so a helper that takes any fails too.
                map_shared((0..16usize).collect(), |&i: &usize| -> usize {
                    let until = Instant::now() + Duration::from_micros(50);
                    while Instant::now() < until {
                        std::hint::spin_loop();
                    }
                    panic!("task {i} fails")
                })
            });
            assert!(outcome.is_err());
        }
        // The helpers still work afterwards.
        assert_eq!(map_shared(vec![1, 2, 3], |&i: &i32| i + 1), vec![2, 3, 4]);
    }

    /// Every item is done exactly once, whoever takes it, and results come back in item order,
    /// step after step (helpers from earlier steps that wake late find nothing to take).
    #[test]
    fn every_item_once_in_order() {
        for len in [0usize, 1, 2, 3, 17, 200] {
            for _ in 0..20 {
                let runs = Arc::new(AtomicUsize::new(0));
                let counter = Arc::clone(&runs);
                let out = map_shared((0..len).collect(), move |&i: &usize| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    // Uneven work, so the caller and a helper interleave.
                    let mut x = i as u64;
                    for _ in 0..(i % 7) * 500 {
                        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                    }
                    (i * 2, x)
                });
                assert_eq!(runs.load(Ordering::SeqCst), len);
                let doubled: Vec<usize> = out.into_iter().map(|(d, _)| d).collect();
                assert_eq!(doubled, (0..len).map(|i| i * 2).collect::<Vec<_>>());
            }
        }
    }
}
