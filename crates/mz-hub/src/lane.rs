//! The SQLite hot path's lane: one thread of the hub's own, holding its own connection to the
//! hub's database file. A job is a closure that runs there with the connection, so a batch of
//! show-code redemptions (its reads, or its whole write transaction) costs one hop between
//! threads. sqlx-sqlite hops to its worker thread for every statement and every row; at
//! thousands of redemptions a second those hops (futex wake-ups, context switches) and the
//! readers' page caches, emptied by every commit, were about a third of the hub's CPU.
//!
//! Writes on the lane must not interleave with the sqlx writer's transactions: the audit
//! chain's appends stay in order only with one writer at a time. [`crate::Db::lane_write`]
//! holds the writer pool's only connection while a lane write runs.
//!
//! PostgreSQL has no lane: its hot path stays on sqlx (a network round trip per statement is
//! that engine's cost, not a thread hop).

use crate::error::{HubError, HubResult};
use rusqlite::{Connection, OpenFlags};
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// Process-wide SQLite settings, before SQLite's first use in this process (later calls, and
/// calls after SQLite has started, change nothing). Memory statistics off: with them on, every
/// SQLite allocation takes a global mutex, which the lane and sqlx's threads then contend for.
pub fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is documented as callable before sqlite3_initialize (which the
        // first connection runs); afterwards it returns SQLITE_MISUSE and does nothing.
        unsafe {
            rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::os::raw::c_int);
        }
    });
}

pub struct Lane {
    jobs: mpsc::Sender<Job>,
}

fn stopped() -> HubError {
    HubError::Internal("the SQLite lane stopped".into())
}

impl Lane {
    /// Open the lane on the database file at `path` (already created and migrated; its WAL
    /// mode is stored in the file).
    pub fn open(path: &str) -> HubResult<Lane> {
        // NO_MUTEX: only the lane's thread ever touches this connection.
        let mut conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        // The writer's settings: FULL, so a commit is on disk before anything is acknowledged.
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000")?;
        conn.set_prepared_statement_cache_capacity(32);
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("mz-sqlite-lane".into())
            .spawn(move || {
                // Ends when the last sender (the hub's Db) is dropped.
                for job in queue {
                    // A panicking job loses its own answer (its caller sees "stopped"), not the lane.
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut conn)));
                }
            })
            .map_err(|e| HubError::Internal(format!("cannot start the SQLite lane: {e}")))?;
        Ok(Lane { jobs })
    }

    /// Run `f` on the lane's connection and wait for its result.
    pub async fn run<R: Send + 'static>(&self, f: impl FnOnce(&mut Connection) -> R + Send + 'static) -> HubResult<R> {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Box::new(move |c| {
                let _ = tx.send(f(c)); // the caller may have gone; the work stands
            }))
            .map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())
    }
}
