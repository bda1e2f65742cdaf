//! Test harness: a real hub process-in-test on port 0 over a fresh database seeded with the
//! demo region, a manual clock shared by hub and clients, and helpers to make callers.
//!
//! The database is a new SQLite file, or with `MZ_TEST_BACKEND=postgres` a new database on the
//! PostgreSQL server at `MZ_TEST_POSTGRES` (`scripts/test.sh` starts a throwaway one and runs
//! the flows on both).
#![allow(dead_code)]

use futures_util::{Stream, StreamExt};
use mz_client::{Client, ClientError};
use mz_core::api::{EnrolResponse, PushEvent};
use mz_core::crypto::Signer;
use mz_hub::admin::DepartmentKeys;
use mz_hub::demo;
use mz_hub::{AppState, Backend, Db, ManualClock};

use mz_softkey::SoftKey;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

pub struct Hub {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub db: Db,
    pub db_url: String,
    pub state: AppState,
    pub depts: HashMap<String, DepartmentKeys>,
    /// terminal key → (terminal id, enrolment code)
    pub terminals: HashMap<String, (String, String)>,
    pub dir: tempfile::TempDir,
    /// The identity desk that confirms test holders' devices, once enrolled.
    desk: tokio::sync::OnceCell<Client>,
    /// The 通山 24-hour kiosk, once enrolled (its enrolment code is one-time).
    kiosk: tokio::sync::OnceCell<Client>,
}

/// A demo person's ID number.
#[allow(dead_code)]
pub fn demo_id(person: &str) -> mz_core::ids::IdNumber {
    demo::person(person).id
}

pub fn wall_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A fresh, empty database URL on the backend the run asks for (files go in `dir`).
pub async fn fresh_db_url(dir: &std::path::Path) -> String {
    match std::env::var("MZ_TEST_BACKEND").as_deref() {
        Err(_) | Ok("sqlite") => format!("sqlite://{}/hub.db", dir.display()),
        Ok("postgres") => {
            let server = std::env::var("MZ_TEST_POSTGRES").expect("MZ_TEST_BACKEND=postgres needs MZ_TEST_POSTGRES=postgres://USER@HOST/DB of a server to make test databases on (scripts/test.sh starts one)");
            let name = format!("mz_test_{}", uuid::Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&server)
                .await
                .expect("the test PostgreSQL server answers");
            sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
            // Same server, same options, the new database.
            let (base, query) = server
                .split_once('?')
                .map_or((server.as_str(), None), |(b, q)| (b, Some(q)));
            let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
            query.map_or(format!("{base}/{name}"), |q| format!("{base}/{name}?{q}"))
        }
        Ok(other) => panic!("MZ_TEST_BACKEND is sqlite or postgres, not {other}"),
    }
}

pub async fn start() -> Hub {
    let dir = tempfile::tempdir().unwrap();
    let db_url = fresh_db_url(dir.path()).await;
    let db = Db::open(&db_url).await.unwrap();
    let run = demo::serve_on_loopback(db.clone(), wall_now())
        .await
        .unwrap();
    let (base, clock, state, summary) = (run.base, run.clock, run.state, run.summary);
    Hub {
        base,
        clock,
        db,
        db_url,
        state,
        depts: summary.department_keys.into_iter().collect(),
        terminals: summary
            .terminals
            .into_iter()
            .map(|(k, _, _, id, code)| (k, (id, code)))
            .collect(),
        dir,
        desk: tokio::sync::OnceCell::new(),
        kiosk: tokio::sync::OnceCell::new(),
    }
}

