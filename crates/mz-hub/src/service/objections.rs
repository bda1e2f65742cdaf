//! Objections (异议): a holder disputes one of their certificates; the issuing department
//! corrects (usually by reissuing with `supersedes`) or rejects it, with a reason.

use super::holder::my_codes;
use crate::auth::{json, DeptCaller, DeviceCaller};
use crate::error::{fail, HubError, HubResult};
use crate::store::{self, new_id};
use crate::AppState;
use mz_core::api::*;
use mz_core::flow::ObjectionState;
use mz_core::ErrorCode;
use sqlx::Row;

const SELECT: &str = "SELECT o.id, o.license_id, c.type_code, o.reason, o.state, o.resolution, o.created_at, o.resolved_at FROM objections o JOIN certificates c ON c.license_id = o.license_id";

fn view(r: &sqlx::any::AnyRow) -> HubResult<ObjectionView> {
    let t: String = r.get(2);
    Ok(ObjectionView {
        objection_id: r.get(0),
        license_id: r.get(1),
        cert_name: mz_core::catalogue::cert_type(&t)
            .map(|t| t.name.to_string())
            .unwrap_or(t),
        reason: r.get(3),
        state: ObjectionState::parse(r.get(4))?,
        resolution: r.get(5),
        created_at: r.get(6),
        resolved_at: r.get(7),
    })
}

fn text(what: &'static str, v: &str) -> HubResult<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > 500 {
        return Err(fail(
            ErrorCode::BadText,
            format!("{what} must be 1–500 characters"),
        ));
    }
    Ok(v.to_string())
}
pub async fn raise(s: &AppState, who: DeviceCaller, body: &[u8]) -> HubResult<ObjectionView> {
    let req: ObjectionRequest = json(body)?;
    let reason = text("reason", &req.reason)?;
    let holder: Option<String> =
        sqlx::query_scalar("SELECT holder_code FROM certificates WHERE license_id = $1")
            .bind(&req.license_id)
            .fetch_optional(&s.db.read)
            .await?;
    let Some(holder) = holder else {
        return Err(HubError::NotFound("certificate"));
    };
    if !my_codes(s, &who).await?.contains(&holder) {
        return Err(HubError::NotFound("certificate"));
    }
    let id = new_id();
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let n = sqlx::query("INSERT INTO objections (id, license_id, holder_code, raised_by, reason, state, created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6) ON CONFLICT DO NOTHING")
        .bind(&id)
        .bind(&req.license_id)
        .bind(&holder)
        .bind(&who.holder_id)
        .bind(&reason)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(fail(
            ErrorCode::ObjectionOpen,
            "there is already an open objection to this certificate",
        ));
    }
    store::audit(
        &mut tx,
        now,
        "objection",
        &format!("device:{}", who.key_id),
        Some(&holder),
        serde_json::json!({ "objection": id, "license_id": req.license_id }),
    )
    .await?;
    tx.commit().await?;
    let r = sqlx::query(&format!("{SELECT} WHERE o.id = $1"))
        .bind(&id)
        .fetch_one(&s.db.read)
        .await?;
    view(&r)
}

pub async fn mine(s: &AppState, who: DeviceCaller) -> HubResult<Vec<ObjectionView>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE o.raised_by = $1 ORDER BY o.created_at DESC"
    ))
    .bind(&who.holder_id)
    .fetch_all(&s.db.read)
    .await?;
    rows.iter().map(view).collect::<HubResult<_>>()
}

pub async fn for_department(s: &AppState, who: DeptCaller) -> HubResult<Vec<ObjectionView>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE c.issuer_code = $1 ORDER BY o.state = 'open' DESC, o.created_at"
    ))
    .bind(&who.code)
    .fetch_all(&s.db.read)
    .await?;
    rows.iter().map(view).collect::<HubResult<_>>()
}

pub async fn resolve(
    s: &AppState,
    id: String,
    who: DeptCaller,
    body: &[u8],
) -> HubResult<ObjectionView> {
    let req: ResolveObjectionRequest = json(body)?;
    let resolution = text("resolution", &req.resolution)?;
    let row = sqlx::query("SELECT o.state, o.holder_code, c.issuer_code FROM objections o JOIN certificates c ON c.license_id = o.license_id WHERE o.id = $1").bind(&id).fetch_optional(&s.db.read).await?;
    let Some(row) = row.filter(|r| r.get::<String, _>(2) == who.code) else {
        return Err(HubError::NotFound("objection"));
    };
    if ObjectionState::parse(row.get(0))? != ObjectionState::Open {
        return Err(fail(
            ErrorCode::AlreadyResolved,
            "this objection was already resolved",
        ));
    }
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    sqlx::query("UPDATE objections SET state = $1, resolution = $2, resolved_at = $3 WHERE id = $4 AND state = 'open'").bind(ObjectionState::from(req.outcome).as_str()).bind(&resolution).bind(now).bind(&id).execute(&mut *tx).await?;
    store::audit(
        &mut tx,
        now,
        "objection_resolved",
        &format!("department:{}", who.code),
        Some(row.get::<&str, _>(1)),
        serde_json::json!({ "objection": id, "outcome": req.outcome.as_str() }),
    )
    .await?;
    tx.commit().await?;
    let r = sqlx::query(&format!("{SELECT} WHERE o.id = $1"))
        .bind(&id)
        .fetch_one(&s.db.read)
        .await?;
    view(&r)
}
