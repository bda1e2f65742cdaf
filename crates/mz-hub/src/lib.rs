//! The Mianzheng certificate hub: an axum router over SQLite (WAL), or PostgreSQL at scale.
//!
//! [`router`] builds the app; [`serve`] runs it on a listener the caller bound (tests bind
//! port 0). Layers: `http` (handlers that only translate) over `service` (the operations, which
//! hold the rules) over `store` (all SQL); the lifecycles' states and rules are in `mz_core::flow`.

pub mod admin;
pub mod auth;
mod auth_cache;
pub mod bodies;
pub mod catalogue;
pub mod demo;
pub mod error;
pub mod face;
pub mod http;
pub mod nonces;
pub mod push;
pub mod service;
pub mod store;

use mz_core::crypto::Signer;
use mz_core::ids::RegionCode;
use mz_softkey::SoftKey;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub use error::{HubError, HubResult};
pub use store::{Backend, Db};

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
    pub redeem_batch: store::batch::Batcher<store::redeem::RedeemWork, store::redeem::RedeemDone>,
    /// Clients for peer hubs, by URL (connections kept between calls).
    pub peer_clients: std::sync::Mutex<std::collections::HashMap<String, mz_client::Client>>,
    /// Request bodies still arriving, limited per address and in total.
    pub bodies: Arc<bodies::Bodies>,
    /// The catalogue's newest version, in memory.
    pub catalogue: catalogue::CatalogueCache,
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
    pub async fn load(db: Db, clock: Arc<dyn Clock>, hub_key: SoftKey) -> HubResult<AppState> {
        let meta = admin::hub_meta(&db).await?.ok_or_else(|| {
            HubError::Internal(
                "this database holds no hub: run `mz-hub init` or `mz-hub demo` first".into(),
            )
        })?;
        let started_at = clock.now();
        let batch_db = db.clone();
        let redeem_batch = store::batch::Batcher::start(move |work| {
            let db = batch_db.clone();
            async move { store::redeem::redeem_batch(&db, work).await }
        });
        let state = AppState(Arc::new(Inner {
            db,
            clock,
            push: Default::default(),
            auth: Default::default(),
            hub_key: Arc::new(hub_key),
            region: meta.region,
            name: meta.name,
            started_at,
            face: Default::default(),
            redeem_batch,
            peer_clients: Default::default(),
            bodies: Default::default(),
            catalogue: Default::default(),
        }));
        // Retry what could not be sent to other hubs, while this hub is in use.
        let weak = Arc::downgrade(&state.0);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(OUTBOX_EVERY);
            loop {
                tick.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                if let Err(e) = service::federation::deliver_outbox(&AppState(inner)).await {
                    tracing::warn!(code = e.code().as_str(), "outbox delivery failed");
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
    /// The catalogue as the operators last imported it (within a second).
    pub async fn catalogue(&self) -> HubResult<Arc<catalogue::Current>> {
        self.catalogue.get(&self.db, self.now()).await
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
    http::router(state)
}

/// The API plus the built web pages (counter console, kiosk) from `ui_dir` (the Vite build,
/// `ui/dist`): `/counter/`, `/kiosk/`, the departments' `/dept/`, the public `/lookup/`, the
/// printed proofs' `/check/` and their `/assets/`.
pub fn app(state: AppState, ui_dir: Option<&std::path::Path>) -> axum::Router {
    let mut r = router(state);
    if let Some(dir) = ui_dir {
        for page in ["counter", "kiosk", "dept", "lookup", "check", "assets"] {
            r = r.nest_service(
                &format!("/{page}"),
                tower_http::services::ServeDir::new(dir.join(page)),
            );
        }
    }
    r
}

/// How often the hub signs a checkpoint of its audit chain (when the chain moved): deleting
/// the chain's tail is then detectable against the last published checkpoint.
pub const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Sign a checkpoint now and then every `period` while the process runs.
pub fn spawn_checkpoints(state: AppState, period: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        loop {
            tick.tick().await;
            match service::public::checkpoint_now(&state).await {
                Ok(cp) => tracing::debug!(seq = cp.seq, "checkpoint signed"),
                Err(HubError::NotFound(_)) => {}
                Err(e) => tracing::warn!(error = %e, "checkpoint not signed"),
            }
        }
    });
}

/// Serve on a listener the caller bound.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    http::server::run(listener, router(state), std::future::pending()).await
}