impl Hub {
    pub fn client(&self, key: Arc<dyn Signer>) -> Client {
        let c = self.clock.clone();
        Client::new(&self.base)
            .with_signer(key)
            .with_clock(Arc::new(move || mz_hub::Clock::now(c.as_ref())))
    }
    pub fn public(&self) -> Client {
        let c = self.clock.clone();
        Client::new(&self.base).with_clock(Arc::new(move || mz_hub::Clock::now(c.as_ref())))
    }
    /// Enrol a demo person on a new device and confirm it at the identity desk (staff checked
    /// the ID card and scanned the device's counter code).
    pub async fn holder(&self, person: &str) -> Client {
        let (c, enrolled) = self.pending_holder(person).await;
        let desk = self.identity_desk().await;
        let id = demo::person(person).id;
        desk.confirm_device(&enrolled.counter_code, id.as_str())
            .await
            .unwrap();
        c
    }
    /// Enrol a demo person on a new device, left pending.
    pub async fn pending_holder(&self, person: &str) -> (Client, EnrolResponse) {
        let p = demo::person(person);
        let c = self.client(Arc::new(SoftKey::generate()));
        let r = c.enrol(p.id.as_str(), p.name, "test phone").await.unwrap();
        (c, r)
    }
    /// The demo's identity desk (a counter), enrolled on first use.
    pub async fn identity_desk(&self) -> &Client {
        self.desk
            .get_or_init(|| async { self.terminal("ts_identity_desk").await.0 })
            .await
    }
    /// The demo's 通山 24-hour kiosk, enrolled on first use.
    pub async fn kiosk(&self) -> &Client {
        self.kiosk
            .get_or_init(|| async { self.terminal("ts_kiosk").await.0 })
            .await
    }
    /// Enrol a demo terminal with its enrolment code.
    pub async fn terminal(&self, key: &str) -> (Client, String) {
        let (id, code) = self.terminals.get(key).unwrap().clone();
        let c = self.client(Arc::new(SoftKey::generate()));
        c.enrol_terminal(&code).await.unwrap();
        (c, id)
    }
    pub fn department(&self, key: &str) -> Client {
        let k = self.depts.get(key).unwrap();
        self.client(Arc::new(SoftKey::from_pkcs8(k.api.pkcs8()).unwrap()))
    }
    /// A fresh code of `holder` for `scope`, on one of its handles.
    pub async fn code(&self, holder: &Client, scope: mz_core::codes::Scope) -> String {
        let h = holder.handles(1).await.unwrap();
        holder.holder_code(self.region(), h[0], scope).unwrap()
    }
    /// The holder shows their identity code at `counter`, which asks for `types` for `matter`:
    /// the request's id.
    pub async fn identity_request(
        &self,
        holder: &Client,
        counter: &Client,
        matter: &str,
        types: &[&str],
    ) -> String {
        let code = self.code(holder, mz_core::codes::Scope::Identity).await;
        let red = counter.redeem(&code).await.unwrap();
        ask(counter, &red.redemption_id, matter, types)
            .await
            .unwrap()
            .request_id
    }
    /// Import the demo catalogue changed by `edit` as the next version, as the operator's
    /// command does (another process, as far as the serving hub knows), and let the second
    /// pass after which the hub looks again.
    pub async fn import_catalogue(
        &self,
        edit: impl FnOnce(&mut mz_core::catalogue::CatalogueFile),
    ) -> mz_hub::HubResult<mz_hub::catalogue::Imported> {
        let mut file = mz_core::catalogue::Catalogue::demo().file().clone();
        edit(&mut file);
        let json = serde_json::to_string(&file).unwrap();
        let done = mz_hub::catalogue::import(&self.db, &json, self.clock_now()).await;
        self.clock.advance(1);
        done
    }
    pub fn clock_now(&self) -> i64 {
        mz_hub::Clock::now(self.clock.as_ref())
    }
    /// How many entries of the audit chain record `event`.
    pub async fn audited(&self, event: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE event = $1")
            .bind(event)
            .fetch_one(&self.db.read)
            .await
            .unwrap()
    }
    /// Start `n` calls at once and hold each at the hub's write gate until all of them wait
    /// there (a waiter holds a clone of the gate's `Arc`), so every read a call makes before
    /// its write transaction comes before any of their writes. The answers, in call order.
    pub async fn together_at_the_write_gate<F, Fut, T>(&self, n: usize, call: F) -> Vec<T>
    where
        F: Fn(usize) -> Fut,
        Fut: std::future::Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        let gate = self.db.write_gate.clone();
        let held = gate.clone().lock_owned().await;
        let before = Arc::strong_count(&gate);
        let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(call(i))).collect();
        while Arc::strong_count(&gate) < before + n {
            tokio::task::yield_now().await;
        }
        drop(held);
        let mut out = Vec::with_capacity(n);
        for t in tasks {
            out.push(t.await.expect("the call ran"));
        }
        out
    }
    pub fn region(&self) -> u32 {
        self.state.region.as_u32()
    }
    /// Row counts of every table, to show that refused input changed nothing.
    pub async fn counts(&self) -> Vec<(String, i64)> {
        let tables = match self.db.backend {
            Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_sqlx%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            Backend::Postgres => "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '_sqlx%' ORDER BY tablename",
        };
        let tables: Vec<String> = sqlx::query_scalar(tables)
            .fetch_all(&self.db.read)
            .await
            .unwrap();
        let mut out = Vec::new();
        for t in tables {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
                .fetch_one(&self.db.read)
                .await
                .unwrap();
            out.push((t, n));
        }
        out
    }
    /// A fingerprint of mutable state (row counts plus states that change in place).
    pub async fn fingerprint(&self) -> String {
        let mut s = format!("{:?}", self.counts().await);
        for q in [
            (
                "state || COALESCE(CAST(released_at AS TEXT), '-')",
                "auth_requests",
            ),
            ("COALESCE(CAST(used_at AS TEXT), '-')", "handles"),
            ("state", "login_sessions"),
            ("COALESCE(CAST(revoked_at AS TEXT), '-')", "grants"),
            ("status", "certificates"),
            ("state || CAST(attempts AS TEXT)", "face_challenges"),
            ("state", "applications"),
            ("assurance", "holders"),
            ("state", "proof_orders"),
        ] {
            let agg = match self.db.backend {
                Backend::Sqlite => "group_concat",
                Backend::Postgres => "string_agg",
            };
            let v: Option<String> =
                sqlx::query_scalar(&format!("SELECT {agg}({}, ',') FROM {}", q.0, q.1))
                    .fetch_one(&self.db.read)
                    .await
                    .unwrap();
            s.push_str(&v.unwrap_or_default());
        }
        s
    }
}

