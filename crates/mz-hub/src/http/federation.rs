//! HTTP between hubs: the relay.

use crate::auth::{json, Authed, PeerCaller};
use crate::error::HubResult;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use mz_core::api::{ApiError, FedRelay, FedReply};

/// A call relayed by a parent or child hub, signed with its registered hub key.
#[utoipa::path(post, path = "/v1/federation/relay", tag = "federation", request_body = FedRelay,
    responses((status = 200, body = FedReply), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 503, body = ApiError)))]
pub async fn relay(State(s): State<AppState>, a: Authed<PeerCaller>) -> HubResult<Json<FedReply>> {
    let relay: FedRelay = json(&a.body)?;
    Ok(Json(
        crate::service::federation::receive(&s, &a.who, relay).await?,
    ))
}
