//! HTTP for proofs a kiosk's self-service matter gives: the kiosk orders and reads them, the
//! issuing department's service reads its orders (pushed on its event stream) and answers, and
//! whoever holds a printed proof checks it.

use super::sse;
use crate::auth::{json, Authed, DeptCaller, TerminalCaller};
use crate::error::HubResult;
use crate::push::department_key;
use crate::service::proofs;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::Json;
use mz_core::api::*;

/// Order the proof a released request's matter gives (the catalogue's `issues`). Ordering again
/// answers the same order without the check token.
#[utoipa::path(post, path = "/v1/terminal/proofs", tag = "terminal", request_body = ProofOrderCreate,
    responses((status = 200, body = ProofOrderView), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn order_proof(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<ProofOrderView>> {
    let req: ProofOrderCreate = json(&a.body)?;
    Ok(Json(proofs::order(&s, &a.who, req).await?))
}

/// One of this terminal's proof orders, with the sealed proof once issued.
#[utoipa::path(get, path = "/v1/terminal/proofs/{id}", tag = "terminal", params(("id" = String, Path)),
    responses((status = 200, body = ProofOrderView), (status = 404, body = ApiError)))]
pub async fn proof_order(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<ProofOrderView>> {
    Ok(Json(proofs::for_terminal(&s, &a.who, &id).await?))
}

/// The department's proof orders still waiting, oldest first.
#[utoipa::path(get, path = "/v1/dept/proof-orders", tag = "department",
    responses((status = 200, body = Vec<DeptProofOrder>), (status = 401, body = ApiError)))]
pub async fn proof_orders(
    State(s): State<AppState>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<Vec<DeptProofOrder>>> {
    Ok(Json(proofs::pending(&s, &a.who).await?))
}

/// Answer an order with the proof, sealed by the department.
#[utoipa::path(post, path = "/v1/dept/proof-orders/{id}/issue", tag = "department", params(("id" = String, Path)), request_body = ProofIssue,
    responses((status = 200, body = IssueResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn issue_proof(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<IssueResponse>> {
    let req: ProofIssue = json(&a.body)?;
    Ok(Json(proofs::issue(&s, &a.who, &id, req).await?))
}

/// Answer an order with a refusal and its reason.
#[utoipa::path(post, path = "/v1/dept/proof-orders/{id}/refuse", tag = "department", params(("id" = String, Path)), request_body = ProofRefusal,
    responses((status = 200, body = DeptProofOrder), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn refuse_proof(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<DeptProofOrder>> {
    let req: ProofRefusal = json(&a.body)?;
    Ok(Json(proofs::refuse(&s, &a.who, &id, req).await?))
}

/// Live pushes to the department: proof orders (server-sent events; first `ready`).
#[utoipa::path(get, path = "/v1/dept/events", tag = "department", responses((status = 200, description = "text/event-stream of PushEvent", body = PushEvent)))]
pub async fn department_events(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    a: Authed<DeptCaller>,
) -> HubResult<impl IntoResponse> {
    let key = department_key(&a.who.code);
    Ok(sse(
        key.clone(),
        s.push.subscribe(&key, super::last_event_id(&headers)),
    ))
}

/// Check a printed proof by the token in its QR code (kept out of URLs: it is the body). The
/// check is in the holder's records.
#[utoipa::path(post, path = "/v1/public/proof-checks", tag = "public", request_body = ProofCheckRequest,
    responses((status = 200, body = ProofCheck), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn check_proof(
    State(s): State<AppState>,
    body: axum::body::Bytes,
) -> HubResult<Json<ProofCheck>> {
    let req: ProofCheckRequest = json(&body)?;
    Ok(Json(proofs::check(&s, req).await?))
}
