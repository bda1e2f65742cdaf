//! HTTP for departments: issue and revoke certificates, read their archive records.

use crate::auth::{json, Authed, DeptCaller};
use crate::error::HubResult;
use crate::service::dept::*;
use crate::AppState;
use axum::extract::{Path, State};
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

/// The department's archive records (预归档) still kept, newest first.
#[utoipa::path(get, path = "/v1/dept/archives", tag = "department", responses((status = 200, body = Vec<ArchiveSummary>), (status = 401, body = ApiError)))]
pub async fn archives(
    State(s): State<AppState>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<Vec<ArchiveSummary>>> {
    Ok(Json(
        crate::service::archives::of_department(&s, a.who).await?,
    ))
}

/// One archive record whole: the certificates released and the holder's signed decision. The
/// read is recorded in the holder's records.
#[utoipa::path(get, path = "/v1/dept/archives/{id}", tag = "department", params(("id" = String, Path)),
    responses((status = 200, body = ArchiveRecord), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn archive(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<ArchiveRecord>> {
    Ok(Json(crate::service::archives::read(&s, a.who, &id).await?))
}

/// What this department issued, newest first (at most 200), with today's status.
#[utoipa::path(get, path = "/v1/dept/certificates", tag = "department", responses((status = 200, body = Vec<PublicCertificate>), (status = 401, body = ApiError)))]
pub async fn issued(
    State(s): State<AppState>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<Vec<PublicCertificate>>> {
    Ok(Json(crate::service::dept::issued(&s, &a.who).await?))
}

/// The applications this department received (e.g. 高龄津贴 filed by an agent after the
/// applicant's face check), newest first.
#[utoipa::path(get, path = "/v1/dept/applications", tag = "department", responses((status = 200, body = Vec<ApplicationView>), (status = 401, body = ApiError)))]
pub async fn applications(
    State(s): State<AppState>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<Vec<ApplicationView>>> {
    Ok(Json(crate::service::dept::applications(&s, &a.who).await?))
}
