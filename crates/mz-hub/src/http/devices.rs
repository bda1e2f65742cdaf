//! HTTP for a holder's devices: the list, approval of a pending device, removal; and a
//! counter's confirmation of a new device after checking the ID card.

use crate::auth::{json, Authed, DeviceCaller, EnrollingDevice, TerminalCaller};
use crate::error::HubResult;
use crate::service::{devices, pin};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use mz_core::api::*;

/// The holder's devices (pending, active and removed), the asking one marked.
#[utoipa::path(get, path = "/v1/me/devices", tag = "holder", responses((status = 200, body = DeviceList), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn list(
    State(s): State<AppState>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<DeviceList>> {
    Ok(Json(devices::list(&s, &a.who).await?))
}

/// An active device approves a pending device of the same holder.
#[utoipa::path(post, path = "/v1/me/devices/{key_id}/approve", tag = "holder", params(("key_id" = String, Path)),
    responses((status = 200, body = DeviceList), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn approve(
    State(s): State<AppState>,
    Path(key_id): Path<String>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<DeviceList>> {
    Ok(Json(devices::approve(&s, &a.who, &key_id).await?))
}

/// Remove one of the holder's devices (a lost phone, or a new device that is not theirs): its
/// key is refused from now on, its sessions and unused handles end.
#[utoipa::path(post, path = "/v1/me/devices/{key_id}/remove", tag = "holder", params(("key_id" = String, Path)),
    responses((status = 200, body = DeviceList), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn remove(
    State(s): State<AppState>,
    Path(key_id): Path<String>,
    a: Authed<DeviceCaller>,
) -> HubResult<Json<DeviceList>> {
    Ok(Json(devices::remove(&s, &a.who, &key_id).await?))
}

/// A counter removes every device of a person who lost their phone (after checking the ID card).
#[utoipa::path(post, path = "/v1/terminal/device-removals", tag = "terminal", request_body = DeviceRemovalRequest,
    responses((status = 200, body = DevicesRemoved), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn remove_at_counter(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<DevicesRemoved>> {
    let req = json(&a.body)?;
    Ok(Json(devices::remove_at_counter(&s, &a.who, req).await?))
}

/// A counter confirms a new device: staff checked the ID card in person and scanned the code
/// the device shows.
#[utoipa::path(post, path = "/v1/terminal/device-confirmations", tag = "terminal", request_body = DeviceConfirmRequest,
    responses((status = 200, body = DeviceConfirmed), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn confirm_at_counter(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<DeviceConfirmed>> {
    let req = json(&a.body)?;
    Ok(Json(devices::confirm_at_counter(&s, &a.who, req).await?))
}

/// Set this device's PIN on the hub (a verifier derived from it, never the PIN). Changing a PIN
/// that is set needs the current one.
#[utoipa::path(post, path = "/v1/me/pin", tag = "holder", request_body = PinSet,
    responses((status = 200, body = PinChecked), (status = 400, body = ApiError), (status = 401, body = ApiError)))]
pub async fn set_pin(
    State(s): State<AppState>,
    a: Authed<EnrollingDevice>,
) -> HubResult<Json<PinChecked>> {
    let req = json(&a.body)?;
    Ok(Json(pin::set(&s, &a.who, req).await?))
}

/// Check a PIN entered on this device: approvals are accepted for two minutes after a correct
/// one; five wrong ones lock them for five minutes (counted here, by the hub's clock).
#[utoipa::path(post, path = "/v1/me/pin/check", tag = "holder", request_body = PinCheck,
    responses((status = 200, body = PinChecked), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn check_pin(
    State(s): State<AppState>,
    a: Authed<EnrollingDevice>,
) -> HubResult<Json<PinChecked>> {
    let req = json(&a.body)?;
    Ok(Json(pin::check(&s, &a.who.0, req).await?))
}
