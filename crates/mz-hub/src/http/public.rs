//! HTTP for anyone: the hub's identity, the catalogue, terminals' and departments' keys, public lookup, checkpoints, receipts, sessions.

use crate::auth::{Authed, Caller};
use crate::error::HubResult;
use crate::service::public::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::IntoResponse;
use axum::Json;
use mz_core::api::*;
use serde::Deserialize;

#[utoipa::path(get, path = "/v1/hub", tag = "public", responses((status = 200, body = HubInfo)))]
pub async fn hub_info(State(s): State<AppState>) -> Json<HubInfo> {
    Json(HubInfo {
        region: s.region.to_string(),
        name: s.name.clone(),
        hub_key: s.hub_public_key(),
        time: s.now(),
    })
}

/// The catalogue as the operators last imported it (`mz-hub catalogue import`).
#[utoipa::path(get, path = "/v1/catalogue", tag = "public", responses((status = 200, body = CatalogueView)))]
pub async fn catalogue(State(s): State<AppState>) -> HubResult<axum::response::Response> {
    let current = s.catalogue().await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        axum::body::Bytes::from_owner(current.view.clone()),
    )
        .into_response())
}

/// Who a terminal is: the wallet checks a kiosk's login code against this before it asks the
/// holder to approve.
#[utoipa::path(get, path = "/v1/public/terminals/{id}", tag = "public", params(("id" = String, Path)), responses((status = 200, body = TerminalInfo), (status = 404, body = ApiError)))]
pub async fn terminal_info(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> HubResult<Json<TerminalInfo>> {
    Ok(Json(terminal_view(&s, &id).await?))
}

/// Issuing departments and their seal keys, to verify seals offline.
#[utoipa::path(get, path = "/v1/public/departments", tag = "public", responses((status = 200, body = Vec<DepartmentInfo>)))]
pub async fn departments(State(s): State<AppState>) -> HubResult<Json<Vec<DepartmentInfo>>> {
    Ok(Json(department_infos(&s, None).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// Catalogue code of the certificate type (e.g. `pollutant_permit`).
    #[serde(rename = "type")]
    pub cert_type: String,
    /// Part of the holder's name (an enterprise's name).
    pub holder: String,
}

/// 电子证照社会公示: disclosable certificates (e.g. 排污许可证) by type and holder name.
#[utoipa::path(get, path = "/v1/public/certificates", tag = "public", params(LookupQuery), responses((status = 200, body = Vec<PublicCertificate>), (status = 400, body = ApiError)))]
pub async fn lookup(
    State(s): State<AppState>,
    uri: Uri,
) -> HubResult<Json<Vec<PublicCertificate>>> {
    let q: LookupQuery = super::query(&uri)?;
    Ok(Json(lookup_here(&s, &q.cert_type, &q.holder).await?))
}

/// Public lookup in a region (行政区划代码) that this hub or another holds: asked through the
/// hubs when it is not this one's; the answer carries the issuers' seal keys.
#[utoipa::path(get, path = "/v1/public/regions/{region}/certificates", tag = "public", params(("region" = String, Path), LookupQuery),
    responses((status = 200, body = PublicLookup), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 503, body = ApiError)))]
pub async fn lookup_in_region(
    State(s): State<AppState>,
    Path(region): Path<String>,
    uri: Uri,
) -> HubResult<Json<PublicLookup>> {
    let q: LookupQuery = super::query(&uri)?;
    let region = mz_core::ids::RegionCode::parse(&region)?;
    s.catalogue().await?.cert_type(&q.cert_type)?;
    if s.region.contains(&region) {
        return Ok(Json(
            lookup_with_issuers(&s, &q.cert_type, &q.holder).await?,
        ));
    }
    Ok(Json(
        crate::service::federation::lookup(&s, &region, &q.cert_type, &q.holder).await?,
    ))
}

/// The latest signed checkpoint of the audit chain (the hub signs one every few minutes when
/// the chain moved).
#[utoipa::path(get, path = "/v1/public/checkpoint", tag = "public", responses((status = 200, body = CheckpointView), (status = 404, body = ApiError)))]
pub async fn checkpoint(State(s): State<AppState>) -> HubResult<Json<CheckpointView>> {
    Ok(Json(latest_checkpoint(&s).await?))
}

/// Exchange one signed request for a short-lived bearer token (saves a signature check per
/// call on busy terminals).
#[utoipa::path(post, path = "/v1/session", tag = "auth", responses((status = 200, body = SessionToken), (status = 401, body = ApiError)))]
pub async fn open_session(
    State(s): State<AppState>,
    a: Authed<Caller>,
) -> HubResult<Json<SessionToken>> {
    Ok(Json(session(&s, a.key_id, a.by_session)?))
}

/// Check a printed or archived form against the hub (its QR code points here).
#[utoipa::path(get, path = "/v1/public/releases/{id}", tag = "public", params(("id" = String, Path)), responses((status = 200, body = ReleaseReceipt), (status = 404, body = ApiError)))]
pub async fn receipt(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> HubResult<Json<ReleaseReceipt>> {
    Ok(Json(crate::service::public::receipt(&s, id).await?))
}
