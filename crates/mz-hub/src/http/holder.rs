//! HTTP for holders' devices: enrolment, codes' holder::handles, certificates, authorization prompts and decisions, kiosk logins, delegation::grants, records.

use super::sse;
use crate::auth::{
    check_signature, json, peer_addr, Asker, Authed, DeviceCaller, EnrollingDevice, RawSigned,
};
use crate::error::{HubError, HubResult};
use crate::push::holder_key;
use crate::service::{authorization, enrolment, holder};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::http::Uri;
use axum::response::IntoResponse;
use axum::Json;
use mz_core::api::*;

#[utoipa::path(post, path = "/v1/enrol", tag = "holder", request_body = EnrolRequest,
    responses((status = 200, body = EnrolResponse), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn enrol(State(s): State<AppState>, req: RawSigned) -> HubResult<Json<EnrolResponse>> {
    let body: EnrolRequest = json(&req.body)?;
    // Proof of possession: the request is signed with the key being registered.
    check_signature(&s, &req.parts, &req.body, &body.device_public_key)?;
    let asker = Asker {
        key: Some(body.device_public_key.key_id()),
        addr: peer_addr(&req.parts),
    };
    Ok(Json(enrolment::enrol_holder(&s, body, &asker).await?))
}

/// The holder's profile; a pending device may call this (its `device_state` says so).
#[utoipa::path(get, path = "/v1/me", tag = "holder", responses((status = 200, body = Profile), (status = 401, body = ApiError)))]
pub async fn me(State(s): State<AppState>, a: Authed<EnrollingDevice>) -> HubResult<Json<Profile>> {
    Ok(Json(crate::service::enrolment::me(&s, a.who).await?))
}

/// One-time opaque holder::handles the device puts in its codes (no personal data in a code).
#[utoipa::path(post, path = "/v1/me/handles", tag = "holder", params(holder::HandlesQuery), responses((status = 200, body = HandlesResponse), (status = 409, body = ApiError)))]
pub async fn handles(
    State(s): State<AppState>,
    uri: Uri,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<HandlesResponse>> {
    let q: holder::HandlesQuery = super::query(&uri)?;
    Ok(Json(crate::service::holder::handles(&s, q, a.who).await?))
}

/// My certificates, and those of enterprises I represent.
#[utoipa::path(get, path = "/v1/me/certificates", tag = "holder", responses((status = 200, body = Vec<CertificateView>)))]
pub async fn certificates(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<Vec<CertificateView>>> {
    let codes = holder::my_codes(&s, &a.who).await?;
    Ok(Json(holder::cert_views(&s, &codes, None).await?))
}

/// Live pushes to this holder (server-sent events; first event `ready`).
#[utoipa::path(get, path = "/v1/me/events", tag = "holder", responses((status = 200, description = "text/event-stream of PushEvent", body = PushEvent)))]
pub async fn events(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    a: Authed<DeviceCaller>,
) -> HubResult<impl IntoResponse> {
    let key = holder_key(&a.who.holder_id);
    Ok(sse(
        key.clone(),
        s.push.subscribe(&key, super::last_event_id(&headers)),
    ))
}

/// Authorization requests waiting for enrolment::me (e.g. after the app was closed).
#[utoipa::path(get, path = "/v1/me/auth-requests", tag = "holder", params(authorization::PendingQuery), responses((status = 200, body = Vec<AuthRequestView>)))]
pub async fn pending_requests(
    State(s): State<AppState>,
    uri: Uri,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<Vec<AuthRequestView>>> {
    let q: authorization::PendingQuery = super::query(&uri)?;
    Ok(Json(
        crate::service::authorization::pending_requests(&s, q, a.who).await?,
    ))
}

#[utoipa::path(get, path = "/v1/me/auth-requests/{id}", tag = "holder", params(("id" = String, Path)), responses((status = 200, body = AuthRequestView), (status = 404, body = ApiError)))]
pub async fn get_request(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<AuthRequestView>> {
    let (view, _, approver) = authorization::request_view(&s, &id).await?;
    if approver != a.who.holder_id {
        return Err(HubError::NotFound("authorization request"));
    }
    Ok(Json(view))
}

/// Approve all, some or none of what a terminal asked for; the decision is signed by the device.
#[utoipa::path(post, path = "/v1/me/auth-requests/{id}/decision", tag = "holder", params(("id" = String, Path)), request_body = DecisionRequest,
    responses((status = 200, body = AuthRequestView), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn decide(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<AuthRequestView>> {
    let req: DecisionRequest = json(&a.body)?;
    Ok(Json(
        authorization::decide_request(&s, &a.who, &id, &req.decision).await?,
    ))
}

/// Log in to a kiosk whose login code the wallet scanned and verified.
#[utoipa::path(post, path = "/v1/me/login-approvals", tag = "holder", request_body = LoginApprovalRequest,
    responses((status = 200, body = LoginSessionView), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn approve_login(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<LoginSessionView>> {
    Ok(Json(
        crate::service::holder::approve_login(&s, a.who, &a.body).await?,
    ))
}

/// Grant an agent certain certificates for a period (person → person, or an enterprise's legal
/// representative → staff).
#[utoipa::path(post, path = "/v1/me/grants", tag = "holder", request_body = GrantRequest,
    responses((status = 200, body = GrantView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn grant(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<GrantView>> {
    Ok(Json(
        crate::service::delegation::grant(&s, a.who.clone(), &a.body, &a.asker()).await?,
    ))
}

/// What I granted and what I was granted.
#[utoipa::path(get, path = "/v1/me/grants", tag = "holder", responses((status = 200, body = GrantsView)))]
pub async fn grants(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<GrantsView>> {
    Ok(Json(crate::service::delegation::grants(&s, a.who).await?))
}

/// Revoke a delegation::grant at once; the next use is refused.
#[utoipa::path(post, path = "/v1/me/grants/{id}/revoke", tag = "holder", params(("id" = String, Path)), request_body = RevokeGrantRequest,
    responses((status = 200, body = GrantView), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn revoke_grant(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<GrantView>> {
    Ok(Json(
        crate::service::delegation::revoke_grant(&s, id, a.who, &a.body).await?,
    ))
}

/// My records (用证记录): every release, refusal, delegation::grant and login about me.
#[utoipa::path(get, path = "/v1/me/audit", tag = "holder", responses((status = 200, body = Vec<AuditEntryView>)))]
pub async fn audit(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<Vec<AuditEntryView>>> {
    Ok(Json(holder::my_audit(&s, &a.who).await?))
}

/// The same records as JSON Lines, for download.
#[utoipa::path(get, path = "/v1/me/audit/export", tag = "holder", responses((status = 200, content_type = "application/x-ndjson", body = String)))]
pub async fn audit_export(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<impl IntoResponse> {
    let out = crate::service::holder::audit_export(&s, a.who).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mianzheng-records.jsonl\"",
            ),
        ],
        out,
    ))
}
