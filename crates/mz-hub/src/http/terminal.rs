//! HTTP for terminals (counters and kiosks): enrolment, pushes, redemption, authorization requests and releases, kiosk login sessions.

use super::sse;
use crate::auth::{check_signature, json, Authed, RawSigned, TerminalCaller};
use crate::error::{HubError, HubResult};
use crate::push::terminal_key;
use crate::service::federation;
use crate::service::{authorization, login, redemption};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::Json;
use mz_core::api::*;

#[utoipa::path(post, path = "/v1/terminals/enrol", tag = "terminal", request_body = TerminalEnrolRequest,
    responses((status = 200, body = TerminalInfo), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn enrol(State(s): State<AppState>, req: RawSigned) -> HubResult<Json<TerminalInfo>> {
    let body: TerminalEnrolRequest = json(&req.body)?;
    // Proof of possession: the request is signed with the key being registered.
    check_signature(&s, &req.parts, &req.body, &body.public_key)?;
    Ok(Json(crate::service::terminal::enrol(&s, body).await?))
}

/// Live pushes to this terminal: decisions and logins (server-sent events; first `ready`).
#[utoipa::path(get, path = "/v1/terminal/events", tag = "terminal", responses((status = 200, description = "text/event-stream of PushEvent", body = PushEvent)))]
pub async fn events(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    a: Authed<TerminalCaller>,
) -> HubResult<impl IntoResponse> {
    let key = terminal_key(&a.who.id);
    Ok(sse(
        key.clone(),
        s.push.subscribe(&key, super::last_event_id(&headers)),
    ))
}

#[utoipa::path(post, path = "/v1/terminal/redeem", tag = "terminal", request_body = RedeemRequest,
    responses((status = 200, body = Redemption), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn redeem(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<Redemption>> {
    let req: RedeemRequest = json(&a.body)?;
    Ok(Json(
        redemption::redeem_at_counter(&s, &a.who, &req.code).await?,
    ))
}

#[utoipa::path(post, path = "/v1/terminal/auth-requests", tag = "terminal", request_body = AuthRequestCreate,
    responses((status = 200, body = AuthRequestView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn create_request(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<AuthRequestView>> {
    let req: AuthRequestCreate = json(&a.body)?;
    Ok(Json(
        authorization::request_at_counter(&s, &a.who, req).await?,
    ))
}

/// Staff look a holder up by ID number (or an enterprise by 统一社会信用代码) and name, and ask
/// for a matter's certificates: the holder (legal representative) approves on their phone.
#[utoipa::path(post, path = "/v1/terminal/lookups", tag = "terminal", request_body = StaffLookupRequest,
    responses((status = 200, body = AuthRequestView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 429, body = ApiError)))]
pub async fn staff_lookup(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<AuthRequestView>> {
    Ok(Json(
        crate::service::lookup::staff_lookup(&s, &a.who, &a.body, &a.asker()).await?,
    ))
}

#[utoipa::path(get, path = "/v1/terminal/auth-requests/{id}", tag = "terminal", params(("id" = String, Path)), responses((status = 200, body = AuthRequestView), (status = 404, body = ApiError)))]
pub async fn get_request(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<AuthRequestView>> {
    if let Some(owner) = federation::remote_owner(&s, &id, "request", &a.who).await? {
        return Ok(Json(
            federation::get_request(&s, &a.who, &owner, &id).await?,
        ));
    }
    Ok(Json(authorization::request_for(&s, &a.who, &id).await?))
}

/// Exactly the certificates the holder approved. Safe to retry: fetched again by the same
/// terminal within the release window, the same certificates (a lost answer is not lost).
#[utoipa::path(post, path = "/v1/terminal/auth-requests/{id}/release", tag = "terminal", params(("id" = String, Path)),
    responses((status = 200, body = Release), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn release(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<Release>> {
    if let Some(owner) = federation::remote_owner(&s, &id, "request", &a.who).await? {
        return Ok(Json(federation::release(&s, &a.who, &owner, &id).await?));
    }
    Ok(Json(
        authorization::release_approved(&s, &a.who, &id).await?,
    ))
}

#[utoipa::path(post, path = "/v1/terminal/login-sessions", tag = "terminal", responses((status = 200, body = LoginSessionCreated), (status = 403, body = ApiError)))]
pub async fn open_login(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<LoginSessionCreated>> {
    Ok(Json(crate::service::login::open_login(&s, a.who).await?))
}

#[utoipa::path(get, path = "/v1/terminal/login-sessions/{id}", tag = "terminal", params(("id" = String, Path)), responses((status = 200, body = LoginSessionView), (status = 404, body = ApiError)))]
pub async fn get_login(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<LoginSessionView>> {
    let (v, terminal) = login::login_view(&s, &id).await?;
    if terminal != a.who.id {
        return Err(HubError::NotFound("login session"));
    }
    Ok(Json(v))
}

/// 亮码登录: the kiosk scanned the holder's identity code.
#[utoipa::path(post, path = "/v1/terminal/login-sessions/{id}/identity-code", tag = "terminal", params(("id" = String, Path)), request_body = IdentityLoginRequest,
    responses((status = 200, body = LoginSessionView), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn login_by_identity_code(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<LoginSessionView>> {
    Ok(Json(
        crate::service::login::login_by_identity_code(&s, id, a.who, &a.body).await?,
    ))
}

#[utoipa::path(post, path = "/v1/terminal/login-sessions/{id}/end", tag = "terminal", params(("id" = String, Path)), responses((status = 200, body = LoginSessionView), (status = 404, body = ApiError)))]
pub async fn end_login(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<LoginSessionView>> {
    Ok(Json(crate::service::login::end_login(&s, id, a.who).await?))
}

#[utoipa::path(post, path = "/v1/terminal/login-sessions/{id}/auth-requests", tag = "terminal", params(("id" = String, Path)), request_body = SessionAuthRequest,
    responses((status = 200, body = AuthRequestView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn session_request(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<AuthRequestView>> {
    let req: SessionAuthRequest = json(&a.body)?;
    Ok(Json(login::request_in_session(&s, &a.who, &id, req).await?))
}
