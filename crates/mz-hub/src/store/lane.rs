//! The SQLite hot path's lane: one thread of the hub's own, holding its own connection to the
//! hub's database file, that takes the work queued for it in batches: whatever queued while
//! the previous batch ran is handled together (no timer, as in [`super::batch`]), and each
//! caller gets its own answer. A batch of show-code redemptions (its handle lookups and its
//! whole write transaction) so costs one hop between threads. sqlx-sqlite hops to its worker
//! thread for every statement and every row; at thousands of redemptions a second those hops
//! (futex wake-ups, context switches) and the readers' page caches, emptied by every commit,
//! were about a third of the hub's CPU.
//!
//! Writes on the lane must not interleave with the sqlx writer's transactions (the audit
//! chain's appends stay in order only with one writer at a time): a lane write holds the
//! hub's write gate ([`crate::Db::write_gate`]), which every sqlx write transaction holds too.
//!
//! PostgreSQL has no lane: its hot path stays on sqlx (a network round trip per statement is
//! that engine's cost, not a thread hop).

use crate::error::{HubError, HubResult};
use rusqlite::{Connection, OpenFlags};
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use tokio::sync::oneshot;

type Job<W, D> = (W, oneshot::Sender<D>);

/// Process-wide SQLite settings, before SQLite's first use in this process (later calls, and
/// calls after SQLite has started, change nothing). Memory statistics off: with them on, every
/// SQLite allocation takes a global mutex, which the lane and sqlx's threads then contend for.
pub fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is documented as callable before sqlite3_initialize (which the
        // first connection runs); afterwards it returns SQLITE_MISUSE and does nothing.
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::os::raw::c_int,
            );
        }
    });
}

pub struct Lane<W, D> {
    jobs: mpsc::Sender<Job<W, D>>,
}

impl<W: Send + 'static, D: Send + 'static> Lane<W, D> {
    /// Start the lane on the database file at `path` (already created and migrated; its WAL
    /// mode is stored in the file). `handle` gets each batch in arrival order and returns one
    /// answer per piece of work, in the same order.
    pub fn open(
        path: &str,
        mut handle: impl FnMut(&mut Connection, Vec<W>) -> Vec<D> + Send + 'static,
    ) -> HubResult<Self> {
        // NO_MUTEX: only the lane's thread ever touches this connection.
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // The writer's settings: FULL, so a commit is on disk before anything is acknowledged.
        conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000",
        )?;
        conn.set_prepared_statement_cache_capacity(32);
        let (jobs, queue) = mpsc::channel::<Job<W, D>>();
        std::thread::Builder::new()
            .name("mz-sqlite-lane".into())
            .spawn(move || {
                // Ends when the last sender (the hub's Db) is dropped.
                while let Ok(first) = queue.recv() {
                    let mut batch = vec![first];
                    while batch.len() < super::batch::MAX_BATCH {
                        match queue.try_recv() {
                            Ok(j) => batch.push(j),
                            Err(_) => break,
                        }
                    }
                    let (work, replies): (Vec<W>, Vec<oneshot::Sender<D>>) =
                        batch.into_iter().unzip();
                    // A panicking batch loses its answers (its callers see an error), not the lane.
                    if let Ok(done) =
                        std::panic::catch_unwind(AssertUnwindSafe(|| handle(&mut conn, work)))
                    {
                        debug_assert_eq!(done.len(), replies.len());
                        for (reply, d) in replies.into_iter().zip(done) {
                            let _ = reply.send(d); // the caller may have gone; its work stands
                        }
                    }
                }
            })
            .map_err(|e| HubError::Internal(format!("cannot start the SQLite lane: {e}")))?;
        Ok(Lane { jobs })
    }

    /// Queue one piece of work and wait for its answer (None: the lane stopped).
    pub async fn run(&self, w: W) -> Option<D> {
        let (tx, rx) = oneshot::channel();
        self.jobs.send((w, tx)).ok()?;
        rx.await.ok()
    }
}
