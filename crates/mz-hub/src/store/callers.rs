//! Who a key belongs to, ids, and names for display.

use super::Db;
use crate::auth::{Caller, DeptCaller, DeviceCaller, PeerCaller, TerminalCaller};
use crate::error::{HubError, HubResult};
use mz_core::crypto::{KeyId, PublicKey};
use mz_core::flow::{DeviceState, PeerRole, PrincipalKind, TerminalKind};
use mz_core::ids::IdNumber;
use sqlx::Row;

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn pk(bytes: Vec<u8>) -> HubResult<PublicKey> {
    PublicKey::from_bytes(&bytes)
        .map_err(|e| HubError::Internal(format!("stored key unreadable: {e}")))
}

/// Find the device, terminal or department that owns `key_id`.
pub async fn caller_by_key(db: &Db, key_id: KeyId) -> HubResult<Option<Caller>> {
    let k = key_id.to_string();
    if let Some(r) = sqlx::query(
        "SELECT d.public_key, h.id, h.id_number, p.name, d.state FROM devices d JOIN holders h ON h.id = d.holder \
         JOIN people p ON p.id_number = h.id_number WHERE d.key_id = $1 AND d.state <> $2 AND d.revoked_at IS NULL",
    )
    .bind(&k)
    .bind(DeviceState::Removed.as_str())
    .fetch_optional(&db.read)
    .await?
    {
        return Ok(Some(Caller::Device(DeviceCaller {
            key_id,
            public_key: pk(r.get(0))?,
            holder_id: r.get(1),
            id_number: IdNumber::parse(r.get::<&str, _>(2))?,
            name: r.get(3),
            state: DeviceState::parse(r.get(4))?,
        })));
    }
    if let Some(r) = sqlx::query("SELECT id, kind, name, place, region, department, public_key FROM terminals WHERE key_id = $1 AND active = 1")
        .bind(&k)
        .fetch_optional(&db.read)
        .await?
    {
        return Ok(Some(Caller::Terminal(TerminalCaller {
            id: r.get(0),
            kind: TerminalKind::parse(r.get(1))?,
            name: r.get(2),
            place: r.get(3),
            region: r.get(4),
            department: r.get(5),
            public_key: pk(r.get(6))?,
        })));
    }
    if let Some(r) = sqlx::query(
        "SELECT code, name, region FROM departments WHERE api_key_id = $1 AND origin IS NULL AND deactivated_at IS NULL",
    )
    .bind(&k)
    .fetch_optional(&db.read)
    .await?
    {
        return Ok(Some(Caller::Department(DeptCaller {
            code: r.get(0),
            name: r.get(1),
            region: r.get(2),
            console: None,
        })));
    }
    if let Some(r) =
        sqlx::query("SELECT region, role, name, public_key FROM peers WHERE key_id = $1")
            .bind(&k)
            .fetch_optional(&db.read)
            .await?
    {
        return Ok(Some(Caller::Hub(PeerCaller {
            region: mz_core::ids::RegionCode::parse(r.get::<&str, _>(0))?,
            role: PeerRole::parse(r.get(1))?,
            name: r.get(2),
            public_key: pk(r.get(3))?,
        })));
    }
    Ok(None)
}

pub async fn department_api_key(db: &Db, key_id: KeyId) -> HubResult<PublicKey> {
    let r = sqlx::query("SELECT api_public_key FROM departments WHERE api_key_id = $1")
        .bind(key_id.to_string())
        .fetch_one(&db.read)
        .await?;
    pk(r.get(0))
}

/// Names of people, for display.
pub async fn person_name(db: &Db, id_number: &str) -> HubResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM people WHERE id_number = $1")
            .bind(id_number)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Display name of a grant's principal: a person's name or an enterprise's name.
pub async fn principal_name(db: &Db, kind: PrincipalKind, code: &str) -> HubResult<String> {
    let name = if kind == PrincipalKind::Person {
        person_name(db, code).await?
    } else {
        sqlx::query_scalar("SELECT name FROM enterprises WHERE uscc = $1")
            .bind(code)
            .fetch_optional(&db.read)
            .await?
    };
    Ok(name.unwrap_or_default())
}
