//! Delegation grants (授权他人使用) in storage. Revoking is decided by its UPDATE inside the
//! caller's write transaction (`WHERE revoked_at IS NULL`): of two revocations at once, one is
//! done and audited.

use super::audit::WriteTx;
use super::Db;
use crate::error::HubResult;
use crate::service::{json_list, parse_list};
use mz_core::flow::{PrincipalKind, RequestState};
use sqlx::Row;

/// A grant as stored.
pub struct StoredGrant {
    pub id: String,
    pub principal_kind: PrincipalKind,
    pub principal_code: String,
    /// The holder (device owner) who made it.
    pub principal_holder: String,
    pub agent_id_number: String,
    pub cert_types: Vec<String>,
    pub matters: Vec<String>,
    pub valid_from: i64,
    pub valid_to: i64,
    pub revoked_at: Option<i64>,
}

pub async fn get(db: &Db, id: &str) -> HubResult<Option<StoredGrant>> {
    let r = sqlx::query(
        "SELECT id, principal_kind, principal_code, principal_holder, agent_id_number, cert_types, \
         matters, valid_from, valid_to, revoked_at FROM grants WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    r.map(|r| {
        Ok(StoredGrant {
            id: r.get(0),
            principal_kind: PrincipalKind::parse(r.get(1))?,
            principal_code: r.get(2),
            principal_holder: r.get(3),
            agent_id_number: r.get(4),
            cert_types: parse_list(r.get(5)),
            matters: parse_list(r.get(6)),
            valid_from: r.get(7),
            valid_to: r.get(8),
            revoked_at: r.get(9),
        })
    })
    .transpose()
}

/// How many requests under a grant its agent got approved (all or part).
pub async fn uses(db: &Db, id: &str) -> HubResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM auth_requests WHERE grant_id = $1 AND state IN ($2, $3)",
    )
    .bind(id)
    .bind(RequestState::Approved.as_str())
    .bind(RequestState::PartlyApproved.as_str())
    .fetch_one(&db.read)
    .await?)
}

/// The grants a holder made, newest first.
pub async fn made_by(db: &Db, holder_id: &str) -> HubResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM grants WHERE principal_holder = $1 ORDER BY created_at DESC",
    )
    .bind(holder_id)
    .fetch_all(&db.read)
    .await?)
}

/// The grants made to an agent, newest first.
pub async fn made_to(db: &Db, agent_id_number: &str) -> HubResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM grants WHERE agent_id_number = $1 ORDER BY created_at DESC",
    )
    .bind(agent_id_number)
    .fetch_all(&db.read)
    .await?)
}

/// An enterprise's legal representative (their ID number), if the enterprise is registered.
pub async fn legal_representative(db: &Db, uscc: &str) -> HubResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT legal_rep FROM enterprises WHERE uscc = $1")
            .bind(uscc)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// A new grant, signed by its principal's device.
pub struct NewGrant<'a> {
    pub id: &'a str,
    pub principal_kind: PrincipalKind,
    pub principal_code: &'a str,
    pub principal_holder: &'a str,
    pub agent_id_number: &'a str,
    pub cert_types: &'a [String],
    pub matters: &'a [String],
    pub valid_from: i64,
    pub valid_to: i64,
    pub signed: &'a [u8],
    pub now: i64,
}

/// Keep a new grant; false when one with its id exists.
pub async fn insert(tx: &mut WriteTx, g: NewGrant<'_>) -> HubResult<bool> {
    let n = sqlx::query(
        "INSERT INTO grants (id, principal_kind, principal_code, principal_holder, agent_id_number, \
         cert_types, matters, valid_from, valid_to, signed, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT(id) DO NOTHING",
    )
    .bind(g.id)
    .bind(g.principal_kind.as_str())
    .bind(g.principal_code)
    .bind(g.principal_holder)
    .bind(g.agent_id_number)
    .bind(json_list(g.cert_types))
    .bind(json_list(g.matters))
    .bind(g.valid_from)
    .bind(g.valid_to)
    .bind(g.signed)
    .bind(g.now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Revoke a grant with its signed revocation; false when it was revoked already.
pub async fn revoke(tx: &mut WriteTx, id: &str, signed: &[u8], now: i64) -> HubResult<bool> {
    let n = sqlx::query(
        "UPDATE grants SET revoked_at = $1, revocation = $2 WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(signed)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}
