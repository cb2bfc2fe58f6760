//! WAL checkpoints on a thread of their own during long ingests.
//!
//! In WAL mode with `synchronous=NORMAL`, commits do not wait for the disk; checkpoints (copying
//! the log into the database) do, twice. SQLite normally runs them inside whichever commit
//! crosses the threshold, so the single writer stalls on `fsync` for a good third of a bulk
//! ingest. Here a second connection checkpoints in the background while the writer keeps
//! committing; durability is unchanged (the same syncs happen, only on another thread).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::StoreError;

/// How large the log may grow before the background thread copies it into the database.
const CHECKPOINT_AT_BYTES: u64 = 48 * 1024 * 1024;
const POLL: Duration = Duration::from_millis(25);

/// A running background checkpointer; stops (and joins) when dropped or [`stop`]ped.
///
/// [`stop`]: Checkpointer::stop
pub struct Checkpointer {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Start checkpointing the database at `db` whenever its log passes the threshold.
    pub fn start(db: &Path) -> Result<Checkpointer, StoreError> {
        let conn = Connection::open(db)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let wal: PathBuf = {
            let mut s = db.as_os_str().to_owned();
            s.push("-wal");
            s.into()
        };
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(POLL);
                    let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
                    if size >= CHECKPOINT_AT_BYTES {
                        // PASSIVE never blocks the writer; a busy or partial checkpoint is
                        // simply retried on the next tick.
                        if let Err(e) =
                            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                        {
                            tracing::debug!("background checkpoint: {e}");
                        }
                    }
                }
            })?;
        Ok(Checkpointer {
            stop,
            handle: Some(handle),
        })
    }

    /// Stop the thread and wait for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            // The writer's own checkpoint at the end of the run still copies the log.
            if handle.join().is_err() {
                tracing::warn!("the background checkpoint thread panicked");
            }
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shutdown();
    }
}
