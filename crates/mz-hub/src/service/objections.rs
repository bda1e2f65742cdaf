//! Objections (异议): a holder disputes one of their certificates; the issuing department
//! corrects (usually by reissuing with `supersedes`) or rejects it, with a reason.

use super::holder::my_codes;
use crate::auth::{json, DeptCaller, DeviceCaller};
use crate::error::{fail, HubError, HubResult};
use crate::store::objections::{self as stored, NewObjection};
use crate::store::{self, new_id};
use crate::AppState;
use mz_core::api::*;
use mz_core::ErrorCode;

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

/// A holder disputes one of their own certificates (one open objection per certificate).
pub async fn raise(s: &AppState, who: DeviceCaller, body: &[u8]) -> HubResult<ObjectionView> {
    let req: ObjectionRequest = json(body)?;
    let reason = text("reason", &req.reason)?;
    let holder = stored::certificate_holder(&s.db, &req.license_id).await?;
    let Some(holder) = holder else {
        return Err(HubError::NotFound("certificate"));
    };
    if !my_codes(s, &who).await?.contains(&holder) {
        return Err(HubError::NotFound("certificate"));
    }
    let id = new_id();
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let new = NewObjection {
        id: &id,
        license_id: &req.license_id,
        holder_code: &holder,
        raised_by: &who.holder_id,
        reason: &reason,
        now,
    };
    if !stored::open(&mut tx, new).await? {
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
    named(s, vec![stored::get(&s.db, &id).await?])
        .await
        .map(|mut v| v.remove(0))
}

/// The objections I raised.
pub async fn mine(s: &AppState, who: DeviceCaller) -> HubResult<Vec<ObjectionView>> {
    named(s, stored::raised_by(&s.db, &who.holder_id).await?).await
}

/// The objections to this department's certificates.
pub async fn for_department(s: &AppState, who: DeptCaller) -> HubResult<Vec<ObjectionView>> {
    named(s, stored::to_issuer(&s.db, &who.code).await?).await
}

/// The stored views name the certificate by its type code; give the catalogue's name.
async fn named(s: &AppState, mut views: Vec<ObjectionView>) -> HubResult<Vec<ObjectionView>> {
    let catalogue = s.catalogue().await?;
    for v in &mut views {
        if let Ok(t) = catalogue.cert_type(&v.cert_name) {
            v.cert_name = t.name.clone();
        }
    }
    Ok(views)
}

/// The issuing department corrects or rejects an open objection. The state changes inside the
/// transaction that audits it: of two resolutions at once, one wins and the other is told.
pub async fn resolve(
    s: &AppState,
    id: String,
    who: DeptCaller,
    body: &[u8],
) -> HubResult<ObjectionView> {
    let req: ResolveObjectionRequest = json(body)?;
    let resolution = text("resolution", &req.resolution)?;
    let parties = stored::parties(&s.db, &id).await?;
    let Some((_, holder)) = parties.filter(|(issuer, _)| *issuer == who.code) else {
        return Err(HubError::NotFound("objection"));
    };
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    if !stored::resolve(&mut tx, &id, req.outcome.into(), &resolution, now).await? {
        return Err(fail(
            ErrorCode::AlreadyResolved,
            "this objection was already resolved",
        ));
    }
    store::audit(
        &mut tx,
        now,
        "objection_resolved",
        &who.actor(),
        Some(&holder),
        serde_json::json!({ "objection": id, "outcome": req.outcome.as_str() }),
    )
    .await?;
    tx.commit().await?;
    named(s, vec![stored::get(&s.db, &id).await?])
        .await
        .map(|mut v| v.remove(0))
}
