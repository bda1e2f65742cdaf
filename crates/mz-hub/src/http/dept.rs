//! HTTP for issuing departments: issue and revoke certificates.

use crate::auth::{json, Authed, DeptCaller};
use crate::error::HubResult;
use crate::service::dept::*;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use mz_core::api::*;

#[utoipa::path(post, path = "/v1/dept/certificates", tag = "department", request_body = IssueRequest,
    responses((status = 200, body = IssueResponse), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn issue(
    State(s): State<AppState>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<IssueResponse>> {
    let req: IssueRequest = json(&a.body)?;
    Ok(Json(
        issue_certificate(&s, &a.who, req.certificate, req.supersedes.as_deref()).await?,
    ))
}

#[utoipa::path(post, path = "/v1/dept/certificates/revoke", tag = "department", request_body = RevokeCertRequest,
    responses((status = 200, body = IssueResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn revoke(
    State(s): State<AppState>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<IssueResponse>> {
    Ok(Json(
        crate::service::dept::revoke(&s, a.who, &a.body).await?,
    ))
}
