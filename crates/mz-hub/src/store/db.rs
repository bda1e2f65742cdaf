//! The hub's database: one writer at a time and several readers, on SQLite (WAL) or
//! PostgreSQL, migrated on open; on SQLite also the redemption lane.

use super::{audit::WriteTx, lane, redeem};
use crate::error::{HubError, HubResult};
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::Executor;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// The hub's default log filter: the PostgreSQL driver reports each server notice (the
/// migrations' "already exists") at info, which is noise in an operator's log.
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx::postgres::notice=warn";

/// Read connections (WAL lets SQLite's readers read while the writer writes).
pub const READERS: u32 = 4;

/// Which database engine holds the hub. Both run the same SQL through sqlx's `Any` driver:
/// numbered placeholders in fixed queries (sqlx-sqlite reads them too), each engine's own in
/// built ones ([`super::Sql`]), standard `ON CONFLICT` and `RETURNING`. Only the schema's column
/// types differ (`migrations/sqlite`, `migrations/postgres`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: one file, WAL.
    Sqlite,
    /// The scale-out backend.
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> HubResult<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(HubError::Internal(
                "bad database url: use sqlite://PATH or postgres://USER@HOST/DB".into(),
            ))
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The hub's storage: one writer at a time (SQLite has one writer anyway, and it keeps the
/// audit chain's appends strictly ordered: the write gate), a writer connection, several
/// readers, and on SQLite the redemption lane with its own connection.
#[derive(Clone)]
pub struct Db {
    pub backend: Backend,
    pub write: AnyPool,
    pub read: AnyPool,
    /// One writer at a time: held by every write transaction ([`Db::begin_write`]) and by the
    /// lane's writes, so the audit chain's appends stay in order.
    pub write_gate: Arc<tokio::sync::Mutex<()>>,
    /// SQLite on a file: the redemption hot path's own thread and connection (see [`lane`]).
    pub lane: Option<Arc<RedeemLane>>,
    /// Moves on whenever a committed write removed, confirmed or deactivated a key in this
    /// process ([`WriteTx::keys_changed`]); see [`Db::key_epoch`].
    key_epoch: Arc<AtomicU64>,
}

/// The lane that runs show-code redemption work on SQLite.
pub type RedeemLane = lane::Lane<redeem::RedeemWork, redeem::RedeemDone>;

impl Db {
    /// Open (and migrate) `sqlite://PATH` (created if missing) or `postgres://…`.
    pub async fn open(url: &str) -> HubResult<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let write_gate: Arc<tokio::sync::Mutex<()>> = Default::default();
        // No ping before each acquire: one more round trip on every query for nothing here.
        let pool = |n: u32| {
            AnyPoolOptions::new()
                .max_connections(n)
                .test_before_acquire(false)
        };
        let (write, read, lane) = match backend {
            Backend::Sqlite => {
                lane::configure_sqlite();
                // FULL: a commit is on disk before anything is acknowledged. The hot path commits
                // in batches (`lane`), so the sync is paid once per batch, not per request.
                let write = pool(1)
                    .after_connect(|c, _| Box::pin(async move { c.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000").await.map(drop) }))
                    .connect(&with_mode(url, "rwc"))
                    .await?;
                SQLITE_MIGRATIONS
                    .run(&write)
                    .await
                    .map_err(|e| HubError::Internal(format!("migration failed: {e}")))?;
                let read = pool(READERS)
                    .after_connect(|c, _| {
                        Box::pin(async move {
                            c.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000")
                                .await
                                .map(drop)
                        })
                    })
                    .connect(&with_mode(url, "ro"))
                    .await?;
                // The file sqlx opened (empty for an in-memory database, which gets no lane).
                let file: String =
                    sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                        .fetch_one(&write)
                        .await?;
                let lane = if file.is_empty() {
                    None
                } else {
                    let gate = write_gate.clone();
                    Some(Arc::new(lane::Lane::open(&file, move |c, work| {
                        redeem::redeem_on_lane(c, &gate, work)
                    })?))
                };
                (write, read, lane)
            }
            Backend::Postgres => {
                let write = pool(1).connect(url).await?;
                POSTGRES_MIGRATIONS
                    .run(&write)
                    .await
                    .map_err(|e| HubError::Internal(format!("migration failed: {e}")))?;
                (write, pool(READERS).connect(url).await?, None)
            }
        };
        Ok(Db {
            backend,
            write,
            read,
            write_gate,
            lane,
            key_epoch: Default::default(),
        })
    }

    /// Begin a write transaction: wait for the write gate, then on the writer connection.
    pub async fn begin_write(&self) -> HubResult<WriteTx> {
        let gate = self.write_gate.clone().lock_owned().await;
        let keys = self.key_epoch.clone();
        Ok(WriteTx::new(
            self.write.begin().await?,
            gate,
            self.backend,
            keys,
        ))
    }

    /// The key epoch: a caller remembered at one epoch is still who it was while the epoch is
    /// unchanged, as far as this process's own writes go (another process's writes, such as
    /// the operator's `deactivate-terminal`, are seen by looking the caller up again).
    pub fn key_epoch(&self) -> u64 {
        self.key_epoch.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// `url` with SQLite's open mode set (`rwc`: create if missing; `ro`: read only).
fn with_mode(url: &str, mode: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("mode="))
        .collect();
    let mut out = format!("{base}?mode={mode}");
    for p in rest {
        out.push('&');
        out.push_str(p);
    }
    out
}
