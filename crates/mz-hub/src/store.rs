//! Storage helpers shared by the operations: who a key belongs to, and the audit chain.

use crate::auth::{Caller, DeptCaller, DeviceCaller, TerminalCaller};
use crate::error::{HubError, HubResult};
use crate::Db;
use mz_core::audit::{AuditEntry, GENESIS};
use mz_core::crypto::{KeyId, PublicKey};
use mz_core::ids::IdNumber;
use sqlx::{Row, SqliteConnection};

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn pk(bytes: Vec<u8>) -> HubResult<PublicKey> {
    PublicKey::from_bytes(&bytes).map_err(|e| HubError::Internal(format!("stored key unreadable: {e}")))
}

/// Find the device, terminal or department that owns `key_id`.
pub async fn caller_by_key(db: &Db, key_id: KeyId) -> HubResult<Option<Caller>> {
    let k = key_id.to_string();
    if let Some(r) = sqlx::query(
        "SELECT d.public_key, h.id, h.id_number, p.name FROM devices d JOIN holders h ON h.id = d.holder \
         JOIN people p ON p.id_number = h.id_number WHERE d.key_id = ? AND d.revoked_at IS NULL",
    )
    .bind(&k)
    .fetch_optional(&db.read)
    .await?
    {
        return Ok(Some(Caller::Device(DeviceCaller {
            key_id,
            public_key: pk(r.get(0))?,
            holder_id: r.get(1),
            id_number: IdNumber::parse(r.get::<&str, _>(2))?,
            name: r.get(3),
        })));
    }
    if let Some(r) = sqlx::query("SELECT id, kind, name, place, region, department, public_key FROM terminals WHERE key_id = ? AND active = 1")
        .bind(&k)
        .fetch_optional(&db.read)
        .await?
    {
        return Ok(Some(Caller::Terminal(TerminalCaller {
            id: r.get(0),
            kind: r.get(1),
            name: r.get(2),
            place: r.get(3),
            region: r.get(4),
            department: r.get(5),
            public_key: pk(r.get(6))?,
        })));
    }
    if let Some(r) = sqlx::query("SELECT code, name, region FROM departments WHERE api_key_id = ?").bind(&k).fetch_optional(&db.read).await? {
        return Ok(Some(Caller::Department(DeptCaller { code: r.get(0), name: r.get(1), region: r.get(2) })));
    }
    Ok(None)
}

pub async fn department_api_key(db: &Db, key_id: KeyId) -> HubResult<PublicKey> {
    let r = sqlx::query("SELECT api_public_key FROM departments WHERE api_key_id = ?").bind(key_id.to_string()).fetch_one(&db.read).await?;
    pk(r.get(0))
}

/// Append an entry to the audit chain inside the caller's transaction (on the single writer
/// connection, so appends are strictly ordered). Returns the new entry.
pub async fn audit(conn: &mut SqliteConnection, at: i64, event: &str, actor: &str, subject: Option<&str>, detail: serde_json::Value) -> HubResult<AuditEntry> {
    let last = sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *conn).await?;
    let (seq, prev) = match last {
        Some(r) => (r.get::<i64, _>(0) as u64 + 1, r.get::<Vec<u8>, _>(1).try_into().map_err(|_| HubError::Internal("bad stored hash".into()))?),
        None => (1, GENESIS),
    };
    let e = AuditEntry { seq, at, prev, event: event.into(), actor: actor.into(), subject: subject.map(str::to_string), detail: detail.to_string() };
    sqlx::query("INSERT INTO audit (seq, at, prev, event, actor, subject, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(seq as i64)
        .bind(at)
        .bind(&prev[..])
        .bind(&e.event)
        .bind(&e.actor)
        .bind(&e.subject)
        .bind(&e.detail)
        .bind(&e.hash()[..])
        .execute(&mut *conn)
        .await?;
    Ok(e)
}

pub fn row_to_entry(r: &sqlx::sqlite::SqliteRow) -> HubResult<(AuditEntry, [u8; 32])> {
    let h = |v: Vec<u8>| -> HubResult<[u8; 32]> { v.try_into().map_err(|_| HubError::Internal("bad stored hash".into())) };
    Ok((
        AuditEntry {
            seq: r.get::<i64, _>("seq") as u64,
            at: r.get("at"),
            prev: h(r.get("prev"))?,
            event: r.get("event"),
            actor: r.get("actor"),
            subject: r.get("subject"),
            detail: r.get("detail"),
        },
        h(r.get("hash"))?,
    ))
}

/// Names of people, for display.
pub async fn person_name(db: &Db, id_number: &str) -> HubResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM people WHERE id_number = ?").bind(id_number).fetch_optional(&db.read).await?)
}
