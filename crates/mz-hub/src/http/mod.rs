//! HTTP: the router, and handlers that extract a request, call one operation of
//! `crate::service` and map its answer (errors map in `crate::error`). No rules live here.

pub mod dept;
pub mod devices;
pub mod face;
pub mod federation;
pub mod holder;
pub mod objections;
pub mod openapi;
pub mod public;
pub mod server;
pub mod terminal;

use crate::error::HubResult;
use crate::AppState;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::Router;
use futures_util::Stream;
use mz_core::api::PushEvent;
use mz_core::ErrorCode;
use std::convert::Infallible;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/openapi.json", get(openapi::serve))
        .route("/v1/hub", get(public::hub_info))
        .route("/v1/catalogue", get(public::catalogue))
        .route("/v1/public/terminals/{id}", get(public::terminal_info))
        .route("/v1/public/departments", get(public::departments))
        .route("/v1/public/certificates", get(public::lookup))
        .route(
            "/v1/public/regions/{region}/certificates",
            get(public::lookup_in_region),
        )
        .route("/v1/public/checkpoint", get(public::checkpoint))
        .route("/v1/session", post(public::open_session))
        .route("/v1/enrol", post(holder::enrol))
        .route("/v1/me", get(holder::me))
        .route("/v1/me/handles", post(holder::handles))
        .route("/v1/me/devices", get(devices::list))
        .route("/v1/me/pin", post(devices::set_pin))
        .route("/v1/me/pin/check", post(devices::check_pin))
        .route("/v1/me/devices/{key_id}/approve", post(devices::approve))
        .route("/v1/me/devices/{key_id}/remove", post(devices::remove))
        .route(
            "/v1/terminal/device-confirmations",
            post(devices::confirm_at_counter),
        )
        .route(
            "/v1/terminal/device-removals",
            post(devices::remove_at_counter),
        )
        .route("/v1/me/certificates", get(holder::certificates))
        .route("/v1/me/events", get(holder::events))
        .route("/v1/me/auth-requests", get(holder::pending_requests))
        .route("/v1/me/auth-requests/{id}", get(holder::get_request))
        .route("/v1/me/auth-requests/{id}/decision", post(holder::decide))
        .route("/v1/me/login-approvals", post(holder::approve_login))
        .route("/v1/me/grants", get(holder::grants).post(holder::grant))
        .route("/v1/me/grants/{id}/revoke", post(holder::revoke_grant))
        .route("/v1/me/audit", get(holder::audit))
        .route(
            "/v1/me/objections",
            get(objections::mine).post(objections::raise),
        )
        .route("/v1/dept/objections", get(objections::for_department))
        .route(
            "/v1/dept/objections/{id}/resolve",
            post(objections::resolve),
        )
        .route("/v1/me/audit/export", get(holder::audit_export))
        .route("/v1/me/face-challenge", post(face::my_challenge))
        .route(
            "/v1/me/proxy-applications",
            get(face::my_proxy_applications).post(face::open_proxy),
        )
        .route("/v1/face/challenges/{id}/frames", post(face::frames))
        .route("/v1/terminal/face-checks", post(face::counter_check))
        .route(
            "/v1/terminal/face-checks/{id}/frames",
            post(face::counter_frames),
        )
        .route(
            "/v1/terminal/auth-requests/{id}/consent",
            post(face::counter_consent),
        )
        .route("/v1/terminals/enrol", post(terminal::enrol))
        .route("/v1/terminal/events", get(terminal::events))
        .route("/v1/terminal/redeem", post(terminal::redeem))
        .route("/v1/terminal/auth-requests", post(terminal::create_request))
        .route(
            "/v1/terminal/auth-requests/{id}",
            get(terminal::get_request),
        )
        .route(
            "/v1/terminal/auth-requests/{id}/release",
            post(terminal::release),
        )
        .route("/v1/terminal/login-sessions", post(terminal::open_login))
        .route("/v1/terminal/login-sessions/{id}", get(terminal::get_login))
        .route(
            "/v1/terminal/login-sessions/{id}/identity-code",
            post(terminal::login_by_identity_code),
        )
        .route(
            "/v1/terminal/login-sessions/{id}/end",
            post(terminal::end_login),
        )
        .route(
            "/v1/terminal/login-sessions/{id}/auth-requests",
            post(terminal::session_request),
        )
        .route("/v1/public/releases/{id}", get(public::receipt))
        .route("/v1/federation/relay", post(federation::relay))
        .route("/v1/dept/certificates", post(dept::issue))
        .route("/v1/dept/certificates/revoke", post(dept::revoke))
        .fallback(|| async { crate::error::fail(ErrorCode::NoSuchRoute, "no such route") })
        .method_not_allowed_fallback(|| async {
            crate::error::fail(
                ErrorCode::MethodNotAllowed,
                "this route does not take this method",
            )
        })
        .layer(axum::middleware::from_fn(log_slow))
        .with_state(state)
}

/// Requests slower than this are logged (method, path and status: no personal data).
const SLOW_MS: u128 = 2000;

/// Log a request that took longer than [`SLOW_MS`] to answer (an event stream answers at once).
async fn log_slow(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    let ms = started.elapsed().as_millis();
    if ms > SLOW_MS {
        tracing::warn!(%method, %path, ms, status = resp.status().as_u16(), "slow request");
    }
    resp
}

/// Turn a subscription into an SSE stream; the first event says the stream is live.
pub fn sse(
    subscriber: String,
    rx: tokio::sync::mpsc::Receiver<PushEvent>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    use futures_util::StreamExt;
    let first = futures_util::stream::once(async move { PushEvent::Ready { subscriber } });
    let events = first.chain(tokio_stream::wrappers::ReceiverStream::new(rx));
    Sse::new(events.map(|ev| {
        Ok(Event::default()
            .event(ev.name())
            .json_data(&ev)
            .expect("plain data"))
    }))
    .keep_alive(KeepAlive::default())
}

/// A route's query string, read in the handler once the caller is known: a bad one answers
/// `bad_query` in the hub's JSON error shape, and a caller who is not allowed the route hears
/// only that, never which parameters it takes.
pub fn query<T: serde::de::DeserializeOwned>(uri: &axum::http::Uri) -> HubResult<T> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|e| crate::error::fail(ErrorCode::BadQuery, e.body_text()))
}