/// Next pushed event that is not `ready` (bounded wait so a broken push fails, not hangs).
pub async fn next_event<S: Stream<Item = Result<PushEvent, ClientError>> + Unpin>(
    s: &mut S,
) -> PushEvent {
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(20), s.next())
            .await
            .expect("push within 20 s")
            .expect("stream open")
            .unwrap();
        if !matches!(ev, PushEvent::Ready { .. }) {
            return ev;
        }
    }
}

/// Wait for the stream's `ready` event: the subscription is live.
pub async fn ready<S: Stream<Item = Result<PushEvent, ClientError>> + Unpin>(s: &mut S) {
    let ev = tokio::time::timeout(Duration::from_secs(20), s.next())
        .await
        .expect("ready within 20 s")
        .expect("stream open")
        .unwrap();
    assert!(
        matches!(ev, PushEvent::Ready { .. }),
        "first event is ready, got {ev:?}"
    );
}

/// `counter` asks, on `redemption`, for `types` for `matter` (not to be archived).
pub async fn ask(
    counter: &Client,
    redemption: &str,
    matter: &str,
    types: &[&str],
) -> Result<mz_core::api::AuthRequestView, ClientError> {
    counter
        .request_authorization(redemption, matter, types, false)
        .await
}

/// Of answers to calls made at once: exactly one succeeded, and every other was refused with
/// `code`.
pub fn exactly_one_won<T>(outcomes: &[Result<T, ClientError>], code: &str) {
    let told: Vec<&str> = outcomes
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.code().unwrap_or("none")))
        .collect();
    assert_eq!(outcomes.iter().filter(|r| r.is_ok()).count(), 1, "{told:?}");
    assert!(told.iter().all(|c| *c == code), "{told:?}");
}

/// A holder's certificate of a type (the first one listed).
pub async fn certificate_of(holder: &Client, type_code: &str) -> mz_core::cert::Certificate {
    holder
        .certificates()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.certificate.body.type_code == type_code)
        .unwrap()
        .certificate
}

/// `call` is refused with `code`, and the hub's state is as it was before.
pub async fn refused_unchanged<T: std::fmt::Debug>(
    hub: &Hub,
    code: &str,
    call: impl std::future::Future<Output = Result<T, ClientError>>,
) {
    let before = hub.fingerprint().await;
    let e = call.await.unwrap_err();
    assert_eq!(code_of(e), code);
    assert_eq!(
        hub.fingerprint().await,
        before,
        "a refusal changed something"
    );
}

/// The events of a holder's records, oldest first.
pub async fn events_of(holder: &Client) -> Vec<String> {
    holder
        .audit()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect()
}

pub fn code_of(e: ClientError) -> String {
    e.code().unwrap_or("none").to_string()
}
