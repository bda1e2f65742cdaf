//! The Mianzheng certificate hub: an axum router over SQLite (WAL), or PostgreSQL at scale.
//!
//! [`router`] builds the app; [`serve`] runs it on a listener the caller bound (tests bind
//! port 0). Handlers only translate HTTP to the operations in `routes::*`, which hold the rules.

pub mod admin;
pub mod auth;
pub mod batch;
pub mod demo;
pub mod error;
pub mod face;
pub mod federation;
pub mod lane;
pub mod openapi;
pub mod push;
pub mod routes;
pub mod store;

use mz_core::crypto::Signer;
use mz_core::ids::RegionCode;
use mz_softkey::SoftKey;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::Executor;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub use error::{HubError, HubResult};

/// The hub's clock (unix seconds). Tests drive a [`ManualClock`].
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

pub struct SystemClock;
impl Clock for SystemClock {
    fn now(&self) -> i64 {
        chrono::Utc::now().timestamp()
    }
}

/// A clock that moves only when told to.
pub struct ManualClock(AtomicI64);
impl ManualClock {
    pub fn new(t: i64) -> Arc<Self> {
        Arc::new(ManualClock(AtomicI64::new(t)))
    }
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}
impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// How often the hub looks for calls to other hubs that are due another try.
pub const OUTBOX_EVERY: Duration = Duration::from_secs(5);

/// Read connections (WAL lets SQLite's readers read while the writer writes).
pub const READERS: u32 = 4;

/// Which database engine holds the hub. Both run the same SQL through sqlx's `Any` driver:
/// numbered placeholders in fixed queries (sqlx-sqlite reads them too), each engine's own in
/// built ones ([`store::Sql`]), standard `ON CONFLICT` and `RETURNING`. Only the schema's column
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
}

/// The lane that runs show-code redemption work on SQLite.
pub type RedeemLane = lane::Lane<routes::terminal::RedeemWork, routes::terminal::RedeemDone>;

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
                        routes::terminal::redeem_on_lane(c, &gate, work)
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
        })
    }

    /// Begin a write transaction: wait for the write gate, then on the writer connection.
    pub async fn begin_write(&self) -> HubResult<store::WriteTx> {
        let gate = self.write_gate.clone().lock_owned().await;
        Ok(store::WriteTx::new(
            self.write.begin().await?,
            gate,
            self.backend,
        ))
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

pub struct Inner {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub push: push::Push,
    pub auth: auth::AuthCache,
    pub hub_key: Arc<SoftKey>,
    pub region: RegionCode,
    pub name: String,
    pub started_at: i64,
    /// The face verifier, loaded once (at start-up by `mz-hub serve`, else on first use).
    pub face: std::sync::OnceLock<Result<Arc<dyn mz_face::FaceVerifier>, String>>,
    /// Show-code redemption in batches where there is no lane (PostgreSQL): the handles'
    /// owners looked up and the verified redemptions recorded (one commit) together.
    pub redeem_batch: batch::Batcher<routes::terminal::RedeemWork, routes::terminal::RedeemDone>,
    /// Clients for peer hubs, by URL (connections kept between calls).
    pub peer_clients: std::sync::Mutex<std::collections::HashMap<String, mz_client::Client>>,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Open the hub stored in `db` (created by `admin::init_hub`).
    pub async fn load(db: Db, clock: Arc<dyn Clock>) -> HubResult<AppState> {
        let meta = admin::hub_meta(&db).await?.ok_or_else(|| {
            HubError::Internal(
                "this database holds no hub: run `mz-hub init` or `mz-hub demo` first".into(),
            )
        })?;
        let started_at = clock.now();
        let batch_db = db.clone();
        let redeem_batch = batch::Batcher::start(move |work| {
            let db = batch_db.clone();
            async move { routes::terminal::redeem_batch(&db, work).await }
        });
        let state = AppState(Arc::new(Inner {
            db,
            clock,
            push: Default::default(),
            auth: Default::default(),
            hub_key: Arc::new(meta.key),
            region: meta.region,
            name: meta.name,
            started_at,
            face: Default::default(),
            redeem_batch,
            peer_clients: Default::default(),
        }));
        // Retry what could not be sent to other hubs, while this hub is in use.
        let weak = Arc::downgrade(&state.0);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(OUTBOX_EVERY);
            loop {
                tick.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                if let Err(e) = federation::deliver_outbox(&AppState(inner)).await {
                    tracing::warn!(code = e.code(), "outbox delivery failed");
                }
            }
        });
        Ok(state)
    }
    pub fn now(&self) -> i64 {
        self.clock.now()
    }
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::DateTime::from_timestamp(self.now(), 0)
            .expect("in range")
            .with_timezone(&chrono_tz_offset())
            .date_naive()
    }
    pub fn hub_public_key(&self) -> mz_core::crypto::PublicKey {
        self.hub_key.public_key()
    }
}

/// China Standard Time (UTC+8), for calendar dates (validity, age).
pub fn chrono_tz_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

pub fn router(state: AppState) -> axum::Router {
    routes::router(state)
}

/// The API plus the built web pages (counter console, kiosk) from `ui_dir` (the Vite build,
/// `ui/dist`): `/counter/`, `/kiosk/` and their `/assets/`.
pub fn app(state: AppState, ui_dir: Option<&std::path::Path>) -> axum::Router {
    let mut r = router(state);
    if let Some(dir) = ui_dir {
        for page in ["counter", "kiosk", "assets"] {
            r = r.nest_service(
                &format!("/{page}"),
                tower_http::services::ServeDir::new(dir.join(page)),
            );
        }
    }
    r
}

/// Serve on a listener the caller bound.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}
