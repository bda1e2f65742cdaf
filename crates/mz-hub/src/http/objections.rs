//! HTTP for objections (异议): holders raise them, departments resolve them.

use crate::auth::{Authed, DeptCaller, DeviceCaller};
use crate::error::HubResult;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use mz_core::api::*;

#[utoipa::path(post, path = "/v1/me/objections", tag = "holder", request_body = ObjectionRequest,
    responses((status = 200, body = ObjectionView), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn raise(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<ObjectionView>> {
    Ok(Json(
        crate::service::objections::raise(&s, a.who, &a.body).await?,
    ))
}

#[utoipa::path(get, path = "/v1/me/objections", tag = "holder", responses((status = 200, body = Vec<ObjectionView>)))]
pub async fn mine(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<Vec<ObjectionView>>> {
    Ok(Json(crate::service::objections::mine(&s, a.who).await?))
}

#[utoipa::path(get, path = "/v1/dept/objections", tag = "department", responses((status = 200, body = Vec<ObjectionView>)))]
pub async fn for_department(
    State(s): State<AppState>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<Vec<ObjectionView>>> {
    Ok(Json(
        crate::service::objections::for_department(&s, a.who).await?,
    ))
}

#[utoipa::path(post, path = "/v1/dept/objections/{id}/resolve", tag = "department", params(("id" = String, Path)), request_body = ResolveObjectionRequest,
    responses((status = 200, body = ObjectionView), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn resolve(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<DeptCaller>,
) -> HubResult<Json<ObjectionView>> {
    Ok(Json(
        crate::service::objections::resolve(&s, id, a.who, &a.body).await?,
    ))
}
