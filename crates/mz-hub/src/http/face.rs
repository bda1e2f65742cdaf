//! HTTP for live face checks (实人): the holder's own, proxy applications, and a counter's check of a holder without a phone.

use crate::auth::{Authed, DeviceCaller, EnrollingDevice, TerminalCaller};
use crate::error::HubResult;
use crate::service::face::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use mz_core::api::*;

/// My own live face check, bound to this device's key: on a pass a pending device is
/// confirmed and my enrolment becomes 实名 + 实人.
#[utoipa::path(post, path = "/v1/me/face-challenge", tag = "face", responses((status = 200, body = FaceChallenge), (status = 409, body = ApiError), (status = 503, body = ApiError)))]
pub async fn my_challenge(
    State(s): State<AppState>,
    a: Authed<EnrollingDevice>,
) -> HubResult<Json<FaceChallenge>> {
    Ok(Json(crate::service::face::my_challenge(&s, a.who).await?))
}

/// Apply for someone else (代办): check who they are and that they are eligible, then open the
/// application and the face challenge they must pass in front of the agent's camera.
#[utoipa::path(post, path = "/v1/me/proxy-applications", tag = "face", request_body = ProxyApplicationRequest,
    responses((status = 200, body = ProxyApplicationCreated), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn open_proxy(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<ProxyApplicationCreated>> {
    Ok(Json(
        crate::service::face::open_proxy(&s, a.who.clone(), &a.body, &a.asker()).await?,
    ))
}

/// Applications I filed for others.
#[utoipa::path(get, path = "/v1/me/proxy-applications", tag = "face", responses((status = 200, body = Vec<ApplicationView>)))]
pub async fn my_proxy_applications(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<Vec<ApplicationView>>> {
    Ok(Json(
        crate::service::face::my_proxy_applications(&s, a.who).await?,
    ))
}

/// Send the filmed frames of a challenge; the hub decides.
#[utoipa::path(post, path = "/v1/face/challenges/{id}/frames", tag = "face", request_body = FaceFrames,
    params(("id" = String, Path, description = "challenge id")),
    responses((status = 200, body = FaceOutcome), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError), (status = 422, body = ApiError)))]
pub async fn frames(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<EnrollingDevice, MAX_FRAMES_BODY>,
) -> HubResult<Json<FaceOutcome>> {
    Ok(Json(
        crate::service::face::frames(&s, id, a.who, &a.body).await?,
    ))
}

/// A counter starts a face check for a holder without a phone (窗口刷脸, seed 002): staff
/// enter the ID number and name; the person faces the counter's camera.
#[utoipa::path(post, path = "/v1/terminal/face-checks", tag = "face", request_body = CounterFaceCheckRequest,
    responses((status = 200, body = FaceChallenge), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 503, body = ApiError)))]
pub async fn counter_check(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<FaceChallenge>> {
    Ok(Json(
        crate::service::face::counter_check(&s, a.who.clone(), &a.body, &a.asker()).await?,
    ))
}

/// The counter sends the frames its camera filmed; on a pass it may ask authorization for this
/// person as if they had shown their identity code, and the person consents on the tablet.
#[utoipa::path(post, path = "/v1/terminal/face-checks/{id}/frames", tag = "face", request_body = FaceFrames,
    params(("id" = String, Path, description = "challenge id")),
    responses((status = 200, body = FaceOutcome), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError), (status = 422, body = ApiError)))]
pub async fn counter_frames(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller, MAX_FRAMES_BODY>,
) -> HubResult<Json<FaceOutcome>> {
    Ok(Json(
        crate::service::face::counter_frames(&s, id, a.who, &a.body).await?,
    ))
}

/// The person's own choice on the counter's tablet, for a request made after a passed face
/// check at this counter (they have no device to approve on).
#[utoipa::path(post, path = "/v1/terminal/auth-requests/{id}/consent", tag = "face", request_body = CounterConsentRequest,
    params(("id" = String, Path, description = "authorization request id")),
    responses((status = 200, body = AuthRequestView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn counter_consent(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<AuthRequestView>> {
    Ok(Json(
        crate::service::face::counter_consent(&s, id, a.who, &a.body).await?,
    ))
}
