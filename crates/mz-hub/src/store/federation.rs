//! Federation in storage: the peer hubs this hub talks to, other hubs' terminals and
//! departments as recorded here (rows with an `origin`), what this hub's terminals got through
//! another hub (`remote_refs`), and the outbox of calls kept until they are delivered.

use super::audit::WriteTx;
use super::{pk, Db};
use crate::error::HubResult;
use mz_core::crypto::PublicKey;
use mz_core::flow::PeerRole;
use sqlx::Row;

/// A peer hub as registered: (region, role, name, URL, public key).
pub type StoredPeer = (String, PeerRole, String, String, PublicKey);

pub async fn peers(db: &Db) -> HubResult<Vec<StoredPeer>> {
    let rows =
        sqlx::query("SELECT region, role, name, url, public_key FROM peers ORDER BY role, region")
            .fetch_all(&db.read)
            .await?;
    rows.iter()
        .map(|r| {
            let role = PeerRole::parse(r.get(1))?;
            Ok((r.get(0), role, r.get(2), r.get(3), pk(r.get(4))?))
        })
        .collect()
}

/// A peer that already has this region or key, or the parent role when `role` is the parent
/// (a hub has one parent at most).
pub async fn peer_conflicting(
    tx: &mut WriteTx,
    region: &str,
    key_id: &str,
    role: PeerRole,
) -> HubResult<Option<String>> {
    let q = match role {
        PeerRole::Parent => sqlx::query_scalar(
            "SELECT region FROM peers WHERE region = $1 OR key_id = $2 OR role = $3",
        )
        .bind(region)
        .bind(key_id)
        .bind(PeerRole::Parent.as_str()),
        PeerRole::Child => {
            sqlx::query_scalar("SELECT region FROM peers WHERE region = $1 OR key_id = $2")
                .bind(region)
                .bind(key_id)
        }
    };
    Ok(q.fetch_optional(&mut **tx).await?)
}

/// A new peer hub.
pub struct NewPeer<'a> {
    pub region: &'a str,
    pub role: PeerRole,
    pub name: &'a str,
    pub url: &'a str,
    pub key: &'a PublicKey,
    pub now: i64,
}

pub async fn add_peer(tx: &mut WriteTx, p: NewPeer<'_>) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO peers (region, role, name, url, key_id, public_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(p.region)
    .bind(p.role.as_str())
    .bind(p.name)
    .bind(p.url)
    .bind(p.key.key_id().to_string())
    .bind(p.key.as_bytes())
    .bind(p.now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Move a peer to another URL; false when there is no peer for that region.
pub async fn set_peer_url(tx: &mut WriteTx, region: &str, url: &str) -> HubResult<bool> {
    let n = sqlx::query("UPDATE peers SET url = $1 WHERE region = $2")
        .bind(url)
        .bind(region)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Another hub's terminal, as its hub vouches for it.
pub struct ForeignTerminal<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub place: &'a str,
    pub region: &'a str,
    pub department: &'a str,
    pub department_name: &'a str,
    pub origin: &'a str,
    pub remote_id: &'a str,
    pub now: i64,
}

/// Record (or refresh) another hub's terminal and its department here, marked with its origin.
pub async fn record_foreign_terminal(tx: &mut WriteTx, t: ForeignTerminal<'_>) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO departments (code, name, region, api_key_id, api_public_key, created_at, origin) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(code) DO NOTHING",
    )
    .bind(t.department)
    .bind(t.department_name)
    .bind(t.region)
    .bind(format!("peer:{}:{}", t.origin, t.department))
    .bind(Vec::<u8>::new())
    .bind(t.now)
    .bind(t.origin)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO terminals (id, kind, name, place, region, department, created_at, origin, remote_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name, place = excluded.place",
    )
    .bind(t.id)
    .bind(t.kind)
    .bind(t.name)
    .bind(t.place)
    .bind(t.region)
    .bind(t.department)
    .bind(t.now)
    .bind(t.origin)
    .bind(t.remote_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Where another hub's terminal comes from: (its hub's region, its id there).
pub async fn foreign_terminal_origin(
    tx: &mut WriteTx,
    terminal: &str,
) -> HubResult<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT origin, remote_id FROM terminals WHERE id = $1 AND origin IS NOT NULL",
    )
    .bind(terminal)
    .fetch_optional(&mut **tx)
    .await?)
}

/// A department's name.
pub async fn department_name(db: &Db, code: &str) -> HubResult<String> {
    Ok(
        sqlx::query_scalar("SELECT name FROM departments WHERE code = $1")
            .bind(code)
            .fetch_one(&db.read)
            .await?,
    )
}

/// Remember that a terminal got `id` (a redemption or request) through the hub of `owner`
/// (once: a retried call that got the same id back remembers nothing new).
pub async fn remember(
    db: &Db,
    id: &str,
    kind: &str,
    terminal: &str,
    owner: &str,
    now: i64,
) -> HubResult<()> {
    sqlx::query("INSERT INTO remote_refs (id, kind, terminal, owner, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING")
        .bind(id)
        .bind(kind)
        .bind(terminal)
        .bind(owner)
        .bind(now)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The region whose hub holds what a terminal got through federation, if it did.
pub async fn owner_of(db: &Db, id: &str, kind: &str, terminal: &str) -> HubResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT owner FROM remote_refs WHERE id = $1 AND kind = $2 AND terminal = $3",
    )
    .bind(id)
    .bind(kind)
    .bind(terminal)
    .fetch_optional(&db.read)
    .await?)
}

/// The terminal here that asked, through `owner`'s hub, for the request `id`.
pub async fn asked_through(db: &Db, request_id: &str, owner: &str) -> HubResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT terminal FROM remote_refs WHERE id = $1 AND kind = 'request' AND owner = $2",
    )
    .bind(request_id)
    .bind(owner)
    .fetch_optional(&db.read)
    .await?)
}

/// Keep a call for another hub in the caller's transaction, due now.
pub async fn keep(tx: &mut WriteTx, id: &str, region: &str, call: &str, now: i64) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO fed_outbox (id, region, call, created_at, attempts, next_at) VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(id)
    .bind(region)
    .bind(call)
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A kept call: (its hub's region, the call as JSON, tries so far).
pub async fn kept(db: &Db, id: &str) -> HubResult<Option<(String, String, i64)>> {
    Ok(
        sqlx::query_as("SELECT region, call, attempts FROM fed_outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Drop a kept call (delivered, or refused for good).
pub async fn drop_kept(db: &Db, id: &str) -> HubResult<()> {
    sqlx::query("DELETE FROM fed_outbox WHERE id = $1")
        .bind(id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Count a failed try and when to try again.
pub async fn retry_later(db: &Db, id: &str, next_at: i64, error: &str) -> HubResult<()> {
    sqlx::query("UPDATE fed_outbox SET attempts = attempts + 1, next_at = $1, last_error = $2 WHERE id = $3")
        .bind(next_at)
        .bind(error)
        .bind(id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The kept calls due by `now`, oldest first.
pub async fn due(db: &Db, now: i64) -> HubResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM fed_outbox WHERE next_at <= $1 ORDER BY created_at")
            .bind(now)
            .fetch_all(&db.read)
            .await?,
    )
}

/// How many calls are kept.
pub async fn kept_count(db: &Db) -> HubResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM fed_outbox")
        .fetch_one(&db.read)
        .await?)
}
