//! Objections (异议) in storage. Every change of state is decided by its own UPDATE inside the
//! caller's write transaction (`WHERE state = 'open'`), so two departments resolving at once
//! cannot both succeed.

use super::audit::WriteTx;
use super::Db;
use crate::error::HubResult;
use mz_core::api::ObjectionView;
use mz_core::flow::ObjectionState;
use sqlx::Row;

const SELECT: &str = "SELECT o.id, o.license_id, c.type_code, o.reason, o.state, o.resolution, o.created_at, o.resolved_at \
    FROM objections o JOIN certificates c ON c.license_id = o.license_id";

fn view(r: &sqlx::any::AnyRow) -> HubResult<ObjectionView> {
    let t: String = r.get(2);
    Ok(ObjectionView {
        objection_id: r.get(0),
        license_id: r.get(1),
        // The type code: the service names it from the catalogue.
        cert_name: t,
        reason: r.get(3),
        state: ObjectionState::parse(r.get(4))?,
        resolution: r.get(5),
        created_at: r.get(6),
        resolved_at: r.get(7),
    })
}

/// One objection.
pub async fn get(db: &Db, id: &str) -> HubResult<ObjectionView> {
    let r = sqlx::query(&format!("{SELECT} WHERE o.id = $1"))
        .bind(id)
        .fetch_one(&db.read)
        .await?;
    view(&r)
}

/// The objections a holder raised, newest first.
pub async fn raised_by(db: &Db, holder_id: &str) -> HubResult<Vec<ObjectionView>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE o.raised_by = $1 ORDER BY o.created_at DESC"
    ))
    .bind(holder_id)
    .fetch_all(&db.read)
    .await?;
    rows.iter().map(view).collect()
}

/// The objections to a department's certificates, open ones first.
pub async fn to_issuer(db: &Db, issuer_code: &str) -> HubResult<Vec<ObjectionView>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE c.issuer_code = $1 ORDER BY o.state = $2 DESC, o.created_at"
    ))
    .bind(issuer_code)
    .bind(ObjectionState::Open.as_str())
    .fetch_all(&db.read)
    .await?;
    rows.iter().map(view).collect()
}

/// Whose certificate `license_id` is (its holder's code), if it exists.
pub async fn certificate_holder(db: &Db, license_id: &str) -> HubResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT holder_code FROM certificates WHERE license_id = $1")
            .bind(license_id)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// An objection's certificate: (its issuer's code, its holder's code).
pub async fn parties(db: &Db, id: &str) -> HubResult<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT c.issuer_code, o.holder_code FROM objections o JOIN certificates c ON c.license_id = o.license_id WHERE o.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?)
}

/// A new open objection; false when one is open for that certificate already.
pub struct NewObjection<'a> {
    pub id: &'a str,
    pub license_id: &'a str,
    pub holder_code: &'a str,
    pub raised_by: &'a str,
    pub reason: &'a str,
    pub now: i64,
}

pub async fn open(tx: &mut WriteTx, o: NewObjection<'_>) -> HubResult<bool> {
    let n = sqlx::query(
        "INSERT INTO objections (id, license_id, holder_code, raised_by, reason, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(o.id)
    .bind(o.license_id)
    .bind(o.holder_code)
    .bind(o.raised_by)
    .bind(o.reason)
    .bind(ObjectionState::Open.as_str())
    .bind(o.now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Resolve an open objection; false when it was not open (already resolved).
pub async fn resolve(
    tx: &mut WriteTx,
    id: &str,
    to: ObjectionState,
    resolution: &str,
    now: i64,
) -> HubResult<bool> {
    let n = sqlx::query(
        "UPDATE objections SET state = $1, resolution = $2, resolved_at = $3 WHERE id = $4 AND state = $5",
    )
    .bind(to.as_str())
    .bind(resolution)
    .bind(now)
    .bind(id)
    .bind(ObjectionState::Open.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}
